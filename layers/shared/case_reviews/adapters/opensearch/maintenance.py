"""Staff upkeep of the search index: the concrete indices behind the alias (drift checks, rebuilds).

Nothing on a request path uses this: it reads every document, or replaces the index whole.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from opensearchpy import OpenSearch, helpers
from opensearchpy.exceptions import NotFoundError

from case_reviews.adapters.opensearch.documents import document_from_record, indexed_version
from case_reviews.adapters.opensearch.index import bulk_actions, versioned_name
from case_reviews.domain.records import CatalogueRecord


class OpenSearchMaintenance:
    """Lists what the alias holds, builds a fresh concrete index and moves the alias to it."""

    def __init__(self, client: OpenSearch | Any, alias: str, definition: dict[str, Any]) -> None:
        self.client = client
        self.alias = alias
        self.definition = definition

    @property
    def versioned_name(self) -> str:
        return versioned_name(self.alias, self.definition)

    def indexed_versions(self) -> dict[str, int]:
        """Every indexed reference with the record version its document holds (scrolled, all of them)."""
        hits = helpers.scan(
            self.client,
            index=self.alias,
            query={"query": {"match_all": {}}, "_source": ["record_version"]},
            size=1000,
        )
        try:
            return {hit["_id"]: indexed_version(hit["_source"]) for hit in hits}
        except NotFoundError:
            return {}

    def schema_current(self) -> bool:
        """True when every index behind the alias was built from this definition (the schema version and
        synonyms its mapping's `_meta` records), or there is none yet (the first write builds it)."""
        expected = self.definition["mappings"].get("_meta")
        try:
            mappings = self.client.indices.get_mapping(index=self.alias)
        except NotFoundError:
            return True
        return all(found.get("mappings", {}).get("_meta") == expected for found in mappings.values())

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

    def load(self, index: str, records: Iterable[tuple[CatalogueRecord, str | None]]) -> int:
        """Bulk-index records straight into the concrete `index`, then refresh it; returns how many.

        Documents keep their record version as external version, as writes through the alias do,
        so later writes compare versions the same way.
        """
        documents = (document_from_record(record, body) for record, body in records)
        written = 0
        for ok, item in helpers.streaming_bulk(
            self.client, bulk_actions(index, documents), raise_on_error=False, max_retries=3
        ):
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
        return previous

    def delete_indices(self, names: Iterable[str]) -> None:
        for name in names:
            self.client.indices.delete(index=name, ignore_unavailable=True)
