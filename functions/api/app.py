"""The HTTP API: the board API (submissions) and the public search API, behind API Gateway."""

from __future__ import annotations

import functools
import json
import os
from http import HTTPStatus
from typing import Annotated, Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response
from aws_lambda_powertools.event_handler.depends import DependencyResolutionError, Depends
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)
from aws_lambda_powertools.event_handler.openapi.models import HTTPBearer
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.request import Request
from aws_lambda_powertools.logging import correlation_paths
from aws_lambda_powertools.utilities.typing import LambdaContext
from pydantic import BaseModel

from case_reviews import bootstrap
from case_reviews.api_models import (
    PartialDate,
    Problem,
    RecordView,
    SearchResponse,
    SubmissionCreated,
    SubmissionRequest,
    SubmissionView,
    YearView,
    decode_cursor,
    record_view,
    search_response,
    submission_created,
    submission_view,
    year_view,
)
from case_reviews.domain.errors import CopyRemoved, InvalidRequest, NotFound, Unauthorised
from case_reviews.domain.models import Board, PublicationDate, normalise_theme
from case_reviews.domain.rules import EARLIEST_PUBLICATION, FIRST_LISTED_YEAR, LATEST_YEAR
from case_reviews.domain.search import SearchQuery, SortOrder
from case_reviews.domain.vocabulary import DocumentType, Nation, ReviewType

logger = Logger()
tracer = Tracer()
metrics = Metrics()
# Browser clients on any site may read the public API; nothing relies on cookies, so no credentials.
# Preflight OPTIONS requests are answered by Powertools (204 with the CORS headers).
CORS = CORSConfig(allow_origin="*", expose_headers=["Location", "Allow"], max_age=600, allow_credentials=False)
app = APIGatewayRestResolver(enable_validation=True, cors=CORS)

API_TITLE = "National case review repository"
API_VERSION = "1.0.0"
PROBLEM_JSON = "application/problem+json"
# Nothing this API serves is for search engines: files are reached only by searching the library.
ROBOTS = "noindex, nofollow"
BOARD_SECURITY = [{"boardKey": []}]
# Nothing here is for crawlers, and there is no sitemap.
ROBOTS_TXT = "User-agent: *\nDisallow: /\n"


def documented(
    success: HTTPStatus,
    description: str,
    model: type | None,
    *failures: HTTPStatus,
    headers: dict[str, str] | None = None,
) -> dict[int, dict[str, Any]]:
    """The responses of a route for the OpenAPI document: what it answers, and each problem it can give."""
    content = {"application/json": {"model": model}} if model else {}
    answer: dict[str, Any] = {"description": description, "content": content}
    if headers:
        answer["headers"] = {
            name: {"description": text, "schema": {"type": "string"}} for name, text in headers.items()
        }
    responses: dict[int, dict[str, Any]] = {success.value: answer}
    for failure in (*failures, HTTPStatus.INTERNAL_SERVER_ERROR):
        responses[failure.value] = {"description": failure.phrase, "content": {PROBLEM_JSON: {"model": Problem}}}
    return responses


def problem(
    status: HTTPStatus, detail: str, errors: list[dict[str, Any]] | None = None, headers: dict[str, str] | None = None
) -> Response:
    body = Problem(title=status.phrase, status=status.value, detail=detail, errors=errors)
    return Response(
        status_code=status.value,
        content_type=PROBLEM_JSON,
        body=body.model_dump_json(exclude_none=True),
        headers=headers,
    )


def _unauthorised(detail: str) -> Response:
    return problem(HTTPStatus.UNAUTHORIZED, detail, headers={"WWW-Authenticate": 'Bearer realm="case-reviews"'})


@app.exception_handler(RequestValidationError)
def _invalid_request(error: RequestValidationError) -> Response:
    errors = [
        {"location": ".".join(str(part) for part in item.get("loc", ())), "message": item.get("msg", "invalid")}
        for item in error.errors()
    ]
    return problem(HTTPStatus.BAD_REQUEST, "The request is not valid; see errors.", errors)


@app.exception_handler(DependencyResolutionError)
def _dependency_failed(error: DependencyResolutionError) -> Response:
    if isinstance(error.__cause__, Unauthorised):
        return _unauthorised(str(error.__cause__))
    raise error


@app.exception_handler(Unauthorised)
def _not_authorised(error: Unauthorised) -> Response:
    return _unauthorised(str(error))


@app.exception_handler(NotFound)
def _not_found(error: NotFound) -> Response:
    return problem(HTTPStatus.NOT_FOUND, str(error))


@app.exception_handler(CopyRemoved)
def _gone(error: CopyRemoved) -> Response:
    return problem(HTTPStatus.GONE, str(error))


