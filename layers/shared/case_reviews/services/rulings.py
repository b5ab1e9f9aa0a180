"""Legal rulings staff make on a record's copy (hold, release, extend, take down), and its audit trail.

Every ruling is written over the version of the record it read (optimistic concurrency) together
with its audit entry, in one transaction, and then announced so the search index follows.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

from aws_lambda_powertools import Logger
from pydantic import BaseModel, TypeAdapter

from case_reviews.adapters.dynamodb import CatalogueRepository
from case_reviews.domain.errors import ChangedMeanwhile, NotFound
from case_reviews.domain.events import DetailType, RecordChanged
from case_reviews.domain.models import (
    AuditAction,
    AuditEntry,
    CatalogueRecord,
    ElectronicCopy,
    MetadataCorrection,
    RulingReason,
    TakeDownReason,
)
from case_reviews.domain.rules import TAKE_DOWN_PUBLIC_REASON
from case_reviews.services.removal import CopyRemoval, EventBus, Removal

logger = Logger(child=True)

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

    def __init__(self, repository: CatalogueRepository, removal: CopyRemoval, events: EventBus) -> None:
        self.repository = repository
        self.removal = removal
        self.events = events

    def hold(self, reference: str, reason: str, actor: str, now: datetime) -> RulingOutcome:
        """Keep the copy past its last available day until released (the retention run no longer reads it)."""
        why = _reason.validate_python(reason)
        return self._change(reference, lambda record: record.with_hold(why, now), actor, AuditAction.HELD, why, now)

    def release(self, reference: str, actor: str, now: datetime, reason: str | None = None) -> RulingOutcome:
        """Lift the hold: if the last available day is already past, the next run removes the copy."""
        why = _reason.validate_python(reason) if reason else None
        return self._change(
            reference, lambda record: record.with_hold_released(now), actor, AuditAction.RELEASED, why, now
        )

    def extend(
        self, reference: str, until: date, actor: str, now: datetime, reason: str | None = None
    ) -> RulingOutcome:
        """Make the copy available until `until` (a day already past makes it due at the next run)."""
        why = _reason.validate_python(reason) if reason else None
        return self._change(
            reference, lambda record: record.with_available_until(until, now), actor, AuditAction.EXTENDED, why, now
        )

    def take_down(self, reference: str, reason: TakeDownReason, actor: str, now: datetime) -> RulingOutcome:
        """Remove the copy at once, as the five-year rule would; the public sees a neutral reason, staff the code."""
        self._record(reference).check_can_take_down()
        removal = Removal(
            public_reason=TAKE_DOWN_PUBLIC_REASON, actor=actor, action=AuditAction.TAKEN_DOWN, audit_reason=reason.value
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
        self, reference: str, correction: MetadataCorrection, actor: str, now: datetime, reason: str | None = None
    ) -> RulingOutcome:
        """Correct the record's metadata (the index follows; the reference stays)."""
        why = _reason.validate_python(reason) if reason else None
        return self._change(
            reference, lambda record: record.with_metadata(correction, now), actor, AuditAction.EDITED, why, now
        )

    def audit(self, reference: str) -> list[AuditEntry]:
        """The record's audit trail, oldest first."""
        self._record(reference)
        return self.repository.audit_trail(reference)

    def _record(self, reference: str) -> CatalogueRecord:
        record = self.repository.get_record(reference)
        if record is None:
            raise NotFound(f"No record {reference}.")
        return record

    def _change(
        self,
        reference: str,
        change: Callable[[CatalogueRecord], CatalogueRecord],
        actor: str,
        action: AuditAction,
        reason: str | None,
        now: datetime,
    ) -> RulingOutcome:
        before = self._record(reference)
        after = change(before)
        entry = AuditEntry.for_change(before, after, actor=actor, action=action, reason=reason, now=now)
        if not self.repository.save_change(after, entry):
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
