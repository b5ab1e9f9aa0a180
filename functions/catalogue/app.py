"""Catalogue function: S3 upload notifications, through SQS, become catalogue records (or rejections)."""

from __future__ import annotations

from case_reviews import bootstrap
from case_reviews.messages import UploadNotificationRecord
from case_reviews.observability import count, sqs_handler


def record_handler(record: UploadNotificationRecord) -> None:
    # Each upload is catalogued once, however often its notification is delivered.
    for upload in record.uploaded_objects():
        outcome = bootstrap.services().catalogue.catalogue_upload(upload)
        count(f"Uploads_{outcome.status or 'ignored'}")


lambda_handler = sqs_handler(UploadNotificationRecord, record_handler)
