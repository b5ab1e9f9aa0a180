"""A historic import on fakes (services/historic_import.py): a report for every row, each valid row
imported once however often the file is run, a run that stopped finished by the next, one import at a time."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from case_reviews.adapters.clock import SetClock
from case_reviews.domain.historic import ImportInProgress
from case_reviews.services.historic_import import HistoricImport
from tests.unit.fakes import InMemoryImportStore, InMemoryRecordStore, InMemorySearchIndex

HEADER = "title,publication_date,nation,review_type,document_type,publisher,notes"
ROWS = [
    "Child A overview,1998,england,other,overview_report,Northshire ACPC,from the 1999 list",
    "Child B overview,1995-06,wales,other,overview_report,Cyngor Gwynedd,",
    "Child C summary,1998-02-03,england,other,executive_summary,Southshire ACPC,",
]


def csv(*rows: str) -> bytes:
    return "\n".join([HEADER, *rows]).encode()


class Importing:
    def __init__(self, clock: SetClock, batch_rows: int = 1000) -> None:
        self.clock = clock
        self.records = InMemoryRecordStore()
        self.claims = InMemoryImportStore()
        self.index = InMemorySearchIndex()
        self.service = HistoricImport(self.records, self.claims, self.index, clock, batch_rows=batch_rows, writers=2)

    def run(self, data: bytes):
        return self.service.import_data(data, "catalogue.csv")


@pytest.fixture
def importing(clock: SetClock) -> Importing:
    return Importing(clock)


def test_every_valid_row_becomes_a_catalogue_only_record_indexed_with_its_year_s_reference(importing) -> None:
    # Given a file of three valid rows from two years
    # When it is imported
    result = importing.run(csv(*ROWS))
    # Then each row is imported, with its publication year's next reference (the file's order in each year)
    assert (result.imported, result.already_present, result.rejected, result.complete) == (3, 0, [], True)
    assert [(row.line, row.reference, row.status) for row in result.rows] == [
        (2, "CR-1998-0001", "imported"),
        (3, "CR-1995-0001", "imported"),
        (4, "CR-1998-0002", "imported"),
    ]
    # And each record is catalogue-only, named by its publisher, and searchable
    record = importing.records.get_record("CR-1998-0001")
    assert (record.board_id, record.board_name, record.submission_id, record.electronic_copy) == (
        None,
        "Northshire ACPC",
        None,
        None,
    )
    assert sorted(importing.index.documents) == ["CR-1995-0001", "CR-1998-0001", "CR-1998-0002"]
    # And staff's notes are kept with the row's claim; the lock is let go
    notes = {claim.reference: claim.notes for claim in importing.claims.claims.values()}
    assert notes == {"CR-1998-0001": "from the 1999 list", "CR-1995-0001": None, "CR-1998-0002": None}
    assert not importing.claims.held_at(importing.clock.now())


def test_importing_the_same_file_again_imports_nothing_twice(importing) -> None:
    # Given a file imported once
    first = importing.run(csv(*ROWS))
    # When it is imported again, re-typed with other spacing and capitals
    retyped = [ROWS[0].replace("Child A overview", "CHILD  A Overview"), *ROWS[1:]]
    second = importing.run(csv(*retyped))
    # Then every row is already present under its first reference, and no reference was used twice
    assert (second.imported, second.already_present) == (0, 3)
    assert [row.reference for row in second.rows] == [row.reference for row in first.rows]
    assert len(importing.records.records) == 3


def stops(_records: object) -> None:
    raise ConnectionError("the store stopped answering")


def test_a_claim_left_without_its_record_by_a_stopped_run_gets_its_record(importing, monkeypatch) -> None:
    # Given a run that claimed its rows and stopped before writing their records
    with monkeypatch.context() as patched:
        patched.setattr(importing.records, "put_new_records", stops)
        with pytest.raises(ConnectionError):
            importing.run(csv(*ROWS))
    assert len(importing.claims.claims) == 3 and importing.records.records == {}
    # When the file is imported again
    result = importing.run(csv(*ROWS))
    # Then the claimed rows get their records under their claimed references, and are searchable
    assert [(row.reference, row.status) for row in result.rows] == [
        ("CR-1998-0001", "imported"),
        ("CR-1995-0001", "imported"),
        ("CR-1998-0002", "imported"),
    ]
    assert (
        sorted(importing.records.records)
        == sorted(importing.index.documents)
        == [
            "CR-1995-0001",
            "CR-1998-0001",
            "CR-1998-0002",
        ]
    )


def test_a_record_written_but_not_indexed_is_indexed_by_the_next_run(importing, monkeypatch) -> None:
    # Given a run that wrote its records but could not index them
    with monkeypatch.context() as patched:
        patched.setattr(importing.index, "put_many", stops)
        with pytest.raises(ConnectionError):
            importing.run(csv(*ROWS))
    assert len(importing.records.records) == 3 and importing.index.documents == {}
    # When the file is imported again
    result = importing.run(csv(*ROWS))
    # Then nothing is imported twice, and every record is searchable
    assert (result.imported, result.already_present) == (0, 3)
    assert len(importing.index.documents) == 3


def test_each_bad_row_is_reported_by_its_line_and_the_others_are_imported(importing) -> None:
    # Given a file with a valid row, a row from the future, a bad nation, a repeat of the first and a short row
    next_year = importing.clock.now().year + 1
    data = csv(
        ROWS[0],
        f"Child D,{next_year},england,other,overview_report,Northshire ACPC,",
        "Child E,1998,englnd,other,overview_report,Northshire ACPC,",
        ROWS[0],
        "Child F,1998,england,other,overview_report,Northshire ACPC,,,extra",
    )
    # When it is imported
    result = importing.run(data)
    # Then the first row is imported; each other is reported by its line with a reason staff can act on
    assert (result.imported, result.complete) == (1, False)
    reasons = {row.line: row.reason for row in result.rejected}
    assert sorted(reasons) == [3, 4, 5, 6]
    assert "in the future" in reasons[3]
    assert reasons[4].startswith("nation: 'englnd' is not one of")
    assert reasons[5].startswith("duplicate of line 2")
    assert "cells; the header has 7 columns" in reasons[6]


def test_a_second_import_is_refused_while_one_holds_the_lock_and_writes_nothing(importing, now: datetime) -> None:
    # Given another import holding the lock
    importing.claims.begin_import("another-run", now, now + timedelta(minutes=5))
    # When a file is imported
    with pytest.raises(ImportInProgress):
        importing.run(csv(*ROWS))
    # Then nothing is claimed or written, and the other import still holds the lock
    assert (importing.claims.claims, importing.records.records) == ({}, {})
    assert importing.claims.lock[0] == "another-run"


def test_a_lapsed_lock_does_not_keep_an_import_out(importing, now: datetime) -> None:
    # Given a lock whose holder stopped without letting it go, and whose time is up
    importing.claims.begin_import("stopped-run", now - timedelta(hours=1), now - timedelta(minutes=55))
    # When a file is imported
    result = importing.run(csv(*ROWS))
    # Then it is
    assert result.imported == 3


def test_a_large_file_goes_in_batches_each_renewing_the_lock(clock: SetClock) -> None:
    # Given an import two rows a batch, and a file of five rows
    importing = Importing(clock, batch_rows=2)
    renewals = []
    renew = importing.claims.renew_import

    def renew_and_count(run: str, now: datetime, until: datetime) -> None:
        renewals.append(until)
        renew(run, now, until)

    importing.claims.renew_import = renew_and_count  # type: ignore[method-assign]
    rows = [f"Child {n} overview,1998,england,other,overview_report,Northshire ACPC," for n in range(5)]
    # When it is imported, with its progress followed
    seen: list[int] = []
    result = importing.service.import_data(csv(*rows), "catalogue.csv", progress=seen.append)
    # Then every row is imported, in three batches, and progress counts every row
    assert (result.imported, len(renewals), seen) == (5, 3, [1, 2, 3, 4, 5])
    assert [row.reference for row in result.rows] == [f"CR-1998-{n:04d}" for n in range(1, 6)]
