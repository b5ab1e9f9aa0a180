"""The services' logic on in-memory fakes of their ports: what they ask of the world, and how often."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import pytest

from case_reviews.adapters.clock import SetClock
from case_reviews.adapters.email import JinjaEmailRenderer
from case_reviews.domain.boards import Board, Submission
from case_reviews.domain.dates import PublicationDate
from case_reviews.domain.description import ReportMetadata
from case_reviews.domain.digest import Subscriber
from case_reviews.domain.errors import InvalidRequest, NotFound
from case_reviews.domain.events import ExpiryApproaching, ReportCatalogued, SubmissionRejected
from case_reviews.domain.records import rights_statement
from case_reviews.domain.vocabulary import SubmissionStatus
from case_reviews.services.acknowledgement import AcknowledgementService, MissingForAcknowledgement
from case_reviews.services.boards import BoardService
from case_reviews.services.digest import DigestService
from case_reviews.services.submissions import SubmissionService
from tests.unit.factories import a_record, metadata_fields
from tests.unit.fakes import (
    InMemoryBoardStore,
    InMemoryRecordStore,
    InMemorySubmissionStore,
    InMemorySubscriberStore,
    MemoryOnce,
    RecordingMailer,
    RecordingUploads,
    ScriptedSearchIndex,
)

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
BOARD = Board(board_id="northshire", name="Northshire Safeguarding Children Partnership")
OTHER = Board(board_id="southshire", name="Southshire Safeguarding Children Partnership")


def flat(part: str) -> str:
    """An email part as its words: tags removed, runs of spaces and line breaks as one space."""
    return " ".join(re.sub(r"<[^>]+>", " ", part).split())


def without_links(part: str) -> str:
    return re.sub(r"(https?|mailto):[^\s\"<>]+", " ", part)


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


@dataclass
class Acknowledging:
    """The acknowledgement service on fakes, and the fakes to arrange and inspect."""

    service: AcknowledgementService
    boards: InMemoryBoardStore
    submissions: InMemorySubmissionStore
    records: InMemoryRecordStore
    mailer: RecordingMailer

    def catalogued(self, number: int, **record: object) -> ReportCatalogued:
        """A submission of BOARD catalogued as CR-2016-<number>, and the record it became."""
        reference, submission_id = f"CR-2016-{number:04d}", f"s-{number}"
        created = NOW + timedelta(minutes=number)
        self.submissions.create_submission(
            a_submission(submission_id=submission_id, reference=reference, created_at=created, updated_at=created)
        )
        fields = {"board_id": BOARD.board_id, "board_name": BOARD.name, **record}
        self.records.records[reference] = a_record(reference=reference, submission_id=submission_id, **fields)
        return ReportCatalogued(reference=reference, submission_id=submission_id, board_id=BOARD.board_id)


@pytest.fixture
def acknowledging() -> Acknowledging:
    boards, submissions, records, mailer = (
        InMemoryBoardStore(),
        InMemorySubmissionStore(),
        InMemoryRecordStore(),
        RecordingMailer(),
    )
    boards.save_board(BOARD, created_at=NOW)
    service = AcknowledgementService(
        submissions=submissions,
        records=records,
        retention=None,  # type: ignore[arg-type] # not read by these notifications
        boards=boards,
        search=ScriptedSearchIndex(),  # nothing published under the board's names but its deposits
        mailer=mailer,
        renderer=JinjaEmailRenderer(),
        once=MemoryOnce(),
        public_base_url="https://library.example/",
        deposit_page_url="https://library.example/deposit",
        library_email="enquiries@library.example",
    )
    return Acknowledging(service, boards, submissions, records, mailer)


def test_an_event_delivered_three_times_sends_one_email_to_the_submission_s_contact(acknowledging) -> None:
    # Given a catalogued submission
    event = acknowledging.catalogued(1)
    # When its event is delivered three times
    outcomes = [acknowledging.service.notify(event) for _ in range(3)]
    # Then one email went, to the contact the board gave, and every delivery reports that same email
    assert [to for to, *_ in acknowledging.mailer.sent] == ["business.manager@board.example"]
    assert {outcome.message_id for outcome in outcomes} == {"message-1"}
    assert outcomes[0].kind == "catalogued"


def test_an_announcement_made_before_the_board_was_carried_is_the_same_occasion(acknowledging) -> None:
    # Given a catalogued submission acknowledged from an announcement made before announcements named the board
    event = acknowledging.catalogued(1)
    older = event.model_copy(update={"board_id": None})
    first = acknowledging.service.notify(older)
    # When it is announced again as the catalogue announces it now, with its board
    again = acknowledging.service.notify(event)
    # Then no second email goes: the occasion is the record and its submission, as it always was
    assert len(acknowledging.mailer.sent) == 1
    assert again.message_id == first.message_id
    assert event.occasion().model_dump() == {"reference": "CR-2016-0001", "submission_id": "s-1"}


def test_a_rejection_is_explained_with_its_reason_once(acknowledging) -> None:
    # Given a rejected submission
    acknowledging.submissions.create_submission(a_submission(status=SubmissionStatus.REJECTED, reference=None))
    event = SubmissionRejected(submission_id="s-1", reason="The file is not a PDF.")
    # When its rejection is announced twice
    acknowledging.service.notify(event)
    acknowledging.service.notify(event)
    # Then one email explains the reason
    assert len(acknowledging.mailer.sent) == 1
    assert "The file is not a PDF." in acknowledging.mailer.sent[0][2]


def test_an_event_for_a_submission_not_readable_yet_fails_so_that_it_is_delivered_again(acknowledging) -> None:
    # Given an event whose submission the store does not hold (yet)
    # When it is delivered
    with pytest.raises(MissingForAcknowledgement):
        acknowledging.service.notify(ReportCatalogued(reference="CR-2016-0001", submission_id="s-1"))
    # Then nothing was sent, and nothing was remembered as done: a redelivery will try again
    assert acknowledging.mailer.sent == []
    assert acknowledging.service.once.results == {}  # type: ignore[attr-defined]


def test_the_acknowledgement_lists_every_report_held_from_the_board_and_nothing_of_another_board(
    acknowledging,
) -> None:
    # Given 120 reports the board deposited before, one of them
    # anonymous and one known only by its year, a rejected upload, and another board's report
    for number in range(1, 121):
        acknowledging.catalogued(number, title=f"Learning review number {number}")
    acknowledging.records.records["CR-2016-0007"] = acknowledging.records.records["CR-2016-0007"].model_copy(
        update={"anonymous": True}
    )
    acknowledging.records.records["CR-2016-0008"] = acknowledging.records.records["CR-2016-0008"].model_copy(
        update={"publication_date": PublicationDate.parse("2009")}
    )
    acknowledging.submissions.create_submission(
        a_submission(submission_id="s-rejected", status=SubmissionStatus.REJECTED, reference=None)
    )
    acknowledging.submissions.create_submission(
        a_submission(submission_id="s-other", board_id=OTHER.board_id, reference="CR-2016-0999")
    )
    acknowledging.records.records["CR-2016-0999"] = a_record(reference="CR-2016-0999", title="Southshire's own")
    # And the board's newest deposit, just catalogued
    event = acknowledging.catalogued(121, title="Serious Case Review: Child M")
    # When it is acknowledged
    acknowledging.service.notify(event)
    # Then the email lists all 121 reports, each once, with its reference, title and publication date in words,
    # the oldest publication first; the anonymous one is marked; nothing of the other board appears
    [(_, _, text, html)] = acknowledging.mailer.sent
    assert "The library now holds 121 reports from your board:" in text
    listed_text, listed_html = text.split("from your board:")[1], html.split("from your board:")[1]
    for number in range(1, 122):
        assert listed_text.count(f"CR-2016-{number:04d}") == 1
        assert listed_html.count(f"<td>CR-2016-{number:04d}</td>") == 1
    assert "CR-2016-0008  2009\n  Learning review number 8" in text
    assert "CR-2016-0001  14 March 2016\n  Learning review number 1" in text
    assert text.index("CR-2016-0008  ") < text.index("CR-2016-0001  ") < text.index("CR-2016-0002  ")
    assert "CR-2016-0007  14 March 2016  (published anonymously)" in text
    assert "CR-2016-0999" not in text and "Southshire" not in text


def test_the_acknowledgement_gives_the_rights_the_link_the_deposit_page_and_the_library_s_address(
    acknowledging,
) -> None:
    # Given a report catalogued for the board
    event = acknowledging.catalogued(1)
    # When it is acknowledged
    acknowledging.service.notify(event)
    # Then both parts thank the board, give the reference, the catalogue link, the rights statement, the last
    # available day, the deposit page, the welcome for other learning reports and anonymous publication,
    # and the library's address
    [(_, subject, text, html)] = acknowledging.mailer.sent
    assert subject == "Received: Serious Case Review: Child K — Overview Report (CR-2016-0001)"
    for part in (flat(text), flat(html)):
        assert "Thank you for depositing your case review" in part
        assert "https://library.example/record/CR-2016-0001" in part
        assert rights_statement(acknowledging.records.records["CR-2016-0001"].public()) in part
        assert "until 26 November 2031" in part
        assert "case review reports?" in part and "commissioned after 10 June 2010" in part
        assert "https://library.example/deposit" in part
        assert "Other learning reports are welcome" in part
        assert "the library can publish it anonymously on your board's behalf" in part
        assert "we would welcome a conversation about that" in part
        assert "enquiries@library.example" in part
    assert "published anonymously on your board's behalf: nothing public names your board" not in flat(text)


def test_an_anonymous_report_s_acknowledgement_still_names_the_board_to_the_board(acknowledging) -> None:
    # Given a report published anonymously on the board's behalf
    event = acknowledging.catalogued(1, anonymous=True)
    # When it is acknowledged
    acknowledging.service.notify(event)
    # Then the board is told it keeps the copyright, and that the report is published anonymously on its behalf
    [(_, _, text, html)] = acknowledging.mailer.sent
    for part in (flat(text), flat(html)):
        assert "Northshire Safeguarding Children Partnership" in part.split("Publisher")[-1]
        assert "published anonymously on your board's behalf: nothing public names your board" in part
    # And it sees the publisher the public sees
    assert "Publisher:     Anonymous" in text


@pytest.mark.parametrize(
    "word", ["POST", "/submissions", "API", "endpoint", "presigned", "JSON", "HTTP"], ids=lambda word: word
)
def test_the_acknowledgement_says_nothing_of_how_the_software_works(acknowledging, word: str) -> None:
    # Given a report catalogued for the board
    acknowledging.service.notify(acknowledging.catalogued(1))
    # When its email is read
    [(_, subject, text, html)] = acknowledging.mailer.sent
    # Then no technical word is in it, in any case (links aside: an address starts with https)
    for part in (subject, text, html):
        assert word.lower() not in without_links(part).lower()
    assert "/submissions" not in text + html


# ---------------------------------------------------------------- expiry warnings


def expiry_of(event: ReportCatalogued) -> ExpiryApproaching:
    return ExpiryApproaching(reference=event.reference, available_until=date(2031, 11, 26))


def test_the_expiry_warning_goes_to_the_board_s_current_contacts_in_one_email(acknowledging) -> None:
    # Given a report deposited with one contact, and the board's contacts since set by staff
    event = acknowledging.catalogued(1)
    BoardService(acknowledging.boards, SetClock(NOW)).set_contacts(
        BOARD.board_id, ["Safeguarding.Business@northshire.example", "team@northshire.example"]
    )
    # When its copy's expiry is announced (twice)
    acknowledging.service.notify(expiry_of(event))
    acknowledging.service.notify(expiry_of(event))
    # Then one warning went, to the board's current contacts together, not to whoever deposited it
    [(to, subject, _, _)] = acknowledging.mailer.sent
    assert list(to) == ["safeguarding.business@northshire.example", "team@northshire.example"]
    assert subject.startswith("Electronic copy to be removed on 27 November 2031")


def test_without_board_contacts_the_expiry_warning_goes_to_the_deposit_s_contact(acknowledging) -> None:
    # Given a report of a board that has no contacts kept by staff
    event = acknowledging.catalogued(1)
    # When its copy's expiry is announced
    acknowledging.service.notify(expiry_of(event))
    # Then the warning goes to the contact given with the deposit
    assert [to for to, *_ in acknowledging.mailer.sent] == [("business.manager@board.example",)]


def test_a_record_with_neither_board_nor_submission_gets_no_expiry_warning(acknowledging) -> None:
    # Given a record with a copy but no board and no submission (nobody to tell)
    acknowledging.records.records["CR-2016-0005"] = a_record(
        reference="CR-2016-0005", board_id=None, board_name=None, submission_id=None
    )
    # When its expiry is announced
    outcome = acknowledging.service.notify(
        ExpiryApproaching(reference="CR-2016-0005", available_until=date(2031, 11, 26))
    )
    # Then nothing is sent
    assert (outcome.message_id, acknowledging.mailer.sent) == ("", [])


# ---------------------------------------------------------------- boards: contacts and aliases


@pytest.fixture
def boards() -> tuple[BoardService, InMemoryBoardStore]:
    store = InMemoryBoardStore()
    store.save_board(BOARD, created_at=NOW)
    return BoardService(store, SetClock(NOW)), store


def test_set_contacts_replaces_the_board_s_contacts_each_once_in_lower_case(boards) -> None:
    # Given a board with contacts
    service, store = boards
    service.set_contacts(BOARD.board_id, ["old@northshire.example"])
    # When staff set its contacts to two addresses (one given twice, in another case)
    changed = service.set_contacts(
        BOARD.board_id, ["New@Northshire.example", "team@northshire.example", "new@northshire.example"]
    )
    # Then the board has exactly those two, as stored
    assert changed.contacts == ("new@northshire.example", "team@northshire.example")
    assert store.get_board(BOARD.board_id) == changed


@pytest.mark.parametrize(
    ("addresses", "message"),
    [
        ([], "at least one contact address"),
        (["team@northshire.example", "not an address"], "'not an address' is not an email address"),
        (["team@northshire"], "'team@northshire' is not an email address"),
    ],
    ids=["none", "one not an address", "no dot in the domain"],
)
def test_contacts_that_are_not_addresses_are_refused_and_nothing_changes(boards, addresses, message) -> None:
    # Given a board with a contact
    service, store = boards
    service.set_contacts(BOARD.board_id, ["team@northshire.example"])
    # When staff set contacts that are not all email addresses (or none)
    with pytest.raises(InvalidRequest) as refused:
        service.set_contacts(BOARD.board_id, addresses)
    # Then the refusal says what is wrong, and the board keeps its contact
    assert message in str(refused.value)
    assert store.get_board(BOARD.board_id).contacts == ("team@northshire.example",)


def test_a_board_that_is_not_registered_gets_no_contacts_or_aliases(boards) -> None:
    # Given no board "westshire"
    service, store = boards
    # When staff set its contacts or aliases
    # Then they are told there is no such board
    with pytest.raises(NotFound, match="No board westshire"):
        service.set_contacts("westshire", ["team@westshire.example"])
    with pytest.raises(NotFound, match="No board westshire"):
        service.set_aliases("westshire", ["Westshire"])
    assert set(store.boards) == {BOARD.board_id}


def test_aliases_replace_the_board_s_aliases_on_one_line_each_once_whatever_the_case(boards) -> None:
    # Given a board
    service, store = boards
    # When staff give its area, its old LSCB name (over two lines), its short name, and the area again in capitals
    changed = service.set_aliases(
        BOARD.board_id, ["Northshire", "Northshire Local Safeguarding\nChildren Board", "NSCP", "NORTHSHIRE"]
    )
    # Then the board has the three names, each once, on one line, in the order given; none clears them
    assert changed.aliases == ("Northshire", "Northshire Local Safeguarding Children Board", "NSCP")
    assert store.get_board(BOARD.board_id).aliases == changed.aliases
    assert service.set_aliases(BOARD.board_id, []).aliases == ()


def test_an_alias_of_one_letter_is_refused(boards) -> None:
    # Given a board
    service, _ = boards
    # When staff give it a one-letter alias
    # Then it is refused, naming the alias
    with pytest.raises(InvalidRequest, match="'N'"):
        service.set_aliases(BOARD.board_id, ["Northshire", "N"])


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
