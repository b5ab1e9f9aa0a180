"""Digest function: once a week (the schedule, through SQS) every subscriber gets "New in the Library"."""

from __future__ import annotations

from typing import Any

from case_reviews import bootstrap
from case_reviews.messages import DigestRunRecord
from case_reviews.observability import count, logger, sqs_handler


def record_handler(record: DigestRunRecord) -> dict[str, Any]:
    # One digest per subscriber and week, however often the run is delivered or retried after a crash.
    outcome = bootstrap.services().digest.send_weekly()
    logger.info("Weekly digest", extra=outcome.model_dump())
    count("DigestsSent", outcome.delivered)
    count("DigestRuns")
    return outcome.model_dump()


lambda_handler = sqs_handler(DigestRunRecord, record_handler)
