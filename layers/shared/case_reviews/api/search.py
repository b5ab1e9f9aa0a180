"""The public search API: search, records, yearly lists and download links."""

from __future__ import annotations

import inspect
from collections.abc import Collection, Mapping
from functools import cache
from http import HTTPStatus
from typing import TYPE_CHECKING, Annotated, Any, get_args, get_origin, get_type_hints
from urllib.parse import parse_qsl, quote, urlencode

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from pydantic import BaseModel, ConfigDict, ValidationError, create_model

from case_reviews import bootstrap
from case_reviews.api.links import public_base_url
from case_reviews.api.models.common import PartialDate
from case_reviews.api.models.cursors import decode_cursor
from case_reviews.api.models.records import (
    RecordView,
    SearchResponse,
    ThemeList,
    YearView,
    record_view,
    search_response,
    theme_list,
    year_view,
)
from case_reviews.api.negotiation import (
    VARY_DESCRIPTION,
    json_varying_with_accept,
    prefers_html,
    see_page,
    see_page_documented,
)
from case_reviews.api.problems import documented
from case_reviews.domain.dates import PublicationDate
from case_reviews.domain.errors import InvalidRequest
from case_reviews.domain.exports import MAX_EXPORT_RECORDS, MEDIA_TYPES, ExportFormat, record_page_link
from case_reviews.domain.fields import Theme
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

if TYPE_CHECKING:
    from case_reviews.services.learning import Export


def with_exports(responses: dict[int, dict[str, Any]]) -> dict[int, dict[str, Any]]:
    """A route's responses with its 200 also answered as a RIS or CSV file (?format=ris|csv)."""
    answer = responses[HTTPStatus.OK.value]
    answer["content"] = {**answer["content"], **EXPORT_CONTENT}
    answer["headers"] = {**answer.get("headers", {}), **EXPORT_HEADERS}
    return responses


router = Router()
Reference = Annotated[str, Path(min_length=1, max_length=40)]
FORMAT_DESCRIPTION = (
    f"json (default): one page of results; ris or csv: the search's first {MAX_EXPORT_RECORDS:,} results as a "
    "file (cursor and page_size do not apply)"
)
# An export's answer: the file, with the name to save it under.
EXPORT_CONTENT = {media_type.split(";")[0]: {"schema": {"type": "string"}} for media_type in MEDIA_TYPES.values()}
EXPORT_HEADERS = {
    "Content-Disposition": {"description": "attachment, with the file's name", "schema": {"type": "string"}},
    "X-Total-Count": {"description": "How many records the search matched", "schema": {"type": "integer"}},
    "X-Export-Count": {"description": "How many of them the file holds", "schema": {"type": "integer"}},
}


