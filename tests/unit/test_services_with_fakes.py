"""The services' logic on in-memory fakes of their ports: what they ask of the world, and how often."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from case_reviews.adapters.clock import SetClock
from case_reviews.adapters.email import JinjaEmailRenderer
from case_reviews.domain.digest import Subscriber
from case_reviews.domain.errors import InvalidRequest, NotFound
from case_reviews.domain.events import ReportCatalogued, SubmissionRejected
from case_reviews.domain.models import Board, ReportMetadata, Submission
from case_reviews.domain.vocabulary import SubmissionStatus
from case_reviews.services.acknowledgement import AcknowledgementService, MissingForAcknowledgement
from case_reviews.services.digest import DigestService
from case_reviews.services.submissions import SubmissionService
from tests.unit.factories import a_record, metadata_fields
from tests.unit.fakes import (
    InMemoryRecordStore,
    InMemorySubmissionStore,
    InMemorySubscriberStore,
    MemoryOnce,
    RecordingMailer,
    RecordingUploads,
)

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
BOARD = Board(board_id="northshire", name="Northshire Safeguarding Children Partnership")
OTHER = Board(board_id="southshire", name="Southshire Safeguarding Children Partnership")


def a_submission(**changes: object) -> Submission:
    fields = {
        "submission_id": "s-1",
        "board_id": BOARD.board_id,
        "metadata": ReportMetadata.model_validate(metadata_fields()),
        "status": SubmissionStatus.CATALOGUED,
        "upload_key": "incoming/s-1.pdf",
        "created_at": NOW,
        "updated_at": NOW,
        "reference": "CR-2016-0001",
    }
    return Submission.model_validate({**fields, **changes})


# ---------------------------------------------------------------- submissions


@pytest.fixture
def submissions() -> tuple[SubmissionService, InMemorySubmissionStore, RecordingUploads]:
    store, uploads = InMemorySubmissionStore(), RecordingUploads()
    return SubmissionService(store, uploads, SetClock(NOW), max_bytes=1000, upload_ttl_seconds=900), store, uploads


def test_opening_a_submission_records_it_before_signing_one_upload_for_its_key(submissions) -> None:
    # Given a board and what it declares about a published report
    service, store, uploads = submissions
    # When it opens a submission
    opened = service.open(BOARD, ReportMetadata.model_validate(metadata_fields()))
    # Then the submission is stored, awaiting its upload, stamped by the clock, and one upload is signed for its key
    stored = store.get_submission(opened.submission.submission_id)
    assert stored is not None and stored.status is SubmissionStatus.AWAITING_UPLOAD
    assert stored.created_at == opened.submission.created_at and stored.created_at >= NOW
    assert uploads.signed == [stored.upload_key] == [f"incoming/{stored.submission_id}.pdf"]


def test_a_report_published_after_the_clock_s_tomorrow_is_refused_and_nothing_is_stored(submissions) -> None:
    # Given a report dated two days after the clock's today
    service, store, uploads = submissions
    later = (NOW + timedelta(days=2)).date().isoformat()
    # When the board opens a submission for it
    with pytest.raises(InvalidRequest):
        service.open(BOARD, ReportMetadata.model_validate(metadata_fields(publication_date=later)))
    # Then nothing is stored or signed
    assert (store.submissions, uploads.signed) == ({}, [])


def test_a_board_cannot_see_another_board_s_submission(submissions) -> None:
    # Given a submission of one board
    service, store, _ = submissions
    store.create_submission(a_submission())
    # When another board asks for it
    # Then it is as unknown as a missing one
    with pytest.raises(NotFound):
        service.get(OTHER, "s-1")
    assert service.get(BOARD, "s-1").submission_id == "s-1"


# ---------------------------------------------------------------- acknowledgements


@pytest.fixture
def acknowledgements() -> tuple[AcknowledgementService, InMemorySubmissionStore, RecordingMailer]:
    submissions, mailer = InMemorySubmissionStore(), RecordingMailer()
    records = InMemoryRecordStore(a_record(reference="CR-2016-0001", submission_id="s-1"))
    service = AcknowledgementService(
        submissions=submissions,
        records=records,
        retention=None,  # type: ignore[arg-type] # not read by these notifications
        mailer=mailer,
        renderer=JinjaEmailRenderer(),
        once=MemoryOnce(),
        public_base_url="https://library.example/",
    )
    return service, submissions, mailer


def test_an_event_delivered_three_times_sends_one_email_to_the_submission_s_contact(acknowledgements) -> None:
    # Given a catalogued submission
    service, submissions, mailer = acknowledgements
    submissions.create_submission(a_submission())
    event = ReportCatalogued(reference="CR-2016-0001", submission_id="s-1")
    # When its event is delivered three times
    outcomes = [service.notify(event) for _ in range(3)]
    # Then one email went, to the contact the board gave, and every delivery reports that same email
    assert [to for to, *_ in mailer.sent] == ["business.manager@board.example"]
    assert {outcome.message_id for outcome in outcomes} == {"message-1"}
    assert outcomes[0].kind == "catalogued"


def test_a_rejection_is_explained_with_its_reason_once(acknowledgements) -> None:
    # Given a rejected submission
    service, submissions, mailer = acknowledgements
    submissions.create_submission(a_submission(status=SubmissionStatus.REJECTED, reference=None))
    event = SubmissionRejected(submission_id="s-1", reason="The file is not a PDF.")
    # When its rejection is announced twice
    service.notify(event)
    service.notify(event)
    # Then one email explains the reason
    assert len(mailer.sent) == 1
    assert "The file is not a PDF." in mailer.sent[0][2]


def test_an_event_for_a_submission_not_readable_yet_fails_so_that_it_is_delivered_again(acknowledgements) -> None:
    # Given an event whose submission the store does not hold (yet)
    service, _, mailer = acknowledgements
    # When it is delivered
    with pytest.raises(MissingForAcknowledgement):
        service.notify(ReportCatalogued(reference="CR-2016-0001", submission_id="s-1"))
    # Then nothing was sent, and nothing was remembered as done: a redelivery will try again
    assert mailer.sent == []
    assert service.once.results == {}  # type: ignore[attr-defined]


# ---------------------------------------------------------------- the weekly digest


def test_the_weekly_digest_goes_once_to_each_subscriber_and_not_at_all_for_an_empty_week() -> None:
    # Given one record deposited in the week before the run, and two subscribers
    deposited = a_record(reference="CR-2016-0001", created_at=NOW - timedelta(days=7))
    readers = [Subscriber(email=e, token=f"token-{e}", subscribed_at=NOW) for e in ("a@x.org", "b@x.org")]
    clock, mailer = SetClock(NOW), RecordingMailer()
    service = DigestService(
        records=InMemoryRecordStore(deposited),
        subscribers=InMemorySubscriberStore(*readers),
        mailer=mailer,
        renderer=JinjaEmailRenderer(),
        once=MemoryOnce(),
        clock=clock,
        public_base_url="https://library.example",
    )
    # When the run happens, is retried the same week, and runs again a week later (nothing new)
    first, retried = service.send_weekly(), service.send_weekly()
    clock.advance(timedelta(days=7))
    empty = service.send_weekly()
    # Then each subscriber got one digest listing the record, and the empty week sent nothing
    assert sorted(to for to, *_ in mailer.sent) == ["a@x.org", "b@x.org"]
    assert all("CR-2016-0001" in text for _, _, text, _ in mailer.sent)
    assert (first.entries, first.delivered, retried.week, empty.entries, empty.delivered) == (1, 2, first.week, 0, 0)
