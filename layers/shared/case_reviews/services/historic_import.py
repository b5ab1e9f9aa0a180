"""Historic catalogue-only records from a CSV file (`case-reviews import`): each row checked, each imported once.

Each row has a natural key (its title, publication date, publisher and document type). The
key is claimed first, recording the row's reference; the record is written after its claim,
and indexed after it is written. So a second run of the same file finds every claim and
reuses its reference (nothing is imported twice), and a run after a crash finishes what the
crashed one left: a claim whose record is missing gets its record, and every record of the
file is indexed again (versioned upserts make that harmless).

Claims and records are written in batches (BatchWriteItem, several requests in flight), and a
batch is indexed while the next one is written. Batch writes take no conditions, so imports run
one at a time: an import holds the import lock while it writes (`ImportStore.begin_import`), and a
second one is refused until the first ends. Rows are taken year by year (the file's order within a
year), so a batch takes its references from one or two yearly counters, not from every year's.

Why not one transaction per row: the embedded AWS (moto) copies the whole table for every
item of a transaction, which makes a large import quadratic on the local stack; claim-first
with repair on rerun gives the same outcome (once, never half after a rerun) with plain writes.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import datetime, timedelta
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError, computed_field

from case_reviews.domain.historic import (
    HistoricRow,
    ImportClaim,
    ImportFileError,
    describe_errors,
    read_import_file,
)
from case_reviews.domain.records import CatalogueRecord
from case_reviews.ports import Clock, ImportStore, RecordStore, SearchIndex

# Rows per round: a BatchGetItem per 100 claims, a counter write per year, a bulk index call (and a refresh).
BATCH_ROWS = 1000
# Counter writes in flight at once (a batch's years are independent single-item writes).
WRITERS = 8
# How long the import lock holds without being renewed; every batch renews it, and a batch takes seconds.
# An import that stops without letting it go (killed, its machine down) keeps others out this long.
LOCK_LEASE = timedelta(minutes=5)

Progress = Callable[[int], None]


# ---------------------------------------------------------------- the import


class ImportedRow(BaseModel):
    line: int
    reference: str
    status: Literal["imported", "already_present"]


class RejectedRow(BaseModel):
    line: int
    reason: str


class ImportResult(BaseModel):
    """What became of every row of the file."""

    file: str
    imported: int
    already_present: int
    rejected: list[RejectedRow]
    rows: list[ImportedRow]
    ignored_columns: list[str]

    @computed_field  # type: ignore[prop-decorator]
    @property
    def complete(self) -> bool:
        """Every row is in the catalogue (imported now or before): nothing was rejected."""
        return not self.rejected


class HistoricImport:
    """Imports a historic catalogue file: valid rows become catalogue-only records, once each.

    One import at a time: while another holds the import lock, `import_data` raises ImportInProgress
    (before writing anything).
    """

    def __init__(
        self,
        records: RecordStore,
        claims: ImportStore,
        index: SearchIndex,
        clock: Clock,
        batch_rows: int = BATCH_ROWS,
        writers: int = WRITERS,
    ) -> None:
        self.records = records
        self.claims = claims
        self.index = index
        self.clock = clock
        self.batch_rows = batch_rows
        self.writers = writers

    def import_file(self, path: Path, progress: Progress | None = None) -> ImportResult:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise ImportFileError(f"cannot read {path}: {error.strerror or error}") from None
        return self.import_data(data, str(path), progress)

    def import_data(self, data: bytes, source: str, progress: Progress | None = None) -> ImportResult:
        """Check every row, then import the valid ones in batches; rejected rows are reported, not fatal."""
        now = self.clock.now()
        parsed = read_import_file(data, source)
        rejected: list[RejectedRow] = []
        outcomes: list[ImportedRow] = []
        first_line: dict[str, int] = {}
        settled = 0

        def settle(count: int) -> None:
            nonlocal settled
            for _ in range(count):
                settled += 1
                if progress:
                    progress(settled)

        valid: list[tuple[int, HistoricRow]] = []
        for source_row in parsed.rows:
            reason = source_row.problem
            if reason is None:
                try:
                    row = HistoricRow.from_cells(source_row.cells, now.date())
                except ValidationError as error:
                    reason = describe_errors(error)
                else:
                    seen = first_line.setdefault(row.natural_key, source_row.line)
                    if seen != source_row.line:
                        reason = (
                            f"duplicate of line {seen} (the same title, publication date, publisher and document type)"
                        )
            if reason is not None:
                rejected.append(RejectedRow(line=source_row.line, reason=reason))
                settle(1)
                continue
            valid.append((source_row.line, row))

        if valid:
            # Year by year (sorted is stable: the file's order within a year), so each batch takes its
            # references from few counters, and references follow the file's order within each year.
            by_year = sorted(valid, key=lambda item: item[1].publication_date.value.year)
            batches = [by_year[start : start + self.batch_rows] for start in range(0, len(by_year), self.batch_rows)]
            run = uuid.uuid4().hex
            self.claims.begin_import(run, now, now + LOCK_LEASE)
            try:
                outcomes = self._import_batches(run, batches, now, settle)
            finally:
                self.claims.end_import(run, self.clock.now())

        return ImportResult(
            file=source,
            imported=sum(outcome.status == "imported" for outcome in outcomes),
            already_present=sum(outcome.status == "already_present" for outcome in outcomes),
            rejected=rejected,
            rows=sorted(outcomes, key=lambda outcome: outcome.line),
            ignored_columns=list(parsed.ignored_columns),
        )

    def _import_batches(
        self, run: str, batches: list[list[tuple[int, HistoricRow]]], now: datetime, settle: Callable[[int], None]
    ) -> list[ImportedRow]:
        """Every batch, the lock renewed before each; a batch is indexed while the next is written (one behind,
        so an indexing failure stops the import at the next batch, and a rerun indexes what it missed)."""
        outcomes: list[ImportedRow] = []
        with ThreadPoolExecutor(max_workers=1) as indexer:
            indexing: Future[object] | None = None
            for batch in batches:
                self.claims.renew_import(run, self.clock.now(), self.clock.now() + LOCK_LEASE)
                done, indexed = self._import_batch(batch, now)
                if indexing is not None:
                    indexing.result()
                indexing = indexer.submit(self.index.put_many, indexed) if indexed else None
                outcomes += done
                settle(len(batch))
            if indexing is not None:
                indexing.result()
        return outcomes

    def _import_batch(
        self, batch: list[tuple[int, HistoricRow]], now: datetime
    ) -> tuple[list[ImportedRow], list[tuple[CatalogueRecord, None]]]:
        """Claim and store a batch; its outcomes, and what is to be indexed (this run's records and, again,
        earlier runs' records of these rows)."""
        claimed = self.claims.import_claims([row.natural_key for _, row in batch])
        new = [(line, row) for line, row in batch if row.natural_key not in claimed]
        records = dict(zip((line for line, _ in new), self._new_records(new, now), strict=True))
        # Claims first: a run that stops after them leaves claims without records, which the next run finishes.
        # Nobody else writes claims meanwhile (the import lock), so each one written holds.
        self.claims.put_claims(
            [ImportClaim(row.natural_key, records[line].reference, now, row.notes) for line, row in new]
        )
        fresh = set(records)
        references = {line: claimed[row.natural_key] for line, row in batch if row.natural_key in claimed}
        references |= {line: record.reference for line, record in records.items()}

        earlier = {
            record.reference: record
            for record in self.records.get_records(
                [reference for line, reference in references.items() if line not in fresh]
            )
        }
        # A claim without its record: a run stopped between the two writes. This run finishes it.
        unfinished = {line for line, reference in references.items() if line not in fresh and reference not in earlier}
        rows = dict(batch)
        written = [records[line] for line in sorted(fresh)]
        written += [rows[line].to_record(references[line], now) for line in sorted(unfinished)]
        self.records.put_new_records(written)

        # Index what this run wrote, and again what earlier runs wrote: a run that stopped before
        # indexing leaves nothing unsearchable once the file is imported again.
        indexed: list[tuple[CatalogueRecord, None]] = [(record, None) for record in written]
        indexed += [
            (record, None)
            for record in earlier.values()
            # A record holding a copy did not come from an import: its document (with text) is not ours to write.
            if record.electronic_copy is None
        ]
        done = [
            ImportedRow(
                line=line,
                reference=references[line],
                status="imported" if line in fresh or line in unfinished else "already_present",
            )
            for line, _ in batch
        ]
        return done, indexed

    def _new_records(self, new: list[tuple[int, HistoricRow]], now: datetime) -> Iterator[CatalogueRecord]:
        """A record per new row, its reference taken from its publication year's counter (a block per year)."""
        wanted: dict[int, int] = {}
        for _, row in new:
            year = row.publication_date.value.year
            wanted[year] = wanted.get(year, 0) + 1
        with ThreadPoolExecutor(max_workers=self.writers) as pool:
            futures = {
                year: pool.submit(self.claims.allocate_references, year, count) for year, count in wanted.items()
            }
            blocks = {year: iter(future.result()) for year, future in futures.items()}
        for _, row in new:
            yield row.to_record(next(blocks[row.publication_date.value.year]), now)
