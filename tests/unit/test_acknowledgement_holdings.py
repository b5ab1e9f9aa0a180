"""The acknowledgement on fakes: what it lists as held from the board (its deposits, and the records published
under its names), whose rights it states, and where its link goes."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

import pytest

from case_reviews.adapters.email import JinjaEmailRenderer
from case_reviews.domain.boards import Board, Submission
from case_reviews.domain.dates import PublicationDate
from case_reviews.domain.description import ReportMetadata
from case_reviews.domain.errors import ServiceUnavailable
from case_reviews.domain.events import ReportCatalogued
from case_reviews.domain.records import CatalogueRecord
from case_reviews.domain.records import rights_statement as public_rights_statement
from case_reviews.domain.search import SearchHit, SearchPage, SearchQuery, SortOrder
from case_reviews.domain.vocabulary import SubmissionStatus
from case_reviews.services.acknowledgement import AcknowledgementService
from case_reviews.site.routes import is_site_path
from tests.unit.factories import a_record, metadata_fields
from tests.unit.fakes import (
    InMemoryBoardStore,
    InMemoryRecordStore,
    InMemorySubmissionStore,
    MemoryOnce,
    RecordingMailer,
)

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
NAME = "Northshire Safeguarding Children Partnership"
ALIAS = "Northshire LSCB"
BOARD = Board(board_id="northshire", name=NAME, aliases=(ALIAS,))


@dataclass
class IndexedRecords:
    """The SearchIndex port's `search` over records as the index holds them (their public view): the `board`
    filter (board id, or the publisher exactly), oldest first, a page at a time; every query asked is kept."""

    records: list[CatalogueRecord] = field(default_factory=list)
    queries: list[SearchQuery] = field(default_factory=list)

    def search(self, query: SearchQuery) -> SearchPage:
        self.queries.append(query)
        assert query.sort is SortOrder.OLDEST and query.hits_only
        found = sorted(
            (
                SearchHit.model_validate(dict(record.public()))
                for record in self.records
                if record.public().publisher == query.board or (not record.anonymous and record.board_id == query.board)
            ),
            key=lambda hit: (hit.publication_date.value, hit.reference),
        )
        start = int(query.search_after[0]) if query.search_after else 0
        page = found[start : start + query.page_size]
        following = start + query.page_size
        return SearchPage(
            total=len(found),
            hits=tuple(page),
            facets={},
            next_search_after=(following,) if following < len(found) else None,
        )


@dataclass
class Acknowledging:
    service: AcknowledgementService
    boards: InMemoryBoardStore
    submissions: InMemorySubmissionStore
    records: InMemoryRecordStore
    index: IndexedRecords
    mailer: RecordingMailer

    def deposited(self, number: int, **record: object) -> ReportCatalogued:
        """A deposit of BOARD catalogued as CR-2016-<number>, its record in the store and the index."""
        reference, submission_id = f"CR-2016-{number:04d}", f"s-{number}"
        created = NOW + timedelta(minutes=number)
        self.submissions.create_submission(
            Submission(
                submission_id=submission_id,
                board_id=BOARD.board_id,
                metadata=ReportMetadata.model_validate(metadata_fields()),
                status=SubmissionStatus.CATALOGUED,
                upload_key=f"incoming/{submission_id}.pdf",
                created_at=created,
                updated_at=created,
                reference=reference,
            )
        )
        fields = {"board_id": BOARD.board_id, "board_name": NAME, "rights_holder": NAME, **record}
        self.put(a_record(reference=reference, submission_id=submission_id, **fields))
        return ReportCatalogued(reference=reference, submission_id=submission_id, board_id=BOARD.board_id)

    def historic(self, reference: str, publisher: str, **record: object) -> None:
        """A catalogue-only record imported under `publisher` (no board, no submission)."""
        fields = {"board_id": None, "board_name": publisher, "submission_id": None, "electronic_copy": None}
        fields |= {"commissioned_date": None, "deposited_on": None}
        self.put(a_record(reference=reference, **{**fields, **record}))

    def put(self, record: CatalogueRecord) -> None:
        self.records.records[record.reference] = record
        self.index.records.append(record)

    def sent(self) -> tuple[str, str]:
        [(_, _, text, html)] = self.mailer.sent
        return text, html


@pytest.fixture
def acknowledging() -> Acknowledging:
    boards, submissions, records, index, mailer = (
        InMemoryBoardStore(),
        InMemorySubmissionStore(),
        InMemoryRecordStore(),
        IndexedRecords(),
        RecordingMailer(),
    )
    boards.save_board(BOARD, created_at=NOW)
    service = AcknowledgementService(
        submissions=submissions,
        records=records,
        retention=None,  # type: ignore[arg-type] # not read by the acknowledgement
        boards=boards,
        search=index,
        mailer=mailer,
        renderer=JinjaEmailRenderer(),
        once=MemoryOnce(),
        public_base_url="https://library.example/v1/",
        deposit_page_url="https://library.example/v1/deposit",
        library_email="enquiries@library.example",
    )
    return Acknowledging(service, boards, submissions, records, index, mailer)


def listed(text: str) -> list[str]:
    """The references the text part lists as held, in its order."""
    return re.findall(r"^  (CR-\d{4}-\d{4})  ", text.split("from your board:")[1], flags=re.MULTILINE)


@pytest.mark.parametrize("names_the_board", [True, False], ids=["announced-with-its-board", "announced-before-boards"])
def test_the_holdings_add_the_records_published_under_the_board_s_name_or_aliases_each_once(
    acknowledging, names_the_board
) -> None:
    # Given two deposits of the board (one anonymous), a historic record under its name and one under its alias
    # (one of them given an electronic copy by staff since), and 101 more historic records under the alias (more
    # than one page of a search)
    acknowledging.deposited(1)
    acknowledging.deposited(2, anonymous=True, publication_date=PublicationDate.parse("2015-06-01"))
    acknowledging.historic("CR-1999-0001", NAME, publication_date=PublicationDate.parse("1999"))
    acknowledging.historic("CR-2005-0001", ALIAS, publication_date=PublicationDate.parse("2005-05"))
    for number in range(101):
        acknowledging.historic(f"CR-2003-{number + 1:04d}", ALIAS, publication_date=PublicationDate.parse("2003"))
    # And records the board must not be shown: another publisher's, and an anonymous historic record whose
    # catalogue names the board (it is not one of the board's deposits, and nothing public ties it to the board)
    acknowledging.historic("CR-2001-0001", "Southshire Safeguarding Partnership")
    acknowledging.historic("CR-2002-0001", NAME, anonymous=True)
    # When the board's newest deposit is acknowledged (catalogued, and not yet in the index), announced with its
    # board or as an announcement made before the board was carried (whose board is read from its record)
    event = acknowledging.deposited(3, title="Serious Case Review: Child M")
    if not names_the_board:
        event = event.model_copy(update={"board_id": None})
    acknowledging.index.records.pop()
    read_from_the_catalogue: list[list[str]] = []
    store_get_records = acknowledging.records.get_records

    def get_records(references: list[str]) -> list[CatalogueRecord]:
        read_from_the_catalogue.append(list(references))
        return store_get_records(references)

    acknowledging.records.get_records = get_records
    acknowledging.service.notify(event)
    # Then the email lists its three deposits (the anonymous one marked) and the 103 records published under
    # its name or alias, each once, oldest first; nothing of another publisher nor the anonymous historic record
    text, html = acknowledging.sent()
    references = listed(text)
    assert "The library now holds 106 reports from your board:" in text
    assert len(references) == len(set(references)) == 106
    assert references[:2] == ["CR-1999-0001", "CR-2003-0001"]
    assert references[-4:] == ["CR-2005-0001", "CR-2016-0002", "CR-2016-0001", "CR-2016-0003"]
    assert "CR-2016-0002  1 June 2015  (published anonymously)" in text
    assert "CR-2001-0001" not in text + html and "CR-2002-0001" not in text + html
    assert html.count("<td>CR-2005-0001</td>") == 1
    # And of its deposits it read from the catalogue only the one no search by its names found (the anonymous one)
    assert read_from_the_catalogue == [["CR-2016-0002"]]
    # And it searched each of the board's names by publisher, the name's every page (the names side by side)
    assert sorted((query.board, query.search_after or ()) for query in acknowledging.index.queries) == [
        (ALIAS, ()),
        (ALIAS, (100,)),
        (NAME, ()),
    ]


def test_a_board_no_longer_on_file_is_searched_by_the_name_its_record_gives(acknowledging) -> None:
    # Given a deposit of a board that is no longer on file, a historic record under the name its record gives,
    # and one under the board's former alias
    acknowledging.historic("CR-1999-0001", NAME, publication_date=PublicationDate.parse("1999"))
    acknowledging.historic("CR-2005-0001", ALIAS, publication_date=PublicationDate.parse("2005"))
    event = acknowledging.deposited(1)
    del acknowledging.boards.boards[BOARD.board_id]
    # When the deposit is acknowledged
    acknowledging.service.notify(event)
    # Then the email lists the deposit and the record under the record's board name, and the search asked
    # for that name alone (the alias is known only to the board's entry)
    text, _ = acknowledging.sent()
    assert listed(text) == ["CR-1999-0001", "CR-2016-0001"]
    assert [query.board for query in acknowledging.index.queries] == [NAME]


def test_with_the_search_index_down_the_acknowledgement_goes_out_listing_the_board_s_deposits(
    acknowledging, monkeypatch
) -> None:
    # Given two deposits of the board and a historic record under its name, and a search index that cannot answer
    acknowledging.deposited(1)
    acknowledging.historic("CR-1999-0001", NAME, publication_date=PublicationDate.parse("1999"))
    event = acknowledging.deposited(2)

    def down(query: SearchQuery) -> SearchPage:
        raise ServiceUnavailable("The search is unavailable.", 10)

    monkeypatch.setattr(acknowledging.index, "search", down)
    # When the newest deposit is acknowledged
    acknowledging.service.notify(event)
    # Then the email is sent all the same, and lists the two deposits, which the catalogue holds
    text, _ = acknowledging.sent()
    assert listed(text) == ["CR-2016-0001", "CR-2016-0002"]


def test_the_rights_are_the_record_s_holder_s_not_the_board_s(acknowledging) -> None:
    # Given a deposit whose board names another copyright holder
    event = acknowledging.deposited(1, rights_holder="Northshire County Council")
    # When it is acknowledged
    acknowledging.service.notify(event)
    # Then both parts give that holder and the catalogue's rights statement of it, never the board as the holder
    text, html = acknowledging.sent()
    statement = public_rights_statement(acknowledging.records.records["CR-2016-0001"].public())
    assert "Northshire County Council" in statement
    assert "Rights holder: Northshire County Council" in text
    assert '<th scope="row" align="left">Rights holder</th><td>Northshire County Council</td>' in html
    for part in (text, html):
        assert statement in " ".join(part.split())
        assert f"with {NAME}" not in part


def test_an_anonymous_deposit_s_rights_name_its_holder_to_the_board(acknowledging) -> None:
    # Given a deposit published anonymously on the board's behalf
    event = acknowledging.deposited(1, anonymous=True)
    # When it is acknowledged
    acknowledging.service.notify(event)
    # Then the board is told it holds the copyright (the public statement says only "a safeguarding board")
    text, _ = acknowledging.sent()
    record = acknowledging.records.records["CR-2016-0001"]
    named = public_rights_statement(record.public().model_copy(update={"anonymous": False, "rights_holder": NAME}))
    assert named in " ".join(text.split())
    assert public_rights_statement(record.public()) not in " ".join(text.split())
    assert f"Rights holder: {NAME}" in text


def test_the_catalogue_link_is_the_record_s_page_on_the_site(acknowledging) -> None:
    # Given a deposit catalogued as CR-2016-0001
    event = acknowledging.deposited(1)
    # When it is acknowledged
    acknowledging.service.notify(event)
    # Then the email links the record's page (a path the site answers), not the JSON record of the API
    text, html = acknowledging.sent()
    link = "https://library.example/v1/record/CR-2016-0001"
    assert f"Catalogue:     {link}" in text
    assert f'<a href="{link}">' in html
    assert is_site_path(urlsplit(link).path.removeprefix("/v1"))
    assert "/reviews/CR-2016-0001" not in text + html
