"""Following the learning on the real OpenSearch: similar records, exports, statistics and the feed."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime, timedelta

import feedparser
import pytest
import rispy

from case_reviews import bootstrap
from case_reviews.domain.dates import PublicationDate
from case_reviews.domain.records import CatalogueRecord, ElectronicCopy
from case_reviews.domain.vocabulary import CopyStatus, DocumentType, Nation, ReviewType
from tests.integration.helpers import call_api

BASE = "https://reviews.example.org/v1"
NEGLECT_TEXT = (
    "The children were neglected over many months. Neglect was cumulative and the home conditions were poor. "
    "The health visitor recorded neglect of the children and poor home conditions but no referral followed. "
)
ABUSE_TEXT = (
    "Police attended after reports of domestic abuse. The mother's partner was violent and coercive. "
    "Domestic abuse was known to the police but not shared with the school. "
)
# A word only one record's text holds, many times.
RARE = "zanzibarian"


def a_copy(reference: str, removed: bool = False) -> ElectronicCopy:
    return ElectronicCopy(
        status=CopyStatus.REMOVED if removed else CopyStatus.AVAILABLE,
        object_key=None if removed else f"reports/{reference}.pdf",
        text_key=None if removed else f"text/{reference}.txt",
        sha256=reference.encode().hex().ljust(64, "0")[:64],
        size_bytes=1000,
        page_count=3,
        available_until=datetime(2031, 1, 1).date(),
        removed_on=datetime(2026, 1, 1).date() if removed else None,
        removal_reason="The five-year availability period ended." if removed else None,
    )


def record(
    reference: str,
    *,
    themes: tuple[str, ...],
    board: str = "northshire",
    anonymous: bool = False,
    removed: bool = False,
    added: datetime | None = None,
    **changes,
) -> CatalogueRecord:
    moment = added or datetime(2026, 1, 5, tzinfo=UTC)
    fields = {
        "reference": reference,
        "title": f"Serious Case Review {reference}",
        "nation": Nation.ENGLAND,
        "review_type": ReviewType.SERIOUS_CASE_REVIEW,
        "document_type": DocumentType.OVERVIEW_REPORT,
        "publication_date": PublicationDate.parse(f"{reference[3:7]}-03-14"),
        "board_id": board,
        "board_name": f"{board.capitalize()} Safeguarding Children Partnership",
        "anonymous": anonymous,
        "themes": themes,
        "submission_id": f"sub-{reference}" if added else None,
        "electronic_copy": a_copy(reference, removed),
        "created_at": moment,
        "updated_at": moment,
    }
    return CatalogueRecord(**(fields | changes))


def index(*pairs: tuple[CatalogueRecord, str | None]) -> None:
    services = bootstrap.services()
    for catalogued, _ in pairs:
        assert services.records_store.add_record(catalogued)
    assert services.search_index.put_many(pairs) == (len(pairs), 0)


@pytest.fixture
def library(aws, search):
    """Neglect reviews alike, a domestic abuse one, an anonymous neglect review of Eastmoor's with a named
    Eastmoor review just like it, and a removed copy whose text (never indexed) held a rare word."""
    index(
        (record("CR-2015-0001", themes=("neglect",)), NEGLECT_TEXT * 3),
        (record("CR-2016-0002", themes=("neglect", "health_services")), NEGLECT_TEXT * 2 + ABUSE_TEXT),
        (record("CR-2017-0003", themes=("domestic_abuse",), review_type=ReviewType.OTHER), ABUSE_TEXT * 3),
        (record("CR-2018-0004", themes=("neglect",), board="eastmoor", anonymous=True), NEGLECT_TEXT * 3),
        (record("CR-2018-0005", themes=("neglect",), board="eastmoor"), NEGLECT_TEXT * 3),
        (
            record("CR-2019-0006", themes=("housing",), review_type=ReviewType.OTHER, removed=True),
            f"{RARE} " * 30,
        ),
        (record("CR-2019-0007", themes=("housing",), review_type=ReviewType.OTHER), f"{RARE} housing " * 30),
    )


def similar_to(reference: str) -> list[dict]:
    status, body, _ = call_api("GET", f"/reviews/{reference}/similar")
    assert status == 200, body
    assert body["reference"] == reference
    return body["items"]


def test_similar_records_share_its_themes_and_text_and_never_include_itself(library):
    # Given neglect reviews alike in text, and a domestic abuse one
    # When the records like CR-2015-0001 are asked for
    items = similar_to("CR-2015-0001")
    references = [item["reference"] for item in items]
    # Then the neglect reviews come first, the record itself is not there, and no full text is sent
    assert "CR-2015-0001" not in references
    assert set(references[:3]) <= {"CR-2016-0002", "CR-2018-0004", "CR-2018-0005"}
    assert len(items) <= 10
    assert all("body" not in item for item in items)


def test_the_similar_records_of_an_anonymous_report_never_name_its_board(library):
    # Given an anonymous neglect review of Eastmoor's and a named Eastmoor review just like it
    # When the records like the anonymous one are asked for
    items = similar_to("CR-2018-0004")
    # Then none is Eastmoor's own: listed beside it, it would name the anonymous report's board
    assert items
    assert all("Eastmoor" not in str(item) for item in items)
    assert "CR-2018-0005" not in [item["reference"] for item in items]
    # And the anonymous one, listed beside others, is shown as Anonymous
    beside = similar_to("CR-2015-0001")
    anonymous = next(item for item in beside if item["reference"] == "CR-2018-0004")
    assert anonymous["publisher"] == "Anonymous" and "Eastmoor" not in str(anonymous)


def test_a_removed_copy_s_text_neither_finds_nor_is_found(library):
    # Given a removed copy whose text held a rare word, and an available one full of it (other themes differ)
    # When the records like each are asked for
    like_removed = [item["reference"] for item in similar_to("CR-2019-0006")]
    like_available = [item["reference"] for item in similar_to("CR-2019-0007")]
    # Then the removed record is found only by its theme and type (shared with CR-2019-0007), never by the word:
    # its text is not in the index, and it is not listed first by the other's text
    search = bootstrap.services().search_index
    assert search.get("CR-2019-0006").body is None
    assert like_removed[:1] == ["CR-2019-0007"]
    assert like_available[:1] == ["CR-2019-0006"]
    _, found, _ = call_api("GET", f"/reviews?q={RARE}")
    assert [item["reference"] for item in found["items"]] == ["CR-2019-0007"]


def test_similar_records_of_an_unknown_reference_are_a_404(library):
    status, body, _ = call_api("GET", "/reviews/CR-1999-9999/similar")
    assert status == 404 and body["status"] == 404


# ---------------------------------------------------------------- exports


def test_a_record_exports_as_ris_that_a_reference_manager_reads(library):
    # Given a record
    # When it is exported as RIS
    status, body, headers = call_api("GET", "/reviews/CR-2015-0001?format=ris")
    # Then it is a file named after the reference, which a RIS parser reads back as a report with its link
    assert status == 200
    assert headers["Content-Type"].startswith("application/x-research-info-systems")
    assert headers["Content-Disposition"] == 'attachment; filename="CR-2015-0001.ris"'
    (entry,) = rispy.loads(body)
    assert entry["type_of_reference"] == "RPRT"
    assert entry["title"] == "Serious Case Review CR-2015-0001"
    assert entry["publisher"] == "Northshire Safeguarding Children Partnership"
    assert entry["year"] == "2015"
    assert entry["urls"] == [f"{BASE}/reviews/CR-2015-0001"]
    assert entry["keywords"] == ["Neglect"]


def test_the_record_gives_its_citation(library):
    status, body, _ = call_api("GET", "/reviews/CR-2018-0004")
    assert status == 200
    assert body["citation"] == (
        "Anonymous (2018). Serious Case Review CR-2018-0004. Serious case review. CR-2018-0004. "
        f"{BASE}/reviews/CR-2018-0004"
    )


def test_a_search_exports_every_match_as_csv_with_formula_cells_escaped(aws, search):
    # Given 120 matching records (more than one page of the search), one titled like a spreadsheet formula
    pairs = [(record(f"CR-2016-{n:04d}", themes=("neglect",)), None) for n in range(1, 120)]
    pairs.append((record("CR-2016-0500", themes=("neglect",), title='=HYPERLINK("http://evil.example","x")'), None))
    index(*pairs)
    # When the search is exported as CSV
    status, body, headers = call_api("GET", "/reviews?theme=neglect&format=csv&page_size=5")
    # Then every match is in it (paged through, not just one page), with its link and citation, and the
    # formula is text: a leading ' keeps a spreadsheet from running it
    assert status == 200
    assert headers["Content-Type"].startswith("text/csv")
    assert headers["Content-Disposition"].startswith('attachment; filename="case-reviews-search-')
    assert (headers["X-Total-Count"], headers["X-Export-Count"]) == ("120", "120")
    rows = list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))
    assert len(rows) == 120
    assert len({row["reference"] for row in rows}) == 120
    evil = next(row for row in rows if row["reference"] == "CR-2016-0500")
    assert evil["title"] == '\'=HYPERLINK("http://evil.example","x")'
    assert evil["link"] == f"{BASE}/reviews/CR-2016-0500"
    assert all(not row[column].startswith(("=", "+", "-", "@")) for row in rows for column in row)


def test_a_search_exports_as_ris_in_its_order(library):
    status, body, _ = call_api("GET", "/reviews?q=neglect&format=ris&sort=oldest")
    assert status == 200
    entries = rispy.loads(body)
    assert [entry["accession_number"] for entry in entries] == [
        "CR-2015-0001",
        "CR-2016-0002",
        "CR-2018-0004",
        "CR-2018-0005",
    ]
    assert next(e for e in entries if e["accession_number"] == "CR-2018-0004")["publisher"] == "Anonymous"


# ---------------------------------------------------------------- statistics


def test_statistics_count_by_year_nation_type_and_theme_with_labels(library):
    # Given the library's seven records
    # When all of them, and then the neglect ones of 2015–2018, are counted
    _, everything, _ = call_api("GET", "/statistics")
    status, neglect, _ = call_api("GET", "/statistics?theme=neglect&from_year=2015&to_year=2018")
    # Then each count comes with its label, years run without gaps, and nothing is counted by board
    assert status == 200
    assert everything["total"] == 7
    assert neglect["total"] == 4
    assert neglect["by_year"] == [
        {"value": "2015", "count": 1, "label": "2015"},
        {"value": "2016", "count": 1, "label": "2016"},
        {"value": "2017", "count": 0, "label": "2017"},
        {"value": "2018", "count": 2, "label": "2018"},
    ]
    assert neglect["by_nation"] == [{"value": "england", "count": 4, "label": "England"}]
    assert neglect["by_review_type"] == [{"value": "serious_case_review", "count": 4, "label": "Serious case review"}]
    assert {"value": "neglect", "count": 4, "label": "Neglect"} in neglect["by_theme"]
    assert {"value": "health_services", "count": 1, "label": "Health services"} in neglect["by_theme"]
    assert "Eastmoor" not in str(everything) and "board" not in str(everything)


def test_statistics_refuse_a_range_that_ends_before_it_starts(library):
    status, body, _ = call_api("GET", "/statistics?from_year=2019&to_year=2016")
    assert status == 400
    assert body["errors"][0]["location"] == "query.from_year"


# ---------------------------------------------------------------- the feed


def test_the_feed_lists_the_last_deposits_newest_first_as_valid_atom(aws, search, now):
    # Given three deposits on three days, and a historic record without a deposit
    index(
        *[
            (record(f"CR-2026-{n:04d}", themes=("neglect",), added=now - timedelta(days=3 - n)), NEGLECT_TEXT)
            for n in range(3)
        ],
        (record("CR-1990-0001", themes=("neglect",)), None),
    )
    # When the feed is read
    status, body, headers = call_api("GET", "/feeds/new.atom")
    # Then it is an Atom feed that parses cleanly, newest deposit first, each entry linking to its record
    # and never to the file; the historic record is not new
    assert status == 200
    assert headers["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(body)
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10"
    assert [entry.id for entry in feed.entries] == [f"{BASE}/reviews/CR-2026-{n:04d}" for n in (2, 1, 0)]
    assert all(entry.link == entry.id and entry.author for entry in feed.entries)
    assert "/download" not in body and NEGLECT_TEXT[:40] not in body
