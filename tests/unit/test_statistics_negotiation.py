"""GET /statistics sends a browser to the statistics page (/charts) and gives anything else the counts."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from case_reviews.api.negotiation import prefers_html
from case_reviews.domain.statistics import Statistics, StatisticsQuery
from tests.unit.api_requests import BROWSER, answer, serving


@pytest.mark.parametrize(
    ("accept", "html"),
    [
        (BROWSER, True),
        ("text/html", True),
        ("text/*", True),
        ("application/json;q=0.5, text/html", True),
        (None, False),
        ("", False),
        ("*/*", False),
        ("application/json", False),
        ("application/json, text/html", False),
        ("text/html;q=0.5, application/json", False),
        ("text/html;q=0, */*", False),
        ("application/*, text/html;q=0.9", False),
        ("text/html;q=abc", False),
        ("nonsense", False),
    ],
)
def test_only_an_accept_that_puts_html_above_json_prefers_html(accept: str | None, html: bool) -> None:
    # Given an Accept header (or none)
    # When it is weighed for HTML against JSON
    # Then HTML wins only when it weighs more: a tie, */*, no header or a broken weight keep JSON
    assert prefers_html(accept) is html


class CountingLearning:
    """Answers every statistics query with no counts, and remembers the queries."""

    def __init__(self) -> None:
        self.queries: list[StatisticsQuery] = []

    def statistics(self, query: StatisticsQuery) -> Statistics:
        self.queries.append(query)
        return Statistics(total=0, by_year=(), by_nation=(), by_review_type=(), by_theme=())


@pytest.fixture
def learning() -> Iterator[CountingLearning]:
    service = CountingLearning()
    with serving(learning=service):
        yield service


def test_a_browser_is_sent_to_the_statistics_page_with_the_same_query(learning: CountingLearning) -> None:
    # Given a browser's request for statistics with filters
    # When it asks GET /statistics
    status, headers, _ = answer("/statistics?from_year=2014&nation=england&nation=wales&theme=neglect", BROWSER)
    # Then it is sent (303) to the page under the public base URL with the same query, the answer varying by
    # Accept, and nothing is counted
    assert status == 303
    assert headers["Location"] == (
        "https://reviews.example.org/v1/charts?from_year=2014&nation=england&nation=wales&theme=neglect"
    )
    assert headers["Vary"] == "Accept"
    assert learning.queries == []


def test_a_browser_without_a_query_is_sent_to_the_bare_page(learning: CountingLearning) -> None:
    status, headers, _ = answer("/statistics", BROWSER)
    assert (status, headers["Location"]) == (303, "https://reviews.example.org/v1/charts")


@pytest.mark.parametrize("accept", [None, "*/*", "application/json", "application/json, text/html"])
def test_a_program_gets_the_counts_as_json_varying_by_accept(learning: CountingLearning, accept: str | None) -> None:
    # Given a client that does not prefer HTML
    # When it asks GET /statistics
    status, headers, body = answer("/statistics?from_year=2014", accept)
    # Then it gets the counts as JSON, the answer varying by Accept
    assert status == 200
    assert headers["Content-Type"].startswith("application/json")
    assert headers["Vary"] == "Accept"
    assert json.loads(body)["total"] == 0
    assert [query.from_year for query in learning.queries] == [2014]


def test_a_browser_s_bad_query_is_still_the_problem_it_always_was(learning: CountingLearning) -> None:
    # Given a browser's request whose year is no year
    # When it asks GET /statistics
    status, headers, _ = answer("/statistics?from_year=abc", BROWSER)
    # Then the parameters are checked first: the 400 problem, not a redirect
    assert status == 400
    assert headers["Content-Type"] == "application/problem+json"
    assert "Location" not in headers
