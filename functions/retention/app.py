"""Retention function: run daily by the schedule (through SQS), or on demand with an `as_of` date.

It removes the electronic copies past their five years (the file, its text and its link) and keeps
the catalogue records. A long run stops before the Lambda timeout and queues the rest of itself.
"""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.typing import LambdaContext

from case_reviews import bootstrap
from case_reviews.config import RetentionSettings
from case_reviews.messages import RetentionRunRecord

logger = Logger()
tracer = Tracer()
metrics = Metrics()
processor = BatchProcessor(event_type=EventType.SQS, model=RetentionRunRecord)


class RetentionIncomplete(Exception):
    """Some copies could not be removed: the run's message comes back, and the rerun finishes them."""


@tracer.capture_method
def record_handler(record: RetentionRunRecord, lambda_context: LambdaContext) -> dict[str, Any]:
    now = bootstrap.clock().now()
    as_of = record.body.as_of or now.date()
    reserve_ms = RetentionSettings.from_environment().retention_reserve_ms
    outcome = bootstrap.retention_service().apply(
        as_of, now, has_time=lambda: lambda_context.get_remaining_time_in_millis() > reserve_ms
    )
    logger.info("Retention run", extra=outcome.model_dump(mode="json"))
    metrics.add_metric(name="CopiesRemoved", unit=MetricUnit.Count, value=len(outcome.removed))
    metrics.add_metric(name="CopyRemovalsFailed", unit=MetricUnit.Count, value=len(outcome.failed))
    # Never read by the removal loop (held copies sit outside the partition it reads); counted for the record.
    metrics.add_metric(name="HeldCopiesPastDue", unit=MetricUnit.Count, value=len(outcome.held))
    metrics.add_metric(name="CopiesOverdue", unit=MetricUnit.Count, value=outcome.overdue)
    metrics.add_metric(name="RetentionRuns", unit=MetricUnit.Count, value=1)
    if outcome.failed:
        raise RetentionIncomplete(f"{len(outcome.failed)} copies not removed: {outcome.failed[:10]}")
    return outcome.model_dump(mode="json")


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
