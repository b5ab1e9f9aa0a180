"""Catalogue an uploaded report: check the file, extract its text, record it, announce it."""

from __future__ import annotations

import tempfile
from datetime import datetime
from pathlib import Path
from typing import Protocol

from aws_lambda_powertools import Logger
from pydantic import BaseModel

from case_reviews.adapters.dynamodb import CatalogueRepository, DuplicateContent
from case_reviews.adapters.eventbridge import EventPublisher
from case_reviews.adapters.pdf import InspectedPdf
from case_reviews.adapters.s3 import INCOMING_PREFIX, ReportStore
from case_reviews.domain.errors import UploadRejected
from case_reviews.domain.events import DetailType, ReportCatalogued, SubmissionDuplicate, SubmissionRejected
from case_reviews.domain.models import CatalogueRecord, ElectronicCopy, PublicationDate, Submission
from case_reviews.domain.rules import available_until, check_pdf_signature, check_upload_size, format_reference
from case_reviews.domain.vocabulary import CopyStatus, SubmissionStatus
from case_reviews.messages import UploadedObject

logger = Logger(child=True)


class PdfInspector(Protocol):
    def inspect(self, source: Path, workdir: Path, strip_metadata: bool) -> InspectedPdf: ...


class CatalogueOutcome(BaseModel):
    """What became of one upload; also the stored result of an idempotent run."""

    key: str
    submission_id: str | None = None
    status: SubmissionStatus | None = None
    reference: str | None = None
    reason: str | None = None


class UploadNotYetVisible(Exception):
    """The notification arrived but the object is not readable yet: let the queue redeliver."""


