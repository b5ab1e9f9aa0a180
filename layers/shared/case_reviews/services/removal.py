"""Removing an electronic copy: the steps the five-year rule and a staff take-down share."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import datetime
from typing import NamedTuple

from pydantic import BaseModel

from case_reviews.domain.audit import AuditAction, AuditEntry
from case_reviews.domain.events import DetailType, ElectronicCopyRemoved
from case_reviews.domain.records import CatalogueRecord
from case_reviews.observability import logger
from case_reviews.ports import EventBus, FileStore, RecordStore, RetentionStore


class Removal(BaseModel):
    """Why and by whom a copy is removed: the public reason goes on the record, the rest in the audit trail."""

    public_reason: str
    actor: str
    action: AuditAction
    audit_reason: str
    audit_note: str | None = None


class RemovedCopy(NamedTuple):
    record: CatalogueRecord
    audit: AuditEntry


class CopyRemoval:
    """Removes a record's copy: the file (every version), its text and its link; the record stays.

    Three steps, each safe to repeat, so whatever stops anywhere is finished by the next
    retention run: delete the objects; save the record as removed with its audit entry, in one
    transaction (the record stays listed as unannounced); announce it on the bus (the index
    drops the text and link) and unlist it.
    """

    def __init__(self, records: RecordStore, retention: RetentionStore, store: FileStore, events: EventBus) -> None:
        self.records = records
        self.retention = retention
        self.store = store
        self.events = events

    def remove(
        self,
        reference: str,
        removal: Removal,
        now: datetime,
        wanted: Callable[[CatalogueRecord], bool] = lambda _record: True,
    ) -> RemovedCopy | None:
        """Remove the copy if the record, read afresh, still has one and is still `wanted`; the removed
        record and its audit entry, or None when there was nothing to remove or it changed meanwhile."""
        # A consistent read, not the (eventually consistent) index's copy: a hold or a new date placed
        # since the list was read must win over the list.
        record = self.records.get_record(reference)
        if record is None or not record.has_copy or not wanted(record):
            return None
        copy = record.electronic_copy
        assert copy is not None
        for key in (copy.object_key, copy.text_key):
            if key:
                self.store.delete_every_version(key)
        removed = record.with_copy_removed(removed_on=now.date(), reason=removal.public_reason, now=now)
        entry = AuditEntry.for_change(
            record,
            removed,
            actor=removal.actor,
            action=removal.action,
            reason=removal.audit_reason,
            now=now,
            note=removal.audit_note,
        )
        if not self.retention.save_copy_removed(removed, entry):
            # Changed since it was read (another run, or staff): whoever changed it wins; a run looks again.
            logger.warning("Record changed during removal", extra={"reference": reference})
            return None
        self.announce(removed)
        logger.info(
            "Electronic copy removed", extra={"reference": reference, "sha256": copy.sha256, "action": removal.action}
        )
        return RemovedCopy(removed, entry)

    def finish_unannounced(self) -> Iterator[str]:
        """Announce the removals a run or a take-down saved but did not get onto the bus."""
        for record in self.retention.removals_unannounced():
            self.announce(record)
            yield record.reference

    def announce(self, record: CatalogueRecord) -> None:
        copy = record.electronic_copy
        assert copy is not None and copy.removed_on is not None
        self.events.publish(
            DetailType.COPY_REMOVED, ElectronicCopyRemoved(reference=record.reference, removed_on=copy.removed_on)
        )
        self.retention.mark_removal_announced(record.reference)
