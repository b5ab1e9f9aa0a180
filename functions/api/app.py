"""API function: the board API (submissions) and the public search API, behind API Gateway."""

from __future__ import annotations

from typing import Any

from case_reviews import bootstrap
from case_reviews.api.app import build_app
from case_reviews.api.front import handle
from case_reviews.observability import api_entry

# Built once per container, on the first request, as the settings say (Swagger UI only on the local stack).
_app: Any = None


def _resolve(event: dict[str, Any], context: Any) -> dict[str, Any]:
    global _app
    if _app is None:
        _app = build_app(swagger_ui=bootstrap.services().settings.api.enable_swagger_ui)
    return handle(_app, event, context)


lambda_handler = api_entry(_resolve, correlation_id_path="requestContext.requestId")
