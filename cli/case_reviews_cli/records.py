"""`case-reviews records show | audit | edit | hold | release | extend | take-down REF`: catalogue records,
their corrections, the legal rulings on their copies, and the audit trail of it all."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from case_reviews.domain.audit import TakeDownReason
from case_reviews.domain.description import Description
from case_reviews_cli.options import Staff, iso_date, staff_command

group = typer.Typer(
    help="Catalogue records: show, audit, correct, and the legal rulings on their copies.", no_args_is_help=True
)

Reference = Annotated[str, typer.Argument(metavar="REF", help="The record's reference (CR-2016-0001).")]
Why = Annotated[str | None, typer.Option("--reason", help="Why (optional; kept in the audit trail).")]


@staff_command(group, "show")
def show(staff: Staff, reference: Reference) -> None:
    """A record as staff see it (the board of an anonymous report included)."""
    found = staff.services.records.show(reference)
    record = {**found.model_dump(mode="json"), "publisher": found.publisher}
    staff.output.emit(record, lambda: record_text(record))


@staff_command(group, "audit")
def audit(staff: Staff, reference: Reference) -> None:
    """A record's audit trail, oldest first."""
    trail = [entry.model_dump(mode="json") for entry in staff.services.rulings.audit(reference)]
    staff.output.listing(
        trail,
        [
            ("at", "at"),
            ("action", "action"),
            ("actor", "actor"),
            ("reason", "reason"),
            ("changes", lambda entry: "\n".join(_changes(entry))),
        ],
        lambda entry: "\n".join([_audit_line(entry), *(f"    {change}" for change in _changes(entry))]),
        empty="(no audit entries)",
    )


@staff_command(group, "hold")
def hold(
    staff: Staff,
    reference: Reference,
    reason: Annotated[str, typer.Option("--reason", help="Why (staff-only; kept in the audit trail).")],
) -> None:
    """Keep the copy past its five years (legal hold)."""
    _ruled(staff, staff.services.rulings.hold(reference, reason, staff.identity()))


@staff_command(group, "release")
def release(staff: Staff, reference: Reference, reason: Why = None) -> None:
    """Lift a legal hold (the next run removes the copy if it is due)."""
    _ruled(staff, staff.services.rulings.release(reference, staff.identity(), reason=reason))


@staff_command(group, "extend")
def extend(
    staff: Staff,
    reference: Reference,
    until: Annotated[
        date, typer.Option("--until", parser=iso_date, metavar="DATE", help="The last available day (YYYY-MM-DD).")
    ],
    reason: Why = None,
) -> None:
    """Set the copy's last available day (later or earlier)."""
    _ruled(staff, staff.services.rulings.extend(reference, until, staff.identity(), reason=reason))


@staff_command(group, "take-down")
def take_down(
    staff: Staff,
    reference: Reference,
    code: Annotated[
        TakeDownReason,
        typer.Option(
            "--code",
            "--reason",
            help="The ruling's code (staff-only; the public record says only that the library withdrew it). "
            "--reason is the same option, kept for scripts written before --code.",
        ),
    ],
    note: Annotated[
        str | None, typer.Option("--note", help="Why, in your words (staff-only; kept in the audit trail).")
    ] = None,
) -> None:
    """Remove the copy now (the record stays, marked withdrawn)."""
    _ruled(staff, staff.services.rulings.take_down(reference, code, staff.identity(), note=note))


@staff_command(group, "edit")
def edit(
    staff: Staff,
    reference: Reference,
    title: Annotated[str | None, typer.Option("--title", help="The title.")] = None,
    summary: Annotated[str | None, typer.Option("--summary", help='The summary ("" clears it).')] = None,
    themes: Annotated[str | None, typer.Option("--themes", help='Themes separated by ";" ("" clears them).')] = None,
    nation: Annotated[str | None, typer.Option("--nation", help="The nation.")] = None,
    review_type: Annotated[str | None, typer.Option("--review-type", help="The review type.")] = None,
    document_type: Annotated[str | None, typer.Option("--document-type", help="The document type.")] = None,
    publication_date: Annotated[
        str | None, typer.Option("--publication-date", help="YYYY, YYYY-MM or YYYY-MM-DD.")
    ] = None,
    commissioned_date: Annotated[str | None, typer.Option("--commissioned-date", help="YYYY-MM-DD.")] = None,
    fields: Annotated[
        list[str] | None,
        typer.Option(
            "--set",
            metavar="FIELD=VALUE",
            help="Any field of the description, e.g. --set child='Child K' --set outcome=death "
            "--set related='CR-2016-0041;CR-2016-0043' (lists separated by \";\"; FIELD= clears it). "
            "(The fields are those of `records show --json`.)",
        ),
    ] = None,
    reason: Why = None,
) -> None:
    """Correct the record's metadata (only the fields given change)."""
    from case_reviews.domain.dates import PublicationDate
    from case_reviews.domain.description import MetadataCorrection
    from case_reviews.domain.historic import as_written

    given: dict[str, Any] = {
        name: value
        for name, value in {
            "title": title,
            "summary": summary,
            "themes": themes,
            "nation": nation,
            "review_type": review_type,
            "document_type": document_type,
            "publication_date": publication_date,
            "commissioned_date": commissioned_date,
        }.items()
        if value is not None
    }
    for assignment in fields or ():
        name, equals, value = assignment.partition("=")
        if not equals or not name.strip():
            raise typer.BadParameter(f"{assignment!r} is not FIELD=VALUE", param_hint="'--set'")
        given[name.strip().replace("-", "_")] = value
    # An empty value clears an optional field (a summary is cleared by its own rule, lists by being empty).
    given = {name: None if value == "" and name != "summary" else value for name, value in as_written(given).items()}
    if "publication_date" in given and isinstance(given["publication_date"], str):
        try:
            given["publication_date"] = PublicationDate.parse(given["publication_date"])
        except ValueError as error:
            raise typer.BadParameter(str(error), param_hint="'--publication-date'") from None
    correction = MetadataCorrection.model_validate(given)
    _ruled(staff, staff.services.rulings.edit(reference, correction, staff.identity(), reason=reason))


