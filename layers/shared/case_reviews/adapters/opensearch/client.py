"""The OpenSearch client: SigV4-signed against AWS, plain on the local server."""

from __future__ import annotations

from typing import Any

from opensearchpy import OpenSearch, RequestsHttpConnection


def build_client(url: str, credentials: Any | None, region: str) -> OpenSearch:
    """An OpenSearch client; given credentials, it signs every request with them (SigV4, as AWS requires)."""
    options: dict[str, Any] = {
        "hosts": [url],
        "connection_class": RequestsHttpConnection,
        "timeout": 10,
        "max_retries": 3,
        "retry_on_timeout": True,
    }
    if credentials is not None:
        from opensearchpy import AWSV4SignerAuth

        options["http_auth"] = AWSV4SignerAuth(credentials, region, "es")
    return OpenSearch(**options)
