"""How a record is cited and exported: the citation string, RIS for reference managers, CSV for spreadsheets.

Everything here works on the public view of a record (`PublicRecord`), so an anonymous report is
cited and exported as "Anonymous", without its board. Pure: the formats are written with the
standard library, a record at a time, so an export of many records is built as it is read.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from enum import StrEnum

from case_reviews.domain.records import PublicRecord
from case_reviews.domain.review_types import label_of
from case_reviews.domain.themes import theme_label
from case_reviews.domain.vocabulary import CopyStatus, DocumentType, Nation, label

# A search export lists at most this many records (its first ones, in the search's order)...
MAX_EXPORT_RECORDS = 1000
# ...and stops before its body passes this many bytes: a Lambda proxy response holds at most 6 MB.
MAX_EXPORT_BYTES = 5_000_000


class ExportFormat(StrEnum):
    JSON = "json"
    RIS = "ris"
    CSV = "csv"


MEDIA_TYPES = {
    ExportFormat.RIS: "application/x-research-info-systems; charset=utf-8",
    ExportFormat.CSV: "text/csv; charset=utf-8",
}


def record_link(public_base_url: str, reference: str) -> str:
    """The permanent link of a record: the one every citation and export gives."""
    return f"{public_base_url.rstrip('/')}/reviews/{reference}"


def record_page_link(public_base_url: str, reference: str) -> str:
    """The record's page on the site (site/routes.py's /record/…): where an email to a person links, not the
    JSON record of `record_link`."""
    return f"{public_base_url.rstrip('/')}/record/{reference}"


def publication_year(record: PublicRecord) -> int:
    return record.publication_date.value.year


def citation(record: PublicRecord, link: str) -> str:
    """The record cited: publisher (or "Anonymous"), year, title, review type, reference, permanent link.

    Northshire Safeguarding Children Partnership (2016). Serious Case Review: Child K. Serious case review.
    CR-2016-0042. https://…/reviews/CR-2016-0042
    """
    title = record.title.rstrip(".")
    return (
        f"{record.publisher} ({publication_year(record)}). {title}. {label_of(record.review_type)}. "
        f"{record.reference}. {link}"
    )


# ---------------------------------------------------------------- RIS


def _ris_value(text: str) -> str:
    # A RIS field is one line: a line break inside a value would start a new (unknown) tag.
    return " ".join(text.split())


def ris_entry(record: PublicRecord, link: str) -> str:
    """One RIS reference (TY … ER), as reference managers import it: a report, its publisher as author."""
    lines = [
        ("TY", "RPRT"),
        ("TI", record.title),
        ("AU", record.publisher),
        ("PB", record.publisher),
        ("PY", str(publication_year(record))),
    ]
    if not record.publication_date.approximate:
        lines.append(("DA", record.publication_date.value.strftime("%Y/%m/%d")))
    lines += [
        ("M3", label_of(record.review_type)),
        ("AN", record.reference),
        ("UR", link),
        ("CY", label(Nation(record.nation))),
        ("LA", record.language.value),
    ]
    lines += [("KW", theme_label(theme)) for theme in record.themes]
    lines += [("SN", identifier) for identifier in record.identifiers]
    if record.summary:
        lines.append(("AB", record.summary))
    lines.append(("N1", citation(record, link)))
    body = "".join(f"{tag}  - {_ris_value(value)}\r\n" for tag, value in lines)
    return body + "ER  - \r\n\r\n"


# ---------------------------------------------------------------- CSV

CSV_COLUMNS = (
    "reference",
    "title",
    "publisher",
    "publication_date",
    "nation",
    "review_type",
    "document_type",
    "themes",
    "summary",
    "electronic_copy",
    "link",
    "citation",
)
# What a spreadsheet reads as the start of a formula (OWASP, CSV injection), in ASCII and full width;
# tab and carriage return too, which some spreadsheets skip before reading the formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def guard_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: one that would start a formula is escaped with a leading '."""
    return f"'{value}" if value.startswith(_FORMULA_STARTS) else value


def _copy_state(record: PublicRecord) -> str:
    copy = record.electronic_copy
    if copy is None:
        return "catalogue record only"
    if copy.status is CopyStatus.AVAILABLE:
        return f"available until {copy.available_until}" if copy.available_until else "available"
    return f"removed on {copy.removed_on}" if copy.removed_on else "removed"


def csv_row(record: PublicRecord, link: str) -> list[str]:
    """The record's cells, in CSV_COLUMNS order, each guarded against formula injection."""
    cells = [
        record.reference,
        record.title,
        record.publisher,
        str(record.publication_date),
        label(Nation(record.nation)),
        label_of(record.review_type),
        label(DocumentType(record.document_type)),
        "; ".join(theme_label(theme) for theme in record.themes),
        record.summary or "",
        _copy_state(record),
        link,
        citation(record, link),
    ]
    return [guard_cell(cell) for cell in cells]


def csv_lines(rows: Iterable[list[str]]) -> str:
    """Rows as CSV text (every cell quoted, CRLF line ends, as RFC 4180 and spreadsheets expect)."""
    out = io.StringIO()
    csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n").writerows(rows)
    return out.getvalue()


# A byte order mark first: spreadsheets then read the file as UTF-8 (the library's import file accepts it too).
CSV_HEADER = "\ufeff" + csv_lines([list(CSV_COLUMNS)])


def entry(record: PublicRecord, link: str, format: ExportFormat) -> str:
    """One record in an export format."""
    if format is ExportFormat.RIS:
        return ris_entry(record, link)
    return csv_lines([csv_row(record, link)])


def header(format: ExportFormat) -> str:
    """What an export starts with, before its first record."""
    return CSV_HEADER if format is ExportFormat.CSV else ""
