"""Staff operations: a record as staff see it, the queues and their dead letters, the search index's upkeep.

These serve the `case-reviews` CLI, not the public: each reads or changes the stack as a
whole (every queue, every record), which no request path may do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime

from pydantic import BaseModel, computed_field

from case_reviews.adapters.dynamodb import CatalogueRepository
from case_reviews.adapters.opensearch import ReviewDocument, SearchIndex, document_from_record
from case_reviews.adapters.s3 import ReportStore
from case_reviews.adapters.sqs import MessageQueues, QueueRoute
from case_reviews.domain.errors import NotFound
from case_reviews.domain.models import CatalogueRecord, ElectronicCopy

# While a batch is being moved it is hidden in the dead-letter queue; if the move stops half-way,
# what was not deleted reappears there after this long, to be replayed again.
REPLAY_VISIBILITY_TIMEOUT_S = 120

Progress = Callable[[int], None]


# ---------------------------------------------------------------- records


class StaffRecord(BaseModel):
    """A catalogue record with everything staff may see, the board of an anonymous report included."""

    reference: str
    title: str
    publisher: str
    board_id: str | None
    board_name: str | None
    anonymous: bool
    nation: str
    review_type: str
    document_type: str
    publication_date: str
    commissioned_date: date | None
    themes: list[str]
    summary: str | None
    submission_id: str | None
    deposited_on: date | None
    electronic_copy: ElectronicCopy | None
    created_at: datetime
    updated_at: datetime
    version: int

    @classmethod
    def from_record(cls, record: CatalogueRecord) -> StaffRecord:
        return cls(
            reference=record.reference,
            title=record.title,
            publisher=record.publisher,
            board_id=record.board_id,
            board_name=record.board_name,
            anonymous=record.anonymous,
            nation=record.nation.value,
            review_type=record.review_type.value,
            document_type=record.document_type.value,
            publication_date=str(record.publication_date),
            commissioned_date=record.commissioned_date,
            themes=list(record.themes),
            summary=record.summary,
            submission_id=record.submission_id,
            deposited_on=record.deposited_on,
            electronic_copy=record.electronic_copy,
            created_at=record.created_at,
            updated_at=record.updated_at,
            version=record.version,
        )


class RecordInspection:
    """Reads one catalogue record for staff."""

    def __init__(self, repository: CatalogueRepository) -> None:
        self.repository = repository

    def show(self, reference: str) -> StaffRecord:
        record = self.repository.get_record(reference)
        if record is None:
            raise NotFound(f"No record {reference}.")
        return StaffRecord.from_record(record)


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

    def replay(self, queue: str, max_messages: int | None = None) -> ReplayResult:
        """Move messages from the queue's dead-letter queue back to it, ten at a time.

        At most `max_messages`; without it, as many as the dead-letter queue holds when the
        replay starts (a message that fails again and returns meanwhile is not chased round).
        SQS's StartMessageMoveTask would do this too, but the embedded SQS (moto) lacks it,
        and this way works the same in both.
        """
        route = self._route(queue)
        limit = max_messages if max_messages is not None else self.queues.depth(route.dead_letter_url).waiting
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

    @computed_field  # type: ignore[prop-decorator]
    @property
    def in_sync(self) -> bool:
        return not (self.missing or self.extra or self.stale)


class RebuildResult(BaseModel):
    index: str
    replaced: list[str]
    indexed: int
    with_text: int
    # Records written or changed while the new index was loading, indexed again after the switch.
    caught_up: int


class IndexMaintenance:
    """Compares the search index with the catalogue, and rebuilds it behind its alias."""

    def __init__(self, repository: CatalogueRepository, store: ReportStore, index: SearchIndex) -> None:
        self.repository = repository
        self.store = store
        self.index = index

    def check(self) -> IndexDrift:
        """References missing from the index, indexed but not catalogued, and indexed at an older version."""
        catalogue = {record.reference: record.version for record in self.repository.all_records()}
        indexed = self.index.indexed_versions()
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
        )

    def rebuild(self, now: datetime, progress: Progress | None = None) -> RebuildResult:
        """Load every record into a new concrete index, then switch the alias to it and drop the old one.

        Searches go on against the old index until the alias moves, atomically. A record the
        index function wrote meanwhile went to the old index only, so after the switch every
        record whose version differs from the one loaded is indexed again through the alias.
        """
        name = self.index.fresh_index_name(now)
        self.index.create_concrete_index(name)
        loaded: dict[str, int] = {}
        with_text = 0

        def documents() -> Iterator[ReviewDocument]:
            nonlocal with_text
            for record in self.repository.all_records():
                document = self._document(record)
                with_text += document.body is not None
                loaded[record.reference] = record.version
                if progress:
                    progress(len(loaded))
                yield document

        try:
            indexed = self.index.load(name, documents())
        except BaseException:
            # Nothing points at the half-built index: remove it, the alias still serves the old one.
            self.index.delete_indices([name])
            raise
        replaced = self.index.move_alias(name)
        changed = [record for record in self.repository.all_records() if loaded.get(record.reference) != record.version]
        if changed:
            self.index.upsert_many(self._document(record) for record in changed)
        self.index.delete_indices(replaced)
        return RebuildResult(
            index=name, replaced=replaced, indexed=indexed, with_text=with_text, caught_up=len(changed)
        )

    def _document(self, record: CatalogueRecord) -> ReviewDocument:
        # As IndexingService: the text from S3 only while the library still holds the copy.
        copy = record.electronic_copy
        body = self.store.read_text(copy.text_key) if record.has_copy and copy and copy.text_key else None
        return document_from_record(record, body)
