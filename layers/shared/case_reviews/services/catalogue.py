"""Catalogue an uploaded report: check the file, extract its text, record it, announce it."""

from __future__ import annotations

import tempfile
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel

from case_reviews.domain.boards import Board, Submission
from case_reviews.domain.errors import DuplicateContent, UploadRejected
from case_reviews.domain.events import DetailType, ReportCatalogued, SubmissionDuplicate, SubmissionRejected
from case_reviews.domain.files import (
    DownloadedObject,
    InspectedPdf,
    UploadedObject,
    report_key,
    submission_id_from_key,
    text_key,
)
from case_reviews.domain.holds import ReviewHold, checked_copy
from case_reviews.domain.review import findings_for
from case_reviews.domain.rules import check_pdf_signature, check_upload_size
from case_reviews.domain.vocabulary import SubmissionStatus
from case_reviews.observability import logger
from case_reviews.ports import BoardStore, Clock, EventBus, FileStore, Once, PdfInspector, RecordStore, SubmissionStore
from case_reviews.services.publication import DepositPublication


class CatalogueOutcome(BaseModel):
    """What became of one upload; also the stored result of an idempotent run."""

    key: str
    submission_id: str | None = None
    status: SubmissionStatus | None = None
    reference: str | None = None
    reason: str | None = None


class UploadNotYetVisible(Exception):
    """The notification arrived but the object is not readable yet: let the queue redeliver."""


def checked_inspection(
    inspector: PdfInspector, file: DownloadedObject, workdir: Path, max_bytes: int, anonymous: bool
) -> InspectedPdf:
    """The checks every file passes before it becomes an electronic copy, a board's deposit or a file staff
    attach: its size, the PDF signature, then the isolated inspection (which strips an anonymous one).

    Raises UploadRejected with a reason the depositor can act on.
    """
    check_upload_size(file.size_bytes, max_bytes)
    check_pdf_signature(file.head)
    return inspector.inspect(file.path, workdir, anonymous=anonymous)


