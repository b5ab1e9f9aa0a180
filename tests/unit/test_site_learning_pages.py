"""The site's pages of the learning features: similar reviews, citation and exports on the record page,
export and alert links on the results, the statistics charts, and the alert sign-up form."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from case_reviews.adapters.clock import SetClock
from case_reviews.adapters.email import JinjaEmailRenderer
from case_reviews.domain.search import FacetCount, SearchHit
from case_reviews.domain.statistics import Statistics, StatisticsQuery
from case_reviews.services.alert_signup import AlertSignUp, SignUpLimits
from case_reviews.services.digest import SubscriptionService
from case_reviews.site.charts import LABEL_WIDTH, WIDTH, bar_chart
from tests.unit.factories import a_hit, a_record
from tests.unit.fakes import CountingRateLimiter, InMemoryAlertStore, InMemorySubscriberStore, RecordingMailer
from tests.unit.test_site_pages import HOSTILE_TITLE, Site, error_links
from tests.unit.test_site_pages import site as site

READER = "reader@example.org"


@dataclass
class FakeLearning:
    """The learning service's reads the pages make: similar records and counts, with what was asked."""

    similar_hits: list[SearchHit] = field(default_factory=list)
    counts: Statistics | None = None
    asked: list[StatisticsQuery] = field(default_factory=list)

    def similar(self, reference: str) -> tuple[SearchHit, ...]:
        return tuple(self.similar_hits)

    def statistics(self, query: StatisticsQuery) -> Statistics:
        self.asked.append(query)
        assert self.counts is not None
        return self.counts


def counts(*labels_and_counts: tuple[str, int]) -> tuple[FacetCount, ...]:
    return tuple(
        FacetCount(value=f"v{n}", count=count, label=text) for n, (text, count) in enumerate(labels_and_counts)
    )


@pytest.fixture
def learning(site: Site, clock: SetClock) -> FakeLearning:
    fake = FakeLearning()
    site.services.learning = fake
    mailer = RecordingMailer()
    site.services.mailer = mailer
    site.services.alert_signup = AlertSignUp(
        InMemoryAlertStore(),
        SubscriptionService(InMemorySubscriberStore(), clock),
        CountingRateLimiter(),
        mailer,
        JinjaEmailRenderer(),
        clock,
        SignUpLimits(),
    )
    return fake


# ---------------------------------------------------------------- the chart's geometry


def test_bars_are_in_proportion_to_their_counts_and_the_largest_fills_the_room() -> None:
    # Given counts of 10, 5 and 0
    chart = bar_chart(counts(("2014", 10), ("2015", 5), ("2016", 0)))
    # Then the largest bar takes the room beside the labels, the others in proportion, in the order given
    widths = [bar.width for bar in chart.bars]
    assert widths[0] == pytest.approx(WIDTH - LABEL_WIDTH - 60)
    assert widths[1] == pytest.approx(widths[0] / 2)
    assert widths[2] == 0
    assert [bar.label for bar in chart.bars] == ["2014", "2015", "2016"]
    # And each bar is below the one before
    assert chart.bars[0].y < chart.bars[1].y < chart.bars[2].y


def test_a_chart_of_nothing_but_zeros_has_no_bar_lengths_to_divide_by() -> None:
    assert [bar.width for bar in bar_chart(counts(("2014", 0))).bars] == [0]
    assert bar_chart(()).bars == ()


# ---------------------------------------------------------------- the record and results pages


def test_a_record_shows_similar_reviews_its_citation_and_export_links(site: Site, learning: FakeLearning) -> None:
    # Given a record and two records like it
    site.records.records["CR-2016-0001"] = a_record()
    learning.similar_hits = [a_hit(reference="CR-2017-0002", title="Like it"), a_hit(reference="CR-2018-0003")]
    # When its page is opened
    page = site.get("/record/CR-2016-0001")
    body = page["body"]
    # Then it lists them under "Similar reviews", each linking to its record page
    assert page["status"] == 200
    similar = body[body.index('id="similar-title"') :]
    assert re.findall(r'href="/v1/record/(CR-[0-9-]+)"', similar) == ["CR-2017-0002", "CR-2018-0003"]
    # And it gives the citation with the permanent link, and the record as RIS and CSV from the API
    assert "https://reviews.library.example.org/v1/reviews/CR-2016-0001" in html.unescape(body)
    assert 'href="/v1/reviews/CR-2016-0001?format=ris"' in body
    assert 'href="/v1/reviews/CR-2016-0001?format=csv"' in body


def test_results_link_to_their_exports_and_to_alerts_for_the_same_search(site: Site, learning: FakeLearning) -> None:
    # Given a search with words and a filter
    site.index.hits = [a_hit()]
    page = site.get("/search?q=neglect&nation=wales&sort=newest")
    links = [html.unescape(link) for link in re.findall(r'href="([^"]+)"', page["body"])]
    # Then its exports are the API's search with the same parameters
    ris = next(link for link in links if "format=ris" in link)
    assert urlsplit(ris).path == "/v1/reviews"
    assert parse_qs(urlsplit(ris).query) == {
        "q": ["neglect"],
        "nation": ["wales"],
        "sort": ["newest"],
        "format": ["ris"],
    }
    assert any(urlsplit(link).path == "/v1/reviews" and "format=csv" in link for link in links)
    # And its alert link opens the sign-up form with the search (its order left out) filled in
    alerts = next(link for link in links if urlsplit(link).path == "/v1/get-alerts" and urlsplit(link).query)
    assert parse_qs(urlsplit(alerts).query) == {"search": ["q=neglect&nation=wales"]}


