"""Historic catalogue-only records from a CSV file (`case-reviews import`): each row checked, each imported once.

Each row has a natural key (its title, publication date, publisher and document type). The
key is claimed first, with a conditional write that records the row's reference; the record
is written after its claim, and indexed after it is written. So a second run of the same
file finds every claim and reuses its reference (nothing is imported twice), and a run after
a crash finishes what the crashed one left: a claim whose record is missing gets its record,
and every record of the file is indexed again (versioned upserts make that harmless).

Why not one transaction per row: the embedded AWS (moto) copies the whole table for every
item of a transaction, which makes a large import quadratic on the local stack; claim-first
with repair on rerun gives the same outcome (once, never half after a rerun) with plain writes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ValidationError, computed_field

from case_reviews.domain.historic import HistoricRow, ImportFileError, describe_errors, read_import_file
from case_reviews.domain.models import CatalogueRecord
from case_reviews.ports import Clock, ImportStore, RecordStore, SearchIndex

# Rows per round: one BatchGetItem per 100 claims, one counter write per year, one bulk index call.
BATCH_ROWS = 500
# Writes in flight at once: claims (and counter blocks) are independent single-item writes, and the
# time of each is mostly the round trip, so a few at a time multiply the throughput.
WRITERS = 8

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
    """Imports a historic catalogue file: valid rows become catalogue-only records, once each."""

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
        batch: list[tuple[int, HistoricRow]] = []
        settled = 0

        def settle(count: int) -> None:
            nonlocal settled
            for _ in range(count):
                settled += 1
                if progress:
                    progress(settled)

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
            batch.append((source_row.line, row))
            if len(batch) >= self.batch_rows:
                outcomes += self._import_batch(batch, now)
                settle(len(batch))
                batch = []
        if batch:
            outcomes += self._import_batch(batch, now)
            settle(len(batch))

        return ImportResult(
            file=source,
            imported=sum(outcome.status == "imported" for outcome in outcomes),
            already_present=sum(outcome.status == "already_present" for outcome in outcomes),
            rejected=rejected,
            rows=outcomes,
            ignored_columns=list(parsed.ignored_columns),
        )

    def _import_batch(self, batch: list[tuple[int, HistoricRow]], now: datetime) -> list[ImportedRow]:
        claimed = self.claims.import_claims([row.natural_key for _, row in batch])
        new = [(line, row) for line, row in batch if row.natural_key not in claimed]
        records = dict(zip((line for line, _ in new), self._new_records(new, now), strict=True))

        references = {line: claimed[row.natural_key] for line, row in batch if row.natural_key in claimed}

        def claim(line: int, row: HistoricRow) -> str:
            # Another import may claim the key between the read above and this write: its reference wins.
            return self.claims.claim_import(row.natural_key, records[line].reference, now, row.notes)

        with ThreadPoolExecutor(max_workers=self.writers) as pool:
            futures = {line: pool.submit(claim, line, row) for line, row in new}
            # A failed claim raises here; the claims made so far are finished by the next run.
            references |= {line: future.result() for line, future in futures.items()}
        fresh = {line for line, _ in new if references[line] == records[line].reference}

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
        indexed = [(record, None) for record in written]
        indexed += [
            (record, None)
            for record in earlier.values()
            # A record holding a copy did not come from an import: its document (with text) is not ours to write.
            if record.electronic_copy is None
        ]
        if indexed:
            self.index.put_many(indexed)
        return [
            ImportedRow(
                line=line,
                reference=references[line],
                status="imported" if line in fresh or line in unfinished else "already_present",
            )
            for line, _ in batch
        ]

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
