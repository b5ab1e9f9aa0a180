"""Site function: the HTML pages people use (search, records, yearly lists, deposit), behind API Gateway."""

from __future__ import annotations

from typing import Any

from case_reviews.api.front import handle
from case_reviews.observability import api_entry
from case_reviews.site.app import build_site

# Built once per container, on the first request.
_app: Any = None


def _resolve(event: dict[str, Any], context: Any) -> dict[str, Any]:
    global _app
    if _app is None:
        _app = build_site()
    return handle(_app, event, context)


lambda_handler = api_entry(_resolve, correlation_id_path="requestContext.requestId")
