"""Catalogue an uploaded report: check the file, extract its text, record it, announce it."""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Protocol

from aws_lambda_powertools import Logger
from pydantic import BaseModel

from case_reviews.adapters.dynamodb import CatalogueRepository, DuplicateContent
from case_reviews.adapters.eventbridge import EventPublisher
from case_reviews.adapters.pdf import ExtractedText
from case_reviews.adapters.s3 import INCOMING_PREFIX, ReportStore
from case_reviews.domain.errors import UploadRejected
from case_reviews.domain.events import DetailType, ReportCatalogued, SubmissionRejected
from case_reviews.domain.models import CatalogueRecord, ElectronicCopy, PublicationDate, Submission
from case_reviews.domain.rules import available_until, check_pdf_signature, check_upload_size, format_reference
from case_reviews.domain.vocabulary import CopyStatus, SubmissionStatus
from case_reviews.messages import UploadedObject

logger = Logger(child=True)


class TextExtractor(Protocol):
    def extract(self, data: bytes) -> ExtractedText: ...


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
        extractor: TextExtractor,
        events: EventPublisher,
        max_bytes: int,
    ) -> None:
        self.repository = repository
        self.store = store
        self.extractor = extractor
        self.events = events
        self.max_bytes = max_bytes

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
        try:
            check_upload_size(stored.size_bytes, self.max_bytes)
            data = self.store.read(upload.key)
            check_pdf_signature(data)
            extracted = self.extractor.extract(data)
        except UploadRejected as rejection:
            return self._reject(submission, upload.key, str(rejection), now)

        sha256 = hashlib.sha256(data).hexdigest()
        existing = self.repository.reference_for_content(sha256)
        if existing:
            return self._duplicate(submission, upload.key, existing, now)

        year = submission.metadata.publication_date.year
        reference = self.repository.assign_reference(submission.submission_id, year, format_reference)
        record = self._record_for(submission, reference, sha256, len(data), extracted, now)
        assert record.electronic_copy is not None
        self.store.write_pdf(record.electronic_copy.object_key or "", data)
        self.store.write_text(record.electronic_copy.text_key or "", extracted.text)
        try:
            self.repository.commit_catalogued(record, now)
        except DuplicateContent as duplicate:
            # Another submission of the same file won the race: drop this copy, point at that one.
            self.store.delete(ReportStore.report_key(reference))
            self.store.delete(ReportStore.text_key(reference))
            return self._duplicate(submission, upload.key, duplicate.reference, now)

        self.store.delete(upload.key)
        self.events.publish(
            DetailType.REPORT_CATALOGUED, ReportCatalogued(reference=reference, submission_id=submission.submission_id)
        )
        logger.info("Report catalogued", extra={"reference": reference, "submission_id": submission.submission_id})
        return CatalogueOutcome(
            key=upload.key,
            submission_id=submission.submission_id,
            status=SubmissionStatus.CATALOGUED,
            reference=reference,
        )

    def _record_for(
        self,
        submission: Submission,
        reference: str,
        sha256: str,
        size_bytes: int,
        extracted: ExtractedText,
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
                size_bytes=size_bytes,
                page_count=extracted.page_count,
                available_until=available_until(deposited_on),
            ),
            created_at=now,
            updated_at=now,
        )

    def _reject(self, submission: Submission, key: str, reason: str, now: datetime) -> CatalogueOutcome:
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
        """Publish the outcome of a closed submission (again, on a redelivery) and tidy the upload away."""
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
        self.store.delete(key)
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
