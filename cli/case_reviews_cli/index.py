"""`case-reviews index check | rebuild`: the search index against the catalogue, and a rebuild behind its alias."""

from __future__ import annotations

from typing import Any

import typer

from case_reviews_cli.options import Staff, staff_command
from case_reviews_cli.progress import Progress

group = typer.Typer(help="The search index.", no_args_is_help=True)


@staff_command(group, "check")
def check(staff: Staff) -> None:
    """Compare the index with the catalogue (exit status 1 on drift)."""
    drift = staff.services.index_upkeep.check().model_dump()
    staff.output.emit(drift, lambda: drift_text(drift))
    if not drift["in_sync"]:
        raise typer.Exit(1)


@staff_command(group, "rebuild")
def rebuild(staff: Staff) -> None:
    """Build a fresh index, switch the alias to it, and drop the old one."""
    with Progress("records indexed") as progress:
        rebuilt = staff.services.index_upkeep.rebuild(progress=progress).model_dump()
    staff.output.emit(
        rebuilt,
        f"{rebuilt['index']}: {rebuilt['indexed']} record(s) indexed, {rebuilt['with_text']} with full text; "
        f"{rebuilt['caught_up']} caught up after the switch; "
        f"replaced {', '.join(rebuilt['replaced']) or 'no index'}",
    )


def drift_text(drift: dict[str, Any]) -> str:
    lines = [f"missing from the index: {reference}" for reference in drift["missing"]]
    lines += [f"in the index, not in the catalogue: {reference}" for reference in drift["extra"]]
    lines += [
        f"stale: {s['reference']} (indexed version {s['indexed_version']}, catalogue version {s['catalogue_version']})"
        for s in drift["stale"]
    ]
    if not drift["schema_current"]:
        lines.append("the index was built from an older definition (schema version) than this release's")
    counts = f"{drift['catalogued']} record(s) catalogued, {drift['indexed']} indexed"
    if drift["in_sync"]:
        lines.append(f"in sync: {counts}")
    else:
        lines.append(
            f"drift: {len(drift['missing'])} missing, {len(drift['extra'])} extra, {len(drift['stale'])} stale "
            f"({counts}); `case-reviews index rebuild` repairs it"
        )
    return "\n".join(lines)
