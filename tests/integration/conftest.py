"""Integration fixtures: the embedded AWS (moto, in process) provisioned as template.yaml, and a real OpenSearch."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from moto import mock_aws

from case_reviews import bootstrap
from case_reviews.adapters.aws import Clients
from case_reviews.adapters.clock import SetClock
from case_reviews.bootstrap import Services
from case_reviews.config import Settings
from infra.local.provision import REGION, Provisioned, StackNames, provision


def wire(variables: dict[str, str], clock: SetClock) -> Services:
    """The functions' services for these settings on the embedded AWS, installed for the handlers."""
    services = bootstrap.build(Settings(variables), Clients(region=REGION), clock)
    bootstrap.install(services)
    return services


@pytest.fixture
def function_settings() -> dict[str, str]:
    """The settings the functions are wired with (a test may change them, then `wire` again)."""
    return {}


@pytest.fixture
def aws(function_settings: dict[str, str], clock: SetClock) -> Iterator[Provisioned]:
    """Every resource of the template on moto, and the functions' services wired to it (no search)."""
    with mock_aws():
        provisioned = provision(StackNames())
        function_settings.update(
            provisioned.function_environment(
                opensearch_url="http://127.0.0.1:9", public_base_url="https://reviews.example.org/v1"
            )
        )
        wire(function_settings, clock)
        yield provisioned
        bootstrap.install(None)


@pytest.fixture
def search(aws: Provisioned, opensearch_url: str, function_settings: dict[str, str], clock: SetClock) -> Iterator[str]:
    """The real OpenSearch, behind an alias of this test's own (removed afterwards)."""
    alias = f"reviews-test-{uuid.uuid4().hex[:10]}"
    function_settings.update(OPENSEARCH_URL=opensearch_url, OPENSEARCH_INDEX=alias)
    services = wire(function_settings, clock)
    yield alias
    services.search_index.client.indices.delete(index=f"{alias}-*", ignore_unavailable=True)


@pytest.fixture
def board_key(aws: Provisioned) -> tuple[str, str]:
    """A board (Northshire Safeguarding Children Partnership) and a fresh key for it."""
    service = bootstrap.services().boards
    board = service.add_board("Northshire Safeguarding Children Partnership", board_id="northshire")
    return board.board_id, service.issue_key(board.board_id)


def client(service: str) -> Any:
    return boto3.client(service, region_name=REGION)


class Pipeline:
    """The queue → function wiring of the stack, run synchronously: `drain()` delivers until every queue is empty."""

    def __init__(self, provisioned: Provisioned) -> None:
        from functions.acknowledge import app as acknowledge
        from functions.alerts import app as alerts
        from functions.catalogue import app as catalogue
        from functions.digest import app as digest
        from functions.index import app as index
        from functions.retention import app as retention
        from infra.local.pollers import QueuePoller

        sqs = client("sqs")
        urls = provisioned.queue_urls
        self.pollers = {
            "catalogue": QueuePoller(sqs, urls["catalogue"], catalogue.lambda_handler, "catalogue"),
            "index": QueuePoller(sqs, urls["index"], index.lambda_handler, "index"),
            "acknowledge": QueuePoller(sqs, urls["acknowledge"], acknowledge.lambda_handler, "acknowledge"),
            "retention": QueuePoller(sqs, urls["retention"], retention.lambda_handler, "retention"),
            "digest": QueuePoller(sqs, urls["digest"], digest.lambda_handler, "digest"),
            "alerts": QueuePoller(sqs, urls["alerts"], alerts.lambda_handler, "alerts"),
        }

    def drain(self, rounds: int = 10) -> dict[str, int]:
        """Deliver every pending message; returns how many each function received."""
        received = dict.fromkeys(self.pollers, 0)
        for _ in range(rounds):
            moved = 0
            for name, poller in self.pollers.items():
                result = poller.poll_once()
                received[name] += result.received
                moved += result.received
            if not moved:
                break
        return received


@pytest.fixture
def pipeline(aws: Provisioned) -> Pipeline:
    return Pipeline(aws)


def sent_emails() -> list[dict[str, Any]]:
    """Messages the embedded SES has accepted (its body is the HTML part when there is one)."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return [
        {"to": message.destinations["ToAddresses"], "subject": message.subject, "body": message.body}
        for message in ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages
    ]
