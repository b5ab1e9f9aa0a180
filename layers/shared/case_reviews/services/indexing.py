"""Keep the search index in step with the catalogue."""

from __future__ import annotations

from aws_lambda_powertools import Logger

from case_reviews.adapters.dynamodb import CatalogueRepository
from case_reviews.adapters.opensearch import SearchIndex, document_from_record
from case_reviews.adapters.s3 import ReportStore

logger = Logger(child=True)


class RecordNotFound(Exception):
    """The event names a record the table does not (yet) hold: redeliver."""


class IndexingService:
    """Writes one catalogue record (re-read from the table, the source of truth) into the index."""

    def __init__(self, repository: CatalogueRepository, store: ReportStore, index: SearchIndex) -> None:
        self.repository = repository
        self.store = store
        self.index = index

    def index_record(self, reference: str) -> bool:
        """Upsert the record's document; returns False when a newer version was already indexed."""
        record = self.repository.get_record(reference)
        if record is None:
            raise RecordNotFound(reference)
        copy = record.electronic_copy
        body = self.store.read_text(copy.text_key) if record.has_copy and copy and copy.text_key else None
        written = self.index.upsert(document_from_record(record, body))
        logger.info("Record indexed", extra={"reference": reference, "version": record.version, "written": written})
        return written
