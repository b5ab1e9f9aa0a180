"""`case-reviews boards add NAME | list | issue-key ID | revoke-key ID`: boards and their credentials."""

from __future__ import annotations

from typing import Annotated

import typer

from case_reviews_cli.options import Staff, staff_command

group = typer.Typer(help="Boards and their credentials.", no_args_is_help=True)


@staff_command(group, "add")
def add(
    staff: Staff,
    name: Annotated[str, typer.Argument(help="The board's name.", show_default=False)],
    board_id: Annotated[
        str | None, typer.Option("--id", metavar="ID", help="The board's id (default: from its name).")
    ] = None,
) -> None:
    """Register a board and issue its first key."""
    boards = staff.services.boards
    board = boards.add_board(name, board_id=board_id)
    key = boards.issue_key(board.board_id)
    staff.output.emit(
        {"id": board.board_id, "name": board.name, "key": key},
        f"{board.board_id}\t{board.name}\nkey (shown once): {key}",
    )


@staff_command(group, "list")
def list_boards(staff: Staff) -> None:
    """List the boards."""
    listed = [board.model_dump() for board in staff.services.boards.list_boards()]
    staff.output.listing(
        listed,
        [("id", "board_id"), ("name", "name"), ("active", "active")],
        lambda board: f"{board['board_id']}\t{board['name']}",
        empty="(no boards)",
    )


@staff_command(group, "issue-key")
def issue_key(staff: Staff, board_id: Annotated[str, typer.Argument(metavar="ID", help="The board's id.")]) -> None:
    """Issue a further key to a board."""
    key = staff.services.boards.issue_key(board_id)
    staff.output.emit({"id": board_id, "key": key}, f"key (shown once): {key}")


@staff_command(group, "revoke-key")
def revoke_key(
    staff: Staff,
    board_id: Annotated[str, typer.Argument(metavar="ID", help="The board's id.")],
    key: Annotated[
        str | None, typer.Option("--key", help="Revoke only this key (default: every live key of the board).")
    ] = None,
) -> None:
    """Revoke a board's keys (all of them, or --key)."""
    revoked = staff.services.boards.revoke_keys(board_id, key=key)
    staff.output.emit({"id": board_id, "revoked": revoked}, f"{board_id}: {revoked} key(s) revoked")
