"""Tell the board what became of its upload."""

from __future__ import annotations

from string import Template

from case_reviews.adapters.dynamodb import CatalogueRepository
from case_reviews.adapters.ses import Mailer
from case_reviews.domain.events import ReportCatalogued, SubmissionRejected
from case_reviews.resources import email_template


class MissingForAcknowledgement(Exception):
    """The submission or record is not readable yet: redeliver."""


def render(template_name: str, values: dict[str, str]) -> tuple[str, str]:
    """Subject and body of an email template from infra/email, with every placeholder filled."""
    # Split before filling in, so a value can never move text between the subject and the body.
    first_line, _, body = email_template(template_name).partition("\n")
    if not first_line.startswith("Subject:"):
        raise ValueError(f"email template {template_name} must start with a Subject: line")
    subject = " ".join(Template(first_line.removeprefix("Subject:")).substitute(values).split())
    return subject, Template(body.lstrip("\n")).substitute(values)


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
        subject, body = render(
            "report_catalogued",
            {
                "reference": record.reference,
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
        return self.mailer.send(submission.metadata.contact_email, subject, body)

    def explain_rejection(self, event: SubmissionRejected) -> str:
        submission = self.repository.get_submission(event.submission_id)
        if submission is None:
            raise MissingForAcknowledgement(event.submission_id)
        subject, body = render(
            "submission_rejected",
            {"title": submission.metadata.title, "submission_id": submission.submission_id, "reason": event.reason},
        )
        return self.mailer.send(submission.metadata.contact_email, subject, body)
