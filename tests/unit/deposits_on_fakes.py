"""Deposits on the in-memory fakes, for the unit tests of cataloguing, publication and the library's check:
a board, its submissions, the records they become, the bucket and what was announced."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from case_reviews.adapters.clock import SetClock
from case_reviews.domain.boards import Board, Submission
from case_reviews.domain.description import ReportMetadata
from case_reviews.domain.files import UploadedObject
from case_reviews.domain.vocabulary import SubmissionStatus
from case_reviews.services.catalogue import CatalogueOutcome, CatalogueService
from case_reviews.services.publication import DepositPublication
from case_reviews.services.review import LibraryReview
from tests.unit.factories import metadata_fields
from tests.unit.fakes import (
    InMemoryBoardStore,
    InMemoryFileStore,
    InMemoryRecordStore,
    InMemorySubmissionStore,
    MemoryOnce,
    RecordingEventBus,
    ScriptedInspector,
)

BOARD = Board(board_id="northshire", name="Northshire Safeguarding Children Partnership", aliases=("Northshire LSCB",))
MAX_BYTES = 10_000
A_PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF"


@dataclass
class Deposits:
    clock: SetClock
    boards: InMemoryBoardStore = field(default_factory=InMemoryBoardStore)
    submissions: InMemorySubmissionStore = field(default_factory=InMemorySubmissionStore)
    files: InMemoryFileStore = field(default_factory=InMemoryFileStore)
    events: RecordingEventBus = field(default_factory=RecordingEventBus)
    inspector: ScriptedInspector = field(default_factory=ScriptedInspector)
    once: MemoryOnce = field(default_factory=MemoryOnce)
    records: InMemoryRecordStore = field(init=False)
    review_every_deposit: bool = False

    def __post_init__(self) -> None:
        self.records = InMemoryRecordStore(submissions=self.submissions)
        self.boards.save_board(BOARD, created_at=self.clock.now())

    @property
    def publication(self) -> DepositPublication:
        return DepositPublication(self.records, self.boards, self.files, self.events)

    @property
    def catalogue(self) -> CatalogueService:
        return CatalogueService(
            self.submissions,
            self.records,
            self.boards,
            self.files,
            self.inspector,
            self.events,
            self.once,
            self.clock,
            max_bytes=MAX_BYTES,
            publication=self.publication,
            review_every_deposit=self.review_every_deposit,
        )

    @property
    def review(self) -> LibraryReview:
        return LibraryReview(self.submissions, self.files, self.events, self.clock, self.publication)

    def opened(self, submission_id: str = "s-1", **declared: Any) -> Submission:
        """A submission of BOARD awaiting its upload (a practice review published last year, unless `declared`
        says otherwise)."""
        published = (self.clock.now() - timedelta(days=365)).date().isoformat()
        fields = {"publication_date": published, "review_type": "local_child_safeguarding_practice_review"}
        metadata = ReportMetadata.model_validate(metadata_fields(**{**fields, **declared}))
        now = self.clock.now()
        submission = Submission(
            submission_id=submission_id,
            board_id=BOARD.board_id,
            metadata=metadata,
            status=SubmissionStatus.AWAITING_UPLOAD,
            upload_key=f"incoming/{submission_id}.pdf",
            created_at=now,
            updated_at=now,
        )
        self.submissions.create_submission(submission)
        return submission

    def upload(self, submission_id: str = "s-1", body: bytes = A_PDF) -> CatalogueOutcome:
        """The board's file arrives for the submission, and its notification is handled."""
        key = f"incoming/{submission_id}.pdf"
        self.files.put(key, body)
        return self.catalogue.catalogue_upload(UploadedObject(bucket="reports", key=key, size=len(body)))

    def deposited(self, submission_id: str = "s-1", body: bytes = A_PDF, **declared: Any) -> CatalogueOutcome:
        self.opened(submission_id, **declared)
        return self.upload(submission_id, body)

    def submission(self, submission_id: str = "s-1") -> Submission:
        found = self.submissions.get_submission(submission_id)
        assert found is not None
        return found

    def announced(self) -> list[tuple[str, dict[str, Any]]]:
        return [(str(kind), detail.model_dump(mode="json")) for kind, detail in self.events.published]

    def later(self, minutes: int = 1) -> datetime:
        self.clock.advance(timedelta(minutes=minutes))
        return self.clock.now()