# ---------------------------------------------------------------- the statistics page


def test_the_statistics_page_draws_each_count_and_tables_the_same_numbers(site: Site, learning: FakeLearning) -> None:
    # Given counts, one with a label that holds markup
    learning.counts = Statistics(
        total=15,
        by_year=counts(("2015", 10), ("2016", 5)),
        by_nation=counts(("England", 15)),
        by_review_type=counts((HOSTILE_TITLE, 15)),
        by_theme=counts(("Neglect", 7)),
    )
    # When the page is opened with filters
    page = site.get("/charts?from_year=2015&to_year=2016&nation=england&theme=")
    body = page["body"]
    # Then the filters were counted by (the empty one left out)
    assert page["status"] == 200
    (asked,) = learning.asked
    assert (asked.from_year, asked.to_year, asked.nations, asked.themes) == (2015, 2016, ("england",), ())
    # And each chart is a picture the screen reader skips, beside a table of the same numbers
    assert body.count('<svg class="bar-chart" aria-hidden="true"') == 4
    rows = re.findall(r'<tr><th scope="row">([^<]*)</th><td class="numeric">(\d+)</td></tr>', body)
    assert ("2015", "10") in rows and ("2016", "5") in rows and ("Neglect", "7") in rows
    widths = [float(width) for width in re.findall(r'<rect class="bar" [^>]*width="([0-9.]+)"', body)]
    assert widths[1] == pytest.approx(widths[0] / 2)
    # And a label with markup is text, in the drawing and the table
    assert "<script>" not in body
    assert "&lt;script&gt;" in body
    # And the form keeps the filters chosen
    assert re.search(r'<option value="2015" selected>', body)
    assert re.search(r'<option value="england" selected>', body)


def test_statistics_filters_out_of_order_say_so_on_the_page(site: Site, learning: FakeLearning) -> None:
    page = site.get("/charts?from_year=2020&to_year=2010")
    assert page["status"] == 400
    assert "There is a problem with these filters" in page["body"]
    assert "from_year (2020) is after to_year (2010)" in page["body"]
    assert learning.asked == []


# ---------------------------------------------------------------- the alert sign-up form


def test_the_sign_up_form_offers_the_search_it_was_opened_for(site: Site, learning: FakeLearning) -> None:
    page = site.get("/get-alerts?search=q%3Dneglect%26nation%3Dwales")
    body = page["body"]
    assert page["status"] == 200
    assert '<input type="hidden" name="search" value="q=neglect&amp;nation=wales">' in body
    assert re.search(r'value="search" checked', body)
    assert "neglect" in body and "Wales" in body


@pytest.mark.parametrize(
    ("form", "errors"),
    [
        ({"email": "", "kind": "digest"}, [("email", "Enter your email address")]),
        (
            {"email": "not-an-address", "kind": "digest"},
            [("email", "Enter an email address in the correct format, like name@example.org")],
        ),
        ({"email": READER}, [("kind", "Select what to send")]),
        ({"email": READER, "kind": "search", "search": "colour=blue"}, [("kind", None)]),
    ],
)
def test_a_bad_sign_up_shows_an_error_summary_and_sends_nothing(
    site: Site,
    learning: FakeLearning,
    form: dict[str, str],
    errors: list[tuple[str, str | None]],
) -> None:
    page = site.post("/get-alerts", form)
    assert page["status"] == 400
    assert "There is a problem" in page["body"]
    found = error_links(page["body"])
    assert [target for target, _ in found] == [target for target, _ in errors]
    for (_, message), (_, expected) in zip(found, errors, strict=True):
        assert expected is None or message == expected
    assert site.services.mailer.sent == []


def test_a_good_sign_up_says_check_your_email_whatever_the_address_already_has(
    site: Site,
    learning: FakeLearning,
) -> None:
    # When the same address signs up for the same search twice
    form = {"email": READER, "kind": "search", "search": "q=neglect&nation=wales"}
    first, second = site.post("/get-alerts", form), site.post("/get-alerts", form)
    # Then both answers are the same "Check your email" page
    assert first["status"] == second["status"] == 200
    assert "<h1>Check your email</h1>" in first["body"]
    assert first["body"] == second["body"]
    assert first["headers"]["Cache-Control"] == "no-store"
    # And the address got its confirmation emails, with links on the site's base URL
    assert len(site.services.mailer.sent) == 2
    _, _, text, _ = site.services.mailer.sent[0]
    assert "https://reviews.library.example.org/v1/alerts/confirm/" in text


def test_the_new_pages_are_on_the_sites_routes(site: Site, learning: FakeLearning) -> None:
    from case_reviews.site.routes import is_site_path

    assert is_site_path("/charts") and is_site_path("/get-alerts")
    page: dict[str, Any] = site.get("/get-alerts")
    assert 'value="digest" checked' in page["body"]
