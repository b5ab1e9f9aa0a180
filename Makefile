# The national case review repository. Two commands on a fresh machine:
#   make run    install everything, start the local stack (Ctrl-C stops it)
#   make test   install everything, run the whole suite (starting what it needs)
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SAM := scripts/sam.sh
CHECKOV := scripts/checkov.sh
# The browser tests: Debian's Chromium (never a downloaded browser build) and axe-core from npm, installed
# into a git-ignored folder of the tests (its MPL-2.0 script is not committed).
CHROMIUM ?= /usr/bin/chromium
AXE_CORE_VERSION := 4.14.1
AXE_DIR := tests/e2e/vendor
AXE := $(AXE_DIR)/node_modules/axe-core/axe.min.js

.PHONY: help install browser run test test-on test-unit test-integration test-e2e template iac-scan lint build bench clean

help:
	@echo "make run     start the local stack (embedded AWS, OpenSearch, API on :3000, pollers, schedule)"
	@echo "             another port: make run RUN_ARGS=\"--api-port 3100\" (or API_PORT=3100 make run)"
	@echo "make test    the whole suite: unit, integration, end-to-end, and the SAM template check"
	@echo "make test-on DATE=2036-12-31   the whole suite with its clock set to that day"
	@echo "make bench   ingest latency, import time, extraction, memory, search, retention reads, CSV import (bench/results/latest.json)"
	@echo "make lint    ruff, sam validate --lint (cfn-lint) and checkov over template.yaml"
	@echo "make build   sam build (arm64, python3.12)"

# Python 3.12 (the Lambda runtime), the runtime pins of the layer, the dev tools, this package.
$(STAMP): layers/shared/requirements.txt requirements-dev.txt pyproject.toml
	@test -x $(PY) || "$$(scripts/find-python312)" -m venv $(VENV)
	$(PY) -m pip install --quiet -r layers/shared/requirements.txt -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

# Chromium from Debian's packages when it is missing (CI is a fresh machine, as root).
browser:
	@test -x $(CHROMIUM) || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }
	@test -x $(CHROMIUM) || { echo "make: no Chromium at $(CHROMIUM); install Debian's chromium package" >&2; exit 1; }

$(AXE):
	@command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm; }
	npm install --silent --no-save --no-package-lock --no-audit --no-fund --prefix $(AXE_DIR) axe-core@$(AXE_CORE_VERSION)
	@test -f $@ && touch $@

install: $(STAMP) browser $(AXE)
	@# The OpenSearch distribution and its modules, downloaded once and cached.
	$(PY) -c "from infra.local.opensearch_server import ensure_installed; print('opensearch:', ensure_installed())"

# Arguments for the local stack, e.g. make run RUN_ARGS="--api-port 3100" (or API_PORT=3100 make run)
RUN_ARGS ?=
run: install
	$(PY) -m infra.local.stack $(RUN_ARGS)

test: install
	$(PY) -m pytest
	$(MAKE) --no-print-directory template

# The whole suite with its clock set to another day (every date in it is relative to that clock).
DATE ?= 2031-02-28
test-on: install
	$(PY) -m pytest --clock-date $(DATE)

test-unit: $(STAMP)
	$(PY) -m pytest tests/unit

test-integration: install
	$(PY) -m pytest tests/integration

test-e2e: install
	$(PY) -m pytest tests/e2e

template:
	$(SAM) validate --lint

# IaC static analysis of template.yaml (SAM is read as CloudFormation). A check that does not apply
# is skipped in the template itself, on the resource, with its reason (Metadata: checkov: skip:).
iac-scan:
	$(CHECKOV) --file template.yaml --framework cloudformation --quiet --compact --skip-download

lint: $(STAMP) template iac-scan
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

# Lambda cannot write .pyc files (its code is read-only), so a package without them compiles every
# module on every cold start. Ship them, as unchecked-hash .pyc: the runtime then never compares them
# with the sources, whose timestamps a zip does not keep exactly.
build:
	$(SAM) build
	$(PY) -m compileall -q -j 0 --invalidation-mode unchecked-hash .aws-sam/build

bench: install
	$(PY) -m bench.run

clean:
	rm -rf .aws-sam .pytest_cache .local