@router.get(
    "/reviews",
    tags=["Search"],
    summary="Search the catalogue",
    responses=with_exports(
        documented(
            HTTPStatus.OK,
            "One page of results, with facets",
            SearchResponse,
            HTTPStatus.BAD_REQUEST,
            HTTPStatus.SERVICE_UNAVAILABLE,
        )
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
    format: Annotated[ExportFormat, Query(description=FORMAT_DESCRIPTION)] = ExportFormat.JSON,
) -> Response[Any]:
    query = search_query(locals())
    if format is not ExportFormat.JSON:
        services = bootstrap.services()
        return export_response(services.learning.search_export(query, format, public_base_url(router.current_event)))
    if cursor:
        query = query.model_copy(update={"search_after": decode_cursor(cursor, query)})
    return Response(
        status_code=HTTPStatus.OK.value,
        content_type="application/json",
        body=search_response(bootstrap.services().search.search(query), query).model_dump(mode="json"),
    )


def search_query(parameters: Mapping[str, Any]) -> SearchQuery:
    """The search GET /reviews' parameters ask for, once each is valid: a year, from and to are periods
    that narrow each other. The one reading of them: saved searches and the site's pages use it too."""
    from_, to, year, q = (parameters.get(name) for name in ("from_", "to", "year", "q"))
    published_from = PublicationDate.parse(from_).value if from_ else None
    published_to = PublicationDate.parse(to).last_day() if to else None
    if published_from and published_to and published_from > published_to:
        raise InvalidRequest(f"'from' ({from_}) is after 'to' ({to}).", location="query.from")
    if year is not None:
        published_from = max(filter(None, [published_from, PublicationDate.parse(str(year)).value]))
        published_to = min(filter(None, [published_to, PublicationDate.parse(str(year)).last_day()]))
    listed = {name: tuple(parameters.get(name) or ()) for name in _LISTS}
    return SearchQuery(
        text=q.strip() if q and q.strip() else None,
        published_from=published_from,
        published_to=published_to,
        **{field: listed[name] for name, field in _LISTS.items()},
        board=parameters.get("board"),
        has_copy=parameters.get("has_copy"),
        sort=parameters.get("sort") or SortOrder.RELEVANCE,
        page_size=parameters.get("page_size") or 20,
    )


# The repeatable parameters of GET /reviews and the query's field each fills.
_LISTS = {
    "nation": "nations",
    "review_type": "review_types",
    "document_type": "document_types",
    "theme": "themes",
    "outcome": "outcomes",
    "age_band": "age_bands",
    "review_model": "review_models",
    "region": "regions",
    "language": "languages",
}
# What a page of results adds to a search without changing what it finds: not part of a saved search.
_PAGING = ("cursor", "page_size", "sort", "format")


def search_parameters(leaving_out: Collection[str] = ()) -> dict[str, tuple[Any, Any]]:
    """GET /reviews' parameters as pydantic fields (each type with its limits, and its default), from the
    route's own signature: the one list of them, for every model that reads a search from a query string
    (saved searches here, the site's search page)."""
    hints = get_type_hints(search_reviews, include_extras=True)
    return {
        name: (hints[name], parameter.default)
        for name, parameter in inspect.signature(search_reviews).parameters.items()
        if name not in leaving_out
    }


@cache
def _saved_search_model() -> type[BaseModel]:
    """GET /reviews' parameters as one model, for reading a search given as a query string."""
    fields: dict[str, Any] = search_parameters(leaving_out=_PAGING)
    return create_model("SavedSearchParameters", __config__=ConfigDict(extra="forbid"), **fields)


def saved_search(text: str, location: str = "body.search") -> tuple[str, SearchQuery]:
    """A /search page's query string (`q=neglect&theme=Neglect`) read as GET /reviews reads its parameters:
    the same names, values and limits. Blank values are left out (as a form leaves an empty field), and so
    are paging and format, which do not change what a search finds. Returns the query string as kept (the
    parameters given, in their order) and the search; InvalidRequest at `location` naming what is wrong."""
    pairs = [(name, value) for name, value in parse_qsl(text.lstrip("?"), max_num_fields=200) if value.strip()]
    kept = [(name, value) for name, value in pairs if name not in _PAGING]
    model = _saved_search_model()
    values: dict[str, Any] = {}
    for name, value in kept:
        field = next((f for f, info in model.model_fields.items() if (info.alias or f) == name), name)
        info = model.model_fields.get(field)
        if info is not None and _repeatable(info.annotation):
            values.setdefault(name, []).append(value)
        elif name in values:
            raise InvalidRequest(f"The search gives '{name}' more than once.", location=location)
        else:
            values[name] = value
    try:
        parameters = model.model_validate(values)
    except ValidationError as error:
        problems = "; ".join(
            f"'{'.'.join(str(part) for part in item['loc'])}': "
            + ("not a search parameter" if item["type"] == "extra_forbidden" else item["msg"])
            for item in error.errors()
        )
        raise InvalidRequest(f"The search is not valid: {problems}.", location=location) from error
    try:
        query = search_query(dict(parameters))
    except InvalidRequest as error:
        raise InvalidRequest(f"The search is not valid: {error}", location=location) from error
    return urlencode(kept), query


def _repeatable(annotation: Any) -> bool:
    return any(get_origin(part) is list for part in (annotation, *get_args(annotation)))


def export_response(export: Export) -> Response[str]:
    """An export as a download: its type, and a file name for the browser to save it under."""
    return Response(
        status_code=HTTPStatus.OK.value,
        content_type=export.media_type,
        body=export.body,
        headers={
            "Content-Disposition": f'attachment; filename="{export.filename}"',
            "X-Total-Count": str(export.total),
            "X-Export-Count": str(export.records),
        },
    )


@router.get(
    "/reviews/<reference>",
    tags=["Search"],
    summary="A catalogue record",
    responses={
        **with_exports(
            documented(
                HTTPStatus.OK,
                "The catalogue record (never the full text), with its citation",
                RecordView,
                HTTPStatus.BAD_REQUEST,
                HTTPStatus.NOT_FOUND,
                headers={"Vary": VARY_DESCRIPTION},
            )
        ),
        **see_page_documented("For a browser (and no format asked for): the record's page on the site"),
    },
)
def get_review(
    reference: Reference,
    format: Annotated[ExportFormat, Query(description="json (default), or the record as a ris or csv file")] = (
        ExportFormat.JSON
    ),
) -> Response[Any]:
    services = bootstrap.services()
    event = router.current_event
    if format is not ExportFormat.JSON:
        return export_response(services.learning.record_export(reference, format, public_base_url(event)))
    # The record's permanent link (in citations, exports, the feed, emails) opened in a browser: its page.
    if prefers_html(event.headers.get("accept")):
        # Quoted: a reference is only limited in length, and must stay one path segment of the page's address.
        return see_page(record_page_link(public_base_url(event), quote(reference, safe="")))
    # The record first: an unknown reference is a 404 whatever else the request says.
    found = services.search.record(reference)
    return json_varying_with_accept(record_view(found, public_base_url(event)))


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
