"""`case-reviews deposit FILE --board ID --metadata JSON`: deposit a report on a board's behalf (a command,
not a group), for reports that still reach the library by email."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated, Any

import typer

from case_reviews_cli.options import Staff, StaffError, staff_command

group = typer.Typer()
POLL_S = 1.0


def _metadata_given(text: str) -> dict[str, Any]:
    """The metadata as JSON, given inline or as @file.json."""
    try:
        source = Path(text[1:]).read_text(encoding="utf-8") if text.startswith("@") else text
    except OSError as error:
        raise typer.BadParameter(f"cannot read {text[1:]} ({error.strerror})", param_hint="'--metadata'") from None
    try:
        given = json.loads(source)
    except json.JSONDecodeError as error:
        raise typer.BadParameter(f"not JSON ({error})", param_hint="'--metadata'") from None
    if not isinstance(given, dict):
        raise typer.BadParameter("must be a JSON object", param_hint="'--metadata'")
    return given


@staff_command(group, "deposit", short_help="Deposit a report on a board's behalf.")
def deposit(
    staff: Staff,
    file: Annotated[Path, typer.Argument(metavar="FILE", help="The report's PDF.", show_default=False)],
    board_id: Annotated[str, typer.Option("--board", metavar="ID", help="The board whose report it is.")],
    metadata: Annotated[
        str,
        typer.Option(
            "--metadata",
            metavar="JSON",
            help="What the board would send when it deposits (title, nation, review_type, document_type, "
            "publication_date, themes, anonymous...), inline or as @file.json. contact_email defaults to "
            "the board's first contact.",
        ),
    ],
    wait: Annotated[bool, typer.Option("--wait/--no-wait", help="Wait for the outcome of the checks.")] = True,
    timeout: Annotated[int, typer.Option("--timeout", metavar="SECONDS", min=1, help="How long to wait.")] = 120,
) -> None:
    """Deposit a report on a board's behalf: the same submission, checks and acknowledgement as the board's
    own deposit (the board is told, at its contact address)."""
    from case_reviews.api.models.deposits import SubmissionRequest

    if not file.is_file():
        raise typer.BadParameter(f"{file} is not a file", param_hint="'FILE'")
    services = staff.services
    board = services.boards.show(board_id)
    if not board.active:
        raise StaffError(f"board {board_id} is not active")
    given = _metadata_given(metadata)
    if "contact_email" not in given:
        if not board.contacts:
            raise StaffError(
                f"board {board_id} has no contact: give contact_email in --metadata, "
                "or set one with `case-reviews boards set-contact`"
            )
        given["contact_email"] = board.contacts[0]
    # Read as the API reads a board's request: the same rules, the same messages.
    declared = SubmissionRequest.model_validate_json(json.dumps(given)).to_metadata()
    submission = services.submissions.deposit_on_behalf(board, declared, file)
    if wait:
        deadline = time.monotonic() + timeout
        # Until decided, or held for the library's check (which waits for a person, not for the pipeline).
        while (
            not (submission.status.is_final or submission.status.value == "in_review") and time.monotonic() < deadline
        ):
            time.sleep(POLL_S)
            submission = services.submissions.get(board, submission.submission_id)
    result = submission.model_dump(mode="json", include={"submission_id", "status", "reference", "reason"})
    staff.output.emit(
        result,
        lambda: (
            "\t".join(str(result[name]) for name in ("submission_id", "status") if result[name])
            + (f"\t{result['reference']}" if result["reference"] else "")
            + (f"\n{result['reason']}" if result["reason"] else "")
        ),
    )
    if submission.status.value == "rejected":
        raise typer.Exit(1)
