"""Digest function: once a week (the schedule, through SQS) every subscriber gets "New in the Library"."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.typing import LambdaContext

from case_reviews import bootstrap
from case_reviews.messages import DigestRunRecord
from case_reviews.services.digest import DigestDelivery

logger = Logger()
tracer = Tracer()
metrics = Metrics()
processor = BatchProcessor(event_type=EventType.SQS, model=DigestRunRecord)


def deliver(delivery: DigestDelivery) -> str:
    return bootstrap.digest_service().deliver(delivery)


@tracer.capture_method
def record_handler(record: DigestRunRecord) -> dict[str, Any]:
    # One digest per subscriber and week, however often the run is delivered or retried after a crash:
    # each delivery is idempotent on (address, week).
    outcome = bootstrap.digest_service().send_weekly(
        bootstrap.clock().now(), deliver=bootstrap.once(deliver, payload="delivery")
    )
    logger.info("Weekly digest", extra=outcome.model_dump())
    metrics.add_metric(name="DigestsSent", unit=MetricUnit.Count, value=outcome.delivered)
    metrics.add_metric(name="DigestRuns", unit=MetricUnit.Count, value=1)
    return outcome.model_dump()


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    bootstrap.idempotency_config().register_lambda_context(context)
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
