#!/usr/bin/env bash
# Run the AWS SAM CLI from a repo-local virtualenv, .venv-sam (git-ignored).
#
#   scripts/sam.sh validate --lint
#   scripts/sam.sh build
#   scripts/sam.sh deploy                 # samconfig.toml: default (prod) environment
#
# On first use (or when SAM_CLI_VERSION changes) the virtualenv is created with
# Python 3.12, the Lambda runtime, found as `python3.12` on PATH or through pyenv,
# and aws-sam-cli is installed into it. Its bin/ goes first on PATH, so that
# `sam build` resolves `python3.12` to the venv's interpreter. Telemetry is off.
# A region is set (eu-west-2 unless AWS_REGION / AWS_DEFAULT_REGION say otherwise);
# no credentials are set here: deploy uses whatever the caller's environment has.
# The CLI runs from the repository root, where template.yaml and samconfig.toml are.
set -euo pipefail

SAM_CLI_VERSION="${SAM_CLI_VERSION:-1.170.0}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${SAM_VENV:-$ROOT/.venv-sam}"
STAMP="$VENV/.aws-sam-cli-version"

if [[ ! -x "$VENV/bin/python3.12" ]]; then
  PY312="$("$ROOT/scripts/find-python312")"
  echo "sam.sh: creating $VENV with $PY312" >&2
  "$PY312" -m venv --clear "$VENV"
  printf '*\n' >"$VENV/.gitignore"
fi

if [[ ! -x "$VENV/bin/sam" || "$(cat "$STAMP" 2>/dev/null)" != "$SAM_CLI_VERSION" ]]; then
  echo "sam.sh: installing aws-sam-cli==$SAM_CLI_VERSION into $VENV" >&2
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "aws-sam-cli==$SAM_CLI_VERSION" >&2
  echo "$SAM_CLI_VERSION" >"$STAMP"
fi

export PATH="$VENV/bin:$PATH"
export SAM_CLI_TELEMETRY=0
export AWS_REGION="${AWS_REGION:-${AWS_DEFAULT_REGION:-eu-west-2}}"
export AWS_DEFAULT_REGION="${AWS_DEFAULT_REGION:-$AWS_REGION}"

cd "$ROOT"
exec sam "$@"
