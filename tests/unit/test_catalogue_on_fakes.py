"""Cataloguing an upload on fakes (services/catalogue.py, services/publication.py): a checked file becomes
a record and is announced, a bad one is refused with a reason, the same file twice is a duplicate, and a
deposit the library must check waits with nothing public."""

from __future__ import annotations

import hashlib

import pytest

from case_reviews.adapters.clock import SetClock
from case_reviews.domain.events import DetailType
from case_reviews.domain.files import UploadedObject
from case_reviews.domain.holds import ReviewReason
from case_reviews.domain.vocabulary import CopyStatus, SubmissionStatus
from case_reviews.services.catalogue import UploadNotYetVisible
from tests.unit.deposits_on_fakes import A_PDF, BOARD, MAX_BYTES, Deposits
from tests.unit.fakes import MemoryOnce


@pytest.fixture
def deposits(clock: SetClock) -> Deposits:
    return Deposits(clock)


def test_a_checked_upload_becomes_a_record_with_its_copy_and_is_announced(deposits, now) -> None:
    # Given a board's submission awaiting its file
    # When the PDF arrives
    outcome = deposits.deposited()
    # Then the submission is catalogued under its publication year's first reference
    reference = outcome.reference
    published = deposits.submission().metadata.publication_date.value.year
    assert (outcome.status, reference) == (SubmissionStatus.CATALOGUED, f"CR-{published}-0001")
    assert (deposits.submission().status, deposits.submission().reference) == (SubmissionStatus.CATALOGUED, reference)
    # And the record holds the copy for five years, its files stored under the reference, the upload gone
    record = deposits.records.get_record(reference)
    copy = record.electronic_copy
    assert (record.board_id, record.board_name, copy.status) == (BOARD.board_id, BOARD.name, CopyStatus.AVAILABLE)
    assert copy.available_until.year == now.year + 5
    assert set(deposits.files.objects) == {f"reports/{reference}.pdf", f"text/{reference}.txt"}
    # And it is announced once, with its first audit entry
    assert deposits.announced() == [
        (DetailType.REPORT_CATALOGUED, {"reference": reference, "submission_id": "s-1", "board_id": BOARD.board_id}),
    ]
    assert [entry.action for entry in deposits.records.audit_trail(reference)] == ["deposited"]


def test_a_redelivered_notification_makes_no_second_record(deposits) -> None:
    # Given an upload already catalogued
    first = deposits.deposited()
    # When its notification is delivered again, after the idempotency record has gone
    deposits.once = MemoryOnce()
    deposits.files.put("incoming/s-1.pdf", A_PDF)
    again = deposits.catalogue.catalogue_upload(UploadedObject(bucket="reports", key="incoming/s-1.pdf", size=10))
    # Then the outcome is the same, one record exists, the upload is tidied away and the record announced again
    assert (again.status, again.reference) == (first.status, first.reference)
    assert list(deposits.records.records) == [first.reference]
    assert "incoming/s-1.pdf" not in deposits.files.objects
    assert [kind for kind, _ in deposits.announced()] == [DetailType.REPORT_CATALOGUED] * 2


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (b"", "empty"),
        (b"PK\x03\x04 a zip file", "not a PDF"),
        (b"%PDF-" + b"x" * MAX_BYTES, "the limit is"),
    ],
    ids=["empty", "not a pdf", "too large"],
)
def test_a_bad_file_is_refused_with_a_reason_and_kept_in_quarantine(deposits, body: bytes, reason: str) -> None:
    # Given a submission, and a file that is empty, not a PDF, or too large
    # When it arrives
    outcome = deposits.deposited(body=body)
    # Then the submission is rejected with a reason the board can act on, no record is made
    assert outcome.status is SubmissionStatus.REJECTED and reason in outcome.reason
    assert deposits.submission().reason == outcome.reason and deposits.records.records == {}
    # And the file is quarantined, and the rejection announced (the board is emailed)
    assert deposits.files.quarantined == {"incoming/s-1.pdf": "s-1"} and deposits.files.objects == {}
    assert deposits.announced() == [
        (DetailType.SUBMISSION_REJECTED, {"submission_id": "s-1", "reason": outcome.reason})
    ]


def test_a_file_the_inspection_refuses_is_rejected_with_its_reason(deposits) -> None:
    # Given the inspection refusing a file with active content
    deposits.inspector.rejection = "The PDF contains JavaScript. Remove it and submit the report again."
    # When it arrives
    outcome = deposits.deposited()
    # Then the board is told the inspection's reason
    assert (outcome.status, outcome.reason) == (SubmissionStatus.REJECTED, deposits.inspector.rejection)


def test_the_same_file_deposited_twice_is_a_duplicate_naming_the_first_record(deposits) -> None:
    # Given a file already catalogued
    first = deposits.deposited("s-1")
    # When another submission sends the same file
    second = deposits.deposited("s-2")
    # Then the second is a duplicate that names the first record, and has no record of its own
    assert (second.status, second.reference) == (SubmissionStatus.DUPLICATE, first.reference)
    assert f"already in the library as {first.reference}" in second.reason
    assert list(deposits.records.records) == [first.reference]
    assert deposits.announced()[-1] == (
        DetailType.SUBMISSION_DUPLICATE,
        {"submission_id": "s-2", "reference": first.reference},
    )


