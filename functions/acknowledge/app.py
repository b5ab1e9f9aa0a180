"""Acknowledge function: tells the board, by email, that its report is catalogued or why it was not."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.typing import LambdaContext

from case_reviews import bootstrap
from case_reviews.domain.events import ReportCatalogued, SubmissionRejected
from case_reviews.messages import BoardNotificationRecord, ReportCataloguedEvent

logger = Logger()
tracer = Tracer()
metrics = Metrics()
processor = BatchProcessor(event_type=EventType.SQS, model=BoardNotificationRecord)


def acknowledge(catalogued: ReportCatalogued) -> str:
    return bootstrap.acknowledgement_service().acknowledge(catalogued)


def explain_rejection(rejected: SubmissionRejected) -> str:
    return bootstrap.acknowledgement_service().explain_rejection(rejected)


@tracer.capture_method
def record_handler(record: BoardNotificationRecord) -> None:
    # One email per outcome, however often the outcome is announced (the key is the event's detail).
    event = record.body
    if isinstance(event, ReportCataloguedEvent):
        bootstrap.once(acknowledge, payload="catalogued")(catalogued=event.detail)
        metrics.add_metric(name="AcknowledgementsSent", unit=MetricUnit.Count, value=1)
    else:
        bootstrap.once(explain_rejection, payload="rejected")(rejected=event.detail)
        metrics.add_metric(name="RejectionsExplained", unit=MetricUnit.Count, value=1)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    bootstrap.idempotency_config().register_lambda_context(context)
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
