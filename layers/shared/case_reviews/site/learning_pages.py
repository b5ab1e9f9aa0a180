"""The pages for following the learning: the statistics as charts, and the sign-up for email alerts."""

from __future__ import annotations

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response
from pydantic import ValidationError

from case_reviews import bootstrap
from case_reviews.api.links import client_address
from case_reviews.api.models.learning import statistics_view
from case_reviews.api.search import saved_search
from case_reviews.domain.alerts import AlertKind, describe_search
from case_reviews.domain.errors import InvalidRequest, RateLimited
from case_reviews.site.alert_form import ALERT_LABELS, read_alert_signup
from case_reviews.site.charts import bar_chart
from case_reviews.site.context import SiteContext
from case_reviews.site.forms import FieldError
from case_reviews.site.query_forms import StatisticsForm, query_errors

# The statistics page's charts, with their headings, in this order.
STATISTICS_CHARTS = {
    "by_year": "By year published",
    "by_nation": "By nation",
    "by_review_type": "By review type",
    "by_theme": "By theme",
}


def register(app: APIGatewayRestResolver, site: SiteContext) -> None:
    """Add the statistics page and the alert sign-up pages to the site's resolver."""
    pages = site.pages

    @app.get("/charts", cors=False)
    def statistics() -> Response[str]:
        errors: list[str] = []
        form = StatisticsForm()
        try:
            form = StatisticsForm.from_query(site.query())
            wanted = form.query()
        except ValidationError as error:
            errors = query_errors(error)
        except InvalidRequest as error:
            errors = [str(error)]
        if errors:
            return site.failure(
                HTTPStatus.BAD_REQUEST,
                "statistics.html",
                "The filters are not valid; see errors.",
                [{"location": "query", "message": error} for error in errors],
                form=form,
                errors=errors,
                statistics=None,
                charts=[],
                years=site.listed_years(),
            )
        counted = statistics_view(bootstrap.services().learning.statistics(wanted))
        charts = [
            {"id": name, "heading": heading, "chart": bar_chart(getattr(counted, name))}
            for name, heading in STATISTICS_CHARTS.items()
        ]
        return pages.render(
            "statistics.html", form=form, errors=[], statistics=counted, charts=charts, years=site.listed_years()
        )

    @app.get("/get-alerts", cors=False)
    def alert_form() -> Response[str]:
        search = site.query().get("search", [""])[-1]
        values = {"email": "", "kind": "search" if search else "digest", "search": search}
        return alert_page(values, [])

    @app.post("/get-alerts", cors=False)
    def alert_signup() -> Response[str]:
        attempt = read_alert_signup(site.posted(max_fields=20))
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
                return site.failure(
                    HTTPStatus.TOO_MANY_REQUESTS,
                    "error.html",
                    str(error),
                    heading="Too many sign-ups",
                    message=f"{error} You can try again in {max(error.retry_after_seconds // 60, 1)} minutes.",
                )
            else:
                signups.sign_up(request.email, kind, search, saved, site.base_url())
                # The same page whatever the address already has: it tells nobody who is subscribed.
                return pages.render("alert_sent.html", cache="no-store")
        return site.failure(
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


def described_search(search: str) -> str | None:
    """A saved search in words, for the sign-up form (None when there is none, or it is not a search)."""
    if not search:
        return None
    try:
        return describe_search(saved_search(search)[1])
    except InvalidRequest:
        return None