@app.exception_handler(InvalidRequest)
def _breaks_a_rule(error: InvalidRequest) -> Response:
    return problem(HTTPStatus.BAD_REQUEST, str(error), [{"location": error.location, "message": str(error)}])


@app.exception_handler(RequestUnsupportedContentType)
def _not_json(error: RequestUnsupportedContentType) -> Response:
    return problem(HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "Send the body as JSON, with 'Content-Type: application/json'.")


@app.exception_handler(UnicodeDecodeError)
def _not_text(error: UnicodeDecodeError) -> Response:
    return problem(HTTPStatus.BAD_REQUEST, "The body is not UTF-8 text; send JSON encoded as UTF-8.")


@app.exception_handler(RecursionError)
def _nested_too_deeply(error: RecursionError) -> Response:
    # Only parsing a hostile body recurses this deep; no request the API accepts nests more than a few levels.
    return problem(HTTPStatus.BAD_REQUEST, "The JSON body is nested too deeply.")


@app.not_found
def _no_route(error: NotFoundError) -> Response:
    allowed = allowed_methods(app.current_event.path)
    if allowed:
        return problem(
            HTTPStatus.METHOD_NOT_ALLOWED,
            f"{app.current_event.http_method} is not answered here; use {', '.join(allowed)}.",
            headers={"Allow": ", ".join(allowed)},
        )
    return problem(HTTPStatus.NOT_FOUND, "No such resource.")


def allowed_methods(path: str) -> list[str]:
    """The methods the API answers on `path` (HEAD wherever GET), read from its own OpenAPI document."""
    segments = path.rstrip("/").split("/") if path != "/" else [""]
    for template, operations in _openapi_document()["paths"].items():
        parts = template.split("/")
        if len(parts) == len(segments) and all(
            part == segment or (part.startswith("{") and segment) for part, segment in zip(parts, segments, strict=True)
        ):
            methods = sorted(method.upper() for method in operations)
            return [*methods, "HEAD"] if "GET" in methods else methods
    return []


@app.exception_handler(Exception)
def _unexpected(error: Exception) -> Response:
    logger.exception("Unhandled error")
    return problem(HTTPStatus.INTERNAL_SERVER_ERROR, "Something went wrong on our side; please try again later.")


def authenticated_board(request: Request) -> Board:
    """The board whose key is in the Authorization header."""
    authorization = request.resolved_event.headers.get("Authorization") or request.resolved_event.headers.get(
        "authorization"
    )
    return bootstrap.board_service().authenticate(authorization)


# ---------------------------------------------------------------- board API


@app.post(
    "/submissions",
    tags=["Board"],
    security=BOARD_SECURITY,
    summary="Ask to deposit a report",
    status_code=HTTPStatus.CREATED.value,
    responses=documented(
        HTTPStatus.CREATED,
        "The submission, and the presigned S3 POST to upload its PDF with",
        SubmissionCreated,
        HTTPStatus.BAD_REQUEST,
        HTTPStatus.UNAUTHORIZED,
        HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
        headers={"Location": "The submission, to follow its status"},
    ),
)
def open_submission(
    request: SubmissionRequest, board: Annotated[Board, Depends(authenticated_board)]
) -> Response[SubmissionCreated]:
    opened = bootstrap.submission_service().open(board, request.to_metadata(), bootstrap.clock().now())
    return Response(
        status_code=HTTPStatus.CREATED.value,
        content_type="application/json",
        body=submission_created(opened.submission, opened.upload),
        headers={"Location": f"/submissions/{opened.submission.submission_id}", "Cache-Control": "no-store"},
    )


@app.get(
    "/submissions/<submission_id>",
    tags=["Board"],
    security=BOARD_SECURITY,
    summary="Follow a submission",
    responses=documented(
        HTTPStatus.OK,
        "The submission's status",
        SubmissionView,
        HTTPStatus.BAD_REQUEST,
        HTTPStatus.UNAUTHORIZED,
        HTTPStatus.NOT_FOUND,
    ),
)
def get_submission(
    # Not constrained further: a caller without a valid key gets 401 before anything about the id.
    submission_id: Annotated[str, Path(min_length=1, max_length=200)],
    board: Annotated[Board, Depends(authenticated_board)],
) -> SubmissionView:
    return submission_view(bootstrap.submission_service().get(board, submission_id))


# ---------------------------------------------------------------- public search API


