"""Acknowledge function: emails the board what became of its upload (catalogued, rejected, a duplicate)
and when its copy's five years end, and emails staff the day's list of copies about to be removed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.typing import LambdaContext

from case_reviews import bootstrap
from case_reviews.domain.events import (
    ExpiryApproaching,
    ExpirySummaryDue,
    ReportCatalogued,
    SubmissionDuplicate,
    SubmissionRejected,
)
from case_reviews.messages import (
    BoardNotificationRecord,
    ExpiryApproachingEvent,
    ExpirySummaryDueEvent,
    ReportCataloguedEvent,
    SubmissionDuplicateEvent,
    SubmissionRejectedEvent,
)

logger = Logger()
tracer = Tracer()
metrics = Metrics()
processor = BatchProcessor(event_type=EventType.SQS, model=BoardNotificationRecord)


# Each is made idempotent on its one keyword argument (the event's detail): the key is the function's
# name and that detail, so each kind of email goes once per record, submission, copy date or day.


def acknowledge(catalogued: ReportCatalogued) -> str:
    return bootstrap.acknowledgement_service().acknowledge(catalogued)


def explain_rejection(rejected: SubmissionRejected) -> str:
    return bootstrap.acknowledgement_service().explain_rejection(rejected)


def explain_duplicate(duplicate: SubmissionDuplicate) -> str:
    return bootstrap.acknowledgement_service().explain_duplicate(duplicate)


def warn_of_expiry(expiring: ExpiryApproaching) -> str:
    # Once per (reference, last available day): a new date after an extension is a new warning.
    return bootstrap.acknowledgement_service().warn_of_expiry(expiring)


def summarise_expiry(summary: ExpirySummaryDue) -> str:
    # Once per day (the run's as_of and its window's end), however often the run is delivered or rerun.
    return bootstrap.acknowledgement_service().summarise_expiry(summary)


# What each notification sends (once per event detail: the keyword is the idempotency key), and what it counts.
NOTIFICATIONS: dict[type, tuple[Callable[..., str], str, str]] = {
    ReportCataloguedEvent: (acknowledge, "catalogued", "AcknowledgementsSent"),
    SubmissionRejectedEvent: (explain_rejection, "rejected", "RejectionsExplained"),
    SubmissionDuplicateEvent: (explain_duplicate, "duplicate", "DuplicatesExplained"),
    ExpiryApproachingEvent: (warn_of_expiry, "expiring", "ExpiryWarningsSent"),
    ExpirySummaryDueEvent: (summarise_expiry, "summary", "ExpirySummariesSent"),
}


@tracer.capture_method
def record_handler(record: BoardNotificationRecord) -> None:
    # One email per outcome, however often the outcome is announced (the key is the event's detail).
    event = record.body
    send, payload, metric = NOTIFICATIONS[type(event)]
    bootstrap.once(send, payload=payload)(**{payload: event.detail})
    metrics.add_metric(name=metric, unit=MetricUnit.Count, value=1)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    bootstrap.idempotency_config().register_lambda_context(context)
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
