"""Index function: catalogue changes (a report catalogued, a copy removed), through SQS, become index documents."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools import Logger, Metrics, Tracer
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response
from aws_lambda_powertools.utilities.typing import LambdaContext

from case_reviews import bootstrap
from case_reviews.messages import CatalogueChangeRecord

logger = Logger()
tracer = Tracer()
metrics = Metrics()
processor = BatchProcessor(event_type=EventType.SQS, model=CatalogueChangeRecord)


@tracer.capture_method
def record_handler(record: CatalogueChangeRecord) -> None:
    # Naturally idempotent: the document id is the reference and stale versions are refused.
    written = bootstrap.indexing_service().index_record(record.body.detail.reference)
    metrics.add_metric(name="ReportsIndexed" if written else "StaleIndexWrites", unit=MetricUnit.Count, value=1)


@logger.inject_lambda_context
@tracer.capture_lambda_handler
@metrics.log_metrics
def lambda_handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    return process_partial_response(event=event, record_handler=record_handler, processor=processor, context=context)
