"""Search fails fast when OpenSearch is down: the circuit breaker, the index adapter through it, the clients."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from opensearchpy.exceptions import ConnectionError as SearchConnectionError
from opensearchpy.exceptions import ConnectionTimeout, RequestError, TransportError

from case_reviews.adapters.aws import Clients
from case_reviews.adapters.breaker import BreakerOpen, BreakerState, CircuitBreaker
from case_reviews.adapters.clock import SetClock
from case_reviews.adapters.opensearch.index import OpenSearchIndex, search_is_down
from case_reviews.config import Settings
from case_reviews.domain.errors import ServiceUnavailable
from case_reviews.domain.search import SearchQuery

TIMED_OUT = ConnectionTimeout("TIMEOUT", "Read timed out. (read timeout=2)", None)


class Down(Exception):
    """What the breaker's dependency raises when it is down, in these tests."""


class Refused(Exception):
    """An error that says nothing about the dependency being down (a bad query, say)."""


def breaker(clock: SetClock, failures: int = 2, open_seconds: float = 10) -> CircuitBreaker:
    return CircuitBreaker(clock, failures, open_seconds, is_failure=lambda error: isinstance(error, Down))


def fail(error: Exception) -> Any:
    def action() -> Any:
        raise error

    return action


def test_a_closed_breaker_runs_every_call_and_passes_its_answer_and_its_errors_on(clock: SetClock) -> None:
    # Given a closed breaker
    guard = breaker(clock)
    # When calls go through it, one answering and one failing once
    answer = guard.call(lambda: 42)
    with pytest.raises(Down):
        guard.call(fail(Down()))
    # Then the answer and the error come back unchanged, and one failure does not open it
    assert answer == 42
    assert guard.state is BreakerState.CLOSED


def test_failures_in_a_row_open_the_breaker_and_it_then_refuses_without_calling(clock: SetClock) -> None:
    # Given a breaker that opens after two failures in a row, for ten seconds
    guard = breaker(clock, failures=2, open_seconds=10)
    for _ in range(2):
        with pytest.raises(Down):
            guard.call(fail(Down()))
    # When a further call is made four seconds later
    clock.advance(timedelta(seconds=4))
    calls: list[str] = []
    with pytest.raises(BreakerOpen) as refused:
        guard.call(lambda: calls.append("called"))
    # Then it is refused without being made, saying how long is left of the open period
    assert guard.state is BreakerState.OPEN
    assert calls == []
    assert refused.value.retry_after_seconds == 6


def test_after_the_open_period_one_trial_goes_through_and_its_success_closes_the_breaker(clock: SetClock) -> None:
    # Given a breaker opened by two failures
    guard = breaker(clock, failures=2, open_seconds=10)
    for _ in range(2):
        with pytest.raises(Down):
            guard.call(fail(Down()))
    # When the open period has passed and the dependency answers again
    clock.advance(timedelta(seconds=11))
    assert guard.state is BreakerState.HALF_OPEN
    answer = guard.call(lambda: "back")
    # Then the trial's answer comes back and the breaker is closed: a single failure no longer opens it
    assert answer == "back"
    assert guard.state is BreakerState.CLOSED
    with pytest.raises(Down):
        guard.call(fail(Down()))
    assert guard.state is BreakerState.CLOSED


def test_a_failed_trial_opens_the_breaker_for_another_period(clock: SetClock) -> None:
    # Given a breaker opened by two failures, whose open period has passed
    guard = breaker(clock, failures=2, open_seconds=10)
    for _ in range(2):
        with pytest.raises(Down):
            guard.call(fail(Down()))
    clock.advance(timedelta(seconds=11))
    # When the trial fails too
    with pytest.raises(Down):
        guard.call(fail(Down()))
    # Then the breaker is open again, for a whole period
    assert guard.state is BreakerState.OPEN
    assert guard.retry_after_seconds() == 10


def test_while_a_trial_runs_other_calls_are_refused(clock: SetClock) -> None:
    # Given a breaker whose open period has passed
    guard = breaker(clock, failures=1, open_seconds=10)
    with pytest.raises(Down):
        guard.call(fail(Down()))
    clock.advance(timedelta(seconds=11))
    # When a call arrives while the trial call is still running
    seen: list[BreakerState] = []

    def trial() -> str:
        seen.append(guard.state)
        with pytest.raises(BreakerOpen):
            guard.call(lambda: "second")
        return "trial"

    # Then only the trial is made
    assert guard.call(trial) == "trial"
    assert seen == [BreakerState.OPEN]
    assert guard.state is BreakerState.CLOSED


def test_errors_that_do_not_mean_down_neither_count_nor_hide_a_success(clock: SetClock) -> None:
    # Given a breaker that opens after two failures in a row
    guard = breaker(clock, failures=2)
    # When a failure is followed by a refused query and then another failure
    for error in (Down(), Refused(), Down()):
        with pytest.raises(type(error)):
            guard.call(fail(error))
    # Then the refused query, an answer of a working dependency, broke the run: the breaker stays closed
    assert guard.state is BreakerState.CLOSED


@pytest.mark.parametrize(("failures", "seconds"), [(0, 10), (2, 0)])
def test_a_breaker_needs_a_failure_and_a_time_to_open(clock: SetClock, failures: int, seconds: float) -> None:
    # Given settings that could never open the breaker, or never let a call through again
    # When a breaker is made with them
    # Then it is refused
    with pytest.raises(ValueError):
        breaker(clock, failures=failures, open_seconds=seconds)


# ---------------------------------------------------------------- the index adapter on the request path


