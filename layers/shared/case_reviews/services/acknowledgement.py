"""Tell the board what became of its upload."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from case_reviews.adapters.dynamodb import CatalogueRepository
from case_reviews.adapters.ses import Mailer
from case_reviews.domain.events import ReportCatalogued, SubmissionRejected
from case_reviews.resources import email_template

if TYPE_CHECKING:
    import jinja2


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

    def __init__(self, repository: CatalogueRepository, mailer: Mailer, public_base_url: str) -> None:
        self.repository = repository
        self.mailer = mailer
        self.public_base_url = public_base_url.rstrip("/")

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
                "available_until": f"{copy.available_until.day} {copy.available_until:%B %Y}"
                if copy
                else "(no electronic copy)",
                "record_url": f"{self.public_base_url}/reviews/{record.reference}",
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
