"""`case-reviews review list | approve ID | reject ID --reason TEXT | policy BOARD --every-deposit/--when-held`:
the library's check of deposits before they are published (`in_review`)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from case_reviews_cli.options import Staff, staff_command

group = typer.Typer(help="The library's check before publication: deposits held for a person.", no_args_is_help=True)
SubmissionId = Annotated[str, typer.Argument(metavar="ID", help="The held submission's id.")]


def _waiting(submission: dict[str, Any]) -> dict[str, Any]:
    metadata = submission["metadata"]
    return {
        "submission_id": submission["submission_id"],
        "board_id": submission["board_id"],
        "title": metadata["title"],
        "anonymous": metadata["anonymous"],
        "reference": submission["reference"],
        "held_since": submission["updated_at"],
        "findings": submission["hold"]["findings"],
    }


def _waiting_text(item: dict[str, Any]) -> str:
    lines = [f"{item['submission_id']}\t{item['board_id']}\t{item['title']}"]
    for finding in item["findings"]:
        lines.append(f"  {finding['reason']}: {finding['detail']}")
        lines += [f"    {line}" for line in finding["lines"]]
    return "\n".join(lines)


@staff_command(group, "list")
def list_waiting(staff: Staff) -> None:
    """What waits for the library's check, oldest first: why, with the lines that matched."""
    waiting = [_waiting(submission.model_dump(mode="json")) for submission in staff.services.review.waiting()]
    staff.output.emit(
        waiting, lambda: "\n".join(_waiting_text(item) for item in waiting) or "(nothing waits for review)"
    )


def _decided(staff: Staff, submission: Any) -> None:
    result = submission.model_dump(mode="json", include={"submission_id", "status", "reference", "reason"})
    staff.output.emit(
        result,
        lambda: (
            "\t".join(str(result[name]) for name in ("submission_id", "status", "reference") if result[name])
            + (f"\n{result['reason']}" if result["status"] != "catalogued" and result["reason"] else "")
        ),
    )


@staff_command(group, "approve")
def approve(staff: Staff, submission_id: SubmissionId) -> None:
    """Publish a held deposit: its record, the index and the board's acknowledgement follow."""
    _decided(staff, staff.services.review.approve(submission_id, staff.identity()))


@staff_command(group, "reject")
def reject(
    staff: Staff,
    submission_id: SubmissionId,
    reason: Annotated[str, typer.Option("--reason", help="Why, for the board: it reads this in the rejection email.")],
) -> None:
    """Refuse a held deposit: its files go, and the board is told why."""
    _decided(staff, staff.services.review.reject(submission_id, reason, staff.identity()))


@staff_command(group, "policy")
def policy(
    staff: Staff,
    board_id: Annotated[str, typer.Argument(metavar="BOARD", help="The board's id.")],
    every_deposit: Annotated[
        bool,
        typer.Option(
            "--every-deposit/--when-held",
            help="Check every deposit of the board before it is published, or only those the checks hold.",
        ),
    ],
) -> None:
    """Whether staff check every deposit of a board (for the whole library: the REVIEW_EVERY_DEPOSIT setting)."""
    board = staff.services.boards.set_review_policy(board_id, every_deposit).model_dump(mode="json")
    checked = "every deposit is checked" if board["review_every_deposit"] else "deposits are checked when held"
    staff.output.emit(board, f"{board['board_id']}: {checked} before publication")
