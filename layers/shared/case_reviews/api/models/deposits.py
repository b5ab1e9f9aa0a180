"""The board API's wire models: a deposit's request and its upload instructions, a submission's state,
and the board's list of its own deposits."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import ConfigDict, Field, StrictBool

from case_reviews.api.models.common import Day, Wire
from case_reviews.api.models.cursors import deposit_cursor
from case_reviews.domain.boards import Submission
from case_reviews.domain.description import ReportMetadata
from case_reviews.domain.fields import Theme
from case_reviews.domain.files import PresignedUpload
from case_reviews.domain.vocabulary import SubmissionStatus
from case_reviews.services.submissions import BoardDeposits


class SubmissionRequest(ReportMetadata):
    """The metadata a board sends with `POST /submissions`. The board itself comes from the credential.

    What a board declares (`ReportMetadata`), read strictly as JSON: days only in ISO form, a real boolean.
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        defer_build=True,
        json_schema_extra={
            "examples": [
                {
                    "title": "Serious Case Review: Child K — Overview Report",
                    "nation": "england",
                    "review_type": "serious_case_review",
                    "document_type": "overview_report",
                    "publication_date": "2016-03-14",
                    "contact_email": "business.manager@board.example",
                    "anonymous": False,
                    "commissioned_date": "2014-09-01",
                    "themes": ["neglect"],
                    "summary": "Learning about neglect and multi-agency working.",
                }
            ]
        },
    )

    publication_date: Annotated[Day, Field(description="The day the board published it; not in the future.")]  # type: ignore[assignment]
    commissioned_date: Annotated[Day | None, Field(description="On or before publication_date.")] = None
    anonymous: Annotated[
        StrictBool, Field(description="Publish on the board's behalf without naming the board anywhere public.")
    ] = False
    themes: list[Theme] = Field(default_factory=list, max_length=20)  # type: ignore[assignment]

    def to_metadata(self) -> ReportMetadata:
        return ReportMetadata.model_validate(dict(self))


class UploadInstructions(Wire):
    url: str = Field(description="POST the form fields, then the file as the last field named `file`, here.")
    fields: dict[str, str]
    expires_at: datetime
    max_bytes: int


class SubmissionCreated(Wire):
    submission_id: str
    status: SubmissionStatus
    upload: UploadInstructions


class SubmissionView(Wire):
    submission_id: str
    status: SubmissionStatus
    title: str
    reference: str | None = None
    reason: str | None = None
    created_at: datetime
    updated_at: datetime


def submission_created(submission: Submission, upload: PresignedUpload) -> SubmissionCreated:
    return SubmissionCreated(
        submission_id=submission.submission_id,
        status=submission.status,
        upload=UploadInstructions(
            url=upload.url, fields=upload.fields, expires_at=upload.expires_at, max_bytes=upload.max_bytes
        ),
    )


class DepositItem(SubmissionView):
    available_until: date | None = Field(
        default=None, description="The last day the electronic copy is available, once catalogued."
    )


class DepositList(Wire):
    items: list[DepositItem]
    next_cursor: str | None = None


def submission_view(submission: Submission) -> SubmissionView:
    shared = submission.model_dump(include=set(SubmissionView.model_fields))
    return SubmissionView.model_validate({**shared, "title": submission.metadata.title})


def deposit_list(deposits: BoardDeposits) -> DepositList:
    return DepositList(
        items=[
            DepositItem.model_validate(
                {
                    **submission_view(submission).model_dump(),
                    "available_until": deposits.available_until.get(submission.reference or ""),
                }
            )
            for submission in deposits.submissions
        ],
        next_cursor=deposit_cursor(deposits.next_after) if deposits.next_after else None,
    )