@app.get(
    "/reviews",
    tags=["Search"],
    summary="Search the catalogue",
    responses=documented(HTTPStatus.OK, "One page of results, with facets", SearchResponse, HTTPStatus.BAD_REQUEST),
)
def search_reviews(
    q: Annotated[str | None, Query(max_length=500, description="Words from the text or the metadata")] = None,
    year: Annotated[int | None, Query(ge=EARLIEST_PUBLICATION.year, le=LATEST_YEAR)] = None,
    from_: Annotated[PartialDate | None, Query(alias="from", description="Published on or after")] = None,
    to: Annotated[PartialDate | None, Query(description="Published on or before")] = None,
    nation: Annotated[list[Nation] | None, Query()] = None,
    review_type: Annotated[list[ReviewType] | None, Query()] = None,
    document_type: Annotated[list[DocumentType] | None, Query()] = None,
    theme: Annotated[list[str] | None, Query()] = None,
    board: Annotated[str | None, Query(max_length=200)] = None,
    has_copy: Annotated[bool | None, Query()] = None,
    sort: Annotated[SortOrder, Query()] = SortOrder.RELEVANCE,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
    cursor: Annotated[str | None, Query(max_length=1000)] = None,
) -> SearchResponse:
    published_from = PublicationDate.parse(from_).value if from_ else None
    published_to = PublicationDate.parse(to).last_day() if to else None
    if published_from and published_to and published_from > published_to:
        raise InvalidRequest(f"'from' ({from_}) is after 'to' ({to}).", location="query.from")
    if year is not None:
        published_from = max(filter(None, [published_from, PublicationDate.parse(str(year)).value]))
        published_to = min(filter(None, [published_to, PublicationDate.parse(str(year)).last_day()]))
    query = SearchQuery(
        text=q.strip() if q and q.strip() else None,
        published_from=published_from,
        published_to=published_to,
        nations=tuple(nation or ()),
        review_types=tuple(review_type or ()),
        document_types=tuple(document_type or ()),
        themes=tuple(normalise_theme(t) for t in theme or ()),
        board=board,
        has_copy=has_copy,
        sort=sort,
        page_size=page_size,
    )
    if cursor:
        query = query.model_copy(update={"search_after": decode_cursor(cursor, query)})
    return search_response(bootstrap.search_service().search(query), query)


@app.get(
    "/reviews/<reference>",
    tags=["Search"],
    summary="A catalogue record",
    responses=documented(
        HTTPStatus.OK,
        "The catalogue record (never the full text)",
        RecordView,
        HTTPStatus.BAD_REQUEST,
        HTTPStatus.NOT_FOUND,
    ),
)
def get_review(reference: Annotated[str, Path(min_length=1, max_length=40)]) -> RecordView:
    return record_view(bootstrap.search_service().record(reference))


@app.get(
    "/reviews/<reference>/download",
    tags=["Search"],
    summary="A short-lived link to the report's PDF",
    responses=documented(
        HTTPStatus.FOUND,
        "A redirect to a short-lived link to the PDF",
        None,
        HTTPStatus.BAD_REQUEST,
        HTTPStatus.NOT_FOUND,
        HTTPStatus.GONE,
        headers={"Location": "The short-lived link"},
    ),
)
def download_review(reference: Annotated[str, Path(min_length=1, max_length=40)]) -> Response[None]:
    link = bootstrap.search_service().download_link(reference)
    return Response(status_code=HTTPStatus.FOUND.value, headers={"Location": link, "Cache-Control": "no-store"})


@app.get(
    "/years/<year>",
    tags=["Search"],
    summary="Everything published in a year, in date order",
    responses=documented(
        HTTPStatus.OK, "The year's list, with totals by review type", YearView, HTTPStatus.BAD_REQUEST
    ),
)
def list_year(
    year: Annotated[
        int, Path(ge=FIRST_LISTED_YEAR, le=LATEST_YEAR, description=f"From {FIRST_LISTED_YEAR} to the current year")
    ],
) -> YearView:
    return year_view(bootstrap.search_service().published_in(year, bootstrap.clock().now()))


# ---------------------------------------------------------------- crawlers


@app.get(
    "/robots.txt",
    tags=["Operations"],
    summary="Tells crawlers to keep out (there is no sitemap)",
    responses={200: {"description": "Disallows everything", "content": {"text/plain": {"schema": {"type": "string"}}}}},
)
def robots_txt() -> Response[str]:
    return Response(status_code=HTTPStatus.OK.value, content_type="text/plain; charset=utf-8", body=ROBOTS_TXT)


# ---------------------------------------------------------------- the weekly digest's unsubscribe link

