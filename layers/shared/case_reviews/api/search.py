"""The public search API: search, records, yearly lists and download links."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query

from case_reviews import bootstrap
from case_reviews.api.models import (
    PartialDate,
    RecordView,
    SearchResponse,
    ThemeList,
    YearView,
    decode_cursor,
    record_view,
    search_response,
    theme_list,
    year_view,
)
from case_reviews.api.problems import documented
from case_reviews.domain.errors import InvalidRequest
from case_reviews.domain.models import PublicationDate, Theme
from case_reviews.domain.rules import EARLIEST_PUBLICATION, FIRST_LISTED_YEAR, LATEST_YEAR
from case_reviews.domain.search import MAX_SEARCH_TEXT_LENGTH, SearchQuery, SearchText, SortOrder
from case_reviews.domain.vocabulary import (
    AgeBand,
    DocumentType,
    Language,
    Nation,
    Outcome,
    Region,
    ReviewModel,
    ReviewType,
)

router = Router()
Reference = Annotated[str, Path(min_length=1, max_length=40)]


@router.get(
    "/reviews",
    tags=["Search"],
    summary="Search the catalogue",
    responses=documented(
        HTTPStatus.OK,
        "One page of results, with facets",
        SearchResponse,
        HTTPStatus.BAD_REQUEST,
        HTTPStatus.SERVICE_UNAVAILABLE,
    ),
)
def search_reviews(
    q: Annotated[SearchText | None, Query(max_length=MAX_SEARCH_TEXT_LENGTH)] = None,
    year: Annotated[int | None, Query(ge=EARLIEST_PUBLICATION.year, le=LATEST_YEAR)] = None,
    from_: Annotated[PartialDate | None, Query(alias="from", description="Published on or after")] = None,
    to: Annotated[PartialDate | None, Query(description="Published on or before")] = None,
    nation: Annotated[list[Nation] | None, Query()] = None,
    review_type: Annotated[list[ReviewType] | None, Query()] = None,
    document_type: Annotated[list[DocumentType] | None, Query()] = None,
    theme: Annotated[list[Theme] | None, Query(description="A theme's id or any of its labels (GET /themes)")] = None,
    outcome: Annotated[list[Outcome] | None, Query()] = None,
    age_band: Annotated[list[AgeBand] | None, Query()] = None,
    review_model: Annotated[list[ReviewModel] | None, Query()] = None,
    region: Annotated[list[Region] | None, Query()] = None,
    language: Annotated[list[Language] | None, Query()] = None,
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
        themes=tuple(theme or ()),
        outcomes=tuple(outcome or ()),
        age_bands=tuple(age_band or ()),
        review_models=tuple(review_model or ()),
        regions=tuple(region or ()),
        languages=tuple(language or ()),
        board=board,
        has_copy=has_copy,
        sort=sort,
        page_size=page_size,
    )
    if cursor:
        query = query.model_copy(update={"search_after": decode_cursor(cursor, query)})
    return search_response(bootstrap.services().search.search(query), query)


@router.get(
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
def get_review(reference: Reference) -> RecordView:
    return record_view(bootstrap.services().search.record(reference))


@router.get(
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
def download_review(reference: Reference) -> Response[None]:
    link = bootstrap.services().search.download_link(reference)
    return Response(status_code=HTTPStatus.FOUND.value, headers={"Location": link, "Cache-Control": "no-store"})


@router.get(
    "/years/<year>",
    tags=["Search"],
    summary="Everything published in a year, in date order",
    responses=documented(
        HTTPStatus.OK,
        "The year's list, with totals by review type",
        YearView,
        HTTPStatus.BAD_REQUEST,
        HTTPStatus.SERVICE_UNAVAILABLE,
    ),
)
def list_year(
    year: Annotated[
        int, Path(ge=FIRST_LISTED_YEAR, le=LATEST_YEAR, description=f"From {FIRST_LISTED_YEAR} to the current year")
    ],
) -> YearView:
    return year_view(bootstrap.services().search.published_in(year))


@router.get(
    "/themes",
    tags=["Search"],
    summary="The theme vocabulary",
    responses=documented(HTTPStatus.OK, "Every theme: its id, its label and its alternative labels", ThemeList),
)
def list_themes() -> ThemeList:
    return theme_list()
