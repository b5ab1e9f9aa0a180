"""Keep the search index in step with the catalogue."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from case_reviews.domain.files import text_key
from case_reviews.domain.records import CatalogueRecord
from case_reviews.observability import logger
from case_reviews.ports import FileStore, RecordStore, SearchIndex


class RecordNotFound(Exception):
    """The event names a record the table does not (yet) hold: redeliver."""


class IndexingService:
    """Writes one catalogue record (re-read from the table, the source of truth) into the index."""

    def __init__(self, records: RecordStore, store: FileStore, index: SearchIndex) -> None:
        self.records = records
        self.store = store
        self.index = index

    def index_record(self, reference: str) -> bool:
        """Upsert the record's document; returns False when a newer version was already indexed."""
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="index-read") as reads:
            # The text is read beside the record, from where every copy's text is kept. It is used only if the
            # record says the library still holds its copy (a removed copy's read fails unseen); a copy held
            # without its text fails here, to be indexed again.
            text_read = reads.submit(self.store.read_text, text_key(reference))
            record = self.records.get_record(reference)
            if record is None:
                raise RecordNotFound(reference)
            copy = record.electronic_copy
            if not (record.has_copy and copy and copy.text_key):
                text = None
            elif copy.text_key == text_key(reference):
                text = text_read.result()
            else:
                text = full_text(record, self.store)
        written = self.index.put(record, text)
        logger.info("Record indexed", extra={"reference": reference, "version": record.version, "written": written})
        return written


def full_text(record: CatalogueRecord, store: FileStore) -> str | None:
    """The record's extracted text, only while the library still holds its copy (search sees what
    downloaders can get)."""
    copy = record.electronic_copy
    return store.read_text(copy.text_key) if record.has_copy and copy and copy.text_key else None
