"""Alerts function: every day after the deposits (the schedule, through SQS), or when staff ask with `as_of`.

Each address with confirmed saved searches gets one email listing the deposits catalogued the day before
that match them, once per day however often the run is delivered; nothing when nothing matches. A run
staff follow (`run_id`) records its outcome for the CLI that waits on it.
"""

from __future__ import annotations

from typing import Any

from case_reviews import bootstrap
from case_reviews.messages import AlertsRunRecord
from case_reviews.observability import count, logger, sqs_handler


def record_handler(record: AlertsRunRecord) -> dict[str, Any]:
    services = bootstrap.services()
    outcome = services.daily_alerts.run(
        str(services.settings.mail.public_base_url), as_of=record.body.as_of, run_id=record.body.run_id
    )
    logger.info("Daily alerts", extra={**outcome.model_dump(mode="json"), "run_id": record.body.run_id})
    count("AlertEmailsSent", outcome.delivered)
    count("SavedSearchesSkipped", len(outcome.skipped))
    count("AlertRuns")
    return outcome.model_dump(mode="json")


lambda_handler = sqs_handler(AlertsRunRecord, record_handler)
