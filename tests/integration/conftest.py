"""Integration fixtures: the embedded AWS (moto, in process) provisioned as template.yaml, and a real OpenSearch."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import datetime
from typing import Any

import boto3
import pytest
from moto import mock_aws

from case_reviews import bootstrap
from infra.local.provision import Provisioned, StackNames, provision


@pytest.fixture
def aws(monkeypatch: pytest.MonkeyPatch) -> Iterator[Provisioned]:
    """Every resource of the template on moto, and the functions' environment pointing at it."""
    with mock_aws():
        provisioned = provision(StackNames())
        environment = provisioned.function_environment(
            opensearch_url="http://127.0.0.1:9", public_base_url="https://reviews.example.org/v1"
        )
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        bootstrap.reset()
        yield provisioned
        bootstrap.reset()


@pytest.fixture
def search(aws: Provisioned, opensearch_url: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The real OpenSearch, behind an alias of this test's own (removed afterwards)."""
    alias = f"reviews-test-{uuid.uuid4().hex[:10]}"
    monkeypatch.setenv("OPENSEARCH_URL", opensearch_url)
    monkeypatch.setenv("OPENSEARCH_INDEX", alias)
    bootstrap.reset()
    yield alias
    client = bootstrap.search_index().client
    client.indices.delete(index=f"{alias}-*", ignore_unavailable=True)


@pytest.fixture
def board_key(aws: Provisioned, now: datetime) -> tuple[str, str]:
    """A board (Northshire Safeguarding Children Partnership) and a fresh key for it."""
    service = bootstrap.board_service()
    board = service.add_board("Northshire Safeguarding Children Partnership", now, board_id="northshire")
    return board.board_id, service.issue_key(board.board_id, now)


def client(service: str) -> Any:
    return boto3.client(service, region_name=os.environ["AWS_REGION"])


class Pipeline:
    """The queue → function wiring of the stack, run synchronously: `drain()` delivers until every queue is empty."""

    def __init__(self, provisioned: Provisioned) -> None:
        from functions.acknowledge import app as acknowledge
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
    """Messages the embedded SES has accepted."""
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return [
        {"to": message.destinations["ToAddresses"], "subject": message.subject, "body": message.body}
        for message in ses_backends[DEFAULT_ACCOUNT_ID][os.environ["AWS_REGION"]].sent_messages
    ]
