"""Operations: whether the parts answer, and what crawlers are told (to keep out)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any, Literal

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from pydantic import BaseModel, Field

from case_reviews import bootstrap
from case_reviews.api.models.common import Problem
from case_reviews.api.problems import PROBLEM_JSON, documented

router = Router()
# Nothing here is for crawlers, and there is no sitemap.
ROBOTS_TXT = "User-agent: *\nDisallow: /\n"


ComponentState = Literal["ok", "unavailable"]


class Health(BaseModel):
    status: Literal["ok"]
    components: dict[str, ComponentState]


class Degraded(Problem):
    """The 503 of /health: a problem that also says which component does not answer."""

    components: dict[str, ComponentState] = Field(
        description="Each component the API depends on (catalogue, search): ok or unavailable."
    )


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
    responses={
        **documented(HTTPStatus.OK, "Every component answers", Health),
        HTTPStatus.SERVICE_UNAVAILABLE.value: {
            "description": "Degraded: the components that do not answer are named (deposits need only the catalogue)",
            "content": {PROBLEM_JSON: {"model": Degraded}},
        },
    },
)
def health() -> Response[Any]:
    checked = bootstrap.services().health.check()
    components: dict[str, ComponentState] = {name: "ok" if ok else "unavailable" for name, ok in checked.items()}
    failing = [name for name, ok in checked.items() if not ok]
    if failing:
        answering = [name for name, ok in checked.items() if ok]
        body = Degraded(
            title=HTTPStatus.SERVICE_UNAVAILABLE.phrase,
            status=HTTPStatus.SERVICE_UNAVAILABLE.value,
            detail=f"Degraded: {', '.join(failing)} not answering"
            + (f"; {', '.join(answering)} answering." if answering else "."),
            components=components,
        )
        return Response(
            status_code=HTTPStatus.SERVICE_UNAVAILABLE.value,
            content_type=PROBLEM_JSON,
            body=body.model_dump_json(exclude_none=True),
            headers={"Cache-Control": "no-store"},
        )
    return Response(
        status_code=HTTPStatus.OK.value,
        content_type="application/json",
        body={"status": "ok", "components": components},
        headers={"Cache-Control": "no-store"},
    )
