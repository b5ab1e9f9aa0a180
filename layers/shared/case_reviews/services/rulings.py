"""Legal rulings staff make on a record's copy (hold, release, extend, take down), and its audit trail.

Every ruling is written over the version of the record it read (optimistic concurrency) together
with its audit entry, in one transaction, and then announced so the search index follows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from pydantic import BaseModel, TypeAdapter

from case_reviews.domain.audit import AuditAction, AuditEntry, RulingReason, TakeDownReason
from case_reviews.domain.description import MetadataCorrection
from case_reviews.domain.errors import ChangedMeanwhile, NotFound
from case_reviews.domain.events import DetailType, RecordChanged
from case_reviews.domain.records import CatalogueRecord, ElectronicCopy
from case_reviews.domain.rules import TAKE_DOWN_PUBLIC_REASON
from case_reviews.observability import logger
from case_reviews.ports import AuditStore, Clock, EventBus, RecordStore
from case_reviews.services.removal import CopyRemoval, Removal

_reason = TypeAdapter(RulingReason)


class RulingOutcome(BaseModel):
    """The record's copy after a ruling, and the audit entry that records the ruling."""

    reference: str
    action: AuditAction
    version: int
    electronic_copy: ElectronicCopy | None
    audit: AuditEntry


class LegalRulings:
    """Staff rulings on a record's electronic copy, and corrections to its metadata; `actor` is the staff
    identity the caller vouches for."""

    def __init__(
        self, records: RecordStore, audit: AuditStore, removal: CopyRemoval, events: EventBus, clock: Clock
    ) -> None:
        self.records = records
        self.audit_store = audit
        self.removal = removal
        self.events = events
        self.clock = clock

    def hold(self, reference: str, reason: str, actor: str) -> RulingOutcome:
        """Keep the copy past its last available day until released (the retention run no longer reads it)."""
        why = _reason.validate_python(reason)
        return self._change(reference, lambda record, now: record.with_hold(why, now), actor, AuditAction.HELD, why)

    def release(self, reference: str, actor: str, reason: str | None = None) -> RulingOutcome:
        """Lift the hold: if the last available day is already past, the next run removes the copy."""
        why = _reason.validate_python(reason) if reason else None
        return self._change(
            reference, lambda record, now: record.with_hold_released(now), actor, AuditAction.RELEASED, why
        )

    def extend(self, reference: str, until: date, actor: str, reason: str | None = None) -> RulingOutcome:
        """Make the copy available until `until` (a day already past makes it due at the next run)."""
        why = _reason.validate_python(reason) if reason else None
        return self._change(
            reference,
            lambda record, now: record.with_available_until(until, now),
            actor,
            AuditAction.EXTENDED,
            why,
        )

    def take_down(self, reference: str, reason: TakeDownReason, actor: str, note: str | None = None) -> RulingOutcome:
        """Remove the copy at once, as the five-year rule would; the public sees a neutral sentence, staff the
        code and the note (why, in their words) in the audit trail."""
        now = self.clock.now()
        written = _reason.validate_python(note) if note else None
        self._record(reference).check_can_take_down()
        removal = Removal(
            public_reason=TAKE_DOWN_PUBLIC_REASON,
            actor=actor,
            action=AuditAction.TAKEN_DOWN,
            audit_reason=reason.value,
            audit_note=written,
        )

        def unchanged(current: CatalogueRecord) -> bool:
            # Checked again on the fresh read the removal makes: a hold placed meanwhile wins.
            current.check_can_take_down()
            return True

        removed = self.removal.remove(reference, removal, now, wanted=unchanged)
        if removed is None:
            raise ChangedMeanwhile(f"{reference} changed while its copy was being taken down; run the command again.")
        return self._outcome(removed.record, AuditAction.TAKEN_DOWN, removed.audit)

    def edit(
        self, reference: str, correction: MetadataCorrection, actor: str, reason: str | None = None
    ) -> RulingOutcome:
        """Correct the record's metadata (the index follows; the reference stays)."""
        why = _reason.validate_python(reason) if reason else None
        return self._change(
            reference, lambda record, now: record.with_metadata(correction, now), actor, AuditAction.EDITED, why
        )

    def audit(self, reference: str) -> list[AuditEntry]:
        """The record's audit trail, oldest first."""
        self._record(reference)
        return self.audit_store.audit_trail(reference)

    def _record(self, reference: str) -> CatalogueRecord:
        record = self.records.get_record(reference)
        if record is None:
            raise NotFound(f"No record {reference}.")
        return record

    def _change(
        self,
        reference: str,
        change: Callable[[CatalogueRecord, datetime], CatalogueRecord],
        actor: str,
        action: AuditAction,
        reason: str | None,
    ) -> RulingOutcome:
        now = self.clock.now()
        before = self._record(reference)
        after = change(before, now)
        entry = AuditEntry.for_change(before, after, actor=actor, action=action, reason=reason, now=now)
        if not self.records.save_change(after, entry):
            raise ChangedMeanwhile(f"{reference} changed while the ruling was being written; nothing was changed.")
        # available_until is public (the record and search show it): the index re-reads the record.
        # Should this publish fail, the ruling stands and `index check` reports the record as stale.
        self.events.publish(DetailType.RECORD_CHANGED, RecordChanged(reference=reference, version=after.version))
        logger.info("Ruling recorded", extra={"reference": reference, "action": action, "version": after.version})
        return self._outcome(after, action, entry)

    @staticmethod
    def _outcome(record: CatalogueRecord, action: AuditAction, entry: AuditEntry) -> RulingOutcome:
        return RulingOutcome(
            reference=record.reference,
            action=action,
            version=record.version,
            electronic_copy=record.electronic_copy,
            audit=entry,
        )
