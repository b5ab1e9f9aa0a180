"""The HTTP API behind API Gateway: the board API, the public search API and operations, as one resolver.

`build_app` puts the routers together; the API function builds it once per container (with Swagger UI
only where the settings switch it on) and hands each request to `handle`.
"""

from __future__ import annotations

import base64
import hashlib
import re
from functools import cache, lru_cache
from http import HTTPStatus
from typing import Any
from urllib.parse import unquote

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.middlewares.openapi_validation import OpenAPIRequestValidationMiddleware
from aws_lambda_powertools.event_handler.openapi.exceptions import RequestUnsupportedContentType
from aws_lambda_powertools.utilities.typing import LambdaContext

from case_reviews import bootstrap
from case_reviews.api import alerts, boards, learning, operations, problems, search, subscriptions
from case_reviews.api.openapi import API_TITLE, API_VERSION, allowed_methods, document, security_schemes
from case_reviews.domain.rules import latest_publication_day

# Browser clients on any site may read the public API; nothing relies on cookies, so no credentials.
# Preflight OPTIONS requests are answered by Powertools (204 with the CORS headers).
CORS = CORSConfig(allow_origin="*", expose_headers=["Location", "Allow"], max_age=600, allow_credentials=False)
# Nothing this API serves is for search engines: files are reached only by searching the library.
ROBOTS = "noindex, nofollow"
# An HTML page of this API (the unsubscribe pages; Swagger UI on the local stack) loads nothing from
# anywhere else and cannot be framed. What it runs is its own inline code, allowed by hash.
_INLINE_CODE = re.compile(r"<(script|style)>(.*?)</\1>", re.DOTALL)


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


def content_security_policy(page: str, own_files: bool = False, upload_to: str | None = None) -> str:
    """The policy of one HTML page: nothing from elsewhere, no framing, forms only back to this API, and
    only the page's own inline scripts and styles, each by its hash (a page without any runs none).

    The site's pages (`own_files`) also load the product's own stylesheet and script and call back to it;
    its upload page (`upload_to`, the bucket's origin) posts the file straight to S3.
    """
    hashes: dict[str, list[str]] = {"script": [], "style": []}
    for tag, code in _INLINE_CODE.findall(page):
        digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii")
        hashes[tag].append(f"'sha256-{digest}'")
    own = ["'self'"] if own_files else []
    upload = [upload_to] if upload_to else []
    directives = {"default-src": "'none'"}
    if hashes["script"] or own:
        # Swagger UI's "Try it out" calls this API; the site's script refreshes a status and uploads.
        directives |= {"script-src": " ".join([*own, *hashes["script"]]), "connect-src": " ".join(["'self'", *upload])}
    if hashes["style"] or own:
        directives["style-src"] = " ".join([*own, *hashes["style"]])
    if hashes["style"]:
        # Swagger UI's stylesheet draws its icons from data: URLs.
        directives["img-src"] = "data:"
    directives |= {"form-action": " ".join(["'self'", *upload]), "frame-ancestors": "'none'", "base-uri": "'none'"}
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def handle(app: APIGatewayRestResolver, event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """One request: HEAD is GET without the body (RFC 9110), and every answer says it is not for crawlers;
    an HTML page also carries its content security policy and may not be framed."""
    head = event.get("httpMethod") == "HEAD"
    response = app.resolve({**event, "httpMethod": "GET"} if head else event, context)
    headers = response.setdefault("multiValueHeaders", {})
    content_type = next((values[-1] for name, values in headers.items() if name.lower() == "content-type"), "")
    if content_type.startswith("text/html"):
        # Before HEAD drops the body: the policy of a HEAD is the policy of its GET. A page that set its own
        # (the site's, made by content_security_policy too) keeps it.
        if not any(name.lower() == "content-security-policy" for name in headers):
            headers["Content-Security-Policy"] = [content_security_policy(response.get("body") or "")]
        headers["X-Frame-Options"] = ["DENY"]
    if head:
        response.update(body="", isBase64Encoded=False)
    # Added here, not per route, so that error responses carry it too.
    headers["X-Robots-Tag"] = [ROBOTS]
    return response
