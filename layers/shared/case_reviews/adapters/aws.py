"""boto3 clients with the retry and timeout policy every adapter shares."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.config import Config

# botocore's standard retry mode backs off on throttling and transient errors; adapters never retry by hand.
CLIENT_CONFIG = Config(
    retries={"mode": "standard", "max_attempts": 5},
    connect_timeout=5,
    read_timeout=30,
    signature_version="v4",
)
# Presigned S3 URLs must be SigV4 and carry the region, or browsers and curl get redirects.
S3_CONFIG = CLIENT_CONFIG.merge(Config(signature_version="s3v4", s3={"addressing_style": "auto"}))


def new_client(service: str) -> Any:
    """A client for `service`; AWS_ENDPOINT_URL (the local stack) and the region come from the environment."""
    return boto3.client(service, config=S3_CONFIG if service == "s3" else CLIENT_CONFIG)  # type: ignore[call-overload]


def caller_arn() -> str:
    """Who the current credentials are (STS GetCallerIdentity): the staff member the audit trail names."""
    return str(new_client("sts").get_caller_identity()["Arn"])
