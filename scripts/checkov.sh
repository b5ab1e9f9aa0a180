#!/usr/bin/env bash
# Run checkov (IaC static analysis) from a repo-local virtualenv, .venv-checkov (git-ignored).
#
#   scripts/checkov.sh --file template.yaml --framework cloudformation --skip-download
#
# checkov pins its own boto3 (1.35), older than the layer's, so it cannot share .venv with the
# runtime pins: like scripts/sam.sh, it gets a virtualenv of its own, made on first use (or when
# CHECKOV_VERSION changes) with Python 3.12. Its built-in policies are all it needs: without an API
# key, and with --skip-download, it calls no platform.
set -euo pipefail

CHECKOV_VERSION="${CHECKOV_VERSION:-3.3.30}"
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${CHECKOV_VENV:-$ROOT/.venv-checkov}"
STAMP="$VENV/.checkov-version"

if [[ ! -x "$VENV/bin/python3.12" ]]; then
  PY312="$("$ROOT/scripts/find-python312")"
  echo "checkov.sh: creating $VENV with $PY312" >&2
  "$PY312" -m venv --clear "$VENV"
  printf '*\n' >"$VENV/.gitignore"
fi

if [[ ! -x "$VENV/bin/checkov" || "$(cat "$STAMP" 2>/dev/null)" != "$CHECKOV_VERSION" ]]; then
  echo "checkov.sh: installing checkov==$CHECKOV_VERSION into $VENV" >&2
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "checkov==$CHECKOV_VERSION" >&2
  echo "$CHECKOV_VERSION" >"$STAMP"
fi

cd "$ROOT"
exec "$VENV/bin/checkov" "$@"