# The link in a digest opens a page with one button: mail scanners follow links (GET) to check them,
# so only the button's POST unsubscribes.
UNSUBSCRIBE_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex, nofollow">
<title>New in the Library: unsubscribe</title></head>
<body><h1>New in the Library</h1>{message}</body></html>
"""
CONFIRM_FORM = """<p>Stop receiving the weekly email of case reviews added to the library?</p>
<form method="post"><button type="submit">Unsubscribe</button></form>"""
HTML_RESPONSE = {"content": {"text/html": {"schema": {"type": "string"}}}}
SubscriptionToken = Annotated[str, Path(min_length=16, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


def _page(message: str) -> Response[str]:
    return Response(
        status_code=HTTPStatus.OK.value,
        content_type="text/html; charset=utf-8",
        body=UNSUBSCRIBE_PAGE.format(message=message),
        headers={"Cache-Control": "no-store"},
    )


@app.get(
    "/subscriptions/<token>",
    tags=["Digest"],
    summary="The unsubscribe link of a digest: a page asking to confirm",
    responses={
        **documented(HTTPStatus.OK, "", None, HTTPStatus.BAD_REQUEST, HTTPStatus.NOT_FOUND),
        200: {"description": "The confirmation page", **HTML_RESPONSE},
    },
)
def confirm_unsubscribe(token: SubscriptionToken) -> Response[str]:
    if not bootstrap.subscription_service().is_subscribed(token):
        raise NotFound("This unsubscribe link is not valid (perhaps it was used already).")
    return _page(CONFIRM_FORM)


@app.post(
    "/subscriptions/<token>",
    tags=["Digest"],
    summary="Unsubscribe from the weekly digest (no login: the token is the permission)",
    responses={
        **documented(HTTPStatus.OK, "", None, HTTPStatus.BAD_REQUEST),
        200: {"description": "Unsubscribed (also when it was already)", **HTML_RESPONSE},
    },
)
def unsubscribe(token: SubscriptionToken) -> Response[str]:
    bootstrap.subscription_service().unsubscribe_by_token(token)
    # The same answer whether or not it was still subscribed: a second click is not an error.
    return _page("<p>You are unsubscribed. You will not receive New in the Library any more.</p>")


# ---------------------------------------------------------------- operations


class Health(BaseModel):
    status: str
    components: dict[str, str]


@app.get(
    "/health",
    tags=["Operations"],
    summary="Whether the catalogue and the search index answer",
    responses=documented(HTTPStatus.OK, "Every component answers", Health, HTTPStatus.SERVICE_UNAVAILABLE),
)
def health() -> Response[dict[str, Any]]:
    components = bootstrap.health_service().check()
    if not all(components.values()):
        failing = ", ".join(name for name, ok in components.items() if not ok)
        return problem(HTTPStatus.SERVICE_UNAVAILABLE, f"Not answering: {failing}.")
    return Response(
        status_code=HTTPStatus.OK.value,
        content_type="application/json",
        body={"status": "ok", "components": {name: "ok" for name in components}},
        headers={"Cache-Control": "no-store"},
    )


@app.get(
    "/openapi.json",
    tags=["Operations"],
    summary="This document",
    responses={200: {"description": "The OpenAPI document of every route", "content": {"application/json": {}}}},
)
def openapi_document() -> Response[dict[str, Any]]:
    return Response(
        status_code=HTTPStatus.OK.value,
        content_type="application/json",
        body=_openapi_document(),
    )


if os.environ.get("ENABLE_SWAGGER_UI", "").lower() == "true":
    # Local stack only (infra/local/stack.py sets it; template.yaml does not): Swagger UI, with its
    # script and styles bundled in Powertools, so it works offline. Not part of the OpenAPI document.
    app.enable_swagger(
        path="/swagger",
        title=API_TITLE,
        version=API_VERSION,
        security_schemes={"boardKey": HTTPBearer(description="The board's key, issued by the library")},
    )


@functools.cache
def _openapi_document() -> dict[str, Any]:
    document = json.loads(
        app.get_openapi_json_schema(
            title=API_TITLE,
            version=API_VERSION,
            security_schemes={"boardKey": HTTPBearer(description="The board's key, issued by the library")},
        )
    )
    # Powertools documents its own 422 for validation errors on every route; this API answers them
    # with a 400 problem (see _invalid_request), which each route documents itself.
    for operations in document.get("paths", {}).values():
        for operation in operations.values():
            operation.get("responses", {}).pop("422", None)
    for unused in ("HTTPValidationError", "ValidationError", "ResponseValidationError"):
        document.get("components", {}).get("schemas", {}).pop(unused, None)
    return document


@logger.inject_lambda_context(correlation_id_path=correlation_paths.API_GATEWAY_REST)
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    # HEAD is GET without the body (RFC 9110): link checkers and `curl -I` get the same status and headers.
    head = event.get("httpMethod") == "HEAD"
    response = app.resolve({**event, "httpMethod": "GET"} if head else event, context)
    if head:
        response.update(body="", isBase64Encoded=False)
    # Added here, not per route, so that error responses carry it too.
    response.setdefault("multiValueHeaders", {})["X-Robots-Tag"] = [ROBOTS]
    return response
