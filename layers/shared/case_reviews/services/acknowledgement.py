"""Tell the board what became of its upload, and when its copy's five years end; tell staff what is ending."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from pydantic import BaseModel

from case_reviews.domain.events import (
    ExpiryApproaching,
    ExpirySummaryDue,
    ReportCatalogued,
    SubmissionDuplicate,
    SubmissionRejected,
)
from case_reviews.domain.models import Submission
from case_reviews.observability import logger
from case_reviews.ports import EmailRenderer, Mailer, Once, RecordStore, RetentionStore, SubmissionStore


def long_date(day: date) -> str:
    """26 November 2031."""
    return f"{day.day} {day:%B %Y}"


class MissingForAcknowledgement(Exception):
    """The submission or record is not readable yet: redeliver."""


class Notified(BaseModel):
    """What a notification sent: its kind, and the provider's message id ("" when nothing was due)."""

    kind: str
    message_id: str


class AcknowledgementService:
    """Emails the submission's contact: an acknowledgement with the reference, or the reason for a rejection."""

    def __init__(
        self,
        submissions: SubmissionStore,
        records: RecordStore,
        retention: RetentionStore,
        mailer: Mailer,
        renderer: EmailRenderer,
        once: Once,
        public_base_url: str,
        staff_email: str | None = None,
    ) -> None:
        self.submissions = submissions
        self.records = records
        self.retention = retention
        self.mailer = mailer
        self.renderer = renderer
        self.once = once
        self.public_base_url = public_base_url.rstrip("/")
        # Where the daily list of copies about to be removed goes; None: no list is sent.
        self.staff_email = staff_email
        # Each kind of notification, by the event detail that asks for it: one email per detail, ever
        # (a copy's warning once per last available day; staff's list once per day).
        self._kinds: dict[type[BaseModel], tuple[str, Callable[[Any], str]]] = {
            ReportCatalogued: ("catalogued", self._acknowledge),
            SubmissionRejected: ("rejected", self._explain_rejection),
            SubmissionDuplicate: ("duplicate", self._explain_duplicate),
            ExpiryApproaching: ("expiring", self._warn_of_expiry),
            ExpirySummaryDue: ("summary", self._summarise_expiry),
        }

    def notify(self, detail: BaseModel) -> Notified:
        """Send the email an event asks for, once however often the event is delivered."""
        kind, send = self._kinds[type(detail)]
        message_id = self.once(f"acknowledge.{kind}", detail, lambda: send(detail), returns=str)
        return Notified(kind=kind, message_id=message_id)

    def _send(self, to: str, kind: str, values: dict[str, Any]) -> str:
        email = self.renderer.render(kind, values)
        return self.mailer.send(to, email.subject, email.text, email.html)

    def _submission(self, submission_id: str) -> Submission:
        submission = self.submissions.get_submission(submission_id)
        if submission is None:
            raise MissingForAcknowledgement(submission_id)
        return submission

    def _record_url(self, reference: str) -> str:
        return f"{self.public_base_url}/reviews/{reference}"

    def _acknowledge(self, event: ReportCatalogued) -> str:
        submission = self._submission(event.submission_id)
        record = self.records.get_record(event.reference)
        if record is None:
            raise MissingForAcknowledgement(event.reference)
        copy = record.electronic_copy
        return self._send(
            submission.metadata.contact_email,
            "report_catalogued",
            {
                "reference": record.reference,
                "anonymous": record.anonymous,
                "title": record.title,
                "publication_date": str(record.publication_date),
                "publisher": record.publisher,
                # The board is told its own name as copyright holder even when the public is not.
                "copyright_holder": record.board_name or "your board",
                "available_until": long_date(copy.available_until) if copy else "(no electronic copy)",
                "record_url": self._record_url(record.reference),
            },
        )

    def _explain_rejection(self, event: SubmissionRejected) -> str:
        submission = self._submission(event.submission_id)
        return self._send(
            submission.metadata.contact_email,
            "submission_rejected",
            {"title": submission.metadata.title, "submission_id": submission.submission_id, "reason": event.reason},
        )

    def _explain_duplicate(self, event: SubmissionDuplicate) -> str:
        """Tell the board its upload is a file the library already holds, and under which reference."""
        submission = self._submission(event.submission_id)
        return self._send(
            submission.metadata.contact_email,
            "submission_duplicate",
            {
                "title": submission.metadata.title,
                "submission_id": submission.submission_id,
                "reference": event.reference,
                "record_url": self._record_url(event.reference),
            },
        )

    def _warn_of_expiry(self, event: ExpiryApproaching) -> str:
        """Warn the board's contact that the copy's five years end; nothing when the record changed meanwhile
        (held, given another date, removed) or has no contact (a historic entry). Returns the SES id or ""."""
        record = self.records.get_record(event.reference)
        if record is None:
            raise MissingForAcknowledgement(event.reference)
        copy = record.electronic_copy
        if copy is None or not record.has_copy or copy.held or copy.available_until != event.available_until:
            logger.info("No expiry warning: the copy changed since the run", extra={"reference": event.reference})
            return ""
        submission = self.submissions.get_submission(record.submission_id) if record.submission_id else None
        if submission is None:
            logger.info("No expiry warning: the record has no contact", extra={"reference": event.reference})
            return ""
        return self._send(
            submission.metadata.contact_email,
            "expiry_warning",
            {
                "reference": record.reference,
                "title": record.title,
                "available_until": long_date(copy.available_until),
                "removed_on": long_date(copy.available_until + timedelta(days=1)),
                "record_url": self._record_url(record.reference),
            },
        )

    def _summarise_expiry(self, event: ExpirySummaryDue) -> str:
        """Email staff the copies whose last available day is in the run's window (`as_of` to `until`, the next
        30 days), read now (a copy held since is left out); nothing without a staff address or a copy to list."""
        if not self.staff_email:
            logger.info("No expiry summary: STAFF_EMAIL is not set")
            return ""
        copies = [
            {
                "reference": record.reference,
                "title": record.title,
                # Staff see the board even of an anonymous report.
                "board": record.board_name or record.publisher,
                "available_until": long_date(record.electronic_copy.available_until),
                "record_url": self._record_url(record.reference),
            }
            for record in self.retention.copies_expiring(event.as_of, event.until)
            if record.electronic_copy is not None
        ]
        if not copies:
            return ""
        return self._send(
            self.staff_email,
            "expiry_summary",
            {"copies": copies, "as_of": long_date(event.as_of), "until": long_date(event.until)},
        )
