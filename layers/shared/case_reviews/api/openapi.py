"""The API's OpenAPI document as the API really answers, and what it tells about each path's methods."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING, Any

from case_reviews.domain.date_patterns import day_pattern
from case_reviews.domain.review_types import ALIASES, REVIEW_TYPES, ReviewTypeRule
from case_reviews.domain.rules import EARLIEST_PUBLICATION, LATEST_YEAR
from case_reviews.domain.vocabulary import Nation

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayRestResolver
    from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

API_TITLE = "National case review repository"
API_VERSION = "1.0.0"


def security_schemes() -> dict[str, HTTPBearer]:
    """How a board authenticates, for the document (imported here: only the document needs its models)."""
    from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

    return {"boardKey": HTTPBearer(description="The board's key, issued by the library")}


def document(app: APIGatewayRestResolver, last_publication_day: date | None = None) -> dict[str, Any]:
    """The OpenAPI document of `app`'s routes, without Powertools' 422 (this API answers 400 problems).

    Given `last_publication_day` (what GET /openapi.json serves), it also states the limits that move
    with the calendar: no deposit published after that day, no yearly list after its year.
    """
    built = json.loads(
        app.get_openapi_json_schema(title=API_TITLE, version=API_VERSION, security_schemes=security_schemes())
    )
    # Powertools documents its own 422 for validation errors on every route; this API answers them
    # with a 400 problem, which each route documents itself.
    for operations in built.get("paths", {}).values():
        for operation in operations.values():
            operation.get("responses", {}).pop("422", None)
    for unused in ("HTTPValidationError", "ValidationError", "ResponseValidationError"):
        built.get("components", {}).get("schemas", {}).pop(unused, None)
    deposit = built.get("components", {}).get("schemas", {}).get("SubmissionRequest")
    if deposit is not None:
        _state_deposit_rules(deposit, last_publication_day or date(LATEST_YEAR, 12, 31))
    if last_publication_day is not None:
        for parameter in built["paths"].get("/years/{year}", {}).get("get", {}).get("parameters", []):
            if parameter["name"] == "year":
                parameter["schema"]["maximum"] = last_publication_day.year
    return built


def _state_deposit_rules(deposit: dict[str, Any], last_day: date) -> None:
    """The deposit's rules that tie one field to another, in JSON Schema: its days up to `last_day`, and
    the review types as `anyOf` one branch per nation (its types of any date) and one per type with a
    first day (its nations, published from that day); a form only for a type that has one. (Only
    "commissioned on or before publication" cannot be written in JSON Schema; the field says it.)"""
    days = day_pattern(EARLIEST_PUBLICATION, last_day)
    properties = deposit["properties"]
    properties["publication_date"]["pattern"] = days
    for variant in properties["commissioned_date"].get("anyOf", []):
        if variant.get("type") == "string":
            variant["pattern"] = days

    # The old names of types are accepted too, read as the types that replaced them.
    properties["review_type"] = {
        "anyOf": [
            properties["review_type"],
            {
                "type": "string",
                "enum": list(ALIASES),
                "deprecated": True,
                "description": "Old names, read as the types that replaced them: "
                + "; ".join(f"{old} is {new}" for old, new in ALIASES.items()),
            },
        ]
    }

    def names(rule: ReviewTypeRule) -> list[str]:
        return [str(rule.review_type), *(old for old, new in ALIASES.items() if new is rule.review_type)]

    def without_form(rule: ReviewTypeRule) -> dict[str, Any]:
        return {} if rule.has_form else {"form": {"type": "null"}}

    branches = []
    for nation in Nation:
        for has_form in (False, True):
            undated = [r for r in REVIEW_TYPES if nation in r.nations and r.since is None and r.has_form is has_form]
            if undated:
                kinds = [name for rule in undated for name in names(rule)]
                branch = {"nation": {"const": str(nation)}, "review_type": {"enum": kinds}, **without_form(undated[0])}
                branches.append({"properties": branch})
    for rule in REVIEW_TYPES:
        if rule.since is not None and rule.since <= last_day:
            branch = {
                "nation": {"enum": sorted(str(nation) for nation in rule.nations)},
                "review_type": {"enum": names(rule)},
                "publication_date": {"pattern": day_pattern(rule.since, last_day)},
                **without_form(rule),
            }
            branches.append({"properties": branch})
    deposit["anyOf"] = branches


def allowed_methods(openapi: dict[str, Any], path: str) -> list[str]:
    """The methods the API answers on `path` (HEAD wherever GET), read from its OpenAPI document."""
    segments = path.rstrip("/").split("/") if path != "/" else [""]
    for template, operations in openapi["paths"].items():
        parts = template.split("/")
        if len(parts) == len(segments) and all(
            part == segment or (part.startswith("{") and segment) for part, segment in zip(parts, segments, strict=True)
        ):
            methods = sorted(method.upper() for method in operations)
            return [*methods, "HEAD"] if "GET" in methods else methods
    return []
