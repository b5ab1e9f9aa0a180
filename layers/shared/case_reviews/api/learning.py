"""Following the learning: similar records, statistics and the feed of new records (exports: api/search.py)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated, Any
from urllib.parse import urlencode

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from case_reviews import bootstrap
from case_reviews.api.links import public_base_url
from case_reviews.api.models.learning import SimilarView, StatisticsView, similar_view, statistics_view
from case_reviews.api.negotiation import (
    VARY_DESCRIPTION,
    json_varying_with_accept,
    prefers_html,
    see_page,
    see_page_documented,
)
from case_reviews.api.problems import documented
from case_reviews.domain.feeds import FEED_LENGTH, MEDIA_TYPE
from case_reviews.domain.fields import Theme
from case_reviews.domain.rules import EARLIEST_PUBLICATION, LATEST_YEAR
from case_reviews.domain.statistics import StatisticsQuery
from case_reviews.domain.vocabulary import Nation, ReviewType

router = Router()
FIRST_YEAR, LAST_YEAR = EARLIEST_PUBLICATION.year, LATEST_YEAR


@router.get(
    "/reviews/<reference>/similar",
    tags=["Search"],
    summary="Records like this one",
    responses=documented(
        HTTPStatus.OK,
        "Up to 10 records like it (never itself, never the full text)",
        SimilarView,
        HTTPStatus.BAD_REQUEST,
        HTTPStatus.NOT_FOUND,
    ),
)
def similar_reviews(reference: Annotated[str, Path(min_length=1, max_length=40)]) -> SimilarView:
    return similar_view(reference, bootstrap.services().learning.similar(reference))


@router.get(
    "/statistics",
    tags=["Search"],
    summary="Counts of the catalogue by year, nation, review type and theme",
    description=(
        "A client whose Accept header prefers text/html to application/json (a browser) is sent to the "
        "statistics page, /charts, with the same query (303); no Accept, */* or application/json: the counts."
    ),
    responses={
        **documented(
            HTTPStatus.OK,
            "The counts, with labels",
            StatisticsView,
            HTTPStatus.BAD_REQUEST,
            headers={"Vary": VARY_DESCRIPTION},
        ),
        **see_page_documented("For a browser: the statistics page, /charts, with the same query"),
    },
)
def statistics(
    from_year: Annotated[
        int | None, Query(ge=FIRST_YEAR, le=LAST_YEAR, description="Published in this year or later")
    ] = None,
    to_year: Annotated[
        int | None, Query(ge=FIRST_YEAR, le=LAST_YEAR, description="Published in this year or earlier")
    ] = None,
    nation: Annotated[list[Nation] | None, Query()] = None,
    review_type: Annotated[list[ReviewType] | None, Query()] = None,
    theme: Annotated[list[Theme] | None, Query(description="A theme's id or any of its labels (GET /themes)")] = None,
) -> Response[Any]:
    event = router.current_event
    if prefers_html(event.headers.get("accept")):
        given = event.multi_value_query_string_parameters or {}
        page = f"{public_base_url(event)}/charts" + (f"?{urlencode(given, doseq=True)}" if given else "")
        return see_page(page)
    query = StatisticsQuery(
        from_year=from_year,
        to_year=to_year,
        nations=tuple(nation or ()),
        review_types=tuple(review_type or ()),
        themes=tuple(theme or ()),
    )
    return json_varying_with_accept(statistics_view(bootstrap.services().learning.statistics(query)))


@router.get(
    "/feeds/new.atom",
    tags=["Search"],
    summary=f"An Atom feed of the last {FEED_LENGTH} records added",
    responses={
        **documented(HTTPStatus.OK, "", None),
        200: {
            "description": "The Atom feed: catalogue metadata and links, never the file",
            "content": {MEDIA_TYPE.split(";")[0]: {"schema": {"type": "string"}}},
        },
    },
)
def new_records_feed() -> Response[str]:
    feed = bootstrap.services().learning.feed(public_base_url(router.current_event))
    return Response(status_code=HTTPStatus.OK.value, content_type=MEDIA_TYPE, body=feed)
