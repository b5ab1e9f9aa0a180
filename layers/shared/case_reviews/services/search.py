"""The public side: search, records, yearly lists and download links."""

from __future__ import annotations

from datetime import timedelta

from case_reviews.domain.errors import CopyRemoved, NotFound
from case_reviews.domain.records import CatalogueRecord, PublicRecord
from case_reviews.domain.rules import check_listed_year
from case_reviews.domain.search import SearchPage, SearchQuery, YearListing
from case_reviews.domain.vocabulary import CopyStatus
from case_reviews.ports import Clock, FileStore, RecordStore, SearchIndex

# The ceiling for a download link's life: a link copied elsewhere stops working within minutes.
MAX_DOWNLOAD_TTL_SECONDS = 300
# How far back the home page's latest additions look: a quarter of deposits is a short read of the table.
LATEST_ADDITIONS_DAYS = 92


class SearchService:
    """Answers searchers; files are reached only through short-lived links issued here."""

    def __init__(
        self, records: RecordStore, index: SearchIndex, store: FileStore, clock: Clock, download_ttl_seconds: int
    ) -> None:
        self.records = records
        self.index = index
        self.store = store
        self.clock = clock
        self.download_ttl_seconds = min(download_ttl_seconds, MAX_DOWNLOAD_TTL_SECONDS)

    def search(self, query: SearchQuery) -> SearchPage:
        """One page of results. A year outside the from/to range leaves no day to match: nothing is found."""
        if query.published_from and query.published_to and query.published_from > query.published_to:
            return SearchPage(total=0, hits=(), facets={}, next_search_after=None)
        return self.index.search(query)

    def published_in(self, year: int) -> YearListing:
        """The yearly list: catalogue-only historic records included, as every record is indexed."""
        check_listed_year(year, self.clock.now())
        return self.index.published_in(year)

    def latest_additions(self, limit: int, within_days: int = LATEST_ADDITIONS_DAYS) -> list[PublicRecord]:
        """The deposits catalogued most recently (within `within_days`), newest first, as the public sees them."""
        now = self.clock.now()
        added = list(self.records.records_added(now - timedelta(days=within_days), now))
        return [record.public() for record in reversed(added[-limit:])]

    def record(self, reference: str) -> CatalogueRecord:
        record = self.records.get_record(reference)
        if record is None:
            raise NotFound(f"No catalogue record {reference}.")
        return record

    def download_link(self, reference: str) -> str:
        record = self.record(reference)
        copy = record.electronic_copy
        if copy is None:
            raise NotFound(f"{reference} is catalogued without an electronic copy.")
        if copy.status is CopyStatus.REMOVED or not copy.object_key:
            raise CopyRemoved(f"The electronic copy of {reference} was removed on {copy.removed_on}.")
        return self.store.presign_download(copy.object_key, f"{reference}.pdf", self.download_ttl_seconds)
