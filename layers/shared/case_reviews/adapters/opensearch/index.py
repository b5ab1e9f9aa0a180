"""The public search index, reached through its alias: written from records, queried for searches."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from opensearchpy import OpenSearch, helpers
from opensearchpy.exceptions import ConflictError, NotFoundError, RequestError, TransportError
from opensearchpy.exceptions import ConnectionError as SearchConnectionError

from case_reviews.adapters.breaker import BreakerOpen, CircuitBreaker
from case_reviews.adapters.opensearch.documents import ReviewDocument, added_from_source, document_from_record
from case_reviews.adapters.opensearch.queries import (
    CURSOR_MISFIT,
    SIMILAR_LIMIT,
    build_search_body,
    empty_statistics,
    hits_from_response,
    page_from_response,
    recently_added_body,
    similar_body,
    statistics_body,
    statistics_from_response,
    year_from_response,
    year_list_body,
)
from case_reviews.domain.errors import InvalidRequest, ServiceUnavailable
from case_reviews.domain.records import CatalogueRecord
from case_reviews.domain.search import AddedRecord, SearchHit, SearchPage, SearchQuery, YearListing
from case_reviews.domain.statistics import Statistics, StatisticsQuery

SEARCH_DOWN = "Search is not available at the moment; please try again shortly."
# Answers of a domain that is overloaded or between nodes, rather than of a query it refused.
_UNAVAILABLE_STATUSES = frozenset({429, 502, 503, 504})


def search_is_down(error: BaseException) -> bool:
    """Whether `error` says the search domain is not answering (refused, reset or timed out; overloaded)."""
    if isinstance(error, SearchConnectionError):  # ConnectionTimeout included
        return True
    return isinstance(error, TransportError) and error.status_code in _UNAVAILABLE_STATUSES


def versioned_name(alias: str, definition: dict[str, Any]) -> str:
    """The concrete index a definition is first created as, behind `alias`: `<alias>-v<schema version>`."""
    return f"{alias}-v{definition['schema_version']}"


def bulk_actions(index: str, documents: Iterable[ReviewDocument]) -> Iterable[dict[str, Any]]:
    """Index actions keyed by reference, versioned by the record's version: a stale write is refused."""
    for document in documents:
        yield {
            "_index": index,
            "_id": document.reference,
            "_version": document.record_version,
            "_version_type": "external_gte",
            "_source": document.model_dump(mode="json", exclude_none=True),
        }


