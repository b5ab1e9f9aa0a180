"""A historic catalogue file (`case-reviews import`): its rows, each checked as a deposit's description is.

Reading is all or nothing for the file (not UTF-8, empty, a required column missing: nothing is
imported); each row is then checked on its own, and a bad one is reported by its line.
"""

from __future__ import annotations

import csv
import hashlib
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, get_args, get_origin

from pydantic import ConfigDict, ValidationError, ValidationInfo, field_validator, model_validator

from case_reviews.domain.dates import PublicationDate
from case_reviews.domain.description import Description, description_of
from case_reviews.domain.errors import CaseReviewsError
from case_reviews.domain.fields import Summary, Title
from case_reviews.domain.records import CatalogueRecord
from case_reviews.domain.rules import EARLIEST_PUBLICATION
from case_reviews.domain.themes import fold

LIST_SEPARATOR = ";"


def _kinds(annotation: Any) -> tuple[Any, ...]:
    """The types an annotation admits (`Outcome | None` admits Outcome and None)."""
    return get_args(annotation) or (annotation,)


class ImportFileError(CaseReviewsError):
    """The file as a whole cannot be imported (not UTF-8, empty, a required column missing): nothing is."""


class ImportInProgress(CaseReviewsError):
    """Another import holds the catalogue's import lock: imports run one at a time (nothing was imported)."""


@dataclass(frozen=True)
class ImportClaim:
    """A row's natural key, claimed for the reference its record gets; staff's notes on the row kept with it."""

    natural_key: str
    reference: str
    imported_at: datetime
    notes: str | None = None


# ---------------------------------------------------------------- one row


def _vocabulary_value(value: Any) -> Any:
    """`Northern Ireland`, `northern-ireland` and `NORTHERN_IRELAND` all mean `northern_ireland`."""
    return fold(value).strip("_") if isinstance(value, str) else value


def _cell_list(value: Any) -> Any:
    """A cell holding several values (themes, identifiers, related references), separated by ";"."""
    if isinstance(value, str):
        return tuple(part for part in (part.strip() for part in value.split(LIST_SEPARATOR)) if part)
    return value


# The columns whose cell holds a list: the description's tuple-valued fields.
_LIST_COLUMNS = tuple(name for name, field in Description.model_fields.items() if get_origin(field.annotation) is tuple)
# The columns whose cell is a vocabulary value, written in any case ("Northern Ireland").
_VOCABULARY_COLUMNS = tuple(
    name
    for name, field in Description.model_fields.items()
    if any(isinstance(kind, type) and issubclass(kind, StrEnum) for kind in _kinds(field.annotation))
)


def as_written(cells: dict[str, Any]) -> dict[str, Any]:
    """Description fields as people type them in a cell or on a command line, read as the models read them:
    a vocabulary value in any case or spacing ("Northern Ireland"), a list separated by ";" ("" for none)."""
    given = dict(cells)
    for name in _VOCABULARY_COLUMNS:
        if name in given:
            given[name] = _vocabulary_value(given[name])
    for name in _LIST_COLUMNS:
        if name in given:
            given[name] = _cell_list(given[name])
    return given


class HistoricRow(Description):
    """One row of a historic catalogue file, checked as the domain checks a deposit's description."""

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid", str_strip_whitespace=True)

    # The body that published the report; it becomes the record's board name (there is no board id).
    publisher: Title
    notes: Summary | None = None
    # Published on its board's behalf without naming it (the publisher is then kept for staff only).
    anonymous: bool = False

    @model_validator(mode="before")
    @classmethod
    def _cells_as_written(cls, cells: Any) -> Any:
        """Spreadsheet spellings: vocabulary in any case, themes separated by ";", dates as they are known."""
        return as_written(cells) if isinstance(cells, dict) else cells

    @classmethod
    def from_cells(cls, cells: dict[str, str], today: date) -> HistoricRow:
        """Validate a row's cells (column name → text); an empty cell counts as not given."""
        given = {name: text for name, text in cells.items() if text.strip()}
        return cls.model_validate(given, context={"today": today})

    @model_validator(mode="after")
    def _type_of_its_nation_and_time(self) -> HistoricRow:
        self.check_review_type()
        return self

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
            **description_of(self),
            reference=reference,
            board_id=None,
            board_name=self.publisher,
            anonymous=self.anonymous,
            created_at=now,
            updated_at=now,
        )


# The file's columns are the row's fields: the required ones, then those that may be left out.
REQUIRED_COLUMNS = tuple(name for name, field in HistoricRow.model_fields.items() if field.is_required())
OPTIONAL_COLUMNS = tuple(name for name, field in HistoricRow.model_fields.items() if not field.is_required())


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
            # The one patterned column: references of the same case's other documents.
            message = f"{given!r} is not a catalogue reference like CR-2016-0042"
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