@staff_command(group, "attach")
def attach(
    staff: Staff,
    reference: Reference,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The report's PDF.", show_default=False)],
    despite_mentions: Annotated[
        bool,
        typer.Option("--despite-mentions", help="Attach to an anonymous record although its text names the publisher."),
    ] = False,
) -> None:
    """Give a catalogue-only (historic) record its electronic copy: the file meets a deposit's checks, and
    is available for five years from today."""
    if not file.is_file():
        raise typer.BadParameter(f"{file} is not a file", param_hint="'FILE'")
    outcome = staff.services.attachment.attach(reference, file, staff.identity(), despite_mentions=despite_mentions)
    _ruled(staff, outcome)


def _ruled(staff: Staff, outcome: Any) -> None:
    result = outcome.model_dump(mode="json")
    staff.output.emit(result, lambda: ruling_text(result))


# ---------------------------------------------------------------- text


def record_text(record: dict[str, Any]) -> str:
    copy = record["electronic_copy"]
    if copy is None:
        copy_text = "none"
    else:
        copy_text = (
            f"{copy['status']}; sha256 {copy['sha256']}; {copy['size_bytes']} bytes; {copy['page_count']} page(s); "
            f"available until {copy['available_until']}"
        )
        if copy["removed_on"]:
            copy_text += f"; removed on {copy['removed_on']} ({copy['removal_reason'] or 'no reason given'})"
        if copy.get("held"):
            copy_text += f"; on legal hold ({copy['hold_reason']})"
        if copy.get("text_layer") is False:
            copy_text += "; NO TEXT LAYER (scanned: only the metadata is searchable)"
        if copy.get("metadata_stripped"):
            copy_text += "; PDF metadata stripped (anonymous)"
    # Every descriptive field, in the description's own order (never a second list of them), then the
    # record's own: who published it, where it came from, its copy, and its history.
    described = [(name.replace("_", " "), _shown(record[name])) for name in Description.model_fields if name != "title"]
    rows = [
        ("reference", record["reference"]),
        ("title", record["title"]),
        ("publisher", record["publisher"] + (" (anonymous)" if record["anonymous"] else "")),
        ("board", f"{record['board_id'] or '-'} ({record['board_name'] or '-'})"),
        *described,
        ("submission", record["submission_id"] or "- (historic record)"),
        ("deposited on", record["deposited_on"] or "-"),
        ("copy", copy_text),
        ("version", record["version"]),
        ("created", record["created_at"]),
        ("updated", record["updated_at"]),
    ]
    width = max(len(name) for name, _ in rows) + 2
    return "\n".join(f"{name:<{width}}{value}" for name, value in rows)


def _shown(value: Any) -> str:
    """A field's value as a line of text: "-" when unset, a list's items separated by "; "."""
    if value is None or value == [] or value == "":
        return "-"
    if isinstance(value, list):
        return "; ".join(str(item) for item in value)
    return str(value)


def ruling_text(outcome: dict[str, Any]) -> str:
    copy = outcome["electronic_copy"] or {}
    if not copy:
        state = "no electronic copy"
    elif copy.get("status") == "removed":
        state = f"copy removed on {copy['removed_on']} (public reason: {copy['removal_reason']})"
    else:
        state = f"copy available until {copy.get('available_until')}"
        if copy.get("held"):
            state += f"; on legal hold ({copy['hold_reason']})"
    return f"{outcome['reference']}: {outcome['action']} (version {outcome['version']}); {state}"


def _audit_line(entry: dict[str, Any]) -> str:
    line = f"{entry['at']}  {entry['action']:<21}{entry['actor']}"
    if entry["reason"]:
        line += f"  reason: {entry['reason']}"
    if entry.get("note"):
        line += f"  note: {entry['note']}"
    return line


def _changes(entry: dict[str, Any]) -> list[str]:
    return [f"{name}: {change['before']!r} -> {change['after']!r}" for name, change in entry["changes"].items()]
