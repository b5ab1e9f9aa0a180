"""The five-year rule: an electronic copy is removed once its last available day is past; the record stays."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Protocol

from aws_lambda_powertools import Logger
from pydantic import BaseModel

from case_reviews.adapters.dynamodb import CatalogueRepository
from case_reviews.domain.events import DetailType, ElectronicCopyRemoved
from case_reviews.domain.models import CatalogueRecord
from case_reviews.domain.rules import RETENTION_REMOVAL_REASON

logger = Logger(child=True)


class CopyStore(Protocol):
    def delete_every_version(self, key: str) -> int: ...


class EventBus(Protocol):
    def publish(self, detail_type: DetailType, detail: BaseModel) -> str: ...


class RunQueue(Protocol):
    def request(self, as_of: date | None) -> str: ...


class DueCopy(BaseModel):
    reference: str
    available_until: date


class RetentionOutcome(BaseModel):
    """What one run did; `continued` means it stopped for time and queued the rest."""

    as_of: date
    removed: list[str] = []
    announced: list[str] = []
    failed: list[str] = []
    continued: bool = False


class RetentionService:
    """Lists the copies past their last available day, and removes them: the file (every version),
    its text and its link. The catalogue record, its metadata and checksum stay.

    Each removal is three steps, each safe to repeat, so a run that stops anywhere is finished
    by the next: delete the objects; save the record as removed (still listed as unannounced);
    announce it on the bus (the index drops the text and link) and unlist it.
    """

    def __init__(
        self,
        repository: CatalogueRepository,
        store: CopyStore,
        events: EventBus,
        runs: RunQueue,
        reason: str = RETENTION_REMOVAL_REASON,
    ) -> None:
        self.repository = repository
        self.store = store
        self.events = events
        self.runs = runs
        self.reason = reason

    def copies_due(self, as_of: date) -> list[DueCopy]:
        """The copies whose last available day is before `as_of` (read through the sparse expiry index)."""
        return [
            DueCopy(reference=record.reference, available_until=record.electronic_copy.available_until)
            for record in self.repository.records_with_copy_due(as_of)
            if record.electronic_copy is not None
        ]

    def apply(self, as_of: date, now: datetime, has_time: Callable[[], bool]) -> RetentionOutcome:
        """Remove every copy due by `as_of`, while `has_time()`; then queue a run for the rest."""
        outcome = RetentionOutcome(as_of=as_of)
        # First what an earlier run left half done: removed, not yet announced.
        for record in self.repository.removals_unannounced():
            self._announce(record)
            outcome.announced.append(record.reference)
        for record in self.repository.records_with_copy_due(as_of):
            if not has_time():
                self.runs.request(as_of)
                outcome.continued = True
                break
            try:
                if self._remove(record, now):
                    outcome.removed.append(record.reference)
            except Exception:
                # One copy that cannot be removed now must not hold up the others; the run is retried.
                logger.exception("Could not remove an electronic copy", extra={"reference": record.reference})
                outcome.failed.append(record.reference)
        return outcome

    def request_run(self, as_of: date | None) -> str:
        """Ask the retention function to run now (for `as_of`, or for its own today)."""
        return self.runs.request(as_of)

    def _remove(self, record: CatalogueRecord, now: datetime) -> bool:
        copy = record.electronic_copy
        assert copy is not None
        for key in (copy.object_key, copy.text_key):
            if key:
                self.store.delete_every_version(key)
        removed = record.with_copy_removed(removed_on=now.date(), reason=self.reason, now=now)
        if not self.repository.save_copy_removed(removed):
            # Changed since it was read (another run, or staff): the next run sees the new version.
            logger.warning("Record changed during removal; left to the next run", extra={"reference": record.reference})
            return False
        self._announce(removed)
        logger.info("Electronic copy removed", extra={"reference": record.reference, "sha256": copy.sha256})
        return True

    def _announce(self, record: CatalogueRecord) -> None:
        copy = record.electronic_copy
        assert copy is not None and copy.removed_on is not None
        self.events.publish(
            DetailType.COPY_REMOVED, ElectronicCopyRemoved(reference=record.reference, removed_on=copy.removed_on)
        )
        self.repository.mark_removal_announced(record.reference)
