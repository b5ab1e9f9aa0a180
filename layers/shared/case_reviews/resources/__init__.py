"""Data files the functions ship with; the files themselves live in infra/ (these are links to it)."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any


@cache
def index_definition(name: str = "reviews") -> dict[str, Any]:
    """The OpenSearch index definition (settings, mappings and schema version) from infra/opensearch."""
    return json.loads(files(__package__).joinpath("opensearch", f"{name}.json").read_text(encoding="utf-8"))


@cache
def email_template(name: str) -> str:
    """An email template from infra/email by file name: `<kind>.txt` (a `Subject:` line, a blank line,
    then the body) or `<kind>.html` (the HTML body)."""
    return files(__package__).joinpath("email", name).read_text(encoding="utf-8")