def test_an_anonymous_report_is_stripped_and_one_that_names_its_board_waits_for_staff(deposits) -> None:
    # Given an anonymous submission whose report names the board on its second page
    deposits.inspector.text = "Child K\fcommissioned by the Northshire\nLSCB"
    # When it arrives
    outcome = deposits.deposited(anonymous=True)
    # Then it was inspected as anonymous, and waits in review with a reason naming the page
    assert deposits.inspector.inspected == [True]
    assert (outcome.status, deposits.submission().status) == (SubmissionStatus.IN_REVIEW, SubmissionStatus.IN_REVIEW)
    assert "page 2 names your board" in outcome.reason
    [finding] = deposits.submission().hold.findings
    assert finding.reason is ReviewReason.NAMES_BOARD and "northshire lscb" in finding.lines[0]
    # And nothing is public: no record, nothing announced; its files wait under its reserved reference
    reference = deposits.submission().reference
    assert (deposits.records.records, deposits.announced()) == ({}, [])
    assert set(deposits.files.objects) == {f"reports/{reference}.pdf", f"text/{reference}.txt"}


def test_a_named_report_that_names_its_board_is_published(deposits) -> None:
    # Given a named (not anonymous) submission whose report names the board
    deposits.inspector.text = "commissioned by the Northshire LSCB"
    # When it arrives
    outcome = deposits.deposited()
    # Then it is published at once
    assert outcome.status is SubmissionStatus.CATALOGUED and deposits.inspector.inspected == [False]


@pytest.mark.parametrize("who", ["library", "board"])
def test_a_policy_of_checking_every_deposit_holds_a_clean_one(deposits, who: str) -> None:
    # Given the library, or the board, asking staff to check every deposit first
    if who == "library":
        deposits.review_every_deposit = True
    else:
        deposits.boards.update_board(BOARD.with_review_policy(True))
    # When a clean report arrives
    outcome = deposits.deposited()
    # Then it waits for staff
    assert outcome.status is SubmissionStatus.IN_REVIEW
    assert [f.reason for f in deposits.submission().hold.findings] == [ReviewReason.REVIEW_EVERY_DEPOSIT]


def test_a_scan_without_text_waits_for_staff(deposits) -> None:
    # Given a report with no text layer
    deposits.inspector.text, deposits.inspector.text_layer = "", False
    # When it arrives
    outcome = deposits.deposited()
    # Then it waits, saying why
    assert outcome.status is SubmissionStatus.IN_REVIEW and "no text layer" in outcome.reason


def test_a_redelivered_upload_of_a_held_deposit_is_only_tidied_away(deposits) -> None:
    # Given a deposit held for review
    deposits.review_every_deposit = True
    deposits.deposited()
    # When its upload is delivered again (a crash left the file), without the idempotency record
    deposits.once = MemoryOnce()
    again = deposits.upload()
    # Then it still waits, the upload is gone, and nothing is inspected or published
    assert again.status is SubmissionStatus.IN_REVIEW and "incoming/s-1.pdf" not in deposits.files.objects
    assert (len(deposits.inspector.inspected), deposits.records.records) == (1, {})


def test_an_object_outside_the_upload_area_is_ignored(deposits) -> None:
    # Given an object in another part of the bucket
    deposits.files.put("reports/CR-2016-0001.pdf", A_PDF)
    # When its notification arrives
    outcome = deposits.catalogue.catalogue_upload(
        UploadedObject(bucket="reports", key="reports/CR-2016-0001.pdf", size=10)
    )
    # Then nothing happens to it
    assert outcome.reason == "not an upload" and "reports/CR-2016-0001.pdf" in deposits.files.objects


def test_an_upload_nobody_asked_for_is_deleted(deposits) -> None:
    # Given a file under incoming/ without a submission
    # When it arrives
    outcome = deposits.upload("no-such-submission")
    # Then it is deleted, and nothing is recorded
    assert outcome.reason == "no such submission"
    assert (deposits.files.objects, deposits.records.records, deposits.announced()) == ({}, {}, [])


def test_a_notification_before_the_object_is_readable_is_retried(deposits) -> None:
    # Given a submission whose object is not visible yet
    deposits.opened()
    # When its notification arrives
    # Then the queue is asked to deliver it again (nothing is closed)
    with pytest.raises(UploadNotYetVisible):
        deposits.catalogue.catalogue_upload(UploadedObject(bucket="reports", key="incoming/s-1.pdf", size=10))
    assert deposits.submission().status is SubmissionStatus.PROCESSING


def test_a_deposit_that_loses_the_race_for_its_file_is_a_duplicate_and_its_copy_goes(deposits) -> None:
    # Given the same file catalogued under another reference just before this deposit's record is committed
    def same_file_won() -> None:
        deposits.records.claims[hashlib.sha256(A_PDF).hexdigest()] = "CR-2015-0042"

    deposits.records.before_write = same_file_won
    # When the upload is catalogued
    outcome = deposits.deposited()
    # Then it is a duplicate of the winner; its copy and text, stored under its own reference, are removed
    assert (outcome.status, outcome.reference) == (SubmissionStatus.DUPLICATE, "CR-2015-0042")
    assert (deposits.files.objects, deposits.records.records) == ({}, {})
    assert [kind for kind, _ in deposits.announced()] == [DetailType.SUBMISSION_DUPLICATE]
