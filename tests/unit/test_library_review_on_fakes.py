"""The library's check on fakes (services/review.py, services/publication.py): staff list the deposits that
wait, approve one (it is published as the deposit would have been) or reject it (the board is told why)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from case_reviews.adapters.clock import SetClock
from case_reviews.domain.errors import ChangedMeanwhile, NotFound, RulingRefused
from case_reviews.domain.events import DetailType
from case_reviews.domain.vocabulary import SubmissionStatus
from tests.unit.deposits_on_fakes import BOARD, Deposits

STAFF = "librarian"


@pytest.fixture
def deposits(clock: SetClock) -> Deposits:
    """Two anonymous deposits that name their board, held for review, the first deposited first."""
    deposits = Deposits(clock)
    deposits.inspector.text = "a review for the Northshire LSCB"
    deposits.deposited("s-1", anonymous=True)
    deposits.later()
    deposits.inspector.text = "a different review for the Northshire LSCB"
    deposits.deposited("s-2", body=b"%PDF-1.7 another file", anonymous=True)
    deposits.later()
    return deposits


def test_staff_see_what_waits_oldest_first_with_why(deposits) -> None:
    # Given two held deposits and one published
    deposits.inspector.text = "nothing of note"
    deposits.deposited("s-3", body=b"%PDF-1.7 a third file")
    # When staff list what waits
    waiting = deposits.review.waiting()
    # Then the held two are listed, oldest first, each with its reason and matching lines
    assert [submission.submission_id for submission in waiting] == ["s-1", "s-2"]
    assert all("names your board" in submission.reason for submission in waiting)
    assert all(submission.hold.findings[0].lines for submission in waiting)


def test_approving_publishes_the_held_copy_and_announces_it(deposits) -> None:
    # Given a held deposit, its files stored under its reserved reference
    held = deposits.submission("s-1")
    reference = held.reference
    # When staff approve it
    approved = deposits.review.approve("s-1", actor=STAFF)
    # Then it is catalogued under that reference, its record made from the held copy, and announced
    assert (approved.status, approved.reference, approved.hold) == (SubmissionStatus.CATALOGUED, reference, None)
    record = deposits.records.get_record(reference)
    assert (record.anonymous, record.submission_id) == (True, "s-1")
    assert (
        record.electronic_copy.model_dump(include=set(type(held.hold.checked).model_fields))
        == held.hold.checked.model_dump()
    )
    assert deposits.announced() == [
        (DetailType.REPORT_CATALOGUED, {"reference": reference, "submission_id": "s-1", "board_id": BOARD.board_id})
    ]
    # And it no longer waits
    assert [submission.submission_id for submission in deposits.review.waiting()] == ["s-2"]


def test_approving_again_only_announces_the_record_again(deposits) -> None:
    # Given an approved deposit (the approval may have stopped before the announcement)
    first = deposits.review.approve("s-1", actor=STAFF)
    # When staff approve it again
    again = deposits.review.approve("s-1", actor=STAFF)
    # Then one record, announced twice (the index and the email are idempotent)
    assert again == first and list(deposits.records.records) == [first.reference]
    assert [kind for kind, _ in deposits.announced()] == [DetailType.REPORT_CATALOGUED] * 2


def test_approving_a_file_the_library_has_meanwhile_is_a_duplicate(deposits) -> None:
    # Given a held deposit whose very file was catalogued meanwhile under another reference
    held = deposits.submission("s-1")
    deposits.records.claims[held.hold.checked.sha256] = "CR-2015-0042"
    # When staff approve it
    closed = deposits.review.approve("s-1", actor=STAFF)
    # Then it is a duplicate naming that record; its own files go, no record is made
    assert (closed.status, closed.reference) == (SubmissionStatus.DUPLICATE, "CR-2015-0042")
    assert deposits.records.records == {}
    assert f"reports/{held.reference}.pdf" not in deposits.files.objects
    assert deposits.announced() == [
        (DetailType.SUBMISSION_DUPLICATE, {"submission_id": "s-1", "reference": "CR-2015-0042"})
    ]


def test_rejecting_removes_the_held_files_and_tells_the_board_why(deposits) -> None:
    # Given a held deposit
    reference = deposits.submission("s-1").reference
    # When staff reject it with a reason
    rejected = deposits.review.reject("s-1", "  The report names the board on page 1; send a redacted copy. ", STAFF)
    # Then it is rejected with that reason, its files are gone, and the board is told (the rejection email)
    reason = "The report names the board on page 1; send a redacted copy."
    assert (rejected.status, rejected.reason) == (SubmissionStatus.REJECTED, reason)
    assert not any(reference in key for key in deposits.files.objects)
    assert deposits.announced() == [(DetailType.SUBMISSION_REJECTED, {"submission_id": "s-1", "reason": reason})]
    # And no record exists
    assert deposits.records.records == {}


def test_rejecting_again_finishes_what_a_stopped_rejection_left(deposits) -> None:
    # Given a rejection that closed the submission but stopped before its files went
    reference = deposits.submission("s-1").reference
    deposits.files.failing.add(f"reports/{reference}.pdf")
    with pytest.raises(OSError):
        deposits.review.reject("s-1", "Please redact the board's name.", STAFF)
    deposits.files.failing.clear()
    # When staff reject it again
    rejected = deposits.review.reject("s-1", "Please redact the board's name.", STAFF)
    # Then the files are gone and the board is told
    assert rejected.status is SubmissionStatus.REJECTED
    assert not any(reference in key for key in deposits.files.objects)
    assert [kind for kind, _ in deposits.announced()] == [DetailType.SUBMISSION_REJECTED]


@pytest.mark.parametrize("reason", ["", "  ", "no"], ids=["empty", "blank", "too short"])
def test_a_rejection_needs_a_reason_the_board_can_act_on(deposits, reason: str) -> None:
    # Given a held deposit
    # When staff reject it without a real reason
    with pytest.raises((RulingRefused, ValidationError)):
        deposits.review.reject("s-1", reason, STAFF)
    # Then it still waits, and nothing was announced
    assert deposits.submission("s-1").status is SubmissionStatus.IN_REVIEW and deposits.announced() == []


def test_a_decided_deposit_cannot_be_approved_or_rejected_as_if_it_waited(deposits) -> None:
    # Given one deposit approved and the other rejected
    deposits.review.approve("s-1", actor=STAFF)
    deposits.review.reject("s-2", "Please redact the board's name.", STAFF)
    # When staff try the other decision on each
    # Then each is refused, saying what it is
    with pytest.raises(RulingRefused, match="catalogued, not waiting"):
        deposits.review.reject("s-1", "Please redact the board's name.", STAFF)
    with pytest.raises(RulingRefused, match="rejected, not waiting"):
        deposits.review.approve("s-2", actor=STAFF)


def test_a_rejection_racing_an_approval_says_it_changed_meanwhile(deposits, monkeypatch) -> None:
    # Given an approval that publishes the deposit between the rejection's read and its write
    close = deposits.submissions.close_submission

    def approved_first(submission_id, status, now, **changes):
        deposits.review.approve(submission_id, actor="another librarian")
        return close(submission_id, status, now, **changes)

    monkeypatch.setattr(deposits.submissions, "close_submission", approved_first)
    # When the rejection is written
    with pytest.raises(ChangedMeanwhile):
        deposits.review.reject("s-1", "Please redact the board's name.", STAFF)
    # Then the published record keeps its files
    reference = deposits.submission("s-1").reference
    assert f"reports/{reference}.pdf" in deposits.files.objects


def test_an_unknown_submission_is_not_found(deposits) -> None:
    # Given no submission s-9
    # When staff approve or reject it
    # Then each says so
    with pytest.raises(NotFound):
        deposits.review.approve("s-9", actor=STAFF)
    with pytest.raises(NotFound):
        deposits.review.reject("s-9", "Please redact the board's name.", STAFF)
