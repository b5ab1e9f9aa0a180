"""Retention function: run daily by the schedule (through SQS), or on demand with an `as_of` date."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.typing import LambdaContext

from case_reviews import bootstrap
from case_reviews.messages import RetentionRunRecord

logger = Logger()
tracer = Tracer()
metrics = Metrics()
processor = BatchProcessor(event_type=EventType.SQS, model=RetentionRunRecord)


@tracer.capture_method
def record_handler(record: RetentionRunRecord) -> list[dict[str, Any]]:
    as_of = record.body.as_of or datetime.now(UTC).date()
    due = bootstrap.retention_service().copies_due(as_of)
    logger.info(
        "Electronic copies past their five years",
        extra={"as_of": as_of.isoformat(), "count": len(due), "references": [copy.reference for copy in due]},
    )
    metrics.add_metric(name="CopiesPastRetention", unit=MetricUnit.Count, value=len(due))
    return [copy.model_dump(mode="json") for copy in due]


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
