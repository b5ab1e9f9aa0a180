"""Publishing a checked deposit: its record, then the announcement the index and the board's email follow."""

from __future__ import annotations

from datetime import datetime

from case_reviews.domain.boards import Board, Submission
from case_reviews.domain.errors import DuplicateContent
from case_reviews.domain.events import DetailType, ReportCatalogued
from case_reviews.domain.files import report_key, text_key
from case_reviews.domain.holds import CheckedCopy
from case_reviews.domain.records import deposited_record
from case_reviews.observability import logger
from case_reviews.ports import BoardStore, EventBus, FileStore, RecordStore


class DepositPublication:
    """Makes a deposit whose files are stored under its reference public: at once when nothing held it,
    or when staff approve it after the library's check.

    The record, its checksum claim, the submission's close and the first audit entry are one
    transaction, so a record never exists without its file nor twice for one file.
    """

    def __init__(self, records: RecordStore, boards: BoardStore, store: FileStore, events: EventBus) -> None:
        self.records = records
        self.boards = boards
        self.store = store
        self.events = events

    def publish(
        self, submission: Submission, reference: str, checked: CheckedCopy, now: datetime, board: Board | None
    ) -> None:
        """Commit the record and announce it; DuplicateContent (its files removed) if the same file won.
        `board`: the submission's board as the caller read it (None: no longer on file)."""
        record = deposited_record(submission, reference, board, checked, now)
        try:
            self.records.commit_catalogued(record, now)
        except DuplicateContent:
            # Another submission of the same file won the race: drop this copy, point at that one.
            self.store.delete(report_key(reference))
            self.store.delete(text_key(reference))
            raise
        self.events.publish(
            DetailType.REPORT_CATALOGUED,
            ReportCatalogued.of(submission, reference),
        )
        logger.info(
            "Report catalogued",
            extra={"reference": reference, "submission_id": submission.submission_id, "text_layer": checked.text_layer},
        )

    def publish_held(self, submission: Submission, now: datetime) -> None:
        """Publish a deposit staff approved after the library's check, with its board as it is now (its name
        may have changed while the deposit waited)."""
        assert submission.hold is not None and submission.reference is not None
        board = self.boards.get_board(submission.board_id)
        self.publish(submission, submission.reference, submission.hold.checked, now, board)
