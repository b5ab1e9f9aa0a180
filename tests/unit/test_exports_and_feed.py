"""Citations, exports, the feed and statistics' years, as the domain and the service write them (no engine)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import boto3
import feedparser
import pytest
import rispy
from botocore.stub import Stubber

from case_reviews.adapters.clock import SetClock
from case_reviews.adapters.ses import Mailer
from case_reviews.domain.email import one_click_unsubscribe
from case_reviews.domain.errors import InvalidRequest
from case_reviews.domain.exports import MAX_EXPORT_RECORDS, ExportFormat, citation, csv_row, guard_cell, ris_entry
from case_reviews.domain.feeds import atom_feed
from case_reviews.domain.search import AddedRecord, SearchPage, SearchQuery
from case_reviews.domain.statistics import StatisticsQuery, years_without_gaps
from case_reviews.services.learning import LearningService
from tests.unit.factories import a_hit, a_record
from tests.unit.fakes import InMemoryRecordStore

BASE = "https://reviews.example.org/v1"
LINK = f"{BASE}/reviews/CR-2016-0001"


def test_a_citation_names_publisher_year_title_type_reference_and_link() -> None:
    # Given a record of a board, and the same record published anonymously
    named, anonymous = a_record().public(), a_record(anonymous=True).public()
    # When each is cited
    # Then the publisher is the board, or Anonymous; never the board of the anonymous one
    assert citation(named, LINK) == (
        "Northshire Safeguarding Children Partnership (2016). Serious Case Review: Child K — Overview Report. "
        f"Serious case review. CR-2016-0001. {LINK}"
    )
    assert citation(anonymous, LINK).startswith("Anonymous (2016). ")
    assert "Northshire" not in citation(anonymous, LINK)


@pytest.mark.parametrize(
    ("cell", "guarded"),
    [
        ("=1+1", "'=1+1"),
        ("+44 20", "'+44 20"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("\uff1d1+1", "'\uff1d1+1"),
        ("Child K = neglect", "Child K = neglect"),
        ("", ""),
    ],
)
def test_a_csv_cell_that_a_spreadsheet_would_run_is_escaped(cell: str, guarded: str) -> None:
    assert guard_cell(cell) == guarded


def test_a_csv_row_guards_every_cell_and_reads_back() -> None:
    # Given a record whose title and summary start like formulas
    hostile = a_record(title='=HYPERLINK("http://evil.example")', summary="@cmd|' /C calc'!A0").public()
    # When its row is written and read back as CSV
    row = csv_row(hostile, LINK)
    out = io.StringIO()
    csv.writer(out).writerow(row)
    (read,) = csv.reader(io.StringIO(out.getvalue()))
    # Then every cell is text to a spreadsheet, and the link and citation are there
    assert read[1] == '\'=HYPERLINK("http://evil.example")' and read[8].startswith("'@")
    assert all(not cell.startswith(("=", "+", "-", "@")) for cell in read)
    assert LINK in read


def test_a_ris_entry_parses_and_keeps_each_value_on_one_line() -> None:
    # Given a record whose summary has line breaks (a RIS field is one line)
    record = a_record(summary="First line.\nSecond line.\n\nTY  - JOUR").public()
    # When it is written as RIS and read by a RIS parser
    (entry,) = rispy.loads(ris_entry(record, LINK))
    # Then it is one report, its summary one line (a line break could not start a tag)
    assert entry["type_of_reference"] == "RPRT"
    assert entry["abstract"] == "First line. Second line. TY - JOUR"
    assert entry["date"] == "2016/03/14"
    assert entry["accession_number"] == "CR-2016-0001"


def test_a_search_export_pages_through_the_search_and_stops_at_its_bound() -> None:
    # Given a search of more matches than an export holds, answered a page at a time
    class Paged:
        def __init__(self) -> None:
            self.asked: list[SearchQuery] = []

        def search(self, query: SearchQuery) -> SearchPage:
            self.asked.append(query)
            start = len(self.asked) - 1
            hits = tuple(a_hit(reference=f"CR-2016-{start * 100 + n + 1:04d}") for n in range(query.page_size))
            return SearchPage(total=2500, hits=hits, facets={}, next_search_after=(1, hits[-1].reference))

    index = Paged()
    service = LearningService(InMemoryRecordStore(), index, SetClock(datetime(2026, 11, 26, tzinfo=UTC)))  # type: ignore[arg-type]
    # When it is exported as CSV
    export = service.search_export(SearchQuery(text="neglect", page_size=5), ExportFormat.CSV, BASE)
    # Then it holds the first 1,000 (a header and one row each), read 100 at a time without facets,
    # each page after the last one's position
    rows = list(csv.reader(io.StringIO(export.body.removeprefix("\ufeff"))))
    assert (export.records, export.total, export.complete) == (MAX_EXPORT_RECORDS, 2500, False)
    assert len(rows) == MAX_EXPORT_RECORDS + 1
    assert len(index.asked) == 10
    assert all(query.page_size == 100 and query.hits_only for query in index.asked)
    assert index.asked[1].search_after == (1, "CR-2016-0100")
    assert export.filename == "case-reviews-search-2026-11-26.csv"


def test_the_feed_is_atom_that_parses_newest_first_without_files() -> None:
    # Given two deposits, the second added a day later
    added = [
        AddedRecord(hit=a_hit(reference="CR-2016-0002"), added_at=datetime(2026, 11, 27, tzinfo=UTC)),
        AddedRecord(hit=a_hit(reference="CR-2016-0001"), added_at=datetime(2026, 11, 26, tzinfo=UTC)),
    ]
    # When the feed is written
    body = atom_feed(added, BASE, datetime(2026, 11, 28, tzinfo=UTC))
    feed = feedparser.parse(body)
    # Then it is well-formed Atom 1.0, updated when its newest entry was added, each entry a record link
    assert not feed.bozo and feed.version == "atom10"
    assert feed.feed.updated == "2026-11-27T00:00:00Z"
    assert [entry.link for entry in feed.entries] == [f"{BASE}/reviews/CR-2016-0002", f"{BASE}/reviews/CR-2016-0001"]
    assert "/download" not in body


def test_an_empty_feed_is_still_valid_atom() -> None:
    feed = feedparser.parse(atom_feed([], BASE, datetime(2026, 11, 28, tzinfo=UTC)))
    assert not feed.bozo and feed.entries == [] and feed.feed.updated == "2026-11-28T00:00:00Z"


def test_statistics_years_run_without_gaps_within_the_bounds() -> None:
    counted = years_without_gaps({2016: 3, 2018: 1}, None, None)
    bounded = years_without_gaps({2016: 3}, 2014, 2017)
    assert [(c.value, c.count) for c in counted] == [("2016", 3), ("2017", 0), ("2018", 1)]
    assert [(c.value, c.count) for c in bounded] == [("2014", 0), ("2015", 0), ("2016", 3), ("2017", 0)]
    assert years_without_gaps({}, None, None) == ()


def test_statistics_refuse_years_out_of_order() -> None:
    with pytest.raises(InvalidRequest) as refused:
        StatisticsQuery(from_year=2020, to_year=2019)
    assert refused.value.location == "query.from_year"


def test_the_mailer_sends_the_one_click_unsubscribe_headers_with_simple_content() -> None:
    # Given SES v2 (stubbed), and a mailer
    client = boto3.client("sesv2", region_name="eu-west-2")
    url = f"{BASE}/alerts/unsubscribe/abcdefghijklmnop"
    expected = {
        "FromEmailAddress": "case-reviews@library.example.org",
        "Destination": {"ToAddresses": ["reader@example.org"]},
        "Content": {
            "Simple": {
                "Subject": {"Data": "Subject", "Charset": "UTF-8"},
                "Body": {"Text": {"Data": "Text", "Charset": "UTF-8"}},
                "Headers": [
                    {"Name": "List-Unsubscribe", "Value": f"<{url}>"},
                    {"Name": "List-Unsubscribe-Post", "Value": "List-Unsubscribe=One-Click"},
                ],
            }
        },
    }
    with Stubber(client) as stubbed:
        stubbed.add_response("send_email", {"MessageId": "m-1"}, expected)
        # When it sends an alert email with the unsubscribe header fields
        sent = Mailer(client, "case-reviews@library.example.org").send(
            "reader@example.org", "Subject", "Text", headers=one_click_unsubscribe(url)
        )
        # Then SES is asked with exactly those headers (the stub refuses any other request)
        stubbed.assert_no_pending_responses()
    assert sent == "m-1"


def test_a_deposit_is_listed_as_added_when_it_was_catalogued_and_a_historic_record_never() -> None:
    from case_reviews.adapters.opensearch.documents import document_from_record

    deposit = document_from_record(a_record(created_at=datetime(2026, 11, 26, 9, tzinfo=UTC)), "text")
    historic = document_from_record(a_record(submission_id=None, created_at=datetime(2026, 11, 25, tzinfo=UTC)), None)
    assert deposit.added_at == datetime(2026, 11, 26, 9, tzinfo=UTC)
    assert historic.added_at is None


def test_a_search_export_of_a_year_outside_from_and_to_is_empty_without_asking_the_engine() -> None:
    # Given a search whose period is empty (published from a day after the one it is published to)
    class Refusing:
        def search(self, query: SearchQuery) -> SearchPage:
            raise AssertionError("the engine refuses such a range: it must not be asked")

    service = LearningService(InMemoryRecordStore(), Refusing(), SetClock(datetime(2026, 11, 26, tzinfo=UTC)))  # type: ignore[arg-type]
    query = SearchQuery(published_from=datetime(2036, 2, 29).date(), published_to=datetime(1900, 12, 31).date())
    # When it is exported
    export = service.search_export(query, ExportFormat.RIS, BASE)
    # Then the file is empty: nothing matches
    assert (export.body, export.records, export.total) == ("", 0, 0)
