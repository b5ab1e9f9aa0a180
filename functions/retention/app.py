"""Retention function: run daily by the schedule (through SQS), or on demand with an `as_of` date.

It removes the electronic copies past their five years (the file, its text and its link) and keeps
the catalogue records. A long run stops before the Lambda timeout and queues the rest of itself.
A run staff asked for with a `run_id` records each invocation's outcome, for the CLI that waits on it.
"""

from __future__ import annotations

from typing import Any

from case_reviews import bootstrap
from case_reviews.domain.errors import RetentionIncomplete
from case_reviews.messages import RetentionRunRecord
from case_reviews.observability import count, logger, sqs_handler


def record_handler(record: RetentionRunRecord, lambda_context: Any) -> dict[str, Any]:
    services = bootstrap.services()
    reserve_ms = services.settings.retention.retention_reserve_ms
    outcome = services.retention.apply(
        record.body.as_of,
        has_time=lambda: lambda_context.get_remaining_time_in_millis() > reserve_ms,
        run_id=record.body.run_id,
    )
    logger.info("Retention run", extra={**outcome.model_dump(mode="json"), "run_id": record.body.run_id})
    count("CopiesRemoved", len(outcome.removed))
    count("CopyRemovalsFailed", len(outcome.failed))
    # Never read by the removal loop (held copies sit outside the partition it reads); counted for the record.
    count("HeldCopiesPastDue", len(outcome.held))
    count("CopiesOverdue", outcome.overdue)
    count("RetentionRuns")
    if outcome.failed:
        # The run's message comes back, and the rerun finishes them.
        raise RetentionIncomplete(f"{len(outcome.failed)} copies not removed: {outcome.failed[:10]}")
    return outcome.model_dump(mode="json")


lambda_handler = sqs_handler(RetentionRunRecord, record_handler)
