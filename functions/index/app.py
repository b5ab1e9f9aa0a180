"""Index function: catalogue changes (a report catalogued, a copy removed, a record changed), through SQS,
become index documents."""

from __future__ import annotations

from case_reviews import bootstrap
from case_reviews.messages import CatalogueChangeRecord
from case_reviews.observability import count, sqs_handler


def record_handler(record: CatalogueChangeRecord) -> None:
    # Naturally idempotent: the document id is the reference and stale versions are refused.
    written = bootstrap.services().indexing.index_record(record.body.detail.reference)
    count("ReportsIndexed" if written else "StaleIndexWrites")


lambda_handler = sqs_handler(CatalogueChangeRecord, record_handler)
