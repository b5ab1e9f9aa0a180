"""The pages people read the catalogue with: the search home, the results with their facets, a record,
and the yearly lists. Each asks the same services as the JSON API and shows the API's views of them."""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from pydantic import ValidationError

from case_reviews import bootstrap
from case_reviews.api.models.cursors import decode_cursor
from case_reviews.api.models.records import record_view, search_item, search_response, year_view
from case_reviews.domain.errors import InvalidRequest, NotFound, ServiceUnavailable
from case_reviews.domain.headings import FACET_HEADINGS
from case_reviews.domain.rules import FIRST_LISTED_YEAR
from case_reviews.domain.search import SearchHit
from case_reviews.site.context import SiteContext
from case_reviews.site.pages import Pages
from case_reviews.site.query_forms import SearchForm, query_errors, repeatable

PAGE_SIZE = 20
LATEST_SHOWN = 5
_YEAR = re.compile(r"^\d{4}$")


def register(app: APIGatewayRestResolver, site: SiteContext) -> None:
    """Add the search home, the results, the record and the yearly list pages to the site's resolver."""
    pages = site.pages

    @app.get("/", cors=False)
    def home() -> Response[str]:
        latest = bootstrap.services().search.latest_additions(LATEST_SHOWN)
        items = [search_item(SearchHit.model_validate({**dict(record), "highlights": ()})) for record in latest]
        return pages.render("home.html", latest=items, years=site.listed_years())

    @app.get("/search", cors=False)
    def search() -> Response[str]:
        errors: list[str] = []
        form = SearchForm()
        try:
            form = SearchForm.from_query(site.query())
            wanted = form.query(PAGE_SIZE)
            if form.cursor:
                wanted = wanted.model_copy(update={"search_after": decode_cursor(form.cursor, wanted)})
        except ValidationError as error:
            errors = query_errors(error)
        except (ValueError, InvalidRequest) as error:
            errors = [str(error)]
        if errors:
            return site.failure(
                HTTPStatus.BAD_REQUEST,
                "search.html",
                "The search is not valid; see errors.",
                [{"location": "query", "message": error} for error in errors],
                form=form,
                errors=errors,
                results=None,
                facets=[],
                filtered=False,
                next_url=None,
                exports={},
                alerts_url=None,
            )
        results = search_response(bootstrap.services().search.search(wanted), wanted)
        exports = {name: pages.url("/reviews", [*form.parameters(), ("format", name)]) for name in ("ris", "csv")}
        next_url = (
            pages.url("/search", [*form.parameters(), ("cursor", results.next_cursor)]) if results.next_cursor else None
        )
        return pages.render(
            "search.html",
            form=form,
            errors=[],
            results=results,
            facets=facet_filters(pages, form, results.facets),
            filtered=any(name not in ("q", "sort") for name, _ in form.parameters()),
            next_url=next_url,
            exports=exports,
            alerts_url=pages.url("/get-alerts", [("search", form.saved_search())]),
        )

    @app.get("/record/<reference>", cors=False)
    def record(reference: str) -> Response[str]:
        if len(reference) > 40:
            return site.not_found(f"There is no catalogue record {reference[:40]}….")
        try:
            found = bootstrap.services().search.record(reference)
        except NotFound:
            return site.not_found(f"There is no catalogue record {reference}.")
        try:
            similar = [search_item(hit) for hit in bootstrap.services().learning.similar(reference)]
        except ServiceUnavailable:
            similar = None  # the record is read from the table: it is shown while the index is away
        return pages.render("record.html", record=record_view(found, site.base_url()), similar=similar)

    @app.get("/published/<year>", cors=False)
    def published(year: str) -> Response[str]:
        if not _YEAR.fullmatch(year):
            return site.not_found("A yearly list is at /published/ and the year, such as /published/2016.")
        try:
            listing = bootstrap.services().search.published_in(int(year))
        except InvalidRequest:
            first, last = FIRST_LISTED_YEAR, bootstrap.services().clock.now().year
            return site.not_found(f"The yearly lists run from {first} to {last}.")
        return pages.render("year.html", listing=year_view(listing), years=site.listed_years())


def facet_filters(pages: Pages, form: SearchForm, facets: dict[str, Any]) -> list[dict[str, Any]]:
    """Each facet of the results (every one the API counts) as filter links, under its heading: a value's
    link adds it to the search (or takes it away when it is chosen already), with its count."""
    chosen = form.parameters()
    # A filter that takes one value (a year): choosing another replaces it.
    single_valued = {name for name in FACET_HEADINGS if name not in repeatable(SearchForm)}
    filters = []
    for name, heading in FACET_HEADINGS.items():
        options = []
        for bucket in facets.get(name, []):
            pair = (name, bucket.value)
            selected = pair in chosen
            if selected:
                pairs = [given for given in chosen if given != pair]
            elif name in single_valued:
                pairs = [given for given in chosen if given[0] != name] + [pair]
            else:
                pairs = [*chosen, pair]
            options.append(
                {
                    "label": bucket.label,
                    "count": bucket.count,
                    "selected": selected,
                    "href": pages.url("/search", pairs),
                }
            )
        if options:
            filters.append({"name": name, "heading": heading, "options": options})
    return filters
