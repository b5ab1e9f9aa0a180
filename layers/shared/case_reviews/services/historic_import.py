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

import csv
import hashlib
import io
import unicodedata
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    ValidationInfo,
    computed_field,
    field_validator,
)

from case_reviews.adapters.dynamodb import CatalogueRepository
from case_reviews.adapters.opensearch import ReviewDocument, SearchIndex, document_from_record
from case_reviews.domain.errors import CaseReviewsError
from case_reviews.domain.models import CatalogueRecord, PublicationDate, Summary, Theme, Title
from case_reviews.domain.rules import EARLIEST_PUBLICATION, format_reference
from case_reviews.domain.vocabulary import DocumentType, Nation, ReviewType

REQUIRED_COLUMNS = ("title", "publication_date", "nation", "review_type", "document_type", "publisher")
OPTIONAL_COLUMNS = ("themes", "summary", "notes", "commissioned_date")
THEME_SEPARATOR = ";"
# Rows per round: one BatchGetItem per 100 claims, one counter write per year, one bulk index call.
BATCH_ROWS = 500
# Writes in flight at once: claims (and counter blocks) are independent single-item writes, and the
# time of each is mostly the round trip, so a few at a time multiply the throughput.
WRITERS = 8

Progress = Callable[[int], None]


class ImportFileError(CaseReviewsError):
    """The file as a whole cannot be imported (not UTF-8, empty, a required column missing): nothing is."""


# ---------------------------------------------------------------- one row


def _vocabulary_value(value: Any) -> Any:
    """`Northern Ireland`, `northern-ireland` and `NORTHERN_IRELAND` all mean `northern_ireland`."""
    if isinstance(value, str):
        return "_".join(value.replace("-", " ").replace("_", " ").lower().split())
    return value


def _theme_list(value: Any) -> Any:
    if isinstance(value, str):
        return tuple(theme for theme in (part.strip() for part in value.split(THEME_SEPARATOR)) if theme)
    return value