class CatalogueService:
    """Turns an uploaded PDF into a catalogue record, or a rejection the board can act on.

    Every step is safe to repeat: a redelivered notification finds the submission closed and
    only announces the outcome again (consumers are idempotent).
    """

    def __init__(
        self,
        repository: CatalogueRepository,
        store: ReportStore,
        inspector: PdfInspector,
        events: EventPublisher,
        max_bytes: int,
        workdir: Path | None = None,
    ) -> None:
        self.repository = repository
        self.store = store
        self.inspector = inspector
        self.events = events
        self.max_bytes = max_bytes
        # Lambda's /tmp (ephemeral storage): the upload, its text and an anonymous copy, never in memory.
        self.workdir = workdir

    def catalogue_upload(self, upload: UploadedObject, now: datetime) -> CatalogueOutcome:
        submission_id = _submission_id_from_key(upload.key)
        if submission_id is None:
            logger.warning("Ignoring an object outside the upload area", extra={"key": upload.key})
            return CatalogueOutcome(key=upload.key, reason="not an upload")
        try:
            submission = self.repository.start_processing(submission_id, now)
        except LookupError:
            # Nobody asked to upload this: remove it rather than keep an unaccountable file.
            logger.warning("Deleting an upload without a submission", extra={"key": upload.key})
            self.store.delete(upload.key)
            return CatalogueOutcome(key=upload.key, submission_id=submission_id, reason="no such submission")

        if submission.status.is_final:
            return self._announce_again(submission, upload.key)

        stored = self.store.head(upload.key)
        if stored is None:
            raise UploadNotYetVisible(upload.key)
        with tempfile.TemporaryDirectory(prefix="upload-", dir=self.workdir) as workdir:
            try:
                # Sizes first: an oversize object is refused before a byte of it is read.
                check_upload_size(stored.size_bytes, self.max_bytes)
                downloaded = self.store.download(upload.key, Path(workdir) / "upload.pdf", self.max_bytes)
                check_upload_size(downloaded.size_bytes, self.max_bytes)
                check_pdf_signature(downloaded.head)
                inspected = self.inspector.inspect(
                    downloaded.path, Path(workdir), strip_metadata=submission.metadata.anonymous
                )
            except UploadRejected as rejection:
                return self._reject(submission, upload.key, str(rejection), now)
            return self._catalogue(submission, upload.key, downloaded.sha256, inspected, now)

    def _catalogue(
        self, submission: Submission, key: str, sha256: str, inspected: InspectedPdf, now: datetime
    ) -> CatalogueOutcome:
        """Store the copy and its text, then commit the record: the record never exists without its file."""
        # The upload's checksum (not the stored copy's) finds duplicates: a board sends the same file again.
        existing = self.repository.reference_for_content(sha256)
        if existing:
            return self._duplicate(submission, key, existing, now)

        year = submission.metadata.publication_date.year
        reference = self.repository.assign_reference(submission.submission_id, year, format_reference)
        record = self._record_for(submission, reference, sha256, inspected, now)
        assert record.electronic_copy is not None
        self.store.write_pdf_file(record.electronic_copy.object_key or "", inspected.stored_path)
        self.store.write_text_file(record.electronic_copy.text_key or "", inspected.text_path)
        try:
            self.repository.commit_catalogued(record, now)
        except DuplicateContent as duplicate:
            # Another submission of the same file won the race: drop this copy, point at that one.
            self.store.delete(ReportStore.report_key(reference))
            self.store.delete(ReportStore.text_key(reference))
            return self._duplicate(submission, key, duplicate.reference, now)

        self.store.delete(key)
        self.events.publish(
            DetailType.REPORT_CATALOGUED, ReportCatalogued(reference=reference, submission_id=submission.submission_id)
        )
        logger.info(
            "Report catalogued",
            extra={
                "reference": reference,
                "submission_id": submission.submission_id,
                "text_layer": inspected.text_layer,
            },
        )
        return CatalogueOutcome(
            key=key,
            submission_id=submission.submission_id,
            status=SubmissionStatus.CATALOGUED,
            reference=reference,
        )

    def _record_for(
        self,
        submission: Submission,
        reference: str,
        sha256: str,
        inspected: InspectedPdf,
        now: datetime,
    ) -> CatalogueRecord:
        metadata = submission.metadata
        board = self.repository.get_board(submission.board_id)
        deposited_on = now.date()
        return CatalogueRecord(
            reference=reference,
            title=metadata.title,
            nation=metadata.nation,
            review_type=metadata.review_type,
            document_type=metadata.document_type,
            publication_date=PublicationDate(value=metadata.publication_date),
            board_id=submission.board_id,
            board_name=board.name if board else None,
            anonymous=metadata.anonymous,
            commissioned_date=metadata.commissioned_date,
            themes=metadata.themes,
            summary=metadata.summary,
            submission_id=submission.submission_id,
            deposited_on=deposited_on,
            electronic_copy=ElectronicCopy(
                status=CopyStatus.AVAILABLE,
                object_key=ReportStore.report_key(reference),
                text_key=ReportStore.text_key(reference),
                sha256=sha256,
                # The size of what the public downloads (for an anonymous report, the stripped copy).
                size_bytes=inspected.stored_path.stat().st_size,
                page_count=inspected.page_count,
                available_until=available_until(deposited_on),
                text_chars=inspected.text_chars,
                text_layer=inspected.text_layer,
                metadata_stripped=inspected.metadata_stripped,
            ),
            created_at=now,
            updated_at=now,
        )

    def _reject(self, submission: Submission, key: str, reason: str, now: datetime) -> CatalogueOutcome:
        # Closed first, then the file moves: a redelivery after a crash in between finds the submission
        # rejected and finishes the move (_announce_again), so no file is left without its outcome.
        closed = self.repository.close_submission(
            submission.submission_id, SubmissionStatus.REJECTED, now, reason=reason
        )
        logger.info("Upload rejected", extra={"submission_id": submission.submission_id, "reason": reason})
        return self._announce_again(closed, key)

    def _duplicate(self, submission: Submission, key: str, existing: str, now: datetime) -> CatalogueOutcome:
        closed = self.repository.close_submission(
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
                ReportCatalogued(reference=submission.reference, submission_id=submission.submission_id),
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


def _submission_id_from_key(key: str) -> str | None:
    if not key.startswith(INCOMING_PREFIX) or not key.endswith(".pdf"):
        return None
    candidate = key[len(INCOMING_PREFIX) : -len(".pdf")]
    return candidate if candidate and "/" not in candidate else None
