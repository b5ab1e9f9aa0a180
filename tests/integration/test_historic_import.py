"""`case-reviews import`: historic catalogue-only records from a CSV file, on moto and a real OpenSearch."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import pytest

from case_reviews import bootstrap
from case_reviews.domain.historic import ImportInProgress
from case_reviews.services.historic_import import LOCK_LEASE, ImportFileError, ImportResult
from tests.integration.helpers import call_api

SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "historic_catalogue.csv"
HEADER = "title,publication_date,nation,review_type,document_type,publisher,themes"


def run_import(path: Path, now: datetime) -> ImportResult:
    return bootstrap.services().historic_import.import_file(path)


def test_the_sample_s_1945_and_1974_inquiries_are_catalogued_as_inquiries_under_crown_copyright(aws, search, now):
    # Given the sample historic catalogue, which holds the Monckton (1945) and Colwell (1974) inquiries
    result = run_import(SAMPLE, now)
    assert result.complete
    # When the public looks them up
    _, monckton, _ = call_api("GET", "/reviews?q=Cmd%206636")
    _, colwell, _ = call_api("GET", "/reviews?q=Maria%20Colwell")
    (inquiry_1945,) = monckton["items"]
    (inquiry_1974,) = colwell["items"]
    _, record_1945, _ = call_api("GET", f"/reviews/{inquiry_1945['reference']}")
    # Then each is an inquiry report of England under Crown copyright, dated as far as it is known
    for item in (inquiry_1945, inquiry_1974):
        assert (item["review_type"], item["review_type_label"], item["nation"]) == (
            "inquiry_report",
            "Inquiry report",
            "england",
        )
        assert item["rights_holder"] == "Crown copyright"
    assert (inquiry_1945["publication_date"], inquiry_1945["identifiers"]) == ("1945-05", ["Cmd 6636"])
    assert (inquiry_1974["publication_date"], inquiry_1974["publication_date_label"]) == ("1974", "1974, month unknown")
    assert record_1945["rights"]["statement"] == (
        "Crown copyright. The library holds a copy to share the learning from it."
    )
    assert record_1945["publisher"] == "Home Office"


def write_csv(tmp_path: Path, *lines: str, name: str = "catalogue.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def catalogue_size() -> int:
    return sum(1 for _ in bootstrap.services().records_store.all_records())


def test_the_sample_file_imports_every_row_and_the_public_finds_them(aws, search, now):
    # Given the sample historic catalogue (25 rows, 1945 to 2009)
    # When staff import it
    result = run_import(SAMPLE, now)

    # Then every row is imported, with a reference of its publication year, and nothing is rejected
    assert (result.imported, result.already_present, result.rejected, result.complete) == (25, 0, [], True)
    assert [row.line for row in result.rows] == [*range(2, 25), 26, 27]  # line 24's summary spans two lines
    assert all(re.fullmatch(r"CR-\d{4}-\d{4}", row.reference) for row in result.rows)
    assert result.rows[0].reference == "CR-1945-0001"
    # And the search API lists all of them, of every nation, none with an electronic copy
    status, everything, _ = call_api("GET", "/reviews?page_size=50")
    assert status == 200
    assert everything["total"] == 25
    assert {item["reference"] for item in everything["items"]} == {row.reference for row in result.rows}
    assert {bucket["value"] for bucket in everything["facets"]["nation"]} == {
        "england",
        "wales",
        "scotland",
        "northern_ireland",
    }
    assert {"value": "false", "count": 25, "label": "Catalogue record only"} in everything["facets"]["has_copy"]
    # And a year lists its reports in date order, with the partial dates as given and the Welsh text intact
    status, year, _ = call_api("GET", "/years/2008")
    assert status == 200
    # (a date known only to its year ends the year's list)
    assert [(item["publication_date"], item["title"]) for item in year["items"]] == [
        ("2008-12-03", "Serious Case Review: Child U — Overview Report, Volume 1"),
        ("2008", "Significant Case Review: Child T"),
    ]
    _, welsh, _ = call_api("GET", "/reviews?q=Gwyn")
    assert [item["title"] for item in welsh["items"]] == [
        "Adroddiad yr Ymchwiliad i Ofal Plant yng Nghartref Plant Tŷ Gwyn"
    ]
    assert welsh["items"][0]["publisher"] == "Cyngor Sir Gwernyfed"
    # And the record is a catalogue-only one: no board id, no submission, no copy
    status, record, _ = call_api("GET", f"/reviews/{result.rows[0].reference}")
    assert status == 200
    assert (record["publisher"], record["publication_date"], record["electronic_copy"]) == (
        "Home Office",
        "1945-05",
        None,
    )
    staff_view = bootstrap.services().records.show(result.rows[0].reference)
    assert (staff_view.board_id, staff_view.submission_id, list(staff_view.themes)) == (
        None,
        None,
        ["looked_after_children", "neglect", "physical_abuse"],
    )


def test_bad_rows_are_reported_by_line_and_the_good_rows_are_imported(aws, search, now, tmp_path):
    # Given a file whose lines 3 and 5 are bad, and whose line 4 has a title over two lines
    path = write_csv(
        tmp_path,
        HEADER,
        "Report of the Inquiry into Child A,1971-04,england,other,overview_report,Council A,neglect",
        "Report of the Inquiry into Child B,1971-13,Atlantis,other,overview_report,Council B,",
        '"Report of the Inquiry into Child C,\nPart Two",1972,Wales,Other,Overview Report,Council C,',
        ",1973,scotland,other,overview_report,Council D,neglect!",
    )

    # When staff import it
    result = run_import(path, now)

    # Then the two bad rows are rejected by line, each with a reason per field, and the two good ones imported
    assert [(rejected.line, rejected.reason) for rejected in result.rejected] == [
        (
            3,
            "publication_date: '1971-13' is not a real date (month must be in 1..12); "
            "nation: 'atlantis' is not one of 'england', 'wales', 'scotland' or 'northern_ireland'",
        ),
        (
            6,
            "title: is empty; themes: 'neglect!' is not a theme of the library's vocabulary; "
            "did you mean 'Neglect' (neglect)?",
        ),
    ]
    assert (result.imported, result.complete) == (2, False)
    assert [(row.line, row.reference) for row in result.rows] == [(2, "CR-1971-0001"), (4, "CR-1972-0001")]
    assert catalogue_size() == 2
    _, found, _ = call_api("GET", "/years/1972")
    assert [(item["title"], item["nation"]) for item in found["items"]] == [
        ("Report of the Inquiry into Child C, Part Two", "wales")
    ]


def test_importing_the_same_file_again_adds_nothing(aws, search, now, tmp_path):
    # Given the sample file, imported once
    first = run_import(SAMPLE, now)

    # When it is imported again, and once more re-saved with other spacing and capitals in its titles
    again = run_import(SAMPLE, now)
    text = SAMPLE.read_text(encoding="utf-8").replace("Serious Case Review:", "SERIOUS  case review:")
    retyped = run_import(write_csv(tmp_path, text.rstrip("\n")), now)

    # Then nothing is added: every row is already present under the reference it got the first time
    assert (again.imported, again.already_present, again.rejected) == (0, 25, [])
    assert [(row.line, row.reference) for row in again.rows] == [(row.line, row.reference) for row in first.rows]
    assert {row.status for row in again.rows} == {"already_present"}
    assert (retyped.imported, retyped.already_present) == (0, 25)
    assert catalogue_size() == 25
    _, everything, _ = call_api("GET", "/reviews?page_size=50")
    assert everything["total"] == 25


def test_a_run_that_stopped_before_indexing_is_completed_by_running_it_again(aws, search, now, monkeypatch):
    # Given an import that stored its records but stopped before the search index took them
    index = bootstrap.services().search_index

    def index_down(documents):
        list(documents)
        raise ConnectionError("OpenSearch went away")

    with monkeypatch.context() as patch, pytest.raises(ConnectionError):
        patch.setattr(index, "put_many", index_down)
        run_import(SAMPLE, now)
    assert catalogue_size() == 25
    _, before, _ = call_api("GET", "/reviews")

    # When the file is imported again
    rerun = run_import(SAMPLE, now)

    # Then nothing more is stored, and every record is now searchable
    assert before["total"] == 0
    assert (rerun.imported, rerun.already_present) == (0, 25)
    assert catalogue_size() == 25
    _, after, _ = call_api("GET", "/reviews?page_size=50")
    assert after["total"] == 25
    assert bootstrap.services().index_upkeep.check().in_sync


def test_a_run_that_stopped_between_claims_and_records_is_finished_with_the_claimed_references(
    aws, search, now, monkeypatch
):
    # Given an import that claimed every row's key but stopped before writing any record
    repository = bootstrap.services().records_store

    def table_gone(records):
        raise ConnectionError("DynamoDB went away")

    with monkeypatch.context() as patch, pytest.raises(ConnectionError):
        patch.setattr(repository, "put_new_records", table_gone)
        run_import(SAMPLE, now)
    assert catalogue_size() == 0

    # When the file is imported again
    rerun = run_import(SAMPLE, now)

    # Then every record is written under the reference its claim holds (no second number is taken), and indexed
    assert (rerun.imported, rerun.already_present, rerun.rejected) == (25, 0, [])
    assert rerun.rows[0].reference == "CR-1945-0001"
    assert len({row.reference for row in rerun.rows}) == 25
    assert catalogue_size() == 25
    _, after, _ = call_api("GET", "/reviews?page_size=50")
    assert {item["reference"] for item in after["items"]} == {row.reference for row in rerun.rows}
    # And a third run finds everything in place
    assert run_import(SAMPLE, now).already_present == 25


def test_a_row_twice_in_one_file_is_reported_as_a_duplicate_of_the_first(aws, search, now, tmp_path):
    # Given a file that lists the same report twice (the second time in capitals, with another theme)
    path = write_csv(
        tmp_path,
        HEADER,
        "Serious Case Review: Child E,1995-04-27,england,serious_case_review,executive_summary,Harlow ACPC,",
        "Serious Case Review: Child F,1995-05,england,serious_case_review,executive_summary,Harlow ACPC,",
        "SERIOUS CASE REVIEW: CHILD E,1995-04-27,england,serious_case_review,executive_summary,HARLOW ACPC,neglect",
    )

    # When it is imported
    result = run_import(path, now)

    # Then the second listing is rejected as a duplicate of line 2, and the report is catalogued once
    assert [(rejected.line, rejected.reason) for rejected in result.rejected] == [
        (4, "duplicate of line 2 (the same title, publication date, publisher and document type)")
    ]
    assert [(row.line, row.reference) for row in result.rows] == [(2, "CR-1995-0001"), (3, "CR-1995-0002")]
    assert catalogue_size() == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            "title,publication_date,nation,review_type,document_type\n"
            "Report of the Inquiry into Child A,1971,england,other,overview_report\n",
            "the header lacks publisher",
        ),
        ("", "is empty"),
    ],
)
def test_a_file_missing_a_required_column_imports_nothing(aws, search, now, tmp_path, content, message):
    # Given a file without a publisher column (or an empty file)
    path = tmp_path / "catalogue.csv"
    path.write_text(content, encoding="utf-8")

    # When it is imported
    with pytest.raises(ImportFileError) as caught:
        run_import(path, now)

    # Then the one error says why, and nothing is catalogued or indexed
    assert message in str(caught.value)
    assert catalogue_size() == 0
    _, everything, _ = call_api("GET", "/reviews")
    assert everything["total"] == 0


def test_a_file_that_is_not_utf8_imports_nothing_even_when_its_first_rows_are_fine(aws, search, now, tmp_path):
    # Given a file saved as Latin-1, whose first row is plain ASCII and whose second has a Welsh ŵ's neighbour, ý
    path = tmp_path / "catalogue.csv"
    path.write_bytes(
        f"{HEADER}\nReport of the Inquiry into Child A,1971,england,other,overview_report,Council A,\n"
        "Adroddiad T\xfd Gwyn,1972,wales,other,overview_report,Cyngor Sir,\n".encode("latin-1")
    )

    # When it is imported
    with pytest.raises(ImportFileError) as caught:
        run_import(path, now)

    # Then it is refused as not UTF-8, naming the line, and not even the first row is catalogued
    assert "is not UTF-8 text (line 3" in str(caught.value)
    assert catalogue_size() == 0


def test_references_come_from_the_same_yearly_counter_as_deposits(aws, search, now, tmp_path):
    # Given three references of 1974 already given out (as deposits of that year would have)
    taken = bootstrap.services().imports_store.allocate_references(1974, 3)

    # When two reports of 1974 and one of 1975 are imported
    result = run_import(
        write_csv(
            tmp_path,
            HEADER,
            "Report of the Inquiry into Child A,1974-02,england,other,overview_report,Council A,",
            "Report of the Inquiry into Child B,1975,england,other,overview_report,Council B,",
            "Report of the Inquiry into Child C,1974,england,other,overview_report,Council C,",
        ),
        now,
    )

    # Then they continue each year's numbering, in the file's order
    assert taken == ["CR-1974-0001", "CR-1974-0002", "CR-1974-0003"]
    assert [row.reference for row in result.rows] == ["CR-1974-0004", "CR-1975-0001", "CR-1974-0005"]


def test_a_large_file_is_imported_in_batches_with_progress(aws, search, now, tmp_path, monkeypatch):
    # Given 1,201 rows, imported 500 at a time
    lines = [HEADER] + [
        f"Report of the Inquiry into Child {n},{1950 + n % 40},england,other,overview_report,Council {n % 7},"
        for n in range(1201)
    ]
    service = bootstrap.services().historic_import
    monkeypatch.setattr(service, "batch_rows", 500)
    bulk_calls = []
    put_many = service.index.put_many
    monkeypatch.setattr(service.index, "put_many", lambda records: bulk_calls.append(1) or put_many(records))
    seen: list[int] = []

    # When it is imported
    result = service.import_file(write_csv(tmp_path, *lines), progress=seen.append)

    # Then every row is imported with its own reference, indexed in three bulk calls, and progress counted each row
    assert result.imported == 1201
    assert len({row.reference for row in result.rows}) == 1201
    assert len(bulk_calls) == 3
    assert seen == list(range(1, 1202))
    _, everything, _ = call_api("GET", "/reviews?page_size=1")
    assert everything["total"] == 1201


def test_an_import_started_while_another_runs_imports_nothing_and_says_so(aws, search, now):
    # Given an import that holds the import lock (it has run since now)
    store = bootstrap.services().imports_store
    store.begin_import("another-run", now, now + LOCK_LEASE)

    # When staff import a file meanwhile
    with pytest.raises(ImportInProgress) as refused:
        run_import(SAMPLE, now)

    # Then nothing is catalogued, and the message says why and what to do
    assert "another import is running" in str(refused.value)
    assert "Run this one when it has finished" in str(refused.value)
    assert catalogue_size() == 0
    # And once that import has finished, the file is imported
    store.end_import("another-run", now)
    assert run_import(SAMPLE, now).imported == 25


def test_an_import_killed_between_claims_and_records_is_finished_by_the_next_once_its_hold_lapses(
    aws, search, now, clock, monkeypatch
):
    # Given an import killed outright after it claimed the rows of its first batch: no record written,
    # and its hold on the import lock not let go
    service = bootstrap.services().historic_import
    monkeypatch.setattr(service, "batch_rows", 10)

    def killed(records):
        raise SystemExit("killed")

    with monkeypatch.context() as patch, pytest.raises(SystemExit):
        patch.setattr(service.records, "put_new_records", killed)
        patch.setattr(service.claims, "end_import", lambda run, now: None)
        run_import(SAMPLE, now)
    assert catalogue_size() == 0

    # When the file is imported again at once, Then it is refused while the hold lasts
    with pytest.raises(ImportInProgress) as refused:
        run_import(SAMPLE, now)
    assert "its hold lapses at" in str(refused.value)

    # And when it is imported once the hold has lapsed, Then the claimed rows get their records under the
    # references their claims hold, the others new ones, each once; and all are searchable
    clock.advance(LOCK_LEASE)
    rerun = run_import(SAMPLE, now)
    assert (rerun.imported, rerun.already_present, rerun.rejected) == (25, 0, [])
    assert rerun.rows[0].reference == "CR-1945-0001"
    assert len({row.reference for row in rerun.rows}) == 25
    assert catalogue_size() == 25
    _, after, _ = call_api("GET", "/reviews?page_size=50")
    assert {item["reference"] for item in after["items"]} == {row.reference for row in rerun.rows}
