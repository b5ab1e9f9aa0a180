"""The site's resolver: the pages people use to search, read, browse the yearly lists and deposit.

Each route calls the same services as the JSON API (never the API over HTTP) and renders its page with
the API's own views of the results (`api/models/`), so a page shows what the API answers. The site
function builds the resolver once per container and hands each request to the API's `handle`, which
adds what every answer carries (X-Robots-Tag; the frame and content policies of an HTML page).
"""

from __future__ import annotations

import re
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError
from pydantic import ValidationError

from case_reviews import bootstrap
from case_reviews.api.links import client_address
from case_reviews.api.models.cursors import decode_cursor
from case_reviews.api.models.learning import statistics_view
from case_reviews.api.models.records import record_view, search_item, search_response, year_view
from case_reviews.api.problems import problem
from case_reviews.api.search import saved_search
from case_reviews.domain.alerts import AlertKind, describe_search
from case_reviews.domain.boards import Board
from case_reviews.domain.errors import InvalidRequest, NotFound, RateLimited, ServiceUnavailable, Unauthorised
from case_reviews.domain.rules import FIRST_LISTED_YEAR
from case_reviews.domain.search import SearchHit
from case_reviews.observability import logger
from case_reviews.site.charts import bar_chart
from case_reviews.site.forms import (
    ALERT_LABELS,
    LABELS,
    FieldError,
    SearchForm,
    StatisticsForm,
    error_of_request,
    form_values,
    in_page_order,
    read_alert_signup,
    read_deposit,
    search_errors,
)
from case_reviews.site.pages import STATIC_TYPES, Pages, asset_version, origin_of, static_file, status_words

PAGE_SIZE = 20
LATEST_SHOWN = 5
# The facets the results page offers as filters, with their headings, in this order.
FACETS = {
    "nation": "Nation",
    "review_type": "Review type",
    "document_type": "Document type",
    "theme": "Theme",
    "year": "Year published",
    "has_copy": "Electronic copy",
}
# The statistics page's charts, with their headings, in this order.
STATISTICS_CHARTS = {
    "by_year": "By year published",
    "by_nation": "By nation",
    "by_review_type": "By review type",
    "by_theme": "By theme",
}
# Filters that take one value: choosing another replaces it.
_SINGLE_VALUED = {"year", "has_copy"}
_SUBMISSION_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
_YEAR = re.compile(r"^\d{4}$")
# Static files named with their digest do not change: a browser may keep them for a year.
_IMMUTABLE = "public, max-age=31536000, immutable"


