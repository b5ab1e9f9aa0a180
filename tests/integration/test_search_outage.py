"""With OpenSearch hanging, search answers 503 at once; deposits go on; the index catches up afterwards.

The search server here is this module's own, so that stopping it (SIGSTOP: connections are accepted
and then hang, as with a domain that stopped answering) never touches the server other tests share.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import time
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from case_reviews.adapters.breaker import BreakerState
from case_reviews.adapters.clock import SetClock
from case_reviews.bootstrap import Services
from functions.index import app as index_function
from infra.local.lambda_runtime import LocalContext
from infra.local.opensearch_server import OpenSearchServer
from infra.local.provision import Provisioned
from tests.integration.conftest import wire
from tests.integration.helpers import call_api, sample_metadata
from tests.integration.test_search_api import catalogue_without_pipeline, historic_record
from tests.support.events import load_event

# The bound: a searcher hears "try again later" within 3 s of asking.
ANSWER_WITHIN_SECONDS = 3.0
BREAKER_OPEN_SECONDS = 10


@pytest.fixture(scope="module")
def own_opensearch() -> Iterator[OpenSearchServer]:
    """An OpenSearch server of this module's own, to stop and resume."""
    if os.environ.get("OPENSEARCH_URL"):
        pytest.skip("OPENSEARCH_URL names a server this suite did not start, so it cannot be stopped and resumed")
    with OpenSearchServer(heap="512m") as server:
        yield server


@contextlib.contextmanager
def hanging(server: OpenSearchServer) -> Iterator[None]:
    """The server stopped (its whole process group), and always resumed afterwards."""
    assert server.pid is not None
    os.killpg(server.pid, signal.SIGSTOP)
    try:
        yield
    finally:
        os.killpg(server.pid, signal.SIGCONT)


@pytest.fixture
def services(
    aws: Provisioned, own_opensearch: OpenSearchServer, function_settings: dict[str, str], clock: SetClock
) -> Iterator[Services]:
    """The functions wired to the module's server; the writers wait 5 s and do not retry, to keep this quick."""
    function_settings.update(
        OPENSEARCH_URL=own_opensearch.url,
        OPENSEARCH_INDEX="reviews-outage",
        OPENSEARCH_TIMEOUT_SECONDS="5",
        OPENSEARCH_MAX_RETRIES="0",
        SEARCH_BREAKER_FAILURES="2",
        SEARCH_BREAKER_OPEN_SECONDS=str(BREAKER_OPEN_SECONDS),
    )
    wired = wire(function_settings, clock)
    yield wired
    wired.search_index.client.indices.delete(index="reviews-outage-*", ignore_unavailable=True)


def index_message(reference: str) -> dict[str, object]:
    """The index queue's message for a report just catalogued, as SQS delivers it."""
    event = load_event("index/report_catalogued.json")
    body = json.loads(event["Records"][0]["body"])
    body["detail"]["reference"] = reference
    event["Records"][0]["body"] = json.dumps(body)
    return event


def timed_call(method: str, target: str, key: str | None = None, body: Any = None) -> tuple[int, Any, dict, float]:
    """A call through the API function, and how long it took to answer (monotonic seconds)."""
    started = time.monotonic()
    status, payload, headers = call_api(method, target, key, body)
    return status, payload, headers, time.monotonic() - started


def test_search_answers_503_at_once_while_opensearch_hangs_and_works_again_after(
    services: Services, own_opensearch: OpenSearchServer, board_key: tuple[str, str], clock: SetClock
) -> None:
    # Given an indexed record, and a record catalogued but not yet indexed
    catalogue_without_pipeline(
        historic_record("CR-2015-0001", "2015-05", title="Neglect of a baby"),
        historic_record("CR-2016-0001", "2016-03", title="Neglect and the voice of the child"),
    )
    assert services.indexing.index_record("CR-2015-0001")
    assert call_api("GET", "/reviews?q=neglect")[0] == 200
    _, key = board_key

    # When OpenSearch stops answering (connections hang)
    with hanging(own_opensearch):
        # Then a search answers a 503 problem saying when to try again, well within 3 s
        first = timed_call("GET", "/reviews?q=neglect")
        status, problem, headers, elapsed = first
        assert status == 503, problem
        assert headers["Content-Type"] == "application/problem+json"
        assert problem["detail"] == "Search is not available at the moment; please try again shortly."
        assert int(headers["Retry-After"]) == BREAKER_OPEN_SECONDS
        assert elapsed < ANSWER_WITHIN_SECONDS
        # And once a second search has found it down, the breaker answers without waiting for the server
        assert timed_call("GET", "/years/2016")[0] == 503
        assert services.public_search.breaker is not None
        assert services.public_search.breaker.state is BreakerState.OPEN
        status, _, headers, elapsed = timed_call("GET", "/reviews?q=child")
        assert (status, 1 <= int(headers["Retry-After"]) <= BREAKER_OPEN_SECONDS) == (503, True)
        assert elapsed < first[3]

        # And /health names search as the component that does not answer, the catalogue as answering
        status, health, headers, elapsed = timed_call("GET", "/health")
        assert status == 503
        assert health["components"] == {"catalogue": "ok", "search": "unavailable"}
        assert health["detail"] == "Degraded: search not answering; catalogue answering."
        assert headers["Cache-Control"] == "no-store"
        assert elapsed < ANSWER_WITHIN_SECONDS

        # And deposits and records, which never ask the index, keep working
        status, created, _, elapsed = timed_call("POST", "/submissions", key, sample_metadata())
        assert status == 201, created
        assert elapsed < ANSWER_WITHIN_SECONDS
        assert call_api("GET", f"/submissions/{created['submission_id']}", key)[0] == 200
        assert call_api("GET", "/reviews/CR-2015-0001")[0] == 200

        # And the index function, whose write cannot reach the index, fails its batch: SQS delivers it again
        context = LocalContext(function_name="index")
        with pytest.raises(BatchProcessingError, match="All records failed"):
            index_function.lambda_handler(index_message("CR-2016-0001"), context)

    # When OpenSearch answers again and the breaker's open period has passed
    clock.advance(timedelta(seconds=BREAKER_OPEN_SECONDS + 1))
    # Then the redelivered message is indexed, a search finds both records, and the breaker is closed
    assert index_function.lambda_handler(index_message("CR-2016-0001"), context) == {"batchItemFailures": []}
    status, page, _ = call_api("GET", "/reviews?q=neglect&sort=oldest")
    assert status == 200, page
    assert [item["reference"] for item in page["items"]] == ["CR-2015-0001", "CR-2016-0001"]
    assert services.public_search.breaker.state is BreakerState.CLOSED
    status, health, _ = call_api("GET", "/health")
    assert (status, health["components"]) == (200, {"catalogue": "ok", "search": "ok"})
