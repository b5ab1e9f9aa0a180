"""Acknowledge function: emails the board what became of its upload (catalogued, rejected, a duplicate)
and when its copy's five years end, and emails staff the day's list of copies about to be removed."""

from __future__ import annotations

from case_reviews import bootstrap
from case_reviews.messages import BoardNotificationRecord
from case_reviews.observability import count, sqs_handler

# What each kind of email counts as.
METRICS = {
    "catalogued": "AcknowledgementsSent",
    "rejected": "RejectionsExplained",
    "duplicate": "DuplicatesExplained",
    "expiring": "ExpiryWarningsSent",
    "summary": "ExpirySummariesSent",
}


def record_handler(record: BoardNotificationRecord) -> None:
    # One email per event detail, however often the event is announced or delivered.
    notified = bootstrap.services().acknowledgements.notify(record.body.detail)
    count(METRICS[notified.kind])


lambda_handler = sqs_handler(BoardNotificationRecord, record_handler)
