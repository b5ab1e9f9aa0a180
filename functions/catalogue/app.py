"""Catalogue function: S3 upload notifications, through SQS, become catalogue records."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.typing import LambdaContext

from case_reviews import bootstrap
from case_reviews.messages import UploadedObject, UploadNotificationRecord

logger = Logger()
tracer = Tracer()
metrics = Metrics()
processor = BatchProcessor(event_type=EventType.SQS, model=UploadNotificationRecord)


def catalogue(upload: UploadedObject) -> dict[str, Any]:
    outcome = bootstrap.catalogue_service().catalogue_upload(upload, bootstrap.clock().now())
    return outcome.model_dump(mode="json")


@tracer.capture_method
def record_handler(record: UploadNotificationRecord) -> None:
    catalogue_once = bootstrap.once(catalogue, payload="upload")
    for upload in record.uploaded_objects():
        outcome = catalogue_once(upload=upload)
        metrics.add_metric(name=f"Uploads_{outcome.get('status') or 'ignored'}", unit=MetricUnit.Count, value=1)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    bootstrap.idempotency_config().register_lambda_context(context)
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