class CatalogueService:
    """Turns an uploaded PDF into a catalogue record, or a rejection the board can act on.

    Every step is safe to repeat: a redelivered notification finds the submission closed and
    only announces the outcome again (consumers are idempotent).
    """

    def __init__(
        self,
        submissions: SubmissionStore,
        records: RecordStore,
        boards: BoardStore,
        store: FileStore,
        inspector: PdfInspector,
        events: EventBus,
        once: Once,
        clock: Clock,
        max_bytes: int,
        publication: DepositPublication,
        review_every_deposit: bool = False,
        workdir: Path | None = None,
    ) -> None:
        self.submissions = submissions
        self.records = records
        self.boards = boards
        self.store = store
        self.inspector = inspector
        self.events = events
        self.once = once
        self.clock = clock
        self.max_bytes = max_bytes
        self.publication = publication
        # The library's policy: staff check every deposit first (a board may also ask for it).
        self.review_every_deposit = review_every_deposit
        # Lambda's /tmp (ephemeral storage): the upload, its text and an anonymous copy, never in memory.
        self.workdir = workdir

    def catalogue_upload(self, upload: UploadedObject) -> CatalogueOutcome:
        """Catalogue (or reject) one uploaded file, once however often its notification is delivered."""
        now = self.clock.now()
        submission_id = submission_id_from_key(upload.key)
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="catalogue-open") as opening:
            # The submission is opened for processing beside the claim: a conditional write that changes nothing
            # on a submission already processing or closed, so a repeated delivery only repeats it.
            opened = opening.submit(self.submissions.start_processing, submission_id, now) if submission_id else None
            return self.once(
                "catalogue.upload",
                upload,
                lambda: self._catalogue_upload(upload, submission_id, opened, now),
                returns=CatalogueOutcome,
            )

    def _catalogue_upload(
        self, upload: UploadedObject, submission_id: str | None, opened: Future[Submission] | None, now: datetime
    ) -> CatalogueOutcome:
        """`opened`: the submission moved to processing (None, as `submission_id`: the key is not an upload's)."""
        if submission_id is None or opened is None:
            logger.warning("Ignoring an object outside the upload area", extra={"key": upload.key})
            return CatalogueOutcome(key=upload.key, reason="not an upload")
        try:
            submission = opened.result()
        except LookupError:
            # Nobody asked to upload this: remove it rather than keep an unaccountable file.
            logger.warning("Deleting an upload without a submission", extra={"key": upload.key})
            self.store.delete(upload.key)
            return CatalogueOutcome(key=upload.key, submission_id=submission_id, reason="no such submission")

        if submission.status.is_final:
            return self._announce_again(submission, upload.key)
        if submission.status is SubmissionStatus.IN_REVIEW:
            # Already checked and held for staff: only tidy the upload away (a crash may have left it).
            self.store.delete(upload.key)
            return CatalogueOutcome(
                key=upload.key, submission_id=submission_id, status=submission.status, reason=submission.reason
            )

        with (
            tempfile.TemporaryDirectory(prefix="upload-", dir=self.workdir) as workdir,
            ThreadPoolExecutor(max_workers=2, thread_name_prefix="catalogue-read") as reads,
        ):
            try:
                # The size the notification gives first: an oversize object is refused before a byte of it is
                # read (and the download stops one byte past the limit, whatever the object has become since).
                check_upload_size(upload.size, self.max_bytes)
                downloaded = self.store.download(upload.key, Path(workdir) / "upload.pdf", self.max_bytes)
                if downloaded is None:
                    raise UploadNotYetVisible(upload.key)
                # While the isolated parser reads the file, the catalogue is asked whether it holds the file
                # already (by the upload's checksum, not the stored copy's: a board sends the same file again)
                # and what it knows of the board.
                existing_read = reads.submit(self.records.reference_for_content, downloaded.sha256)
                board_read = reads.submit(self.boards.get_board, submission.board_id)
                inspected = checked_inspection(
                    self.inspector, downloaded, Path(workdir), self.max_bytes, submission.metadata.anonymous
                )
            except UploadRejected as rejection:
                return self._reject(submission, upload.key, str(rejection), now)
            existing = existing_read.result()
            if existing:
                return self._duplicate(submission, upload.key, existing, now)
            return self._catalogue(submission, upload.key, downloaded.sha256, inspected, board_read.result(), now)

    def _catalogue(
        self,
        submission: Submission,
        key: str,
        sha256: str,
        inspected: InspectedPdf,
        board: Board | None,
        now: datetime,
    ) -> CatalogueOutcome:
        """Store the copy and its text under the deposit's reference, then publish it, or hold it for staff
        when the library's check finds a reason (domain/review.py): the record never exists without its
        file, and a held deposit has no record until staff approve it. `board`: the submission's board as
        read during the inspection (None: not on file)."""
        year = submission.metadata.publication_date.value.year
        reference = self.submissions.assign_reference(submission, year)
        self.store.write_copy(report_key(reference), inspected.stored_path, text_key(reference), inspected.text_path)
        checked = checked_copy(inspected, sha256)

        findings = findings_for(
            submission.metadata,
            board,
            inspected.text_path.read_text(encoding="utf-8"),
            inspected.text_layer,
            review_every_deposit=self.review_every_deposit or bool(board and board.review_every_deposit),
        )
        if findings:
            return self._hold(submission, key, reference, ReviewHold(findings=tuple(findings), checked=checked), now)
        try:
            self.publication.publish(submission, reference, checked, now, board)
        except DuplicateContent as duplicate:
            return self._duplicate(submission, key, duplicate.reference, now)
        self.store.delete(key)
        return CatalogueOutcome(
            key=key,
            submission_id=submission.submission_id,
            status=SubmissionStatus.CATALOGUED,
            reference=reference,
        )

    def _hold(
        self, submission: Submission, key: str, reference: str, hold: ReviewHold, now: datetime
    ) -> CatalogueOutcome:
        """Hold the deposit for staff (`case-reviews review list`): its files wait under its reference, with
        nothing public, and the board reads why on its status route."""
        closed = self.submissions.close_submission(
            submission.submission_id,
            SubmissionStatus.IN_REVIEW,
            now,
            reason=hold.reason,
            reference=reference,
            hold=hold,
        )
        self.store.delete(key)
        logger.info(
            "Deposit held for review",
            extra={"submission_id": submission.submission_id, "reasons": [f.reason for f in hold.findings]},
        )
        return CatalogueOutcome(
            key=key, submission_id=submission.submission_id, status=closed.status, reason=closed.reason
        )

    def _reject(self, submission: Submission, key: str, reason: str, now: datetime) -> CatalogueOutcome:
        # Closed first, then the file moves: a redelivery after a crash in between finds the submission
        # rejected and finishes the move (_announce_again), so no file is left without its outcome.
        closed = self.submissions.close_submission(
            submission.submission_id, SubmissionStatus.REJECTED, now, reason=reason
        )
        logger.info("Upload rejected", extra={"submission_id": submission.submission_id, "reason": reason})
        return self._announce_again(closed, key)

    def _duplicate(self, submission: Submission, key: str, existing: str, now: datetime) -> CatalogueOutcome:
        closed = self.submissions.close_submission(
            submission.submission_id,
            SubmissionStatus.DUPLICATE,
            now,
            reason=f"This file is already in the library as {existing}.",
            reference=existing,
        )
        return self._announce_again(closed, key)

    def _announce_again(self, submission: Submission, key: str) -> CatalogueOutcome:
        """Tidy the upload away (a rejected one to quarantine), then publish the outcome (again, on a redelivery)."""
        if submission.status is SubmissionStatus.REJECTED:
            # Kept for staff to look at (a lifecycle rule expires it); never indexed, never public.
            self.store.quarantine(key, submission.submission_id)
        else:
            self.store.delete(key)
        if submission.status is SubmissionStatus.CATALOGUED and submission.reference:
            self.events.publish(
                DetailType.REPORT_CATALOGUED,
                ReportCatalogued.of(submission, submission.reference),
            )
        elif submission.status is SubmissionStatus.REJECTED:
            self.events.publish(
                DetailType.SUBMISSION_REJECTED,
                SubmissionRejected(submission_id=submission.submission_id, reason=submission.reason or "rejected"),
            )
        elif submission.status is SubmissionStatus.DUPLICATE and submission.reference:
            # The board is told the existing record's reference (one email, however often this is announced).
            self.events.publish(
                DetailType.SUBMISSION_DUPLICATE,
                SubmissionDuplicate(submission_id=submission.submission_id, reference=submission.reference),
            )
        return CatalogueOutcome(
            key=key,
            submission_id=submission.submission_id,
            status=submission.status,
            reference=submission.reference,
            reason=submission.reason,
        )