def build_site() -> APIGatewayRestResolver:
    """The resolver with every page of the site."""
    # Only the status page is readable from another origin (see deposit_status); Powertools answers the
    # browser's preflight for it.
    app = APIGatewayRestResolver(cors=CORSConfig(allow_origin="*", max_age=600, allow_credentials=False))

    def base_url() -> str:
        """Where the pages are: the configured public base URL, else this request's host and stage."""
        configured = bootstrap.services().settings.site.public_base_url
        if configured is not None:
            return str(configured).rstrip("/")
        event = app.current_event
        context = event.request_context
        # The request's path as the client sent it, less the path the resource was matched on: its stage.
        stage = context.path[: len(context.path) - len(event.path)] if context.path.endswith(event.path) else ""
        return f"https://{context.domain_name}{stage.rstrip('/')}"

    pages = Pages(base_url, lambda: bootstrap.services().clock.now().year)

    def query() -> dict[str, list[str]]:
        return dict(app.current_event.multi_value_query_string_parameters or {})

    def listed_years() -> list[int]:
        return list(range(bootstrap.services().clock.now().year, FIRST_LISTED_YEAR - 1, -1))

    def for_a_program() -> bool:
        """A client that does not ask for HTML (a script, curl) gets the API's problem answers instead of
        pages: every browser asks for text/html."""
        accepted = app.current_event.headers.get("accept") or app.current_event.headers.get("Accept") or ""
        return "text/html" not in accepted

    def failure(
        status: HTTPStatus, template: str, detail: str, problems: list[dict[str, str]] | None = None, **values: Any
    ) -> Response[str]:
        """A page that says what went wrong (status 4xx/5xx), or for a program the same as a problem."""
        if for_a_program():
            return problem(status, detail, problems)
        return pages.render(template, status, **values)

    def not_found(message: str) -> Response[str]:
        return failure(HTTPStatus.NOT_FOUND, "error.html", message, heading="Page not found", message=message)

    @app.get("/", cors=False)
    def home() -> Response[str]:
        latest = bootstrap.services().search.latest_additions(LATEST_SHOWN)
        items = [search_item(SearchHit.model_validate({**dict(record), "highlights": ()})) for record in latest]
        return pages.render("home.html", latest=items, years=listed_years())

    @app.get("/search", cors=False)
    def search() -> Response[str]:
        errors: list[str] = []
        form = SearchForm()
        try:
            form = SearchForm.from_query(query())
            wanted = form.query(PAGE_SIZE)
            if form.cursor:
                wanted = wanted.model_copy(update={"search_after": decode_cursor(form.cursor, wanted)})
        except ValidationError as error:
            errors = search_errors(error)
        except (ValueError, InvalidRequest) as error:
            errors = [str(error)]
        if errors:
            return failure(
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
            return not_found(f"There is no catalogue record {reference[:40]}….")
        try:
            found = bootstrap.services().search.record(reference)
        except NotFound:
            return not_found(f"There is no catalogue record {reference}.")
        try:
            similar = [search_item(hit) for hit in bootstrap.services().learning.similar(reference)]
        except ServiceUnavailable:
            similar = None  # the record is read from the table: it is shown while the index is away
        return pages.render("record.html", record=record_view(found, base_url()), similar=similar)

    @app.get("/charts", cors=False)
    def statistics() -> Response[str]:
        errors: list[str] = []
        form = StatisticsForm()
        try:
            form = StatisticsForm.from_query(query())
            wanted = form.query()
        except ValidationError as error:
            errors = search_errors(error)
        except InvalidRequest as error:
            errors = [str(error)]
        if errors:
            return failure(
                HTTPStatus.BAD_REQUEST,
                "statistics.html",
                "The filters are not valid; see errors.",
                [{"location": "query", "message": error} for error in errors],
                form=form,
                errors=errors,
                statistics=None,
                charts=[],
                years=listed_years(),
            )
        counted = statistics_view(bootstrap.services().learning.statistics(wanted))
        charts = [
            {"id": name, "heading": heading, "chart": bar_chart(getattr(counted, name))}
            for name, heading in STATISTICS_CHARTS.items()
        ]
        return pages.render(
            "statistics.html", form=form, errors=[], statistics=counted, charts=charts, years=listed_years()
        )

    @app.get("/get-alerts", cors=False)
    def alert_form() -> Response[str]:
        search = query().get("search", [""])[-1]
        values = {"email": "", "kind": "search" if search else "digest", "search": search}
        return alert_page(values, [])

    @app.post("/get-alerts", cors=False)
    def alert_signup() -> Response[str]:
        form = parse_qs(app.current_event.decoded_body or "", keep_blank_values=True, max_num_fields=20)
        attempt = read_alert_signup(form)
        errors = list(attempt.errors)
        request = attempt.request
        if request is not None:
            signups = bootstrap.services().alert_signup
            try:
                kind, search, saved = AlertKind.DIGEST, None, None
                if request.search is not None:
                    kind = AlertKind.SEARCH
                    search, saved = saved_search(request.search)
                signups.check_rate(request.email, client_address(app.current_event))
            except InvalidRequest as error:
                errors.append(FieldError("kind", str(error)))
            except RateLimited as error:
                return failure(
                    HTTPStatus.TOO_MANY_REQUESTS,
                    "error.html",
                    str(error),
                    heading="Too many sign-ups",
                    message=f"{error} You can try again in {max(error.retry_after_seconds // 60, 1)} minutes.",
                )
            else:
                signups.sign_up(request.email, kind, search, saved, base_url())
                # The same page whatever the address already has: it tells nobody who is subscribed.
                return pages.render("alert_sent.html", cache="no-store")
        return failure(
            HTTPStatus.BAD_REQUEST,
            "alerts.html",
            "The sign-up is not valid; see errors.",
            [{"location": f"body.{error.field}", "message": error.message} for error in errors],
            values=attempt.values,
            errors=errors,
            labels=ALERT_LABELS,
            described=described_search(attempt.values["search"]),
            cache="no-store",
        )

    def alert_page(values: dict[str, str], errors: list[FieldError]) -> Response[str]:
        return pages.render(
            "alerts.html",
            values=values,
            errors=errors,
            labels=ALERT_LABELS,
            described=described_search(values["search"]),
            cache="no-store",
        )

    @app.get("/published/<year>", cors=False)
    def published(year: str) -> Response[str]:
        if not _YEAR.fullmatch(year):
            return not_found("A yearly list is at /published/ and the year, such as /published/2016.")
        try:
            listing = bootstrap.services().search.published_in(int(year))
        except InvalidRequest:
            first, last = FIRST_LISTED_YEAR, bootstrap.services().clock.now().year
            return not_found(f"The yearly lists run from {first} to {last}.")
        return pages.render("year.html", listing=year_view(listing), years=listed_years())

    @app.get("/deposit", cors=False)
    def deposit_form() -> Response[str]:
        values = form_values({name: values[-1:] for name, values in query().items() if name == "nation"})
        return pages.render("deposit.html", values=values, errors=[], labels=LABELS, cache="no-store")

    @app.post("/deposit", cors=False)
    def deposit() -> Response[str]:
        services = bootstrap.services()
        form = parse_qs(app.current_event.decoded_body or "", keep_blank_values=True, max_num_fields=100)
        attempt = read_deposit(form, services.clock.now())
        errors = list(attempt.errors)
        board: Board | None = None
        if attempt.board_key:
            try:
                board = services.boards.authenticate(f"Bearer {attempt.board_key}")
            except Unauthorised:
                errors.append(
                    FieldError("board_key", "This board key is not valid: check it, or ask the library for a new one")
                )
        if not errors and board is not None and attempt.metadata is not None:
            try:
                opened = services.submissions.open(
                    board, attempt.metadata, return_to=lambda submission_id: f"{base_url()}/deposit/{submission_id}"
                )
            except InvalidRequest as error:
                errors.append(error_of_request(error))
            else:
                return pages.render(
                    "upload.html",
                    upload_to=origin_of(opened.upload.url),
                    cache="no-store",
                    submission=opened.submission,
                    upload=opened.upload,
                    status_url=pages.url(f"/deposit/{opened.submission.submission_id}"),
                )
        values = attempt.values
        if board is None:
            values = {**values, "board_key": ""}  # a key that did not open is not shown again
        listed = in_page_order(errors)
        return failure(
            HTTPStatus.BAD_REQUEST,
            "deposit.html",
            "The deposit is not valid; see errors.",
            [{"location": f"body.{error.field}", "message": error.message} for error in listed],
            values=values,
            errors=listed,
            labels=LABELS,
            cache="no-store",
        )

    # The upload page's script posts to S3, whose redirect brings it here from S3's origin (Origin: null):
    # it may read that the upload arrived. The page holds nothing its address does not already give.
    @app.get("/deposit/<submission_id>", cors=True)
    def deposit_status(submission_id: str) -> Response[str]:
        if not _SUBMISSION_ID.fullmatch(submission_id):
            return not_found("There is no deposit at this address.")
        try:
            submission = bootstrap.services().submissions.status(submission_id)
        except NotFound:
            return not_found("There is no deposit at this address.")
        # S3 sends the browser back here with the key it stored the file at.
        arrived = query().get("key", [""])[-1] == submission.upload_key
        return pages.render(
            "status.html",
            cache="no-store",
            submission=submission,
            words=status_words(submission, arrived),
            refresh_url=pages.url(f"/deposit/{submission_id}"),
        )

    @app.get("/static/<name>", cors=False)
    def static(name: str) -> Response[str]:
        content = static_file(name)
        if content is None:
            return not_found("There is no such file.")
        version = query().get("v", [""])[-1]
        return Response(
            status_code=HTTPStatus.OK.value,
            content_type=STATIC_TYPES[name[name.rindex(".") :]],
            body=content.decode("utf-8"),
            headers={
                "Cache-Control": _IMMUTABLE if version == asset_version(name) else "no-cache",
                "X-Content-Type-Options": "nosniff",
            },
        )

    @app.not_found
    def no_page(error: NotFoundError) -> Response[str]:
        return not_found("There is no page at this address.")

    @app.exception_handler(Exception)
    def unexpected(error: Exception) -> Response[str]:
        logger.exception("Unhandled error")
        return failure(
            HTTPStatus.INTERNAL_SERVER_ERROR,
            "error.html",
            "Something went wrong on our side; please try again later.",
            heading="Sorry, there is a problem with the service",
            message="Something went wrong on our side. Try again later.",
        )

    return app


def described_search(search: str) -> str | None:
    """A saved search in words, for the sign-up form (None when there is none, or it is not a search)."""
    if not search:
        return None
    try:
        return describe_search(saved_search(search)[1])
    except InvalidRequest:
        return None


def facet_filters(pages: Pages, form: SearchForm, facets: dict[str, Any]) -> list[dict[str, Any]]:
    """Each facet of the results as filter links: a value's link adds it to the search (or takes it away
    when it is chosen already), with its count."""
    chosen = form.parameters()
    filters = []
    for name, heading in FACETS.items():
        options = []
        for bucket in facets.get(name, []):
            pair = (name, bucket.value)
            selected = pair in chosen
            if selected:
                pairs = [given for given in chosen if given != pair]
            elif name in _SINGLE_VALUED:
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
