"""Which of two representations a request's Accept header prefers (RFC 9110 §12.5.1), for the routes that
send a browser to a page: the media ranges' weights, the most specific range deciding for each type."""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import Response
from pydantic import BaseModel

# A media range's weight parameter: 0 to 1, with at most three decimals.
_WEIGHT = re.compile(r"^q=([01](?:\.\d{0,3})?)$", re.IGNORECASE)


def _ranges(accept: str) -> list[tuple[str, str, float]]:
    """Each media range as (type, subtype, weight); a range with a weight that is not one is left out."""
    ranges: list[tuple[str, str, float]] = []
    for item in accept.split(","):
        media, *parameters = (part.strip() for part in item.split(";"))
        if media.count("/") != 1:
            continue
        kind, subtype = media.lower().split("/")
        weight = 1.0
        for parameter in parameters:
            if parameter.lower().startswith("q="):
                matched = _WEIGHT.match(parameter.replace(" ", ""))
                weight = float(matched.group(1)) if matched else -1.0
        if 0 <= weight <= 1:
            ranges.append((kind, subtype, weight))
    return ranges


def weight_of(media_type: str, accept: str) -> float:
    """How much the header accepts `media_type` (0 to 1): the weight of its most specific matching range
    (type/subtype, then type/*, then */*), 0 when none matches."""
    kind, subtype = media_type.lower().split("/")
    best: tuple[int, float] = (-1, 0.0)
    for range_kind, range_subtype, weight in _ranges(accept):
        if (range_kind, range_subtype) == (kind, subtype):
            specificity = 2
        elif (range_kind, range_subtype) == (kind, "*"):
            specificity = 1
        elif (range_kind, range_subtype) == ("*", "*"):
            specificity = 0
        else:
            continue
        if specificity > best[0]:
            best = (specificity, weight)
    return best[1]


def prefers_html(accept: str | None) -> bool:
    """Whether the header puts text/html above application/json: a browser's does (text/html, then */* at
    q=0.8); no header, */* or a tie keeps JSON, the API's own answer."""
    if not accept:
        return False
    return weight_of("text/html", accept) > weight_of("application/json", accept)


# A route that answers a browser with a redirect and anything else with JSON: caches must key on Accept.
VARY_ACCEPT = {"Vary": "Accept"}
# How the OpenAPI document describes that header.
VARY_DESCRIPTION = "Accept: the answer depends on it"


def json_varying_with_accept(view: BaseModel) -> Response[Any]:
    """200 with the view as JSON, from a route that sends a browser to a page instead (`see_page`)."""
    return Response(
        status_code=HTTPStatus.OK.value,
        content_type="application/json",
        body=view.model_dump(mode="json"),
        headers=VARY_ACCEPT,
    )


def see_page(page: str) -> Response[None]:
    """303 See Other to the site's page for what was asked (a browser asked for it)."""
    return Response(status_code=HTTPStatus.SEE_OTHER.value, headers={"Location": page, **VARY_ACCEPT})


def see_page_documented(description: str) -> dict[int, dict[str, Any]]:
    """The OpenAPI document's answer of `see_page`, described."""
    return {
        HTTPStatus.SEE_OTHER.value: {
            "description": description,
            "headers": {
                "Location": {"description": "The page", "schema": {"type": "string"}},
                "Vary": {"description": VARY_DESCRIPTION, "schema": {"type": "string"}},
            },
        }
    }
