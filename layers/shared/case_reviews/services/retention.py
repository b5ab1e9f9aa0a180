"""The five-year rule: an electronic copy is removed once its last available day is past; the record stays.

A copy on legal hold is not in the part of the expiry index a run reads (see CatalogueRepository):
a run costs what is due, however many copies are held, and never sees a held one to skip. The
outcome still counts the held copies past their date, from their own small partition, for the log.

After its removals a run announces what is coming (`warn_of_expiry`): each copy whose last available
day is within the next 30 days (`expiry_window`) and not yet warned of for that day gets one
`ExpiryApproaching` (its board is emailed), and one `ExpirySummaryDue` asks for staff's list of the
day. A held copy is in neither: it is not in the partition read.

A run staff follow carries a run id: each invocation records its part under it (`record_run_part`)
before it queues its successor (which carries the same id), so the part that did not continue is
the last to be recorded, and `run_report` then has the whole run.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, datetime, timedelta

from pydantic import BaseModel

from case_reviews.domain.audit import RETENTION_ACTOR, AuditAction
from case_reviews.domain.events import DetailType, ExpiryApproaching, ExpirySummaryDue
from case_reviews.domain.records import CatalogueRecord
from case_reviews.domain.rules import RETENTION_REMOVAL_REASON, is_due_for_removal
from case_reviews.domain.runs import RetentionRunPart, RetentionRunReport
from case_reviews.observability import logger
from case_reviews.ports import Clock, EventBus, RetentionStore, RunQueue
from case_reviews.services.removal import CopyRemoval, Removal


class DueCopy(BaseModel):
    reference: str
    available_until: date


# Enough to say "many"; counting further would make a bad day's run slower still.
OVERDUE_COUNT_CAP = 1000

# Boards and staff hear of a removal this many days ahead.
EXPIRY_WARNING_DAYS = 30


def expiry_window(as_of: date) -> tuple[date, date]:
    """The last available days a run on `as_of` warns of, both included: from `as_of` (still available,
    removed by tomorrow's run) to `as_of` + 30 days. A copy normally enters it on the day its last day is
    30 days away (so the board hears at least 30 days before the removal); one that comes into it later
    (a missed run, a date brought forward, a hold released) is warned by the next run.
    """
    return as_of, as_of + timedelta(days=EXPIRY_WARNING_DAYS)


class RetentionOutcome(BaseModel):
    """What one run did; `continued` means it stopped for time and queued the rest.

    `held` lists the copies past their date that a legal hold keeps (never read by the removal loop).
    """

    as_of: date
    removed: list[str] = []
    announced: list[str] = []
    failed: list[str] = []
    held: list[str] = []
    continued: bool = False
    # Copies still held more than a day after their last available day (the alarm's measure).
    overdue: int = 0
    # Copies whose last available day is in the warning window (held ones excluded), and those first warned now.
    expiring: int = 0
    warned: list[str] = []
    summary_requested: bool = False


class RetentionService:
    """Lists the copies past their last available day, and removes them with CopyRemoval: the file
    (every version), its text and its link. The catalogue record, its metadata and checksum stay.
    """

    def __init__(
        self,
        repository: RetentionStore,
        removal: CopyRemoval,
        runs: RunQueue,
        clock: Clock,
        reason: str = RETENTION_REMOVAL_REASON,
    ) -> None:
        self.repository = repository
        self.removal = removal
        self.runs = runs
        self.clock = clock
        self.reason = reason

    @property
    def events(self) -> EventBus:
        return self.removal.events

    def copies_due(self, as_of: date) -> list[DueCopy]:
        """The copies whose last available day is before `as_of` (read through the sparse expiry index)."""
        return [
            DueCopy(reference=record.reference, available_until=record.electronic_copy.available_until)
            for record in self.repository.records_with_copy_due(as_of)
            if record.electronic_copy is not None
        ]

    def apply(self, as_of: date | None, has_time: Callable[[], bool], run_id: str | None = None) -> RetentionOutcome:
        """Remove every copy due by `as_of` (default: the clock's today), while `has_time()`; then queue
        a run for the rest. With a `run_id`, the invocation's part is recorded first, and the successor
        carries the same id."""
        now = self.clock.now()
        as_of = as_of or now.date()
        outcome = RetentionOutcome(as_of=as_of)
        # First what an earlier run (or a take-down) left half done: removed, not yet announced.
        outcome.announced += self.removal.finish_unannounced()
        for record in self.repository.records_with_copy_due(as_of):
            if not has_time():
                outcome.continued = True
                break
            try:
                if self._remove(record, as_of, now):
                    outcome.removed.append(record.reference)
            except Exception:
                # One copy that cannot be removed now must not hold up the others; the run is retried.
                logger.exception("Could not remove an electronic copy", extra={"reference": record.reference})
                outcome.failed.append(record.reference)
        if not outcome.continued:
            # The run that finishes the day's removals warns (a continued run's successor does it).
            self.warn_of_expiry(as_of, now, has_time, outcome)
        outcome.held = [record.reference for record in self.repository.held_copies_due(as_of)]
        # Normally none: read through the same sparse index, so it costs what is overdue, capped.
        overdue = self.repository.records_with_copy_due(as_of - timedelta(days=1))
        outcome.overdue = sum(1 for _ in itertools.islice(overdue, OVERDUE_COUNT_CAP))
        if run_id is not None:
            self._record_part(run_id, outcome)
        if outcome.continued:
            # After the part is recorded: a successor's part is always recorded after this one.
            self.runs.request(as_of, run_id=run_id)
        return outcome

    def copies_expiring(self, as_of: date) -> list[DueCopy]:
        """The available copies (not held) whose last day is in the warning window of `as_of`."""
        return [
            DueCopy(reference=record.reference, available_until=record.electronic_copy.available_until)
            for record in self.repository.copies_expiring(*expiry_window(as_of))
            if record.electronic_copy is not None
        ]

    def warn_of_expiry(
        self, as_of: date, now: datetime, has_time: Callable[[], bool], outcome: RetentionOutcome
    ) -> None:
        """Announce each copy of the window not yet warned of (for its current last day), then staff's summary.

        One read of the window in the sparse index and one of the small partition of warnings already
        announced. Announced first, then noted: a run that stops in between announces it again the next
        time, and the acknowledge function's idempotency (on reference and date) sends one email.
        """
        first, last = expiry_window(as_of)
        expiring = self.copies_expiring(as_of)
        warned = self.repository.expiry_warnings_recorded(first, last)
        outcome.expiring = len(expiring)
        for copy in expiring:
            if (copy.reference, copy.available_until) in warned:
                continue
            if not has_time():
                # `apply` queues the rest of the run.
                outcome.continued = True
                return
            self.events.publish(
                DetailType.EXPIRY_APPROACHING,
                ExpiryApproaching(reference=copy.reference, available_until=copy.available_until),
            )
            self.repository.record_expiry_warning(copy.reference, copy.available_until, now)
            outcome.warned.append(copy.reference)
        if expiring:
            # Every run of the day asks; the acknowledge function sends one summary per day.
            self.events.publish(DetailType.EXPIRY_SUMMARY_DUE, ExpirySummaryDue(as_of=first, until=last))
            outcome.summary_requested = True

    def request_run(self, as_of: date | None, run_id: str | None = None) -> str:
        """Ask the retention function to run now (for `as_of`, or for its own today); with a `run_id`,
        its outcome can then be followed with `run_report`."""
        return self.runs.request(as_of, run_id=run_id)

    def run_report(self, run_id: str) -> RetentionRunReport:
        """A followed run's outcome so far, from the parts its invocations recorded."""
        return RetentionRunReport.from_parts(run_id, self.repository.run_parts(run_id))

    def _record_part(self, run_id: str, outcome: RetentionOutcome) -> None:
        part = RetentionRunPart(
            run_id=run_id,
            as_of=outcome.as_of,
            recorded_at=self.clock.now(),
            removed=outcome.removed,
            held=outcome.held,
            failed=outcome.failed,
            warned=outcome.warned,
            continued=outcome.continued,
        )
        try:
            self.repository.record_run_part(part)
        except Exception:
            # The record is for staff following the run: it must not undo or repeat the run's work.
            logger.exception("Could not record the retention run's part", extra={"run_id": run_id})

    def _remove(self, record: CatalogueRecord, as_of: date, now: datetime) -> bool:
        def still_due(current: CatalogueRecord) -> bool:
            copy = current.electronic_copy
            return copy is not None and is_due_for_removal(copy.available_until, copy.held, as_of)

        removal = Removal(
            public_reason=self.reason,
            actor=RETENTION_ACTOR,
            action=AuditAction.REMOVED_BY_RETENTION,
            audit_reason=self.reason,
        )
        return self.removal.remove(record.reference, removal, now, wanted=still_due) is not None
