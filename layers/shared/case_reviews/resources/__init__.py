"""Data files the functions ship with; the files themselves live in infra/ (these are links to it)."""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any


@cache
def index_definition(name: str = "reviews") -> dict[str, Any]:
    """The OpenSearch index definition (settings, mappings and schema version) from infra/opensearch,
    with the search's synonym graph generated from the theme vocabulary (domain/themes.json)."""
    from case_reviews.domain.themes import fingerprint, synonym_rules

    definition = json.loads(files(__package__).joinpath("opensearch", f"{name}.json").read_text(encoding="utf-8"))
    synonyms = definition["settings"]["analysis"]["filter"].get("case_review_synonyms")
    if synonyms is not None:
        synonyms["synonyms"] = synonym_rules()
    # What the index was built from, kept in its mapping: `index check` compares it with this release's.
    definition["mappings"]["_meta"] = {"schema_version": definition["schema_version"], "synonyms": fingerprint()}
    return definition


@cache
def email_template(name: str) -> str:
    """An email template from infra/email by file name: `<kind>.txt` (a `Subject:` line, a blank line,
    then the body) or `<kind>.html` (the HTML body)."""
    return files(__package__).joinpath("email", name).read_text(encoding="utf-8")
