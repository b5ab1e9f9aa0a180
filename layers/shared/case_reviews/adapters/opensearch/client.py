"""The OpenSearch client: SigV4-signed against AWS, plain on the local server."""

from __future__ import annotations

from typing import Any

from opensearchpy import OpenSearch, RequestsHttpConnection


def build_client(
    url: str, credentials: Any | None, region: str, timeout_seconds: float, max_retries: int
) -> OpenSearch:
    """An OpenSearch client; given credentials, it signs every request with them (SigV4, as AWS requires).

    `timeout_seconds` bounds each attempt (connecting and waiting for the answer); a timed-out or
    refused attempt is tried again up to `max_retries` times (0: the first failure is final).
    """
    options: dict[str, Any] = {
        "hosts": [url],
        "connection_class": RequestsHttpConnection,
        "timeout": timeout_seconds,
        "max_retries": max_retries,
        "retry_on_timeout": max_retries > 0,
    }
    if credentials is not None:
        from opensearchpy import AWSV4SignerAuth

        options["http_auth"] = AWSV4SignerAuth(credentials, region, "es")
    return OpenSearch(**options)
