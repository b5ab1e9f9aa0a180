"""The messages the functions receive, as Powertools parser models.

Each function's SQS records are parsed into one of these before any logic runs; a record
that does not fit is reported as a batch item failure (and, after the redrive limit, lands
in the queue's dead-letter queue), never half-processed.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal, Union
from urllib.parse import unquote_plus

from aws_lambda_powertools.utilities.parser.models import EventBridgeModel, SqsRecordModel
from pydantic import BaseModel, ConfigDict, Field, Json, create_model

from case_reviews.domain.events import DETAILS, ROUTES, DetailType
from case_reviews.domain.files import UploadedObject

# ---------------------------------------------------------------- S3 → SQS (catalogue)


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
            # S3 event keys are URL-encoded with quote_plus ("a b.pdf" arrives as "a+b.pdf").
            key=unquote_plus(self.s3.object.key),
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


def _bus_event(detail_type: DetailType) -> type[_BusEvent]:
    """The EventBridge event of one detail type, with its detail parsed into the domain's model."""
    detail = DETAILS[detail_type]
    return create_model(  # type: ignore[no-any-return]
        f"{detail.__name__}Event",
        __base__=_BusEvent,
        detail_type=(Literal[detail_type], Field(alias="detail-type")),
        detail=(detail, ...),
    )


# Every event of the bus, by its detail type.
BUS_EVENTS: dict[DetailType, type[_BusEvent]] = {detail_type: _bus_event(detail_type) for detail_type in DetailType}


def _events_for(consumer: str) -> Any:
    """What a consumer's queue carries: the events the routing table sends it, told apart by detail type."""
    events = tuple(BUS_EVENTS[detail_type] for detail_type in ROUTES[consumer])
    return Annotated[Union[events], Field(discriminator="detail_type")]  # noqa: UP007 - a union built at run time


class CatalogueChangeRecord(SqsRecordModel):  # type: ignore[override]
    """The index queue carries every change that alters what search shows of a record."""

    body: Json[_events_for("index")]  # type: ignore[assignment,valid-type]


class BoardNotificationRecord(SqsRecordModel):  # type: ignore[override]
    """The acknowledge queue carries everything emailed about a record: the three outcomes of an upload,
    a copy's coming removal (to its board), and the day's list of coming removals (to staff)."""

    body: Json[_events_for("acknowledge")]  # type: ignore[assignment,valid-type]


# ---------------------------------------------------------------- Scheduler → SQS (retention)


class RetentionRun(BaseModel):
    """The schedule's payload; staff may add `as_of` to see or apply what a given day brings, and a
    `run_id` to follow the run: each invocation then records its part under that id (a continued
    run's successor carries the same id), and the CLI waits for the part that did not continue."""

    model_config = ConfigDict(extra="forbid")

    task: Literal["retention"]
    as_of: date | None = None
    # Part of a DynamoDB key: short and plain.
    run_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,64}$")


class RetentionRunRecord(SqsRecordModel):  # type: ignore[override]
    body: Json[RetentionRun]  # type: ignore[assignment]


# ---------------------------------------------------------------- Scheduler → SQS (weekly digest)


class DigestRun(BaseModel):
    """The weekly schedule's payload: send the digest of the previous week."""

    model_config = ConfigDict(extra="forbid")

    task: Literal["digest"]


class DigestRunRecord(SqsRecordModel):  # type: ignore[override]
    body: Json[DigestRun]  # type: ignore[assignment]


# ---------------------------------------------------------------- Scheduler → SQS (daily alerts)


class AlertsRun(BaseModel):
    """The daily schedule's payload: email the saved searches' matches among yesterday's deposits. Staff
    may add `as_of` (the run of that day: the deposits of the day before) and a `run_id` to follow it."""

    model_config = ConfigDict(extra="forbid")

    task: Literal["alerts"]
    as_of: date | None = None
    run_id: str | None = Field(default=None, pattern=r"^[A-Za-z0-9_-]{1,64}$")


class AlertsRunRecord(SqsRecordModel):  # type: ignore[override]
    body: Json[AlertsRun]  # type: ignore[assignment]
