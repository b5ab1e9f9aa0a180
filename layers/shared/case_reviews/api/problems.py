"""Every error the HTTP API answers, as an RFC 9457 problem (application/problem+json)."""

from __future__ import annotations

from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.depends import DependencyResolutionError
from aws_lambda_powertools.event_handler.openapi.exceptions import (
    RequestUnsupportedContentType,
    RequestValidationError,
)

from case_reviews.api.models.common import Problem
from case_reviews.domain.errors import (
    CopyRemoved,
    InvalidRequest,
    NotFound,
    RateLimited,
    ServiceUnavailable,
    Unauthorised,
)
from case_reviews.observability import logger

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayRestResolver

PROBLEM_JSON = "application/problem+json"
# Every 503 says when to try again (the search index down, refused at once while the breaker is open).
RETRY_AFTER = {
    "Retry-After": {
        "description": "Seconds to wait before trying again",
        "required": True,
        "schema": {"type": "string", "pattern": "^[0-9]+$"},
    }
}


def problem(
    status: HTTPStatus, detail: str, errors: list[dict[str, Any]] | None = None, headers: dict[str, str] | None = None
) -> Response[str]:
    body = Problem(title=status.phrase, status=status.value, detail=detail, errors=errors)
    return Response(
        status_code=status.value,
        content_type=PROBLEM_JSON,
        body=body.model_dump_json(exclude_none=True),
        headers=headers,
    )


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
        if failure is HTTPStatus.SERVICE_UNAVAILABLE:
            responses[failure.value]["headers"] = RETRY_AFTER
    return responses


def unauthorised(detail: str) -> Response[str]:
    return problem(HTTPStatus.UNAUTHORIZED, detail, headers={"WWW-Authenticate": 'Bearer realm="case-reviews"'})


def register(app: APIGatewayRestResolver) -> None:
    """Map every expected failure to its problem, and anything else to a 500 that says nothing of why."""

    @app.exception_handler(RequestValidationError)
    def _invalid_request(error: RequestValidationError) -> Response[str]:
        errors = [
            {"location": ".".join(str(part) for part in item.get("loc", ())), "message": item.get("msg", "invalid")}
            for item in error.errors()
        ]
        return problem(HTTPStatus.BAD_REQUEST, "The request is not valid; see errors.", errors)

    @app.exception_handler(DependencyResolutionError)
    def _dependency_failed(error: DependencyResolutionError) -> Response[str]:
        if isinstance(error.__cause__, Unauthorised):
            return unauthorised(str(error.__cause__))
        raise error

    @app.exception_handler(Unauthorised)
    def _not_authorised(error: Unauthorised) -> Response[str]:
        return unauthorised(str(error))

    @app.exception_handler(NotFound)
    def _not_found(error: NotFound) -> Response[str]:
        return problem(HTTPStatus.NOT_FOUND, str(error))

    @app.exception_handler(CopyRemoved)
    def _gone(error: CopyRemoved) -> Response[str]:
        return problem(HTTPStatus.GONE, str(error))

    @app.exception_handler(InvalidRequest)
    def _breaks_a_rule(error: InvalidRequest) -> Response[str]:
        return problem(HTTPStatus.BAD_REQUEST, str(error), [{"location": error.location, "message": str(error)}])

    @app.exception_handler(RateLimited)
    def _too_many(error: RateLimited) -> Response[str]:
        return problem(
            HTTPStatus.TOO_MANY_REQUESTS, str(error), headers={"Retry-After": str(max(1, error.retry_after_seconds))}
        )

    @app.exception_handler(ServiceUnavailable)
    def _unavailable(error: ServiceUnavailable) -> Response[str]:
        # Said at once rather than after a gateway timeout, with when to try again.
        return problem(
            HTTPStatus.SERVICE_UNAVAILABLE, str(error), headers={"Retry-After": str(error.retry_after_seconds)}
        )

    @app.exception_handler(RequestUnsupportedContentType)
    def _not_json(error: RequestUnsupportedContentType) -> Response[str]:
        return problem(
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE, "Send the body as JSON, with 'Content-Type: application/json'."
        )

    @app.exception_handler(UnicodeDecodeError)
    def _not_text(error: UnicodeDecodeError) -> Response[str]:
        return problem(HTTPStatus.BAD_REQUEST, "The body is not UTF-8 text; send JSON encoded as UTF-8.")

    @app.exception_handler(RecursionError)
    def _nested_too_deeply(error: RecursionError) -> Response[str]:
        # Only parsing a hostile body recurses this deep; no request the API accepts nests more than a few levels.
        return problem(HTTPStatus.BAD_REQUEST, "The JSON body is nested too deeply.")

    @app.exception_handler(Exception)
    def _unexpected(error: Exception) -> Response[str]:
        logger.exception("Unhandled error")
        return problem(HTTPStatus.INTERNAL_SERVER_ERROR, "Something went wrong on our side; please try again later.")
