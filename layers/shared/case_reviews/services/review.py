"""The library's check before publication: staff list what waits, and approve or reject it."""

from __future__ import annotations

from pydantic import TypeAdapter

from case_reviews.domain.boards import Submission
from case_reviews.domain.errors import ChangedMeanwhile, DuplicateContent, NotFound, RulingRefused
from case_reviews.domain.events import DetailType, ReportCatalogued, SubmissionDuplicate, SubmissionRejected
from case_reviews.domain.fields import Summary
from case_reviews.domain.files import report_key, text_key
from case_reviews.domain.vocabulary import SubmissionStatus
from case_reviews.observability import logger
from case_reviews.ports import Clock, EventBus, FileStore, SubmissionStore
from case_reviews.services.publication import DepositPublication

_reason: TypeAdapter[str] = TypeAdapter(Summary)


class LibraryReview:
    """Deposits held for a person (`in_review`): what waits and why, and staff's decision on each.

    Approving publishes the held copy as the deposit would have been (its record, the index, the
    board's acknowledgement); rejecting removes its files and tells the board, through the usual
    rejection email, why.
    """

    def __init__(
        self,
        submissions: SubmissionStore,
        store: FileStore,
        events: EventBus,
        clock: Clock,
        publication: DepositPublication,
    ) -> None:
        self.submissions = submissions
        self.store = store
        self.events = events
        self.clock = clock
        self.publication = publication

    def waiting(self) -> list[Submission]:
        """Every deposit held for the library's check, oldest first, with its findings."""
        return self.submissions.submissions_in_review()

    def approve(self, submission_id: str, actor: str) -> Submission:
        """Publish a held deposit: its record, then the index and the board's acknowledgement follow.

        Safe to repeat: an approval that stopped after publishing announces the record again (the
        index and the email are idempotent), so a crash between the two is finished by running it again.
        """
        submission = self._current(submission_id)
        if submission.status is SubmissionStatus.CATALOGUED and submission.reference:
            self.events.publish(
                DetailType.REPORT_CATALOGUED,
                ReportCatalogued.of(submission, submission.reference),
            )
            return submission
        submission = self._held(submission)
        assert submission.hold is not None and submission.reference is not None
        now = self.clock.now()
        try:
            self.publication.publish_held(submission, now)
        except DuplicateContent as duplicate:
            closed = self.submissions.close_submission(
                submission_id,
                SubmissionStatus.DUPLICATE,
                now,
                reason=f"This file is already in the library as {duplicate.reference}.",
                reference=duplicate.reference,
            )
            self.events.publish(
                DetailType.SUBMISSION_DUPLICATE,
                SubmissionDuplicate(submission_id=submission_id, reference=duplicate.reference),
            )
            return closed
        logger.info("Held deposit approved", extra={"submission_id": submission_id, "actor": actor})
        return self._current(submission_id)

    def reject(self, submission_id: str, reason: str, actor: str) -> Submission:
        """Refuse a held deposit: its files go, and the board is told `reason` in the rejection email.

        Safe to repeat: a rejection that stopped half-way finishes (files, announcement) when run again.
        """
        why = _reason.validate_python(reason)
        if len(why) < 3:
            raise RulingRefused("Give the board a reason it can act on (at least 3 characters).")
        submission = self._current(submission_id)
        if not (submission.status is SubmissionStatus.REJECTED and submission.hold is not None):
            submission = self._held(submission)
            submission = self.submissions.close_submission(
                submission_id, SubmissionStatus.REJECTED, self.clock.now(), reason=why
            )
            if submission.status is not SubmissionStatus.REJECTED:
                # Approved meanwhile: its files are the published record's now.
                raise ChangedMeanwhile(f"Submission {submission_id} was {submission.status} meanwhile.")
        assert submission.reference is not None
        # The reserved reference is never published: its files go with the decision.
        self.store.delete(report_key(submission.reference))
        self.store.delete(text_key(submission.reference))
        self.events.publish(
            DetailType.SUBMISSION_REJECTED,
            SubmissionRejected(submission_id=submission_id, reason=submission.reason or why),
        )
        logger.info("Held deposit rejected", extra={"submission_id": submission_id, "actor": actor})
        return submission

    @staticmethod
    def _held(submission: Submission) -> Submission:
        submission_id = submission.submission_id
        if submission.status is not SubmissionStatus.IN_REVIEW or submission.hold is None:
            raise RulingRefused(f"Submission {submission_id} is {submission.status}, not waiting for review.")
        return submission

    def _current(self, submission_id: str) -> Submission:
        submission = self.submissions.get_submission(submission_id)
        if submission is None:
            raise NotFound(f"No submission {submission_id}.")
        return submission
