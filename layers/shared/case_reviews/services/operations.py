"""Staff operations: a record as staff see it, the queues and their dead letters, the search index's upkeep.

These serve the `case-reviews` CLI, not the public: each reads or changes the stack as a
whole (every queue, every record), which no request path may do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping

from pydantic import BaseModel, computed_field

from case_reviews.domain.errors import NotFound
from case_reviews.domain.queues import QueueRoute
from case_reviews.domain.records import CatalogueRecord
from case_reviews.ports import Clock, FileStore, IndexMaintenance, MessageQueues, RecordStore, SearchIndex
from case_reviews.services.indexing import full_text

# While a batch is being moved it is hidden in the dead-letter queue; if the move stops half-way,
# what was not deleted reappears there after this long, to be replayed again.
REPLAY_VISIBILITY_TIMEOUT_S = 120

Progress = Callable[[int], None]


# ---------------------------------------------------------------- records


class RecordInspection:
    """Reads one catalogue record for staff: everything, the board of an anonymous report included."""

    def __init__(self, records: RecordStore) -> None:
        self.records = records

    def show(self, reference: str) -> CatalogueRecord:
        record = self.records.get_record(reference)
        if record is None:
            raise NotFound(f"No record {reference}.")
        return record


# ---------------------------------------------------------------- queues


class QueueStatus(BaseModel):
    queue: str
    waiting: int
    in_flight: int
    dead_letters: int


class ReplayResult(BaseModel):
    queue: str
    moved: int
    # Received but not moved: they stay in the dead-letter queue (visible again after a while).
    not_moved: int


class QueueOperations:
    """The consumed queues' depths, and replaying a dead-letter queue into its queue."""

    def __init__(self, queues: MessageQueues, routes: Mapping[str, QueueRoute]) -> None:
        self.queues = queues
        self.routes = dict(routes)

    def _route(self, queue: str) -> QueueRoute:
        if queue not in self.routes:
            raise NotFound(f"No queue {queue}: it is one of {', '.join(self.routes)}.")
        return self.routes[queue]

    def show(self) -> list[QueueStatus]:
        statuses = []
        for name, route in self.routes.items():
            depth = self.queues.depth(route.url)
            dead = self.queues.depth(route.dead_letter_url)
            statuses.append(
                QueueStatus(
                    queue=name,
                    waiting=depth.waiting + depth.delayed,
                    in_flight=depth.in_flight,
                    dead_letters=dead.waiting + dead.in_flight + dead.delayed,
                )
            )
        return statuses

    def replayable(self, queue: str) -> int:
        """How many messages a replay of `queue` without a maximum moves: its dead letters waiting now."""
        return self.queues.depth(self._route(queue).dead_letter_url).waiting

    def replay(self, queue: str, max_messages: int | None = None, progress: Progress | None = None) -> ReplayResult:
        """Move messages from the queue's dead-letter queue back to it, ten at a time.

        At most `max_messages`; without it, as many as the dead-letter queue holds when the
        replay starts (a message that fails again and returns meanwhile is not chased round).
        SQS's StartMessageMoveTask would do this too, but the embedded SQS (moto) lacks it,
        and this way works the same in both. `progress` is told how many are done after each batch.
        """
        route = self._route(queue)
        limit = max_messages if max_messages is not None else self.replayable(queue)
        moved = not_moved = 0
        while moved + not_moved < limit:
            batch = self.queues.receive(
                route.dead_letter_url, limit - moved - not_moved, visibility_timeout_s=REPLAY_VISIBILITY_TIMEOUT_S
            )
            if not batch:
                break
            sent = self.queues.send_copies(route.url, batch)
            # Send first, then delete: delivery is at least once and every handler is idempotent, so
            # a stop between the two leaves only a harmless duplicate (the copy still in the dead-letter
            # queue), never a lost message.
            deleted = self.queues.delete(route.dead_letter_url, sent)
            moved += deleted
            not_moved += len(batch) - deleted
            if progress:
                progress(moved + not_moved)
        return ReplayResult(queue=queue, moved=moved, not_moved=not_moved)


# ---------------------------------------------------------------- search index


class StaleDocument(BaseModel):
    reference: str
    indexed_version: int
    catalogue_version: int


class IndexDrift(BaseModel):
    """How the search index differs from the catalogue."""

    catalogued: int
    indexed: int
    missing: list[str]
    extra: list[str]
    stale: list[StaleDocument]
    # False after a release changed the index definition (a new schema version): rebuild it.
    schema_current: bool = True

    @computed_field  # type: ignore[prop-decorator]
    @property
    def in_sync(self) -> bool:
        return self.schema_current and not (self.missing or self.extra or self.stale)


class RebuildResult(BaseModel):
    index: str
    replaced: list[str]
    indexed: int
    with_text: int
    # Records written or changed while the new index was loading, indexed again after the switch.
    caught_up: int


class IndexUpkeep:
    """Compares the search index with the catalogue, and rebuilds it behind its alias."""

    def __init__(
        self,
        records: RecordStore,
        store: FileStore,
        index: SearchIndex,
        maintenance: IndexMaintenance,
        clock: Clock,
    ) -> None:
        self.records = records
        self.store = store
        self.index = index
        self.maintenance = maintenance
        self.clock = clock

    def check(self) -> IndexDrift:
        """References missing from the index, indexed but not catalogued, and indexed at an older version."""
        catalogue = {record.reference: record.version for record in self.records.all_records()}
        indexed = self.maintenance.indexed_versions()
        return IndexDrift(
            catalogued=len(catalogue),
            indexed=len(indexed),
            missing=sorted(catalogue.keys() - indexed.keys()),
            extra=sorted(indexed.keys() - catalogue.keys()),
            stale=[
                StaleDocument(reference=reference, indexed_version=indexed[reference], catalogue_version=version)
                for reference, version in sorted(catalogue.items())
                if reference in indexed and indexed[reference] < version
            ],
            schema_current=self.maintenance.schema_current(),
        )

    def rebuild(self, progress: Progress | None = None) -> RebuildResult:
        """Load every record into a new concrete index, then switch the alias to it and drop the old one.

        Searches go on against the old index until the alias moves, atomically. A record the
        index function wrote meanwhile went to the old index only, so after the switch every
        record whose version differs from the one loaded is indexed again through the alias.
        """
        name = self.maintenance.fresh_index_name(self.clock.now())
        self.maintenance.create_concrete_index(name)
        loaded: dict[str, int] = {}
        with_text = 0

        def records() -> Iterator[tuple[CatalogueRecord, str | None]]:
            nonlocal with_text
            for record in self.records.all_records():
                body = full_text(record, self.store)
                with_text += body is not None
                loaded[record.reference] = record.version
                if progress:
                    progress(len(loaded))
                yield record, body

        try:
            indexed = self.maintenance.load(name, records())
        except BaseException:
            # Nothing points at the half-built index: remove it, the alias still serves the old one.
            self.maintenance.delete_indices([name])
            raise
        replaced = self.maintenance.move_alias(name)
        changed = [record for record in self.records.all_records() if loaded.get(record.reference) != record.version]
        if changed:
            self.index.put_many((record, full_text(record, self.store)) for record in changed)
        self.maintenance.delete_indices(replaced)
        return RebuildResult(
            index=name, replaced=replaced, indexed=indexed, with_text=with_text, caught_up=len(changed)
        )
