"""The HTTP API behind API Gateway: the board API, the public search API and operations, as one resolver.

`build_app` puts the routers together; the API function builds it once per container (with Swagger UI
only where the settings switch it on) and hands each request to `front.handle`.
"""

from __future__ import annotations

from functools import cache, lru_cache
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.middlewares.openapi_validation import OpenAPIRequestValidationMiddleware
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestUnsupportedContentType

from case_reviews import bootstrap
from case_reviews.api import alerts, boards, learning, operations, problems, search, subscriptions
from case_reviews.api.openapi import API_TITLE, API_VERSION, allowed_methods, document, security_schemes
from case_reviews.domain.rules import latest_publication_day

# Browser clients on any site may read the public API; nothing relies on cookies, so no credentials.
# Preflight OPTIONS requests are answered by Powertools (204 with the CORS headers).
CORS = CORSConfig(allow_origin="*", expose_headers=["Location", "Allow"], max_age=600, allow_credentials=False)


# Bodies Powertools would read as forms; every body this API takes is JSON.
_FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/")


class _JsonBodiesOnly(OpenAPIRequestValidationMiddleware):
    """Request validation that reads a route's body only as JSON: a form or multipart body gets the 415
    any other type gets (rather than a form parse, or a 500 for a multipart type without a boundary)."""

    def _get_body(self, app: Any) -> dict[str, Any]:
        content_type = app.current_event.headers.get("content-type", "").strip().lower()
        if content_type.startswith(_FORM_TYPES):
            raise RequestUnsupportedContentType("Unsupported content type", errors=[])
        return super()._get_body(app)


class Resolver(APIGatewayRestResolver):
    """Powertools' REST resolver, with path parameters percent-decoded and JSON bodies only.

    A REST API passes the path as the client sent it, percent-encoded; Powertools hands each segment
    to the route as it is. Decoded here, a parameter is what the client meant (`/reviews/%C3%96` is the
    reference "Ö", one character, not six), and its limits are the ones the document states.
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        if getattr(self, "_request_validation_middleware", None) is not None:
            self._request_validation_middleware = _JsonBodiesOnly()

    def _convert_matches_into_route_keys(self, match: Any) -> dict[str, str]:
        return {name: unquote(value) for name, value in super()._convert_matches_into_route_keys(match).items()}


def build_app(swagger_ui: bool = False) -> APIGatewayRestResolver:
    """The resolver with every route; `swagger_ui` adds Swagger UI at /swagger (the local stack only)."""
    app = Resolver(enable_validation=True, cors=CORS)
    for router in (
        boards.router,
        search.router,
        learning.router,
        subscriptions.router,
        alerts.router,
        operations.router,
    ):
        app.include_router(router)
    problems.register(app)
    # Which methods each path answers (for 405s) is the same on any day; the served document is not.
    openapi = cache(lambda: document(app))
    dated_document = lru_cache(maxsize=1)(lambda last_day: document(app, last_day))

    @app.get(
        "/openapi.json",
        tags=["Operations"],
        summary="This document",
        responses={200: {"description": "The OpenAPI document of every route", "content": {"application/json": {}}}},
    )
    def openapi_document() -> Response[dict[str, Any]]:
        last_day = latest_publication_day(bootstrap.services().clock.now())
        return Response(status_code=HTTPStatus.OK.value, content_type="application/json", body=dated_document(last_day))

    @app.not_found
    def no_route(error: NotFoundError) -> Response[str]:
        allowed = allowed_methods(openapi(), app.current_event.path)
        if allowed:
            return problems.problem(
                HTTPStatus.METHOD_NOT_ALLOWED,
                f"{app.current_event.http_method} is not answered here; use {', '.join(allowed)}.",
                headers={"Allow": ", ".join(allowed)},
            )
        return problems.problem(HTTPStatus.NOT_FOUND, "No such resource.")

    if swagger_ui:
        # Swagger UI's script and styles are bundled in Powertools, so it works offline. Not in the document.
        app.enable_swagger(path="/swagger", title=API_TITLE, version=API_VERSION, security_schemes=security_schemes())
    return app