class HangingClient:
    """An OpenSearch client whose searches time out (or fail with `error`), counting what is asked."""

    def __init__(self, error: Exception = TIMED_OUT) -> None:
        self.error = error
        self.searches = 0

    def search(self, **request: Any) -> Any:
        self.searches += 1
        raise self.error


def index_through(client: HangingClient, clock: SetClock) -> OpenSearchIndex:
    guard = CircuitBreaker(clock, failures_to_open=2, open_seconds=10, is_failure=search_is_down)
    return OpenSearchIndex(client, "reviews", {"schema_version": 1}, guard)


def test_a_search_that_times_out_is_a_503_and_once_known_down_the_domain_is_not_asked(clock: SetClock) -> None:
    # Given the API's index, whose domain hangs until its client times out
    client = HangingClient()
    index = index_through(client, clock)
    # When four searches are made
    refusals = []
    for _ in range(4):
        with pytest.raises(ServiceUnavailable) as unavailable:
            index.search(SearchQuery(text="neglect"))
        refusals.append(unavailable.value)
    # Then each is "unavailable, try again later"; only the first two reached the domain
    assert client.searches == 2
    assert all(
        str(refusal) == "Search is not available at the moment; please try again shortly." for refusal in refusals
    )
    assert [refusal.retry_after_seconds for refusal in refusals] == [10, 10, 10, 10]


def test_the_yearly_list_and_the_ping_fail_fast_the_same_way(clock: SetClock) -> None:
    # Given the API's index, with a breaker already opened by searches that timed out
    client = HangingClient()
    index = index_through(client, clock)
    for _ in range(2):
        with pytest.raises(ServiceUnavailable):
            index.search(SearchQuery(text="neglect"))
    # When the yearly list and the health ping ask the index
    # Then both are refused at once
    with pytest.raises(ServiceUnavailable):
        index.published_in(2016)
    with pytest.raises(ServiceUnavailable):
        index.ping()
    assert client.searches == 2


def test_an_error_of_the_query_itself_is_not_a_503_and_does_not_open_the_breaker(clock: SetClock) -> None:
    # Given the API's index, whose domain refuses the request itself (a 400)
    client = HangingClient(RequestError(400, "search_phase_execution_exception", {}))
    index = index_through(client, clock)
    # When three searches are made
    for _ in range(3):
        with pytest.raises(RequestError):
            index.search(SearchQuery(text="neglect"))
    # Then each reached the domain and came back as the error it is (a 500, logged), not as "down"
    assert client.searches == 3
    assert index.breaker is not None and index.breaker.state is BreakerState.CLOSED


def test_the_writers_index_raises_the_clients_error_as_it_is(clock: SetClock) -> None:
    # Given the index as the index function uses it: no breaker
    client = HangingClient()
    index = OpenSearchIndex(client, "reviews", {"schema_version": 1})
    # When its domain times out
    # Then the client's own error is raised, so the queue message fails and is delivered again
    with pytest.raises(ConnectionTimeout):
        index.search(SearchQuery(text="neglect"))


@pytest.mark.parametrize(
    ("error", "down"),
    [
        (TIMED_OUT, True),
        (SearchConnectionError("N/A", "Connection refused", None), True),
        (TransportError(503, "unavailable", {}), True),
        (TransportError(429, "too many requests", {}), True),
        (RequestError(400, "parsing_exception", {}), False),
        (TransportError(500, "internal", {}), False),
        (ValueError("not a transport error"), False),
    ],
)
def test_what_counts_as_search_being_down(error: Exception, down: bool) -> None:
    # Given an error from the OpenSearch client
    # When it is classified
    # Then refused, reset, timed-out and overloaded domains are down; a refused query or a bug is not
    assert search_is_down(error) is down


# ---------------------------------------------------------------- the clients


def test_the_apis_client_tries_once_with_the_request_timeout_and_writers_wait_and_retry() -> None:
    # Given search settings with their own timeouts and retries
    settings = Settings(
        {
            "OPENSEARCH_URL": "http://127.0.0.1:9",
            "OPENSEARCH_AUTH": "none",
            "OPENSEARCH_REQUEST_TIMEOUT_SECONDS": "1.5",
            "OPENSEARCH_TIMEOUT_SECONDS": "20",
            "OPENSEARCH_MAX_RETRIES": "4",
        }
    ).search
    clients = Clients(region="eu-west-2")
    # When the request path's client and the writers' client are made
    request_path = clients.opensearch(settings, request_path=True)
    writers = clients.opensearch(settings)
    # Then the API's tries once, within its timeout; the writers' waits longer and retries timeouts too
    assert (request_path.transport.max_retries, request_path.transport.retry_on_timeout) == (0, False)
    assert request_path.transport.connection_pool.connections[0].timeout == 1.5
    assert (writers.transport.max_retries, writers.transport.retry_on_timeout) == (4, True)
    assert writers.transport.connection_pool.connections[0].timeout == 20
    # And each is made once and kept
    assert clients.opensearch(settings, request_path=True) is request_path


def test_an_interrupted_trial_neither_counts_nor_keeps_the_breaker_open(clock: SetClock) -> None:
    # Given a breaker whose open period has passed
    guard = breaker(clock, failures=1, open_seconds=10)
    with pytest.raises(Down):
        guard.call(fail(Down()))
    clock.advance(timedelta(seconds=11))
    # When its trial call is interrupted (not by the dependency)
    with pytest.raises(KeyboardInterrupt):
        guard.call(fail(KeyboardInterrupt()))
    # Then the next call is the trial again, and its success closes the breaker
    assert guard.state is BreakerState.HALF_OPEN
    assert guard.call(lambda: "back") == "back"
    assert guard.state is BreakerState.CLOSED
