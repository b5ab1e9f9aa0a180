"""Historic import rows: what a row of a catalogue file must hold, and how the file is read."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pydantic import ValidationError

from case_reviews.domain.vocabulary import DatePrecision, DocumentType, Nation, ReviewType
from case_reviews.services.historic_import import (
    HistoricRow,
    ImportFileError,
    describe_errors,
    read_import_file,
)
from tests.unit.staff_cli import StaffCli

TODAY = date(2026, 11, 26)
SAMPLE = Path(__file__).resolve().parents[2] / "samples" / "historic_catalogue.csv"
HEADER = "title,publication_date,nation,review_type,document_type,publisher"


def cells(**changes: str) -> dict[str, str]:
    return {
        "title": "Report of the Inquiry into the Care of Child M",
        "publication_date": "1974-02",
        "nation": "england",
        "review_type": "other",
        "document_type": "overview_report",
        "publisher": "Westbury Area Health Authority",
        **changes,
    }


def reasons(**changes: str) -> str:
    with pytest.raises(ValidationError) as caught:
        HistoricRow.from_cells(cells(**changes), TODAY)
    return describe_errors(caught.value)


# ---------------------------------------------------------------- one row


def test_a_minimal_row_becomes_a_catalogue_only_record() -> None:
    # Given a row with only the required columns, padded with spaces as spreadsheets leave them
    row = HistoricRow.from_cells(cells(title="  Report of the Inquiry into the Care of Child M "), TODAY)
    # When it becomes a record
    record = row.to_record("CR-1974-0001", now=datetime(2026, 11, 26, tzinfo=UTC))
    # Then the text is trimmed, the date keeps its month precision, and the publisher is the board name, with no board
    assert record.title == "Report of the Inquiry into the Care of Child M"
    assert str(record.publication_date) == "1974-02"
    assert record.publication_date.precision is DatePrecision.MONTH
    assert record.board_id is None
    assert record.board_name == record.publisher == "Westbury Area Health Authority"
    assert record.electronic_copy is None and record.submission_id is None and record.themes == ()


@pytest.mark.parametrize(
    ("given", "precision", "shown"),
    [
        ("1945", DatePrecision.YEAR, "1945"),
        ("1973-05", DatePrecision.MONTH, "1973-05"),
        ("1973-05-14", DatePrecision.DAY, "1973-05-14"),
    ],
)
def test_a_publication_date_may_be_a_year_a_month_or_a_day(given: str, precision: DatePrecision, shown: str) -> None:
    # Given a row published on a year, a month or a day
    # When it is checked
    row = HistoricRow.from_cells(cells(publication_date=given), TODAY)
    # Then the date keeps what was known of it
    assert row.publication_date.precision is precision
    assert str(row.publication_date) == shown


@pytest.mark.parametrize(
    ("column", "given", "expected"),
    [
        ("nation", "Northern Ireland", Nation.NORTHERN_IRELAND),
        ("nation", "WALES", Nation.WALES),
        ("review_type", "Serious case review", ReviewType.SERIOUS_CASE_REVIEW),
        ("review_type", "inquiry-report", ReviewType.INQUIRY_REPORT),
        ("document_type", " Executive_Summary ", DocumentType.EXECUTIVE_SUMMARY),
    ],
)
def test_vocabularies_are_read_whatever_the_case_and_with_spaces_for_underscores(
    column: str, given: str, expected: object
) -> None:
    # Given a vocabulary written as a person would type it
    # When the row is checked
    row = HistoricRow.from_cells(cells(**{column: given}), TODAY)
    # Then it is the vocabulary's value
    assert getattr(row, column) == expected


def test_themes_are_split_on_semicolons_normalised_and_kept_once() -> None:
    # Given themes separated by semicolons, with spaces, an empty one, and a repeat in another spelling
    row = HistoricRow.from_cells(cells(themes="Neglect; multi-agency working;;neglect "), TODAY)
    # Then each theme is there once, in the catalogue's spelling, in order
    assert row.themes == ("neglect", "multi_agency_working")


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"title": ""}, "title: is empty"),
        ({"title": "ab"}, "title: String should have at least 3 characters"),
        ({"title": "x" * 301}, "title: String should have at most 300 characters"),
        ({"title": "Report\x07 of the inquiry"}, "title: must not contain control characters"),
        ({"publisher": ""}, "publisher: is empty"),
        ({"nation": "Englnd"}, "nation: 'englnd' is not one of 'england', 'wales', 'scotland' or 'northern_ireland'"),
        ({"review_type": "inquiry"}, "review_type: 'inquiry' is not one of"),
        ({"document_type": ""}, "document_type: is empty"),
        ({"publication_date": "May 1973"}, "publication_date: 'May 1973' is not a year (YYYY), a month (YYYY-MM)"),
        ({"publication_date": "1973-13"}, "publication_date: '1973-13' is not a real date"),
        ({"publication_date": "1899"}, "publication_date: 1899 is before 1900"),
        ({"publication_date": "2027"}, "publication_date: 2027 is in the future"),
        ({"themes": "neglect;Ça va"}, "themes: 'Ça va' is not a theme of the library's vocabulary"),
        ({"themes": "neglct"}, "themes: 'neglct' is not a theme of the library's vocabulary; did you mean 'Neglect'"),
        ({"related": "CR-2016-0041;2016/42"}, "related: '2016/42' is not a catalogue reference like CR-2016-0042"),
        ({"language": "french"}, "language: 'french' is not one of 'en', 'cy' or 'bilingual'"),
        ({"summary": "x" * 5001}, "summary: String should have at most 5000 characters"),
        ({"notes": "shelf\x00mark"}, "notes: must not contain control characters"),
        ({"commissioned_date": "1973"}, "commissioned_date: '1973' is not a day (YYYY-MM-DD)"),
        ({"commissioned_date": "1974-03-01"}, "commissioned_date: 1974-03-01 is after publication_date 1974-02"),
    ],
)
def test_a_bad_row_gets_a_clear_reason_per_field(changes: dict[str, str], expected: str) -> None:
    # Given a row with one bad cell
    # When it is checked
    reason = reasons(**changes)
    # Then the reason names the field and says what is wrong with it
    assert reason.startswith(expected), reason


def test_every_bad_field_of_a_row_is_reported_at_once() -> None:
    # Given a row with three bad cells
    # When it is checked
    reason = reasons(title="", nation="Atlantis", publication_date="19")
    # Then each is named, in the order of the columns
    assert [part.split(":")[0] for part in reason.split("; ")] == ["title", "publication_date", "nation"]


def test_a_commissioned_date_within_a_partial_publication_date_is_accepted() -> None:
    # Given a report published "in 1974-02" and commissioned on 1974-02-20 (within that month)
    row = HistoricRow.from_cells(cells(commissioned_date="1974-02-20"), TODAY)
    # Then the dates are in order
    assert row.commissioned_date == date(1974, 2, 20)


def test_the_natural_key_ignores_case_spacing_and_unicode_form_but_not_the_facts() -> None:
    # Given the same Welsh report typed twice (different case, spaces, and a decomposed ŷ)
    first = HistoricRow.from_cells(cells(title="Adroddiad Tŷ Gwyn", publisher="Cyngor Sir Gwernyfed"), TODAY)
    again = HistoricRow.from_cells(cells(title="adroddiad  Ty\u0302 gwyn", publisher="CYNGOR SIR GWERNYFED"), TODAY)
    # And the same title as an executive summary, and published a month later
    summary = HistoricRow.from_cells(
        cells(title="Adroddiad Tŷ Gwyn", publisher="Cyngor Sir Gwernyfed", document_type="executive_summary"), TODAY
    )
    later = HistoricRow.from_cells(
        cells(title="Adroddiad Tŷ Gwyn", publisher="Cyngor Sir Gwernyfed", publication_date="1974-03"), TODAY
    )
    # Then the retyped row is the same report, and the others are not
    assert first.natural_key == again.natural_key
    assert len({first.natural_key, summary.natural_key, later.natural_key}) == 3


# ---------------------------------------------------------------- the file


def test_rows_are_numbered_by_the_physical_line_they_start_on() -> None:
    # Given a file whose second row has a quoted cell over three lines, then a blank line
    data = (
        f"{HEADER},summary\r\n"
        "Report A,1970,england,other,overview_report,Council A,\r\n"
        'Report B,1971,england,other,overview_report,Council B,"one\r\ntwo\r\nthree"\r\n'
        "\r\n"
        "Report C,1972,england,other,overview_report,Council C,\r\n"
    ).encode()
    # When it is read
    rows = read_import_file(data, "file.csv").rows
    # Then the rows start on lines 2, 3 and 7 (the header is line 1), and the cell keeps its lines
    assert [row.line for row in rows] == [2, 3, 7]
    assert rows[1].cells["summary"] == "one\r\ntwo\r\nthree"


def test_header_names_are_trimmed_and_case_insensitive_and_unknown_columns_are_ignored() -> None:
    # Given a header in capitals with a column the import does not know, after a byte order mark
    data = "\ufeffTitle , PUBLICATION_DATE,Nation,Review_Type,Document_Type,Publisher,Shelf mark\n".encode()
    data += b"Report A,1970,england,other,overview_report,Council A,R/12\n"
    # When it is read
    parsed = read_import_file(data, "file.csv")
    # Then the columns are found, and the unknown one is listed as ignored and left out of the row
    assert parsed.ignored_columns == ("shelf mark",)
    assert parsed.rows[0].cells["title"] == "Report A"
    assert "shelf mark" not in parsed.rows[0].cells


def test_a_row_with_more_cells_than_the_header_is_a_problem_of_that_row() -> None:
    # Given a row with an unquoted comma in its title
    data = f"{HEADER}\nReport A, Part 2,1970,england,other,overview_report,Council A\n".encode()
    # When it is read
    row = read_import_file(data, "file.csv").rows[0]
    # Then the row carries the problem
    assert row.problem == "has 7 cells; the header has 6 columns"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"", "file.csv is empty"),
        (b"\n\n  \n", "file.csv is empty"),
        (
            b"title,publication_date,nation,review_type,document_type\nReport,1970,england,other,overview_report\n",
            "file.csv: the header lacks publisher",
        ),
        (f"{HEADER},title\n".encode(), "file.csv: the header names title more than once"),
        (
            f"{HEADER}\nAdroddiad T\xfd Gwyn,1970,wales,other,overview_report,Cyngor\n".encode("latin-1"),
            "file.csv is not UTF-8 text (line 2: byte 0xfd)",
        ),
        (
            f'{HEADER}\n"Report A,1970,england,other,overview_report,Council A\n'.encode(),
            "file.csv is not a readable CSV file",
        ),
    ],
)
def test_a_file_that_cannot_be_imported_is_one_clear_error(data: bytes, expected: str) -> None:
    # Given an empty file, one missing a required column, one naming a column twice, one not UTF-8, one unterminated
    # When it is read
    with pytest.raises(ImportFileError) as caught:
        read_import_file(data, "file.csv")
    # Then one error says what is wrong with the file
    assert str(caught.value).startswith(expected), str(caught.value)


def test_every_row_of_the_sample_file_is_valid() -> None:
    # Given the sample historic catalogue shipped with the repository
    parsed = read_import_file(SAMPLE.read_bytes(), str(SAMPLE))
    # When each row is checked
    rows = [HistoricRow.from_cells(row.cells, TODAY) for row in parsed.rows]
    # Then there are about 25, 1945 to 2009, every nation, partial dates and non-ASCII text among them, none twice
    years = [row.publication_date.value.year for row in rows]
    assert len(rows) == 25 and min(years) == 1945 and max(years) == 2009
    assert {row.nation for row in rows} == set(Nation)
    assert {row.publication_date.precision for row in rows} == set(DatePrecision)
    assert any(not row.title.isascii() for row in rows)
    assert len({row.natural_key for row in rows}) == 25


# ---------------------------------------------------------------- the command line


def test_the_import_command_takes_a_file_and_the_global_options_after_it(staff_cli: StaffCli) -> None:
    # Given `case-reviews import FILE` with the shared options after the file
    staff_cli.services.historic_import.import_file.return_value.model_dump.return_value = {"complete": True}
    # When it runs
    ran = staff_cli("import", "old/catalogue.csv", "--local", "--json")
    # Then it is the import of that file, against the local stack, as JSON
    assert ran.status == 0, ran.err
    assert staff_cli.services.historic_import.import_file.call_args.args == (Path("old/catalogue.csv"),)
    assert staff_cli.options.local is True and staff_cli.options.json is True
    assert json.loads(ran.out) == {"complete": True}


def test_an_import_with_a_rejected_row_exits_1(staff_cli: StaffCli) -> None:
    # Given an import in which a row is rejected
    staff_cli.services.historic_import.import_file.return_value.model_dump.return_value = {
        "file": "old/catalogue.csv",
        "imported": 1,
        "already_present": 0,
        "rejected": [{"line": 3, "reason": "title: is empty"}],
        "ignored_columns": [],
        "complete": False,
    }
    # When it runs, as text
    ran = staff_cli("--local", "import", "old/catalogue.csv")
    # Then the row is reported by its line, the summary is the last line, and the exit status is 1
    assert ran.status == 1
    assert ran.out.strip().splitlines() == [
        "line 3: title: is empty",
        "old/catalogue.csv: imported 1, already present 0, rejected 1",
    ]
