"""Operations: whether the parts answer, and what crawlers are told (to keep out)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from pydantic import BaseModel

from case_reviews import bootstrap
from case_reviews.api.problems import documented, problem

router = Router()
# Nothing here is for crawlers, and there is no sitemap.
ROBOTS_TXT = "User-agent: *\nDisallow: /\n"


class Health(BaseModel):
    status: str
    components: dict[str, str]


@router.get(
    "/robots.txt",
    tags=["Operations"],
    summary="Tells crawlers to keep out (there is no sitemap)",
    responses={200: {"description": "Disallows everything", "content": {"text/plain": {"schema": {"type": "string"}}}}},
)
def robots_txt() -> Response[str]:
    return Response(status_code=HTTPStatus.OK.value, content_type="text/plain; charset=utf-8", body=ROBOTS_TXT)


@router.get(
    "/health",
    tags=["Operations"],
    summary="Whether the catalogue and the search index answer",
    responses=documented(HTTPStatus.OK, "Every component answers", Health, HTTPStatus.SERVICE_UNAVAILABLE),
)
def health() -> Response[Any]:
    components = bootstrap.services().health.check()
    if not all(components.values()):
        failing = ", ".join(name for name, ok in components.items() if not ok)
        return problem(HTTPStatus.SERVICE_UNAVAILABLE, f"Not answering: {failing}.")
    return Response(
        status_code=HTTPStatus.OK.value,
        content_type="application/json",
        body={"status": "ok", "components": {name: "ok" for name in components}},
        headers={"Cache-Control": "no-store"},
    )
