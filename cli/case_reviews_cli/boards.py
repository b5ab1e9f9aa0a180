"""`case-reviews boards add NAME | list | show ID | set-contact ID EMAIL... | alias ID NAME... | issue-key ID |
revoke-key ID`: boards, their contacts and aliases, and their credentials."""

from __future__ import annotations

from typing import Annotated, Any

import typer

from case_reviews_cli.options import Staff, staff_command

group = typer.Typer(help="Boards: their contacts, aliases and credentials.", no_args_is_help=True)
BoardId = Annotated[str, typer.Argument(metavar="ID", help="The board's id.")]
BOARD_COLUMNS = [
    ("id", "board_id"),
    ("name", "name"),
    ("active", "active"),
    ("contacts", "contacts"),
    ("aliases", "aliases"),
]


def _board_text(board: dict[str, Any]) -> str:
    return "\n".join(
        [
            f"{board['board_id']}\t{board['name']}{'' if board['active'] else ' (inactive)'}",
            f"contacts: {', '.join(board['contacts']) or '(none: warnings go to each deposit contact)'}",
            f"aliases:  {', '.join(board['aliases']) or '(none)'}",
        ]
    )


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
    listed = [board.model_dump(mode="json") for board in staff.services.boards.list_boards()]
    staff.output.listing(
        listed, BOARD_COLUMNS, lambda board: f"{board['board_id']}\t{board['name']}", empty="(no boards)"
    )


@staff_command(group, "show")
def show(staff: Staff, board_id: BoardId) -> None:
    """A board: its name, whether it is active, its contacts and its aliases."""
    board = staff.services.boards.show(board_id).model_dump(mode="json")
    staff.output.emit(board, lambda: _board_text(board))


@staff_command(group, "set-contact")
def set_contact(
    staff: Staff,
    board_id: BoardId,
    emails: Annotated[
        list[str],
        typer.Argument(metavar="EMAIL", help="Every contact address of the board (they replace the ones it has)."),
    ],
) -> None:
    """Set a board's contact addresses: where the library writes about its copies (expiry warnings)."""
    board = staff.services.boards.set_contacts(board_id, emails).model_dump(mode="json")
    staff.output.emit(board, lambda: _board_text(board))


@staff_command(group, "alias")
def alias(
    staff: Staff,
    board_id: BoardId,
    names: Annotated[
        list[str] | None,
        typer.Argument(
            metavar="NAME",
            help="Every other name of the board (they replace the ones it has).",
            show_default=False,
        ),
    ] = None,
    clear: Annotated[bool, typer.Option("--clear", help="Remove every alias of the board.")] = False,
) -> None:
    """Set the other names a board's reports may use for it (its area, its old LSCB name, its short name)."""
    if bool(names) == clear:
        raise typer.BadParameter("give the board's aliases, or --clear to remove them (not both)")
    board = staff.services.boards.set_aliases(board_id, names or []).model_dump(mode="json")
    staff.output.emit(board, lambda: _board_text(board))


@staff_command(group, "issue-key")
def issue_key(staff: Staff, board_id: BoardId) -> None:
    """Issue a further key to a board."""
    key = staff.services.boards.issue_key(board_id)
    staff.output.emit({"id": board_id, "key": key}, f"key (shown once): {key}")


@staff_command(group, "revoke-key")
def revoke_key(
    staff: Staff,
    board_id: BoardId,
    key: Annotated[
        str | None, typer.Option("--key", help="Revoke only this key (default: every live key of the board).")
    ] = None,
) -> None:
    """Revoke a board's keys (all of them, or --key)."""
    revoked = staff.services.boards.revoke_keys(board_id, key=key)
    staff.output.emit({"id": board_id, "revoked": revoked}, f"{board_id}: {revoked} key(s) revoked")
