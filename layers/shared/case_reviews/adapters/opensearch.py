"""The search index: one document per catalogue record, reached through an alias.

`ReviewDocument` is the index's shape. An anonymous report's document holds neither the
board's name nor its id, so no search (by text, facet or filter) can tie it to the board.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime
from typing import Any

from opensearchpy import OpenSearch, RequestsHttpConnection, helpers
from opensearchpy.exceptions import ConflictError, NotFoundError, RequestError
from pydantic import BaseModel, ConfigDict

from case_reviews.domain.errors import InvalidRequest
from case_reviews.domain.models import CatalogueRecord, PublicationDate
from case_reviews.domain.search import FacetCount, SearchHit, SearchPage, SearchQuery, SortOrder, YearListing
from case_reviews.domain.vocabulary import CopyStatus

HIGHLIGHT_TAGS = ("<mark>", "</mark>")
FACET_FIELDS = {
    "nation": "nation",
    "review_type": "review_type",
    "document_type": "document_type",
    "theme": "themes",
    "year": "publication_year",
    "has_copy": "has_copy",
}
# Where the words are found matters: a title match ranks above a summary match, and both above a
# passing mention somewhere in the full text (tests/integration/test_search_relevance.py).
TEXT_FIELDS = ["reference^8", "title^4", "summary^2", "publisher^2", "themes^2", "body"]
YEAR_LIST_LIMIT = 2000
# Highlighting analyses at most this many characters of the full text per request, well below the
# index's own `highlight.max_analyzed_offset` (infra/opensearch/reviews.json): a huge text is
# highlighted from its first part instead of failing (or stalling) the whole search. The full text
# uses the plain highlighter, which honours this bound; the unified one, working from the indexed
# offsets, takes tens of seconds on a report of megabytes where a searched word occurs thousands of times.
HIGHLIGHT_MAX_ANALYZED_OFFSET = 500_000


class ReviewDocument(BaseModel):
    """The index document of one catalogue record."""

    model_config = ConfigDict(extra="forbid")

    reference: str
    title: str
    summary: str | None = None
    body: str | None = None
    publisher: str
    board_id: str | None = None
    anonymous: bool
    nation: str
    review_type: str
    document_type: str
    themes: list[str]
    publication_date: date
    publication_year: int
    date_precision: str
    commissioned_date: date | None = None
    has_copy: bool
    copy_status: str | None = None
    available_until: date | None = None
    record_version: int


def document_from_record(record: CatalogueRecord, body: str | None) -> ReviewDocument:
    copy = record.electronic_copy
    return ReviewDocument(
        reference=record.reference,
        title=record.title,
        summary=record.summary,
        body=body if record.has_copy else None,
        publisher=record.publisher,
        board_id=None if record.anonymous else record.board_id,
        anonymous=record.anonymous,
        nation=record.nation.value,
        review_type=record.review_type.value,
        document_type=record.document_type.value,
        themes=list(record.themes),
        publication_date=record.publication_date.value,
        publication_year=record.publication_date.value.year,
        date_precision=record.publication_date.precision.value,
        commissioned_date=record.commissioned_date,
        has_copy=record.has_copy,
        copy_status=copy.status.value if copy else None,
        available_until=copy.available_until if copy and copy.status is CopyStatus.AVAILABLE else None,
        record_version=record.version,
    )


def hit_from_source(source: dict[str, Any], highlights: list[str]) -> SearchHit:
    published = PublicationDate(
        value=date.fromisoformat(source["publication_date"]), precision=source["date_precision"]
    )
    return SearchHit(
        reference=source["reference"],
        title=source["title"],
        publisher=source["publisher"],
        publication_date=str(published),
        nation=source["nation"],
        review_type=source["review_type"],
        document_type=source["document_type"],
        themes=tuple(source.get("themes", ())),
        summary=source.get("summary"),
        copy_status=source.get("copy_status"),
        available_until=source.get("available_until"),
        highlights=tuple(highlights),
    )


def build_search_body(query: SearchQuery) -> dict[str, Any]:
    """The OpenSearch request for a search: text relevance, filters, facets, highlights, cursor paging."""
    filters: list[dict[str, Any]] = []
    for field, values in (
        ("nation", query.nations),
        ("review_type", query.review_types),
        ("document_type", query.document_types),
        ("themes", query.themes),
    ):
        if values:
            filters.append({"terms": {field: [str(value) for value in values]}})
    if query.published_from or query.published_to:
        bounds = {}
        if query.published_from:
            bounds["gte"] = query.published_from.isoformat()
        if query.published_to:
            bounds["lte"] = query.published_to.isoformat()
        filters.append({"range": {"publication_date": bounds}})
    if query.board:
        filters.append(
            {"bool": {"should": [{"term": {"board_id": query.board}}, {"term": {"publisher.keyword": query.board}}]}}
        )
    if query.has_copy is not None:
        filters.append({"term": {"has_copy": query.has_copy}})

    must: list[dict[str, Any]] = []
    if query.text:
        must.append(
            {
                "simple_query_string": {
                    "query": query.text,
                    "fields": TEXT_FIELDS,
                    "default_operator": "and",
                    "flags": "AND|OR|NOT|PHRASE|PREFIX|PRECEDENCE|WHITESPACE",
                }
            }
        )

    order = query.sort
    if order is SortOrder.RELEVANCE and not query.text:
        order = SortOrder.NEWEST
    direction = "asc" if order is SortOrder.OLDEST else "desc"
    sort: list[Any] = [{"_score": "desc"}] if order is SortOrder.RELEVANCE else []
    sort += [{"publication_date": direction}, {"reference": "asc"}]

    body: dict[str, Any] = {
        "size": query.page_size,
        "track_total_hits": True,
        "query": {"bool": {"must": must or [{"match_all": {}}], "filter": filters}},
        "sort": sort,
        "_source": {"excludes": ["body"]},
        "aggs": {
            name: {"terms": {"field": field, "size": 100, **({"order": {"_key": "desc"}} if name == "year" else {})}}
            for name, field in FACET_FIELDS.items()
        },
    }
    if query.text:
        body["highlight"] = {
            "pre_tags": [HIGHLIGHT_TAGS[0]],
            "post_tags": [HIGHLIGHT_TAGS[1]],
            "encoder": "html",
            # OpenSearch names the per-request limit `max_analyzer_offset` (Elasticsearch: `max_analyzed_offset`).
            "max_analyzer_offset": HIGHLIGHT_MAX_ANALYZED_OFFSET,
            "fields": {
                "body": {"type": "plain", "fragment_size": 180, "number_of_fragments": 3},
                "summary": {"fragment_size": 180, "number_of_fragments": 1},
                "title": {"number_of_fragments": 0},
            },
        }
    if query.search_after:
        body["search_after"] = _checked_search_after(query.search_after, len(sort))
    return body


_CURSOR_MISFIT = "The cursor does not fit this search; start the search again without it."


def _checked_search_after(after: tuple[Any, ...], sort_keys: int) -> list[Any]:
    """A position has one value per sort key: numbers (score, date) and then the reference."""
    *numbers, reference = after
    fits = (
        len(after) == sort_keys
        and isinstance(reference, str)
        and all(isinstance(value, int | float) and not isinstance(value, bool) for value in numbers)
    )
    if not fits:
        raise InvalidRequest(_CURSOR_MISFIT, location="query.cursor")
    return list(after)


def page_from_response(response: dict[str, Any], page_size: int) -> SearchPage:
    raw_hits = response["hits"]["hits"]
    hits = []
    for raw in raw_hits:
        fragments = raw.get("highlight", {})
        highlights = [*fragments.get("body", []), *fragments.get("summary", []), *fragments.get("title", [])]
        hits.append(hit_from_source(raw["_source"], highlights))
    facets = {
        name: tuple(
            FacetCount(value=str(bucket.get("key_as_string", bucket["key"])).lower(), count=bucket["doc_count"])
            for bucket in aggregation["buckets"]
        )
        for name, aggregation in response.get("aggregations", {}).items()
    }
    next_after = tuple(raw_hits[-1]["sort"]) if len(raw_hits) == page_size and raw_hits else None
    return SearchPage(
        total=response["hits"]["total"]["value"], hits=tuple(hits), facets=facets, next_search_after=next_after
    )


def build_client(url: str, auth: str, region: str) -> OpenSearch:
    """An OpenSearch client; against AWS it signs every request with the function role (SigV4)."""
    options: dict[str, Any] = {
        "hosts": [url],
        "connection_class": RequestsHttpConnection,
        "timeout": 10,
        "max_retries": 3,
        "retry_on_timeout": True,
    }
    if auth == "sigv4":
        import boto3
        from opensearchpy import AWSV4SignerAuth

        options["http_auth"] = AWSV4SignerAuth(boto3.Session().get_credentials(), region, "es")
    return OpenSearch(**options)


class SearchIndex:
    """Writes and queries the reviews index through its alias."""

    def __init__(
        self,
        alias: str,
        definition: dict[str, Any],
        client: OpenSearch | Any | None = None,
        client_factory: Any | None = None,
    ) -> None:
        self.alias = alias
        self.definition = definition
        self._client = client
        self._client_factory = client_factory
        self._ready = False

    @property
    def client(self) -> OpenSearch:
        if self._client is None:
            assert self._client_factory is not None, "SearchIndex needs a client or a client factory"
            self._client = self._client_factory()
        return self._client

    @property
    def versioned_name(self) -> str:
        return f"{self.alias}-v{self.definition['schema_version']}"

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

    def upsert(self, document: ReviewDocument) -> bool:
        """Index the document under its reference; an older version than the indexed one is ignored.

        Returns False when the write was stale (a newer version is already indexed).
        """
        self.ensure_index()
        try:
            self.client.index(
                index=self.alias,
                id=document.reference,
                body=document.model_dump(mode="json", exclude_none=True),
                version=document.record_version,
                version_type="external_gte",
                # Return only once the document is searchable: "indexed" then means "findable".
                refresh="wait_for",
            )
        except ConflictError:
            return False
        return True

    def upsert_many(self, documents: Iterable[ReviewDocument]) -> tuple[int, int]:
        """Bulk-index documents (same versioning as `upsert`); returns (written, stale)."""
        self.ensure_index()
        actions = (
            {
                "_index": self.alias,
                "_id": document.reference,
                "_version": document.record_version,
                "_version_type": "external_gte",
                "_source": document.model_dump(mode="json", exclude_none=True),
            }
            for document in documents
        )
        written, stale = 0, 0
        for ok, item in helpers.streaming_bulk(self.client, actions, raise_on_error=False, max_retries=3):
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
        try:
            response = self.client.search(index=self.alias, body=build_search_body(query))
        except NotFoundError:
            return SearchPage(total=0, hits=(), facets={}, next_search_after=None)
        except RequestError as error:
            # Only a position can be refused here (the words go through simple_query_string, which never
            # fails): e.g. a number that is no date. That is the caller's cursor, not our failure.
            if query.search_after:
                raise InvalidRequest(_CURSOR_MISFIT, location="query.cursor") from error
            raise
        return page_from_response(response, query.page_size)

    def published_in(self, year: int) -> YearListing:
        """Everything published in `year`, in date order (the first YEAR_LIST_LIMIT), with totals by review type."""
        try:
            response = self.client.search(
                index=self.alias,
                body={
                    "size": YEAR_LIST_LIMIT,
                    "track_total_hits": True,
                    "query": {"bool": {"filter": [{"term": {"publication_year": year}}]}},
                    "sort": [{"publication_date": "asc"}, {"title.sort": "asc"}, {"reference": "asc"}],
                    "_source": {"excludes": ["body"]},
                    "aggs": {"review_type": {"terms": {"field": "review_type", "size": 100}}},
                },
            )
        except NotFoundError:
            return YearListing(year=year, total=0, hits=(), totals_by_review_type={})
        buckets = response.get("aggregations", {}).get("review_type", {}).get("buckets", [])
        return YearListing(
            year=year,
            total=response["hits"]["total"]["value"],
            hits=tuple(hit_from_source(raw["_source"], []) for raw in response["hits"]["hits"]),
            totals_by_review_type={str(bucket["key"]): bucket["doc_count"] for bucket in buckets},
        )

    def get(self, reference: str) -> ReviewDocument | None:
        try:
            found = self.client.get(index=self.alias, id=reference)
        except NotFoundError:
            return None
        return ReviewDocument.model_validate(found["_source"])

    def ping(self) -> bool:
        return bool(self.client.ping())

    # ---- staff maintenance: the concrete indices behind the alias

    def indexed_versions(self) -> dict[str, int]:
        """Every indexed reference with the record version its document holds (scrolled, all of them)."""
        hits = helpers.scan(
            self.client,
            index=self.alias,
            query={"query": {"match_all": {}}, "_source": ["record_version"]},
            size=1000,
        )
        try:
            return {hit["_id"]: _IndexedVersion.model_validate(hit["_source"]).record_version for hit in hits}
        except NotFoundError:
            return {}

    def indices_behind_alias(self) -> list[str]:
        """The concrete indices the alias points at (none before the first document is indexed)."""
        try:
            return sorted(self.client.indices.get_alias(name=self.alias))
        except NotFoundError:
            return []

    def fresh_index_name(self, now: datetime) -> str:
        """A new concrete index name: `<alias>-v<schema version>-<UTC time to the microsecond>`.

        It still starts with `versioned_name`, so anything that looks for `<alias>-*` finds it.
        """
        return f"{self.versioned_name}-{now.astimezone(UTC):%Y%m%d-%H%M%S-%f}"

    def create_concrete_index(self, name: str) -> None:
        """A new, empty index with this definition, not (yet) behind the alias."""
        body = {"settings": self.definition["settings"], "mappings": self.definition["mappings"]}
        self.client.indices.create(index=name, body=body)

    def load(self, index: str, documents: Iterable[ReviewDocument]) -> int:
        """Bulk-index documents straight into the concrete `index`, then refresh it; returns how many.

        Documents keep their record version as external version, as `upsert` writes them, so
        later upserts through the alias compare versions the same way.
        """
        actions = (
            {
                "_index": index,
                "_id": document.reference,
                "_version": document.record_version,
                "_version_type": "external_gte",
                "_source": document.model_dump(mode="json", exclude_none=True),
            }
            for document in documents
        )
        written = 0
        for ok, item in helpers.streaming_bulk(self.client, actions, raise_on_error=False, max_retries=3):
            if not ok:
                raise RuntimeError(f"bulk indexing into {index} failed: {item}")
            written += 1
        self.client.indices.refresh(index=index)
        return written

    def move_alias(self, to_index: str) -> list[str]:
        """Point the alias at `to_index` alone, in one atomic update; returns the indices it left.

        Removing and adding in the same `update_aliases` call means every search and write
        through the alias finds exactly one index, before and after, never none.
        """
        previous = [name for name in self.indices_behind_alias() if name != to_index]
        actions: list[dict[str, Any]] = [{"remove": {"index": name, "alias": self.alias}} for name in previous]
        actions.append({"add": {"index": to_index, "alias": self.alias, "is_write_index": True}})
        self.client.indices.update_aliases(body={"actions": actions})
        # The alias exists now: ensure_index must never create `versioned_name` beside it.
        self._ready = True
        return previous

    def delete_indices(self, names: Iterable[str]) -> None:
        for name in names:
            self.client.indices.delete(index=name, ignore_unavailable=True)


class _IndexedVersion(BaseModel):
    model_config = ConfigDict(extra="ignore")

    record_version: int
