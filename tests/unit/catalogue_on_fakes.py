"""A catalogue on the in-memory fakes, for the unit tests of the services that rule on records and copies:
records with copies whose files are in the file store, the retention store over the same records, and
what was announced."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from case_reviews.domain.records import CatalogueRecord
from case_reviews.services.removal import CopyRemoval
from tests.unit.factories import a_record, available_copy
from tests.unit.fakes import InMemoryFileStore, InMemoryRecordStore, InMemoryRetentionStore, RecordingEventBus


@dataclass
class Catalogue:
    records: InMemoryRecordStore = field(default_factory=InMemoryRecordStore)
    files: InMemoryFileStore = field(default_factory=InMemoryFileStore)
    events: RecordingEventBus = field(default_factory=RecordingEventBus)
    retention: InMemoryRetentionStore = field(init=False)

    def __post_init__(self) -> None:
        self.retention = InMemoryRetentionStore(self.records)

    @property
    def removal(self) -> CopyRemoval:
        return CopyRemoval(self.records, self.retention, self.files, self.events)

    def with_copy(self, number: int, until: date, held: bool = False, **record: Any) -> CatalogueRecord:
        """Record CR-2016-<number>, its copy available until `until` (held or not), its PDF and text stored."""
        reference = f"CR-2016-{number:04d}"
        pdf, text = f"reports/{reference}.pdf", f"text/{reference}.txt"
        copy = available_copy(
            object_key=pdf,
            text_key=text,
            available_until=until,
            held=held,
            hold_reason="Litigation pending" if held else None,
            sha256=hashlib.sha256(reference.encode()).hexdigest(),
        )
        made = a_record(reference=reference, electronic_copy=copy, **record)
        self.records.records[reference] = made
        self.records.claims[copy.sha256] = reference
        self.files.put(pdf, b"%PDF-1.7 version 1")
        self.files.put(pdf, b"%PDF-1.7 version 2")
        self.files.put(text, f"the words of {reference}".encode())
        return made

    def record(self, reference: str) -> CatalogueRecord:
        found = self.records.get_record(reference)
        assert found is not None
        return found

    def announced(self) -> list[tuple[str, dict[str, Any]]]:
        return [(str(kind), detail.model_dump(mode="json")) for kind, detail in self.events.published]