def _publication_date(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    try:
        return PublicationDate.parse(value)
    except ValueError as error:
        if "is not a year" in str(error):
            raise
        raise ValueError(f"{value.strip()!r} is not a real date ({error})") from None


class HistoricRow(BaseModel):
    """One row of a historic catalogue file, checked as the domain checks a deposit's metadata."""

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    title: Title
    publication_date: Annotated[PublicationDate, BeforeValidator(_publication_date)]
    nation: Annotated[Nation, BeforeValidator(_vocabulary_value)]
    review_type: Annotated[ReviewType, BeforeValidator(_vocabulary_value)]
    document_type: Annotated[DocumentType, BeforeValidator(_vocabulary_value)]
    # The body that published the report; it becomes the record's board name (there is no board id).
    publisher: Title
    themes: Annotated[tuple[Theme, ...], BeforeValidator(_theme_list)] = Field(default=(), max_length=20)
    summary: Summary | None = None
    notes: Summary | None = None
    commissioned_date: date | None = None

    @classmethod
    def from_cells(cls, cells: dict[str, str], today: date) -> HistoricRow:
        """Validate a row's cells (column name → text); an empty cell counts as not given."""
        given = {name: text for name, text in cells.items() if text.strip()}
        return cls.model_validate(given, context={"today": today})

    @field_validator("publication_date")
    @classmethod
    def _published_in_range(cls, published: PublicationDate, info: ValidationInfo) -> PublicationDate:
        # "Today" is the wired clock's, passed in by from_cells: never the machine's own.
        today: date = (info.context or {})["today"]
        if published.value < EARLIEST_PUBLICATION:
            raise ValueError(f"{published} is before {EARLIEST_PUBLICATION.year}")
        if published.value > today:
            raise ValueError(f"{published} is in the future")
        return published

    @field_validator("themes")
    @classmethod
    def _each_theme_once(cls, themes: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(themes))

    @field_validator("commissioned_date", mode="before")
    @classmethod
    def _a_whole_day(cls, value: Any) -> Any:
        # Only YYYY-MM-DD: pydantic alone would also read a bare number as a Unix time.
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                raise ValueError(f"{value.strip()!r} is not a day (YYYY-MM-DD)") from None
        return value

    @field_validator("commissioned_date")
    @classmethod
    def _commissioned_before_publication(cls, commissioned: date | None, info: ValidationInfo) -> date | None:
        published = info.data.get("publication_date")
        if commissioned is not None and published is not None and commissioned > published.last_day():
            raise ValueError(f"{commissioned.isoformat()} is after publication_date {published}")
        return commissioned

    @property
    def natural_key(self) -> str:
        """What makes two rows the same report: title, publication date, publisher and document type.

        Case, Unicode normalisation form and runs of spaces do not count, so a re-typed or
        re-exported file still finds its rows.
        """
        parts = (self.title, str(self.publication_date), self.publisher, self.document_type.value)
        text = "\x1f".join(" ".join(unicodedata.normalize("NFC", part).casefold().split()) for part in parts)
        return hashlib.sha256(text.encode("utf-8")).hexdigest()

    def to_record(self, reference: str, now: datetime) -> CatalogueRecord:
        """The catalogue-only record: no board id, no submission, no electronic copy."""
        return CatalogueRecord(
            reference=reference,
            title=self.title,
            nation=self.nation,
            review_type=self.review_type,
            document_type=self.document_type,
            publication_date=self.publication_date,
            board_id=None,
            board_name=self.publisher,
            commissioned_date=self.commissioned_date,
            themes=self.themes,
            summary=self.summary,
            created_at=now,
            updated_at=now,
        )


def describe_errors(error: ValidationError) -> str:
    """One readable reason per field: `nation: 'Englnd' is not one of ...; title: is empty`."""
    reasons = []
    for problem in error.errors(include_url=False):
        field = str(problem["loc"][0]) if problem["loc"] else "row"
        kind, given = problem["type"], problem.get("input")
        if kind == "missing":
            message = "is empty"
        elif kind == "enum":
            message = f"{given!r} is not one of {problem['ctx']['expected']}"
        elif kind == "string_pattern_mismatch":
            message = f"{given!r} may hold only letters, digits, spaces, hyphens and underscores"
        elif kind == "extra_forbidden":
            message = "is not a column of an import file"
        else:
            message = problem["msg"].removeprefix("Value error, ")
        reasons.append(f"{field}: {message}")
    return "; ".join(reasons)


# ---------------------------------------------------------------- the file


@dataclass(frozen=True)
class SourceRow:
    """A record of the CSV file: `line` is the physical line it starts on (the header is line 1)."""

    line: int
    cells: dict[str, str]
    problem: str | None = None


@dataclass(frozen=True)
class ImportFile:
    columns: tuple[str, ...]
    ignored_columns: tuple[str, ...]
    rows: tuple[SourceRow, ...]


def read_import_file(data: bytes, source: str) -> ImportFile:
    """Decode and split the whole file first, so a file that cannot be read imports nothing."""
    try:
        # utf-8-sig: spreadsheets often save "CSV UTF-8" with a byte order mark.
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise ImportFileError(
            f"{source} is not UTF-8 text (line {line}: byte 0x{data[error.start]:02x}); "
            "save it as CSV UTF-8 and import it again"
        ) from None
    # strict: a stray or unclosed quote is an error, not a row that silently swallows the lines after it.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        records = _numbered(reader)
        header = next(records, None)
        if header is None:
            raise ImportFileError(f"{source} is empty: it needs a header row and at least one row")
        columns = tuple(name.strip().lower() for name in header[1])
        rows = tuple(_source_row(line, cells, columns) for line, cells in records)
    except csv.Error as error:
        raise ImportFileError(f"{source} is not a readable CSV file (line {reader.line_num}: {error})") from None
    duplicated = sorted({name for name in columns if name and columns.count(name) > 1})
    if duplicated:
        raise ImportFileError(f"{source}: the header names {', '.join(duplicated)} more than once")
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise ImportFileError(
            f"{source}: the header lacks {', '.join(missing)}; it must hold {','.join(REQUIRED_COLUMNS)} "
            f"(and may hold {','.join(OPTIONAL_COLUMNS)})"
        )
    known = {*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS}
    return ImportFile(
        columns=columns,
        ignored_columns=tuple(name for name in columns if name not in known),
        rows=tuple(row for row in rows if row is not None),
    )


def _numbered(reader: Any) -> Iterator[tuple[int, list[str]]]:
    """Each non-blank record with the line it starts on (a quoted cell may span several lines)."""
    last_line = 0
    for cells in reader:
        first_line, last_line = last_line + 1, reader.line_num
        if any(cell.strip() for cell in cells):
            yield first_line, cells


def _source_row(line: int, cells: list[str], columns: tuple[str, ...]) -> SourceRow | None:
    if len(cells) > len(columns) and any(cell.strip() for cell in cells[len(columns) :]):
        return SourceRow(line, {}, f"has {len(cells)} cells; the header has {len(columns)} columns")
    known = {*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS}
    # A short row (trailing empty cells left out by some tools) reads as empty cells.
    return SourceRow(line, {name: cell for name, cell in zip(columns, cells, strict=False) if name in known})


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
        repository: CatalogueRepository,
        index: SearchIndex,
        batch_rows: int = BATCH_ROWS,
        writers: int = WRITERS,
    ) -> None:
        self.repository = repository
        self.index = index
        self.batch_rows = batch_rows
        self.writers = writers

    def import_file(self, path: Path, now: datetime, progress: Progress | None = None) -> ImportResult:
        try:
            data = path.read_bytes()
        except OSError as error:
            raise ImportFileError(f"cannot read {path}: {error.strerror or error}") from None
        return self.import_data(data, str(path), now, progress)

    def import_data(self, data: bytes, source: str, now: datetime, progress: Progress | None = None) -> ImportResult:
        """Check every row, then import the valid ones in batches; rejected rows are reported, not fatal."""
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
        claimed = self.repository.import_claims([row.natural_key for _, row in batch])
        new = [(line, row) for line, row in batch if row.natural_key not in claimed]
        records = dict(zip((line for line, _ in new), self._new_records(new, now), strict=True))

        references = {line: claimed[row.natural_key] for line, row in batch if row.natural_key in claimed}

        def claim(line: int, row: HistoricRow) -> str:
            # Another import may claim the key between the read above and this write: its reference wins.
            return self.repository.claim_import(row.natural_key, records[line].reference, now, row.notes)

        with ThreadPoolExecutor(max_workers=self.writers) as pool:
            futures = {line: pool.submit(claim, line, row) for line, row in new}
            # A failed claim raises here; the claims made so far are finished by the next run.
            references |= {line: future.result() for line, future in futures.items()}
        fresh = {line for line, _ in new if references[line] == records[line].reference}

        earlier = {
            record.reference: record
            for record in self.repository.get_records(
                [reference for line, reference in references.items() if line not in fresh]
            )
        }
        # A claim without its record: a run stopped between the two writes. This run finishes it.
        unfinished = {line for line, reference in references.items() if line not in fresh and reference not in earlier}
        rows = dict(batch)
        written = [records[line] for line in sorted(fresh)]
        written += [rows[line].to_record(references[line], now) for line in sorted(unfinished)]
        self.repository.put_records(written)

        # Index what this run wrote, and again what earlier runs wrote: a run that stopped before
        # indexing leaves nothing unsearchable once the file is imported again.
        documents: list[ReviewDocument] = [document_from_record(record, body=None) for record in written]
        documents += [
            document_from_record(record, body=None)
            for record in earlier.values()
            # A record holding a copy did not come from an import: its document (with text) is not ours to write.
            if record.electronic_copy is None
        ]
        if documents:
            self.index.upsert_many(documents)
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
                year: pool.submit(self.repository.allocate_references, year, count, format_reference)
                for year, count in wanted.items()
            }
            blocks = {year: iter(future.result()) for year, future in futures.items()}
        for _, row in new:
            yield row.to_record(next(blocks[row.publication_date.value.year]), now)
