"""Fixtures shared by every layer of tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, time

import pytest

from case_reviews.adapters.clock import SetClock

# Tests never reach a real AWS account: fixed fake credentials and region before any client exists.
os.environ.update(
    {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_SESSION_TOKEN": "testing",
        "AWS_DEFAULT_REGION": "eu-west-2",
        "AWS_REGION": "eu-west-2",
        "POWERTOOLS_TRACE_DISABLED": "true",
        "POWERTOOLS_METRICS_DISABLED": "true",
        "POWERTOOLS_SERVICE_NAME": "case-reviews",
        "POWERTOOLS_METRICS_NAMESPACE": "CaseReviews",
        "POWERTOOLS_LOG_LEVEL": "WARNING",
    }
)
os.environ.pop("AWS_ENDPOINT_URL", None)
os.environ.pop("AWS_PROFILE", None)


@pytest.fixture(scope="session")
def opensearch_url() -> Iterator[str]:
    """A real OpenSearch server: OPENSEARCH_URL if given, else one started for this test session."""
    given = os.environ.get("OPENSEARCH_URL")
    if given:
        yield given.rstrip("/")
        return
    from infra.local.opensearch_server import OpenSearchServer

    with OpenSearchServer() as server:
        yield server.url


# The day the suite runs on: today by default; `--clock-date 2031-02-28` (or CASE_REVIEWS_TEST_DATE) moves
# it, to prove that every test states its dates relative to the clock and passes on any day.
TEST_DATE_VARIABLE = "CASE_REVIEWS_TEST_DATE"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--clock-date",
        default=os.environ.get(TEST_DATE_VARIABLE) or None,
        metavar="YYYY-MM-DD",
        help=f"run the suite on this day (default: ${TEST_DATE_VARIABLE}, else today)",
    )


@pytest.fixture(scope="session")
def test_day(pytestconfig: pytest.Config) -> date:
    """The day the whole suite is set on."""
    given = pytestconfig.getoption("--clock-date")
    return date.fromisoformat(given) if given else datetime.now(UTC).date()


@pytest.fixture
def now(test_day: date) -> datetime:
    """The instant each test starts at: half past ten (UTC) on the suite's day."""
    return datetime.combine(test_day, time(10, 30), tzinfo=UTC)


@pytest.fixture
def clock(now: datetime) -> SetClock:
    """The clock a test wires its services with: set to `now`, running on at the real pace."""
    return SetClock(now)
