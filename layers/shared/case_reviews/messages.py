"""The messages the functions receive, as Powertools parser models.

Each function's SQS records are parsed into one of these before any logic runs; a record
that does not fit is reported as a batch item failure (and, after the redrive limit, lands
in the queue's dead-letter queue), never half-processed.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal
from urllib.parse import unquote_plus

from aws_lambda_powertools.utilities.parser.models import EventBridgeModel, SqsRecordModel
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, Json

from case_reviews.domain.events import (
    DetailType,
    ElectronicCopyRemoved,
    ExpiryApproaching,
    ExpirySummaryDue,
    RecordChanged,
    ReportCatalogued,
    SubmissionDuplicate,
    SubmissionRejected,
)

# ---------------------------------------------------------------- S3 → SQS (catalogue)


class UploadedObject(BaseModel):
    """The part of an S3 event record the catalogue needs (AWS sends more; the local S3 sends less)."""

    model_config = ConfigDict(populate_by_name=True)

    bucket: str
    # S3 event keys are URL-encoded with quote_plus ("a b.pdf" arrives as "a+b.pdf").
    key: Annotated[str, BeforeValidator(lambda raw: unquote_plus(raw) if isinstance(raw, str) else raw)]
    size: int = Field(ge=0)
    etag: str | None = None
    version_id: str | None = None
    sequencer: str | None = None


class _S3Object(BaseModel):
    key: str
    size: int = 0
    eTag: str | None = None
    versionId: str | None = None
    sequencer: str | None = None


class _S3Bucket(BaseModel):
    name: str


class _S3Entity(BaseModel):
    bucket: _S3Bucket
    object: _S3Object


class _S3Record(BaseModel):
    eventSource: Literal["aws:s3"]
    eventName: str
    s3: _S3Entity

    def uploaded_object(self) -> UploadedObject:
        return UploadedObject(
            bucket=self.s3.bucket.name,
            key=self.s3.object.key,
            size=self.s3.object.size,
            etag=self.s3.object.eTag,
            version_id=self.s3.object.versionId,
            sequencer=self.s3.object.sequencer,
        )


class S3Notification(BaseModel):
    Records: list[_S3Record]


class S3TestEvent(BaseModel):
    """The message S3 sends once when a notification is configured; there is nothing to do for it."""

    Event: Literal["s3:TestEvent"]
    Bucket: str


class UploadNotificationRecord(SqsRecordModel):  # type: ignore[override]
    """An SQS record whose body is an S3 notification (the catalogue queue)."""

    body: Json[S3Notification | S3TestEvent]  # type: ignore[assignment]

    def uploaded_objects(self) -> list[UploadedObject]:
        if isinstance(self.body, S3TestEvent):
            return []
        return [
            record.uploaded_object() for record in self.body.Records if record.eventName.startswith("ObjectCreated")
        ]


# ---------------------------------------------------------------- EventBridge → SQS (index, acknowledge)


class _BusEvent(EventBridgeModel):  # type: ignore[override]
    # AWS always sends `account`; the embedded EventBridge leaves it out.
    account: str = ""


class ReportCataloguedEvent(_BusEvent):
    detail_type: Literal[DetailType.REPORT_CATALOGUED] = Field(alias="detail-type")  # type: ignore[assignment]
    detail: ReportCatalogued  # type: ignore[assignment]


class SubmissionRejectedEvent(_BusEvent):
    detail_type: Literal[DetailType.SUBMISSION_REJECTED] = Field(alias="detail-type")  # type: ignore[assignment]
    detail: SubmissionRejected  # type: ignore[assignment]


class SubmissionDuplicateEvent(_BusEvent):
    detail_type: Literal[DetailType.SUBMISSION_DUPLICATE] = Field(alias="detail-type")  # type: ignore[assignment]
    detail: SubmissionDuplicate  # type: ignore[assignment]


class ExpiryApproachingEvent(_BusEvent):
    detail_type: Literal[DetailType.EXPIRY_APPROACHING] = Field(alias="detail-type")  # type: ignore[assignment]
    detail: ExpiryApproaching  # type: ignore[assignment]


class ExpirySummaryDueEvent(_BusEvent):
    detail_type: Literal[DetailType.EXPIRY_SUMMARY_DUE] = Field(alias="detail-type")  # type: ignore[assignment]
    detail: ExpirySummaryDue  # type: ignore[assignment]


class CopyRemovedEvent(_BusEvent):
    detail_type: Literal[DetailType.COPY_REMOVED] = Field(alias="detail-type")  # type: ignore[assignment]
    detail: ElectronicCopyRemoved  # type: ignore[assignment]


class RecordChangedEvent(_BusEvent):
    detail_type: Literal[DetailType.RECORD_CHANGED] = Field(alias="detail-type")  # type: ignore[assignment]
    detail: RecordChanged  # type: ignore[assignment]


class CatalogueChangeRecord(SqsRecordModel):  # type: ignore[override]
    """The index queue carries every change that alters what search shows of a record."""

    body: Json[  # type: ignore[assignment]
        Annotated[ReportCataloguedEvent | CopyRemovedEvent | RecordChangedEvent, Field(discriminator="detail_type")]
    ]


BoardNotification = Annotated[
    ReportCataloguedEvent
    | SubmissionRejectedEvent
    | SubmissionDuplicateEvent
    | ExpiryApproachingEvent
    | ExpirySummaryDueEvent,
    Field(discriminator="detail_type"),
]


class BoardNotificationRecord(SqsRecordModel):  # type: ignore[override]
    """The acknowledge queue carries everything emailed about a record: the three outcomes of an upload,
    a copy's coming removal (to its board), and the day's list of coming removals (to staff)."""

    body: Json[BoardNotification]  # type: ignore[assignment]


# ---------------------------------------------------------------- Scheduler → SQS (retention)


class RetentionRun(BaseModel):
    """The schedule's payload; staff may add `as_of` to see or apply what a given day brings."""

    model_config = ConfigDict(extra="forbid")

    task: Literal["retention"]
    as_of: date | None = None


class RetentionRunRecord(SqsRecordModel):  # type: ignore[override]
    body: Json[RetentionRun]  # type: ignore[assignment]


# ---------------------------------------------------------------- Scheduler → SQS (weekly digest)


class DigestRun(BaseModel):
    """The weekly schedule's payload: send the digest of the previous week."""

    model_config = ConfigDict(extra="forbid")

    task: Literal["digest"]


class DigestRunRecord(SqsRecordModel):  # type: ignore[override]
    body: Json[DigestRun]  # type: ignore[assignment]
