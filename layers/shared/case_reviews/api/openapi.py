"""The API's OpenAPI document as the API really answers, and what it tells about each path's methods."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayRestResolver
    from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

API_TITLE = "National case review repository"
API_VERSION = "1.0.0"


def security_schemes() -> dict[str, HTTPBearer]:
    """How a board authenticates, for the document (imported here: only the document needs its models)."""
    from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer

    return {"boardKey": HTTPBearer(description="The board's key, issued by the library")}


def document(app: APIGatewayRestResolver) -> dict[str, Any]:
    """The OpenAPI document of `app`'s routes, without Powertools' 422 (this API answers 400 problems)."""
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
    return built


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
