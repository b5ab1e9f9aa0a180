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
        environment = provisioned.names.function_environment(
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
