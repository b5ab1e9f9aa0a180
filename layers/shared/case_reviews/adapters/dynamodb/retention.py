"""The five-year rule's reads and writes: copies by their last available day, warnings, removals."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

from case_reviews.adapters.dynamodb import keys
from case_reviews.adapters.dynamodb.mapping import record_from, removed_record_to_item
from case_reviews.adapters.dynamodb.records import put_over_version
from case_reviews.adapters.dynamodb.table import Table
from case_reviews.domain.audit import AuditEntry
from case_reviews.domain.records import CatalogueRecord
from case_reviews.domain.runs import RetentionRunPart

# A warning's marker outlives its copy's last day by this much, then DynamoDB's TTL deletes it.
_EXPIRY_WARNING_KEPT_DAYS = 90
# A followed run's parts are for staff waiting on it: DynamoDB's TTL deletes them after this long.
_RUN_PART_KEPT_DAYS = 3
# The item's own attributes, not the part's.
_KEY_ATTRIBUTES = ("pk", "sk", "ttl")


def _day_range(first_day: date, last_day: date) -> tuple[str, str]:
    # Sort keys are `<day>#<reference>`: a bare day sorts before every key of that day.
    return first_day.isoformat(), (last_day + timedelta(days=1)).isoformat()


class DynamoRetentionStore:
    """Reads the sparse `copy_expiry` index: a run costs what is due, however many copies are held."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def _listed(self, partition: str, **bounds: object) -> Iterator[CatalogueRecord]:
        for found in self.table.query(
            "expiry_pk",
            partition,
            index=keys.COPY_EXPIRY_INDEX,
            sort_name="expiry_sk",
            **bounds,  # type: ignore[arg-type]
        ):
            yield record_from(found)

    def records_with_copy_due(self, as_of: date) -> Iterator[CatalogueRecord]:
        """Records whose electronic copy is still held although its last available day is before `as_of`."""
        return self._listed(keys.AVAILABLE_COPIES, below=as_of.isoformat())

    def copies_expiring(self, first_day: date, last_day: date) -> Iterator[CatalogueRecord]:
        """Records whose copy is available (not held) with a last available day from `first_day` to `last_day`
        (both included), by that day: one read of the sparse index, costing what is in the range."""
        return self._listed(keys.AVAILABLE_COPIES, between=_day_range(first_day, last_day))

    def held_copies_due(self, as_of: date) -> Iterator[CatalogueRecord]:
        """Copies on legal hold whose last available day is before `as_of` (kept only by their hold)."""
        return self._listed(keys.HELD_COPIES, below=as_of.isoformat())

    def removals_unannounced(self) -> Iterator[CatalogueRecord]:
        """Records whose copy was removed by a run that stopped before announcing it."""
        return self._listed(keys.UNANNOUNCED_REMOVALS)

    def expiry_warnings_recorded(self, first_day: date, last_day: date) -> set[tuple[str, date]]:
        """The (reference, last available day) pairs already warned of, for days `first_day` to `last_day`."""
        warned: set[tuple[str, date]] = set()
        for found in self.table.query(
            "pk", keys.EXPIRY_WARNINGS, between=_day_range(first_day, last_day), projection="sk"
        ):
            day, _, reference = str(found["sk"]).partition("#")
            warned.add((reference, date.fromisoformat(day)))
        return warned

    def record_expiry_warning(self, reference: str, available_until: date, now: datetime) -> None:
        """Note that the warning for this copy and date is announced (removed by TTL after the date)."""
        kept_until = available_until + timedelta(days=_EXPIRY_WARNING_KEPT_DAYS)
        self.table.put(
            {
                "pk": keys.EXPIRY_WARNINGS,
                "sk": f"{available_until.isoformat()}#{reference}",
                "announced_at": now.isoformat(),
                "ttl": int(datetime.combine(kept_until, datetime.min.time(), UTC).timestamp()),
            }
        )

    def save_copy_removed(self, removed: CatalogueRecord, entry: AuditEntry) -> bool:
        """Write a record whose copy was removed, and its audit entry, over the version it came from
        (False if that changed: then neither is written).

        The record stays in the sparse expiry index, under "unannounced", until the removal has been
        announced (`mark_removal_announced`): a run that stops in between finds it and finishes.
        """
        return put_over_version(self.table, removed_record_to_item(removed), entry)

    def mark_removal_announced(self, reference: str) -> None:
        """The removal reached the bus: the record leaves the sparse expiry index for good."""
        # A condition that fails means it is already marked (a rerun): nothing to do.
        self.table.update(
            keys.record_key(reference),
            UpdateExpression="REMOVE expiry_pk, expiry_sk",
            ConditionExpression="expiry_pk = :unannounced",
            ExpressionAttributeValues={":unannounced": keys.UNANNOUNCED_REMOVALS},
        )

    def record_run_part(self, part: RetentionRunPart) -> None:
        """Note what one invocation of a followed run did, in the run's own small partition."""
        kept_until = part.recorded_at + timedelta(days=_RUN_PART_KEPT_DAYS)
        self.table.put(
            {
                **keys.run_part_key(part.run_id, part.recorded_at, uuid.uuid4().hex[:12]),
                **part.model_dump(mode="json"),
                "ttl": int(kept_until.timestamp()),
            }
        )

    def run_parts(self, run_id: str) -> list[RetentionRunPart]:
        """The run's parts recorded so far, in the order they were recorded (one consistent query)."""
        return [
            RetentionRunPart.model_validate(
                {name: value for name, value in found.items() if name not in _KEY_ATTRIBUTES}
            )
            for found in self.table.query("pk", keys.retention_run_partition(run_id), prefix=keys.RUN_PART_PREFIX)
        ]
