"""Tell the board what became of its upload, and when its copy's five years end; tell staff what is ending."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import cache
from typing import TYPE_CHECKING, Any

from aws_lambda_powertools import Logger
from pydantic import BaseModel

from case_reviews.adapters.dynamodb import CatalogueRepository
from case_reviews.adapters.ses import Mailer
from case_reviews.domain.events import (
    ExpiryApproaching,
    ExpirySummaryDue,
    ReportCatalogued,
    SubmissionDuplicate,
    SubmissionRejected,
)
from case_reviews.resources import email_template

if TYPE_CHECKING:
    import jinja2

logger = Logger(child=True)


def long_date(day: date) -> str:
    """26 November 2031."""
    return f"{day.day} {day:%B %Y}"


class MissingForAcknowledgement(Exception):
    """The submission or record is not readable yet: redeliver."""


class RenderedEmail(BaseModel):
    subject: str
    text: str
    html: str


@cache
def _templates() -> jinja2.Environment:
    import jinja2  # only the acknowledge function renders email: others do not pay for the import

    return jinja2.Environment(
        loader=jinja2.FunctionLoader(email_template),
        # The HTML part escapes every value (a title can never add markup); the text part is plain text.
        autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False, default=False),
        # A value left out is an error, never an email with a gap in it.
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def render(kind: str, values: Mapping[str, Any]) -> RenderedEmail:
    """Subject, text and HTML of an email from infra/email (`<kind>.txt` with its Subject: line, `<kind>.html`)."""
    templates = _templates()
    # Split before filling in, so a value can never move text between the subject and the body;
    # the subject is one line whatever the values hold (no header injection).
    first_line, _, body = email_template(f"{kind}.txt").partition("\n")
    if not first_line.startswith("Subject:"):
        raise ValueError(f"email template {kind}.txt must start with a Subject: line")
    subject = " ".join(templates.from_string(first_line.removeprefix("Subject:")).render(values).split())
    text = templates.from_string(body.lstrip("\n")).render(values)
    html = templates.get_template(f"{kind}.html").render(values)
    return RenderedEmail(subject=subject, text=text, html=html)


class AcknowledgementService:
    """Emails the submission's contact: an acknowledgement with the reference, or the reason for a rejection."""

    def __init__(
        self, repository: CatalogueRepository, mailer: Mailer, public_base_url: str, staff_email: str | None = None
    ) -> None:
        self.repository = repository
        self.mailer = mailer
        self.public_base_url = public_base_url.rstrip("/")
        # Where the daily list of copies about to be removed goes; None: no list is sent.
        self.staff_email = staff_email

    def _record_url(self, reference: str) -> str:
        return f"{self.public_base_url}/reviews/{reference}"

    def acknowledge(self, event: ReportCatalogued) -> str:
        submission = self.repository.get_submission(event.submission_id)
        record = self.repository.get_record(event.reference)
        if submission is None or record is None:
            raise MissingForAcknowledgement(event.reference)
        copy = record.electronic_copy
        email = render(
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
        return self.mailer.send(submission.metadata.contact_email, email.subject, email.text, email.html)

    def explain_rejection(self, event: SubmissionRejected) -> str:
        submission = self.repository.get_submission(event.submission_id)
        if submission is None:
            raise MissingForAcknowledgement(event.submission_id)
        email = render(
            "submission_rejected",
            {"title": submission.metadata.title, "submission_id": submission.submission_id, "reason": event.reason},
        )
        return self.mailer.send(submission.metadata.contact_email, email.subject, email.text, email.html)

    def explain_duplicate(self, event: SubmissionDuplicate) -> str:
        """Tell the board its upload is a file the library already holds, and under which reference."""
        submission = self.repository.get_submission(event.submission_id)
        if submission is None:
            raise MissingForAcknowledgement(event.submission_id)
        email = render(
            "submission_duplicate",
            {
                "title": submission.metadata.title,
                "submission_id": submission.submission_id,
                "reference": event.reference,
                "record_url": self._record_url(event.reference),
            },
        )
        return self.mailer.send(submission.metadata.contact_email, email.subject, email.text, email.html)

    def warn_of_expiry(self, event: ExpiryApproaching) -> str:
        """Warn the board's contact that the copy's five years end; nothing when the record changed meanwhile
        (held, given another date, removed) or has no contact (a historic entry). Returns the SES id or ""."""
        record = self.repository.get_record(event.reference)
        if record is None:
            raise MissingForAcknowledgement(event.reference)
        copy = record.electronic_copy
        if copy is None or not record.has_copy or copy.held or copy.available_until != event.available_until:
            logger.info("No expiry warning: the copy changed since the run", extra={"reference": event.reference})
            return ""
        submission = self.repository.get_submission(record.submission_id) if record.submission_id else None
        if submission is None:
            logger.info("No expiry warning: the record has no contact", extra={"reference": event.reference})
            return ""
        email = render(
            "expiry_warning",
            {
                "reference": record.reference,
                "title": record.title,
                "available_until": long_date(copy.available_until),
                "removed_on": long_date(copy.available_until + timedelta(days=1)),
                "record_url": self._record_url(record.reference),
            },
        )
        return self.mailer.send(submission.metadata.contact_email, email.subject, email.text, email.html)

    def summarise_expiry(self, event: ExpirySummaryDue) -> str:
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
            for record in self.repository.copies_expiring(event.as_of, event.until)
            if record.electronic_copy is not None
        ]
        if not copies:
            return ""
        email = render(
            "expiry_summary",
            {"copies": copies, "as_of": long_date(event.as_of), "until": long_date(event.until)},
        )
        return self.mailer.send(self.staff_email, email.subject, email.text, email.html)
