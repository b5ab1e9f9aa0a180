"""The messages the functions receive, parsed with the Powertools models their handlers use."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from case_reviews.domain.events import DetailType
from case_reviews.messages import (
    BUS_EVENTS,
    AlertsRunRecord,
    BoardNotificationRecord,
    CatalogueChangeRecord,
    DigestRunRecord,
    RetentionRunRecord,
    S3TestEvent,
    UploadedObject,
    UploadNotificationRecord,
)
from tests.support.events import EVENTS, load_event

# Which model each function's processor parses its records with (see functions/*/app.py).
MODEL_FOR_FOLDER = {
    "catalogue": UploadNotificationRecord,
    "index": CatalogueChangeRecord,
    "acknowledge": BoardNotificationRecord,
    "retention": RetentionRunRecord,
    "digest": DigestRunRecord,
    "alerts": AlertsRunRecord,
}
SAMPLES = sorted(
    f"{path.parent.name}/{path.name}" for folder in MODEL_FOR_FOLDER for path in (EVENTS / folder).glob("*.json")
)


def first_record(relative: str, body: Any = None) -> dict[str, Any]:
    record = load_event(relative)["Records"][0]
    if body is not None:
        record["body"] = body if isinstance(body, str) else json.dumps(body)
    return record


def s3_body(*records: dict[str, Any]) -> dict[str, Any]:
    return {"Records": list(records)}


def s3_record(key: str, event_name: str = "ObjectCreated:Post", size: int = 10, **object_fields: Any) -> dict[str, Any]:
    return {
        "eventSource": "aws:s3",
        "eventName": event_name,
        "s3": {"bucket": {"name": "reports"}, "object": {"key": key, "size": size, **object_fields}},
    }


def test_there_are_sample_events_for_every_queue() -> None:
    # Given the events/ folders of the four queue-fed functions
    # When their samples are listed
    folders = {sample.split("/")[0] for sample in SAMPLES}
    # Then every function has at least one sample to parse
    assert folders == set(MODEL_FOR_FOLDER)
    assert len(SAMPLES) >= 7


@pytest.mark.parametrize("sample", SAMPLES)
def test_every_sample_event_parses_with_its_functions_model(sample: str) -> None:
    # Given a sample SQS event for a function
    event = load_event(sample)
    model = MODEL_FOR_FOLDER[sample.split("/")[0]]
    # When each record is parsed with the model the function's batch processor uses
    parsed = [model.model_validate(record) for record in event["Records"]]
    # Then every record parses, with its body decoded from JSON
    assert parsed
    assert all(not isinstance(record.body, str) for record in parsed)


def test_the_object_created_sample_gives_the_uploaded_object() -> None:
    # Given the S3 "object created" sample
    record = UploadNotificationRecord.model_validate(first_record("catalogue/s3_object_created.json"))
    # When its uploaded objects are read
    uploads = record.uploaded_objects()
    # Then there is the one upload, with its bucket, key, size and version details
    assert uploads == [
        UploadedObject(
            bucket="case-reviews-reports-local",
            key="incoming/7c9e6679-7425-40de-944b-e07fc1f90ae7.pdf",
            size=48213,
            etag="0123456789abcdef0123456789abcdef",
            version_id="096fKKXTRTtl3on89fVO.nfljtsv6qko",
            sequencer="0066A8D0E77DE42BC5",
        )
    ]


def test_the_s3_test_event_parses_and_has_no_uploaded_objects() -> None:
    # Given the one-off test message S3 sends when the notification is configured
    record = UploadNotificationRecord.model_validate(first_record("catalogue/s3_test_event.json"))
    # When its uploaded objects are read
    # Then it is recognised as a test event with nothing to catalogue
    assert isinstance(record.body, S3TestEvent)
    assert record.body.Bucket == "case-reviews-reports-local"
    assert record.uploaded_objects() == []


@pytest.mark.parametrize(
    ("raw_key", "key"),
    [
        ("incoming/a+b%2Bc.pdf", "incoming/a b+c.pdf"),
        ("incoming/Child+K%27s+review.pdf", "incoming/Child K's review.pdf"),
        ("incoming/%C3%A9t%C3%A9.pdf", "incoming/été.pdf"),
        ("incoming/plain.pdf", "incoming/plain.pdf"),
    ],
)
def test_an_s3_key_encoded_with_quote_plus_is_decoded(raw_key: str, key: str) -> None:
    # Given a notification whose key S3 encoded with quote_plus
    body = s3_body(s3_record(raw_key))
    # When the record is parsed
    record = UploadNotificationRecord.model_validate(first_record("catalogue/s3_object_created.json", body))
    # Then the uploaded object's key is the real object key
    assert [upload.key for upload in record.uploaded_objects()] == [key]


def test_only_object_created_records_are_uploads_and_optional_fields_may_be_missing() -> None:
    # Given a notification with a removal and two creations (one from a local S3 that sends no eTag or size)
    body = s3_body(
        s3_record("incoming/old.pdf", event_name="ObjectRemoved:Delete"),
        s3_record("incoming/one.pdf", event_name="ObjectCreated:Put"),
        {
            "eventSource": "aws:s3",
            "eventName": "ObjectCreated:Post",
            "s3": {"bucket": {"name": "b"}, "object": {"key": "incoming/two.pdf"}},
        },
    )
    # When the record is parsed
    record = UploadNotificationRecord.model_validate(first_record("catalogue/s3_object_created.json", body))
    # Then only the created objects are uploads, the missing size reading as 0
    assert [(u.key, u.size, u.etag) for u in record.uploaded_objects()] == [
        ("incoming/one.pdf", 10, None),
        ("incoming/two.pdf", 0, None),
    ]


@pytest.mark.parametrize(
    "body",
    [
        "not json",
        {"Records": [{"eventSource": "aws:sns", "eventName": "ObjectCreated:Put", "s3": {}}]},
        {"Event": "s3:Other", "Bucket": "b"},
    ],
    ids=["not json", "not from s3", "another s3 event"],
)
def test_a_catalogue_record_that_is_neither_a_notification_nor_the_test_event_is_rejected(body: Any) -> None:
    # Given a catalogue queue record with a body of another kind
    record = first_record("catalogue/s3_object_created.json", body)
    # When it is parsed
    # Then it fails validation (the batch reports it as failed)
    with pytest.raises(ValidationError):
        UploadNotificationRecord.model_validate(record)


def test_the_index_sample_carries_the_catalogued_reference() -> None:
    # Given the index queue's sample
    record = CatalogueChangeRecord.model_validate(first_record("index/report_catalogued.json"))
    # When its body is read
    # Then it is a ReportCatalogued event with the reference and submission
    assert record.body.detail_type is DetailType.REPORT_CATALOGUED
    assert record.body.detail.reference == "CR-2016-0001"
    assert record.body.detail.submission_id == "7c9e6679-7425-40de-944b-e07fc1f90ae7"


def test_the_index_queue_also_carries_a_removed_copy() -> None:
    # Given the index queue's sample of a copy removed by the five-year rule
    record = CatalogueChangeRecord.model_validate(first_record("index/copy_removed.json"))
    # When its body is read
    # Then it is an ElectronicCopyRemoved event naming the record and the day
    assert record.body.detail_type is DetailType.COPY_REMOVED
    assert record.body.detail.reference == "CR-2016-0001"
    assert record.body.detail.removed_on.isoformat() == "2031-11-28"


@pytest.mark.parametrize(
    ("sample", "event_type"),
    [
        ("acknowledge/report_catalogued.json", BUS_EVENTS[DetailType.REPORT_CATALOGUED]),
        ("acknowledge/submission_rejected.json", BUS_EVENTS[DetailType.SUBMISSION_REJECTED]),
        ("acknowledge/submission_duplicate.json", BUS_EVENTS[DetailType.SUBMISSION_DUPLICATE]),
        ("acknowledge/expiry_approaching.json", BUS_EVENTS[DetailType.EXPIRY_APPROACHING]),
        ("acknowledge/expiry_summary_due.json", BUS_EVENTS[DetailType.EXPIRY_SUMMARY_DUE]),
    ],
)
def test_the_acknowledge_queue_tells_its_notifications_apart_by_detail_type(sample: str, event_type: type) -> None:
    # Given an acknowledge queue sample
    # When it is parsed
    record = BoardNotificationRecord.model_validate(first_record(sample))
    # Then its body is the event of its detail-type
    assert type(record.body) is event_type


def test_a_rejection_carries_its_reason() -> None:
    # Given the rejection sample
    record = BoardNotificationRecord.model_validate(first_record("acknowledge/submission_rejected.json"))
    # When its detail is read
    # Then the reason is the one to tell the board
    assert isinstance(record.body, BUS_EVENTS[DetailType.SUBMISSION_REJECTED])
    assert record.body.detail.reason == "The file is not a PDF. Export the report as PDF and submit it again."


def test_a_duplicate_names_the_existing_record_and_a_warning_its_copy_s_last_day() -> None:
    # Given the duplicate, expiry warning and summary samples
    # When they are parsed
    duplicate = BoardNotificationRecord.model_validate(first_record("acknowledge/submission_duplicate.json"))
    warning = BoardNotificationRecord.model_validate(first_record("acknowledge/expiry_approaching.json"))
    summary = BoardNotificationRecord.model_validate(first_record("acknowledge/expiry_summary_due.json"))
    # Then each detail carries identifiers and dates only
    assert duplicate.body.detail.model_dump(mode="json") == {
        "submission_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
        "reference": "CR-2016-0001",
    }
    assert warning.body.detail.model_dump() == {"reference": "CR-2016-0001", "available_until": date(2031, 11, 25)}
    assert summary.body.detail.model_dump() == {"as_of": date(2031, 10, 26), "until": date(2031, 11, 25)}


def test_a_warning_without_its_date_is_rejected() -> None:
    # Given an expiry warning whose detail lost its date
    body = json.loads(first_record("acknowledge/expiry_approaching.json")["body"])
    del body["detail"]["available_until"]
    # When it is parsed
    # Then it fails validation (no warning goes out without the date it warns of)
    with pytest.raises(ValidationError):
        BoardNotificationRecord.model_validate(first_record("acknowledge/expiry_approaching.json", body))


def test_a_bus_event_without_an_account_parses_as_the_embedded_bus_sends_it() -> None:
    # Given a catalogued event without "account" (the embedded EventBridge leaves it out)
    body = json.loads(first_record("index/report_catalogued.json")["body"])
    del body["account"]
    # When it is parsed
    record = CatalogueChangeRecord.model_validate(first_record("index/report_catalogued.json", body))
    # Then it parses with an empty account
    assert record.body.account == ""


@pytest.mark.parametrize(
    ("model", "detail_type"),
    [(CatalogueChangeRecord, "SubmissionRejected"), (BoardNotificationRecord, "SomethingElse")],
)
def test_an_event_of_another_detail_type_is_rejected(model: type, detail_type: str) -> None:
    # Given a bus event whose detail-type the queue does not carry
    body = json.loads(first_record("index/report_catalogued.json")["body"])
    body["detail-type"] = detail_type
    # When it is parsed
    # Then it fails validation
    with pytest.raises(ValidationError):
        model.model_validate(first_record("index/report_catalogued.json", body))


@pytest.mark.parametrize(
    ("sample", "as_of"),
    [("retention/scheduled.json", None), ("retention/on_demand_as_of.json", date(2031, 12, 1))],
)
def test_a_retention_run_may_name_the_day_it_is_run_for(sample: str, as_of: date | None) -> None:
    # Given the scheduled or the on-demand retention message
    # When it is parsed
    record = RetentionRunRecord.model_validate(first_record(sample))
    # Then it is a retention task, for the given day if any
    assert record.body.task == "retention"
    assert record.body.as_of == as_of


@pytest.mark.parametrize(
    "body",
    [
        {"task": "retention", "as_of": "2031-12-01", "dry_run": False},
        {"task": "reindex"},
        {},
        {"task": "retention", "as_of": "soon"},
    ],
    ids=["unknown field", "other task", "no task", "bad date"],
)
def test_a_retention_body_that_does_not_fit_is_rejected(body: dict[str, Any]) -> None:
    # Given a retention message with an unknown field, another task, no task or a bad date
    record = first_record("retention/scheduled.json", body)
    # When it is parsed
    # Then it fails validation
    with pytest.raises(ValidationError):
        RetentionRunRecord.model_validate(record)
