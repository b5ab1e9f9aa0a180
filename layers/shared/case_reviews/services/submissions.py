"""A board asks to deposit a report and follows what became of it."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from case_reviews.domain.boards import Board, Submission
from case_reviews.domain.description import ReportMetadata
from case_reviews.domain.errors import NotFound
from case_reviews.domain.files import PresignedUpload, incoming_key
from case_reviews.domain.rules import check_publication_date
from case_reviews.domain.vocabulary import SubmissionStatus
from case_reviews.ports import Clock, FileStore, RecordStore, SubmissionStore


@dataclass(frozen=True)
class BoardDeposits:
    """One page of a board's own deposits, newest first, each with its record's last available day (if any)."""

    submissions: list[Submission]
    available_until: dict[str, date]
    # Where the next page starts (None after the last one); opaque to everyone but the store.
    next_after: dict[str, str] | None


@dataclass(frozen=True)
class OpenedSubmission:
    submission: Submission
    upload: PresignedUpload


class SubmissionService:
    """Opens submissions (one presigned upload each) and shows a board its own submissions."""

    def __init__(
        self,
        store: SubmissionStore,
        uploads: FileStore,
        clock: Clock,
        max_bytes: int,
        upload_ttl_seconds: int,
        records: RecordStore | None = None,
    ) -> None:
        self.store = store
        self.records = records
        self.uploads = uploads
        self.clock = clock
        self.max_bytes = max_bytes
        self.upload_ttl_seconds = upload_ttl_seconds

    def open(
        self, board: Board, metadata: ReportMetadata, return_to: Callable[[str], str] | None = None
    ) -> OpenedSubmission:
        """Record the submission and sign one upload for it; a report not yet published is refused.

        `return_to` gives, for the new submission's id, the page S3 sends the browser to once the file is
        in (the site's status page); without it S3 answers the upload with 204 (the API's boards).
        """
        now = self.clock.now()
        check_publication_date(metadata.publication_date.value, now)
        submission_id = str(uuid.uuid4())
        key = incoming_key(submission_id)
        submission = Submission(
            submission_id=submission_id,
            board_id=board.board_id,
            metadata=metadata,
            status=SubmissionStatus.AWAITING_UPLOAD,
            upload_key=key,
            created_at=now,
            updated_at=now,
        )
        # Saved before the upload is signed, so every upload that can arrive has its submission.
        self.store.create_submission(submission)
        redirect_to = return_to(submission_id) if return_to else None
        upload = self.uploads.presign_upload(key, self.max_bytes, self.upload_ttl_seconds, now, redirect_to)
        return OpenedSubmission(submission=submission, upload=upload)

    def deposit_on_behalf(self, board: Board, metadata: ReportMetadata, path: Path) -> Submission:
        """Staff deposit a report that reached the library by email: the submission and upload a board's own
        deposit makes, so the file meets the same checks, and the board the same acknowledgement."""
        opened = self.open(board, metadata)
        self.uploads.write_pdf_file(opened.submission.upload_key, path)
        return opened.submission

    def deposits(self, board: Board, page_size: int, after: dict[str, str] | None = None) -> BoardDeposits:
        """A page of the board's own deposits, newest first, with the copies' last days read in one batch."""
        submissions, next_after = self.store.board_submissions(board.board_id, page_size, after)
        references = [submission.reference for submission in submissions if submission.reference]
        records = self.records.get_records(references) if self.records and references else []
        available_until = {
            record.reference: record.electronic_copy.available_until
            for record in records
            if record.has_copy and record.electronic_copy is not None
        }
        return BoardDeposits(submissions=submissions, available_until=available_until, next_after=next_after)

    def status(self, submission_id: str) -> Submission:
        """A submission by its id alone, for the deposit's status page: the id is a random UUID that only the
        browser which opened the submission was given, so knowing it is the permission (no key is kept)."""
        submission = self.store.get_submission(submission_id)
        if submission is None:
            raise NotFound(f"No deposit {submission_id}.")
        return submission

    def get(self, board: Board, submission_id: str) -> Submission:
        """A board's own submission; another board's is as unknown as a missing one."""
        submission = self.store.get_submission(submission_id)
        if submission is None or submission.board_id != board.board_id:
            raise NotFound(f"No submission {submission_id} for this board.")
        return submission
