"""`case-reviews themes list`: the library's theme vocabulary (domain/themes.json)."""

from __future__ import annotations

import typer

from case_reviews_cli.options import Staff, staff_command

group = typer.Typer(help="The theme vocabulary: what records' themes may be.", no_args_is_help=True)
THEME_COLUMNS = [("id", "id"), ("label", "label"), ("also", lambda theme: "; ".join(theme["alternative_labels"]))]


@staff_command(group, "list")
def list_themes(staff: Staff) -> None:
    """Every theme: the id records hold, its label, and the other words accepted for it."""
    from case_reviews.domain.themes import vocabulary

    listed = [
        {"id": concept.id, "label": concept.label, "alternative_labels": list(concept.alternatives)}
        for concept in vocabulary()
    ]
    staff.output.listing(
        listed,
        THEME_COLUMNS,
        lambda theme: "\t".join([theme["id"], theme["label"], "; ".join(theme["alternative_labels"])]),
        empty="(no themes)",
    )