class OpenSearchIndex:
    """Writes and queries the reviews index through its alias (created on first write if missing).

    Given a `breaker` (the API's searches), its reads fail fast: a domain that is down, or known to
    be down, is a `ServiceUnavailable` (503). Without one (the writers), every error is raised as it
    is, so that the message that asked for the write is retried through its queue.
    """

    def __init__(
        self, client: OpenSearch | Any, alias: str, definition: dict[str, Any], breaker: CircuitBreaker | None = None
    ) -> None:
        self.client = client
        self.alias = alias
        self.definition = definition
        self.breaker = breaker
        self._ready = False

    def _answer[T](self, request: Callable[[], T]) -> T:
        """`request`'s answer; through the breaker, if there is one, with a domain that is down as a 503."""
        if self.breaker is None:
            return request()
        try:
            return self.breaker.call(request)
        except BreakerOpen as refused:
            raise ServiceUnavailable(SEARCH_DOWN, refused.retry_after_seconds) from refused
        except TransportError as error:
            if search_is_down(error):
                raise ServiceUnavailable(SEARCH_DOWN, self.breaker.retry_after_seconds()) from error
            raise

    @property
    def versioned_name(self) -> str:
        return versioned_name(self.alias, self.definition)

    def ensure_index(self) -> None:
        """Create the versioned index and point the alias at it, unless the alias already exists."""
        if self._ready:
            return
        if not self.client.indices.exists_alias(name=self.alias):
            body = {
                "settings": self.definition["settings"],
                "mappings": self.definition["mappings"],
                "aliases": {self.alias: {"is_write_index": True}},
            }
            try:
                self.client.indices.create(index=self.versioned_name, body=body)
            except RequestError as error:
                if error.error != "resource_already_exists_exception":
                    raise
        self._ready = True

    def put(self, record: CatalogueRecord, body: str | None) -> bool:
        """Index the record under its reference; an older version than the indexed one is ignored.

        Returns False when the write was stale (a newer version is already indexed).
        """
        document = document_from_record(record, body)
        self.ensure_index()
        try:
            self.client.index(
                index=self.alias,
                id=document.reference,
                body=document.model_dump(mode="json", exclude_none=True),
                version=document.record_version,
                version_type="external_gte",
                # Searchable at once, not at the next periodic refresh (up to a second later): a deposit is
                # findable as soon as it is indexed. Cheap at the library's rate of a few deposits a day.
                refresh=True,
            )
        except ConflictError:
            return False
        return True

    def put_many(self, records: Iterable[tuple[CatalogueRecord, str | None]]) -> tuple[int, int]:
        """Bulk-index records (same versioning as `put`); returns (written, stale)."""
        self.ensure_index()
        documents = (document_from_record(record, body) for record, body in records)
        written, stale = 0, 0
        for ok, item in helpers.streaming_bulk(
            self.client, bulk_actions(self.alias, documents), raise_on_error=False, max_retries=3
        ):
            if ok:
                written += 1
            elif item.get("index", {}).get("status") == 409:
                stale += 1
            else:
                raise RuntimeError(f"bulk indexing failed: {item}")
        self.client.indices.refresh(index=self.alias)
        return written, stale

    def search(self, query: SearchQuery) -> SearchPage:
        """One page of results; before the first report is indexed there is no index, so nothing is found."""
        body = build_search_body(query)
        try:
            response = self._answer(lambda: self.client.search(index=self.alias, body=body))
        except NotFoundError:
            return SearchPage(total=0, hits=(), facets={}, next_search_after=None)
        except RequestError as error:
            # Only a position can be refused here (the words go through simple_query_string, which never
            # fails): e.g. a number that is no date. That is the caller's cursor, not our failure.
            if query.search_after:
                raise InvalidRequest(CURSOR_MISFIT, location="query.cursor") from error
            raise
        return page_from_response(response, query.page_size)

    def published_in(self, year: int) -> YearListing:
        """Everything published in `year`, in date order, with totals by review type."""
        try:
            response = self._answer(lambda: self.client.search(index=self.alias, body=year_list_body(year)))
        except NotFoundError:
            return YearListing(year=year, total=0, hits=(), totals_by_review_type={})
        return year_from_response(year, response)

    def _search(self, body: dict[str, Any]) -> dict[str, Any] | None:
        """A search of the alias (through the breaker, if there is one); None before the first report is
        indexed (there is no index yet)."""
        try:
            return self._answer(lambda: self.client.search(index=self.alias, body=body))  # type: ignore[no-any-return]
        except NotFoundError:
            return None

    def similar(
        self,
        record: CatalogueRecord,
        exclude_boards: tuple[str, ...] = (),
        limit: int = SIMILAR_LIMIT,
    ) -> tuple[SearchHit, ...]:
        """Up to `limit` records like `record` (never itself, nor any of `exclude_boards`), most alike first."""
        body = similar_body(
            self.alias, record.reference, record.themes, record.review_type.value, exclude_boards, limit
        )
        response = self._search(body)
        return hits_from_response(response) if response else ()

    def statistics(self, query: StatisticsQuery) -> Statistics:
        """The matching records counted by year, nation, review type and theme (aggregations only)."""
        response = self._search(statistics_body(query))
        return statistics_from_response(query, response) if response else empty_statistics(query)

    def recently_added(self, limit: int) -> tuple[AddedRecord, ...]:
        """The last `limit` deposits, newest first."""
        response = self._search(recently_added_body(limit))
        if not response:
            return ()
        return tuple(added_from_source(raw["_source"]) for raw in response["hits"]["hits"])

    def get(self, reference: str) -> ReviewDocument | None:
        try:
            found = self._answer(lambda: self.client.get(index=self.alias, id=reference))
        except NotFoundError:
            return None
        return ReviewDocument.model_validate(found["_source"])

    def ping(self) -> bool:
        """Whether the domain answers; through the breaker, a domain known to be down is not asked again."""
        if self.breaker is None:
            return bool(self.client.ping())
        # HEAD /, as ping() sends it, but raising: the breaker counts a domain that does not answer.
        self._answer(lambda: self.client.transport.perform_request("HEAD", "/"))
        return True
