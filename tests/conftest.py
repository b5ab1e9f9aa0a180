"""Fixtures shared by every layer of tests."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

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


@pytest.fixture
def now() -> datetime:
    return datetime(2026, 11, 26, 10, 30, tzinfo=UTC)
