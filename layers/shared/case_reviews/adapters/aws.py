"""The clients every adapter is given: boto3 clients with one retry and timeout policy, and OpenSearch's."""

from __future__ import annotations

import threading
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from botocore.config import Config

if TYPE_CHECKING:
    import boto3
    from opensearchpy import OpenSearch

    from case_reviews.config import SearchSettings

# botocore's standard retry mode backs off on throttling and transient errors; adapters never retry by hand.
CLIENT_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 5},
    connect_timeout=5,
    read_timeout=30,
    signature_version="v4",
)
# Presigned S3 URLs must be SigV4 and carry the region, or browsers and curl get redirects.
S3_CONFIG = CLIENT_CONFIG.merge(Config(signature_version="s3v4", s3={"addressing_style": "auto"}))


@dataclass
class Clients:
    """One client per AWS service (and one for OpenSearch), made on first use and shared.

    In Lambda only the region is given: credentials come from the function's role. The local
    stack and the CLI's `--local` give the embedded AWS's endpoint and its fake credentials, so
    nothing is read from, or written to, the environment.
    """

    region: str | None = None
    endpoint_url: str | None = None
    credentials: Mapping[str, str] | None = None
    _made: dict[str, Any] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def session(self) -> boto3.session.Session:
        with self._lock:
            if "session" not in self._made:
                import boto3

                self._made["session"] = boto3.session.Session(region_name=self.region, **dict(self.credentials or {}))
            return self._made["session"]

    def aws(self, service: str) -> Any:
        """The client of `service` (boto3 clients are thread-safe; the session that makes them is not)."""
        session = self.session()
        with self._lock:
            if service not in self._made:
                self._made[service] = session.client(  # type: ignore[call-overload]
                    service, endpoint_url=self.endpoint_url, config=S3_CONFIG if service == "s3" else CLIENT_CONFIG
                )
            return self._made[service]

    def opensearch(self, settings: SearchSettings, request_path: bool = False) -> OpenSearch:
        """The search domain's client; against AWS every request is signed with the caller's role (SigV4).

        Writers get the patient client (OPENSEARCH_TIMEOUT_SECONDS, OPENSEARCH_MAX_RETRIES); the API's
        searches, `request_path`, the one that fails fast (OPENSEARCH_REQUEST_TIMEOUT_SECONDS, no retry).
        """
        session = self.session() if settings.opensearch_auth == "sigv4" else None
        name = "opensearch-request" if request_path else "opensearch"
        with self._lock:
            if name not in self._made:
                from case_reviews.adapters.opensearch.client import build_client

                if request_path:
                    timeout_seconds, max_retries = settings.opensearch_request_timeout_seconds, 0
                else:
                    timeout_seconds, max_retries = settings.opensearch_timeout_seconds, settings.opensearch_max_retries
                self._made[name] = build_client(
                    str(settings.opensearch_url).rstrip("/"),
                    credentials=session.get_credentials() if session else None,
                    region=settings.aws_region,
                    timeout_seconds=timeout_seconds,
                    max_retries=max_retries,
                )
            return self._made[name]


def caller_arn(clients: Clients) -> str:
    """Who the current credentials are (STS GetCallerIdentity): the staff member the audit trail names."""
    return str(clients.aws("sts").get_caller_identity()["Arn"])
