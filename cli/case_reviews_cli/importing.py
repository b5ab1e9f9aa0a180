"""`case-reviews import CSV`: historic catalogue-only records from a CSV file (a command, not a group)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from case_reviews_cli.options import Staff, staff_command
from case_reviews_cli.progress import Progress

group = typer.Typer()

_HELP = """Import historic catalogue-only records (no electronic copy, no board) from a CSV file.

The file is UTF-8 with a header row. Required columns: title, publication_date (1973, 1973-05
or 1973-05-14), nation, review_type, document_type, publisher. Optional: themes (ids or labels
of the vocabulary, `case-reviews themes list`, separated by ;), summary, notes (kept for staff,
never published), commissioned_date (YYYY-MM-DD), form (a Welsh child practice review's:
concise or extended), rights_holder (e.g. Crown copyright), identifiers (e.g. Cmd 6636;
separated by ;), language (en, cy or bilingual), anonymous (yes or no), and the case: child,
age_band, outcome, local_authority, region, review_model, learning, recommendations, related
(references, separated by ;). Other columns are ignored. Each row gets a reference CR-<publication year>-<n>.

A bad row is reported by its line number (the header is line 1) and skipped; the good rows
are imported. Importing the same file again adds nothing: a row already imported keeps its
reference. A file that is not UTF-8, is empty or lacks a required column imports nothing.
Imports run one at a time: one started while another runs imports nothing.

Exit status: 0 when every row is imported or already present; 1 when any row was rejected
(the good rows are still imported) or the file could not be read."""
# Paragraphs as single lines: the help reflows them to the terminal's width.
IMPORT_HELP = "\n\n".join(" ".join(paragraph.split()) for paragraph in _HELP.split("\n\n"))


@staff_command(group, "import", help=IMPORT_HELP, short_help="Import historic catalogue-only records from a CSV file.")
def import_csv(
    staff: Staff,
    csv: Annotated[Path, typer.Argument(metavar="CSV", help="The UTF-8 CSV file.", show_default=False)],
) -> None:
    with Progress("rows done", total=_rows_in(csv)) as progress:
        imported = staff.services.historic_import.import_file(csv, progress=progress).model_dump()
    staff.output.emit(imported, lambda: import_text(imported))
    if not imported["complete"]:
        # A rejected row is the file's fault: scripts must notice, although the good rows are in.
        raise typer.Exit(1)


def _rows_in(csv: Path) -> int | None:
    """The file's rows, for the progress bar (None if it cannot be read: the import then says why)."""
    from case_reviews.domain.errors import CaseReviewsError
    from case_reviews.domain.historic import read_import_file

    try:
        return len(read_import_file(csv.read_bytes(), str(csv)).rows)
    except (OSError, CaseReviewsError):
        return None


def import_text(imported: dict[str, Any]) -> str:
    lines = [f"line {row['line']}: {row['reason']}" for row in imported["rejected"]]
    if imported["ignored_columns"]:
        lines.append(f"ignored column(s): {', '.join(imported['ignored_columns'])}")
    lines.append(
        f"{imported['file']}: imported {imported['imported']}, already present {imported['already_present']}, "
        f"rejected {len(imported['rejected'])}"
    )
    return "\n".join(lines)
