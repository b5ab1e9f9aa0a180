"""The catalogue table adapter on the embedded DynamoDB: references and the content claim."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from case_reviews import bootstrap
from case_reviews.domain.boards import Submission
from case_reviews.domain.description import ReportMetadata
from case_reviews.domain.errors import DuplicateContent
from case_reviews.domain.records import CatalogueRecord, ElectronicCopy
from case_reviews.domain.vocabulary import CopyStatus, SubmissionStatus
from case_reviews.services.boards import hash_key
from tests.integration.helpers import sample_metadata

NOW = datetime(2026, 11, 26, 9, 0, tzinfo=UTC)


def a_submission(submission_id: str, **fields: object) -> Submission:
    """A Northshire submission being processed (or as `fields` say), not stored."""
    submission = Submission(
        submission_id=submission_id,
        board_id="northshire",
        metadata=ReportMetadata.model_validate(sample_metadata()),
        status=SubmissionStatus.PROCESSING,
        upload_key=f"incoming/{submission_id}.pdf",
        created_at=NOW,
        updated_at=NOW,
    )
    return submission.model_copy(update=fields)


def open_submission(submission_id: str) -> Submission:
    submission = a_submission(submission_id)
    bootstrap.services().submissions_store.create_submission(submission)
    return submission


def record_for(submission: Submission, reference: str, sha256: str) -> CatalogueRecord:
    return CatalogueRecord(
        reference=reference,
        title=submission.metadata.title,
        nation=submission.metadata.nation,
        review_type=submission.metadata.review_type,
        document_type=submission.metadata.document_type,
        publication_date=submission.metadata.publication_date,
        board_id=submission.board_id,
        board_name="Northshire Safeguarding Children Partnership",
        submission_id=submission.submission_id,
        deposited_on=NOW.date(),
        electronic_copy=ElectronicCopy(
            status=CopyStatus.AVAILABLE,
            object_key=f"reports/{reference}.pdf",
            text_key=f"text/{reference}.txt",
            sha256=sha256,
            size_bytes=1000,
            page_count=2,
            available_until=date(2031, 11, 26),
        ),
        created_at=NOW,
        updated_at=NOW,
    )


def test_a_submission_keeps_its_reference_and_the_next_one_gets_the_next_number(aws):
    # Given two submissions of reports published in 2016
    submissions = bootstrap.services().submissions_store
    first, second = open_submission("s-1"), open_submission("s-2")

    # When the first asks for its reference, then again as a redelivery does (having read the submission again),
    # then the second asks once
    assigned = submissions.assign_reference(first, 2016)
    again = submissions.assign_reference(submissions.get_submission(first.submission_id), 2016)
    other = submissions.assign_reference(second, 2016)

    # Then the retry gets the same reference, and the second the following number
    assert [assigned, again] == ["CR-2016-0001", "CR-2016-0001"]
    assert other == "CR-2016-0002"


def test_a_concurrent_delivery_that_read_the_submission_before_its_reference_gets_the_same_reference(aws):
    # Given a submission whose reference a first delivery has just written
    submissions = bootstrap.services().submissions_store
    stale = open_submission("s-1")
    assert submissions.assign_reference(stale, 2016) == "CR-2016-0001"

    # When a concurrent delivery, holding the submission as read before that, asks for one too
    raced = submissions.assign_reference(stale, 2016)

    # Then it is given the reference written first, not a second one
    assert raced == "CR-2016-0001"
    assert submissions.get_submission(stale.submission_id).reference == "CR-2016-0001"


def test_the_second_of_two_identical_files_to_commit_is_told_which_record_has_it(aws):
    # Given a record already committed for a file
    repository, submissions = bootstrap.services().records_store, bootstrap.services().submissions_store
    first, second = open_submission("s-1"), open_submission("s-2")
    repository.commit_catalogued(record_for(first, "CR-2016-0001", "a" * 64), NOW)

    # When another submission of the same file commits (it passed the duplicate check before the first one did)
    with pytest.raises(DuplicateContent) as duplicate:
        repository.commit_catalogued(record_for(second, "CR-2016-0002", "a" * 64), NOW)

    # Then it learns the first record's reference, and nothing of it was written
    assert duplicate.value.reference == "CR-2016-0001"
    assert repository.get_record("CR-2016-0002") is None
    assert submissions.get_submission("s-2").status is SubmissionStatus.PROCESSING


def test_committing_the_same_record_twice_is_harmless(aws):
    # Given a committed record
    repository, submissions = bootstrap.services().records_store, bootstrap.services().submissions_store
    submission = open_submission("s-1")
    record = record_for(submission, "CR-2016-0001", "b" * 64)
    repository.commit_catalogued(record, NOW)

    # When the same commit arrives again (another delivery of the same upload)
    repository.commit_catalogued(record, NOW)

    # Then the record and the submission are as after the first
    assert repository.get_record("CR-2016-0001") == record
    assert submissions.get_submission("s-1").status is SubmissionStatus.CATALOGUED


def test_revoking_keys_on_the_table_refuses_them_and_leaves_other_boards_alone(aws) -> None:
    # Given two boards, the first with two keys and the second with one
    boards = bootstrap.services().boards
    northshire = boards.add_board("Northshire Safeguarding Children Partnership")
    southshire = boards.add_board("Southshire Safeguarding Children Partnership")
    old, new = boards.issue_key(northshire.board_id), boards.issue_key(northshire.board_id)
    other = boards.issue_key(southshire.board_id)
    # When the first board's old key is revoked, and then all its keys
    one = boards.revoke_keys(northshire.board_id, key=old)
    still_working = boards.authenticate(f"Bearer {new}")
    rest = boards.revoke_keys(northshire.board_id)
    # Then each revocation counts only the keys still live, the first board's keys are refused,
    # and the second board's key still works
    assert (one, rest) == (1, 1)
    assert still_working == northshire
    credentials = bootstrap.services().boards_store
    assert credentials.get_credential(hash_key(old)).revoked
    assert credentials.get_credential(hash_key(new)).revoked
    assert boards.authenticate(f"Bearer {other}") == southshire


def test_a_board_s_catalogued_references_are_read_across_pages_newest_first_and_only_its_own(aws) -> None:
    # Given 130 submissions of the board (more than one page of 100), every tenth rejected, and another
    # board's catalogued submission
    store = bootstrap.services().submissions_store
    for number in range(1, 131):
        rejected = number % 10 == 0
        store.create_submission(
            a_submission(
                f"s-{number}",
                status=SubmissionStatus.REJECTED if rejected else SubmissionStatus.CATALOGUED,
                reference=None if rejected else f"CR-2016-{number:04d}",
                created_at=NOW + timedelta(minutes=number),
            )
        )
    store.create_submission(
        a_submission("s-other", board_id="southshire", status=SubmissionStatus.CATALOGUED, reference="CR-2016-0999")
    )
    # When the board's catalogued references are read
    references = store.catalogued_references("northshire")
    # Then they are its 117 catalogued ones, newest first, and nothing of the rejected or the other board's
    assert references == [f"CR-2016-{number:04d}" for number in range(130, 0, -1) if number % 10]
