"""Following the learning: similar reviews, citations and exports, statistics, and the feed of new records.

The API's JSON routes and the site's pages call these alike; each takes the public base URL its links
are made from (the API's own, or the site's), so the same record is cited and linked the same way.
"""

from __future__ import annotations

import io
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from case_reviews.domain.errors import NotFound
from case_reviews.domain.exports import (
    MAX_EXPORT_BYTES,
    MAX_EXPORT_RECORDS,
    MEDIA_TYPES,
    ExportFormat,
    citation,
    entry,
    header,
    record_link,
)
from case_reviews.domain.feeds import FEED_LENGTH, atom_feed
from case_reviews.domain.records import CatalogueRecord
from case_reviews.domain.search import SearchHit, SearchQuery
from case_reviews.domain.statistics import Statistics, StatisticsQuery
from case_reviews.ports import Clock, RecordStore, SearchIndex

# An export pages through the search this many records at a time (the search's own page limit).
EXPORT_PAGE_SIZE = 100
SIMILAR_LIMIT = 10


class Export(BaseModel):
    """An export ready to send: its file name and type, its body, and how much of the search it holds."""

    model_config = ConfigDict(frozen=True)

    filename: str
    media_type: str
    body: str
    records: int
    # How many records the search matched (an export lists at most MAX_EXPORT_RECORDS of them).
    total: int
    complete: bool


class LearningService:
    """Similar records, citations, exports, counts and the feed: all from the public view of records."""

    def __init__(self, records: RecordStore, index: SearchIndex, clock: Clock) -> None:
        self.records = records
        self.index = index
        self.clock = clock

    def _record(self, reference: str) -> CatalogueRecord:
        record = self.records.get_record(reference)
        if record is None:
            raise NotFound(f"No catalogue record {reference}.")
        return record

    def similar(self, reference: str, limit: int = SIMILAR_LIMIT) -> tuple[SearchHit, ...]:
        """Up to `limit` records like this one, most alike first: never itself; for an anonymous report,
        never one of its board's own (by id or name), which would name the board beside it."""
        record = self._record(reference)
        exclude = tuple(name for name in (record.board_id, record.board_name) if name) if record.anonymous else ()
        return self.index.similar(record, exclude_boards=exclude, limit=limit)

    def citation(self, reference: str, public_base_url: str) -> str:
        record = self._record(reference).public()
        return citation(record, record_link(public_base_url, record.reference))

    def record_export(self, reference: str, format: ExportFormat, public_base_url: str) -> Export:
        """One record as RIS or CSV, named after its reference."""
        record = self._record(reference).public()
        body = header(format) + entry(record, record_link(public_base_url, record.reference), format)
        return Export(
            filename=f"{record.reference}.{format.value}",
            media_type=MEDIA_TYPES[format],
            body=body,
            records=1,
            total=1,
            complete=True,
        )

    def search_export(self, query: SearchQuery, format: ExportFormat, public_base_url: str) -> Export:
        """The search's first MAX_EXPORT_RECORDS records, in its order, as RIS or CSV.

        Built page by page as the search is read (search_after, EXPORT_PAGE_SIZE at a time, no facets or
        highlights): only one page of hits is held at a time beside the body. The body stops before a
        record that would take it past MAX_EXPORT_BYTES (`complete` is then False).
        """
        paged = query.model_copy(update={"page_size": EXPORT_PAGE_SIZE, "hits_only": True, "search_after": None})
        body = io.StringIO()
        size = body.write(header(format))
        written, total, complete = 0, 0, True
        while not query.empty_period:
            page = self.index.search(paged)
            total = page.total
            for hit in page.hits:
                if written >= MAX_EXPORT_RECORDS:
                    break
                text = entry(hit, record_link(public_base_url, hit.reference), format)
                cost = len(text.encode("utf-8"))
                if size + cost > MAX_EXPORT_BYTES:
                    complete = False
                    break
                size += cost
                body.write(text)
                written += 1
            if not complete or written >= MAX_EXPORT_RECORDS or page.next_search_after is None:
                break
            paged = paged.model_copy(update={"search_after": page.next_search_after})
        today = self.clock.now().date().isoformat()
        return Export(
            filename=f"case-reviews-search-{today}.{format.value}",
            media_type=MEDIA_TYPES[format],
            body=body.getvalue(),
            records=written,
            total=total,
            complete=complete and written == total,
        )

    def statistics(self, query: StatisticsQuery) -> Statistics:
        """Counts by year, nation, review type and theme (never by board)."""
        return self.index.statistics(query)

    def feed(self, public_base_url: str, now: datetime | None = None) -> str:
        """The Atom feed of the last FEED_LENGTH deposits."""
        return atom_feed(self.index.recently_added(FEED_LENGTH), public_base_url, now or self.clock.now())
