"""`case-reviews boards set-contact | alias | show | list`: a board's contacts and aliases, kept by staff.

The CLI runs in process (tests.unit.staff_cli) with the real board service over the in-memory store,
so what staff type goes through the same checks as on a stack.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from case_reviews.adapters.clock import SetClock
from case_reviews.domain.boards import Board
from case_reviews.services.boards import BoardService
from tests.unit.fakes import InMemoryBoardStore
from tests.unit.staff_cli import StaffCli

NOW = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
NORTHSHIRE = Board(board_id="northshire", name="Northshire Safeguarding Children Partnership")


@pytest.fixture
def store(staff_cli: StaffCli) -> InMemoryBoardStore:
    """The board Northshire, registered, behind the CLI's board service."""
    boards = InMemoryBoardStore()
    boards.save_board(NORTHSHIRE, created_at=NOW)
    staff_cli.services.boards = BoardService(boards, SetClock(NOW))
    return boards


def test_set_contact_replaces_the_board_s_contacts_and_prints_the_board(staff_cli: StaffCli, store) -> None:
    # Given a board with a contact
    staff_cli("boards", "set-contact", "northshire", "old@northshire.example")
    # When staff set two other addresses, asking for JSON
    ran = staff_cli(
        "boards", "set-contact", "northshire", "Team@Northshire.example", "lead@northshire.example", "--json"
    )
    # Then the board keeps exactly those (in lower case), and the command prints the board
    assert ran.status == 0, ran.err
    assert store.get_board("northshire").contacts == ("team@northshire.example", "lead@northshire.example")
    assert json.loads(ran.out) == {
        "board_id": "northshire",
        "name": "Northshire Safeguarding Children Partnership",
        "active": True,
        "contacts": ["team@northshire.example", "lead@northshire.example"],
        "aliases": [],
        "review_every_deposit": False,
    }


def test_set_contact_with_an_address_that_is_not_one_fails_and_changes_nothing(staff_cli: StaffCli, store) -> None:
    # Given a board with a contact
    staff_cli("boards", "set-contact", "northshire", "team@northshire.example")
    # When staff give a list with something that is not an address in it
    ran = staff_cli("boards", "set-contact", "northshire", "lead@northshire.example", "lead at northshire")
    # Then the command fails in one line naming it, and the board keeps its contact
    assert ran.status == 1
    assert ran.err.strip() == (
        "case-reviews: error: 'lead at northshire' is not an email address (one @, a dot in the domain, no spaces)."
    )
    assert store.get_board("northshire").contacts == ("team@northshire.example",)


def test_set_contact_without_an_address_is_a_usage_error(staff_cli: StaffCli, store) -> None:
    # Given a board
    # When staff give it no address
    ran = staff_cli("boards", "set-contact", "northshire")
    # Then it is a usage error naming the missing argument, and nothing changed
    assert ran.status == 2
    assert "EMAIL" in ran.err
    assert store.get_board("northshire") == NORTHSHIRE


def test_set_contact_for_a_board_that_is_not_registered_fails(staff_cli: StaffCli, store) -> None:
    # Given no board westshire
    # When staff set its contacts
    ran = staff_cli("boards", "set-contact", "westshire", "team@westshire.example")
    # Then they are told there is no such board
    assert (ran.status, ran.err.strip()) == (1, "case-reviews: error: No board westshire.")


def test_alias_stores_the_board_s_other_names_and_clear_removes_them(staff_cli: StaffCli, store) -> None:
    # Given a board
    # When staff give its area, its old LSCB name and its short name
    ran = staff_cli("boards", "alias", "northshire", "Northshire", "Northshire LSCB", "NSCP")
    # Then the board has those aliases, and the command shows them
    assert ran.status == 0, ran.err
    assert store.get_board("northshire").aliases == ("Northshire", "Northshire LSCB", "NSCP")
    assert "aliases:  Northshire, Northshire LSCB, NSCP" in ran.out
    # And --clear removes them
    cleared = staff_cli("boards", "alias", "northshire", "--clear", "--json")
    assert (cleared.status, json.loads(cleared.out)["aliases"]) == (0, [])
    assert store.get_board("northshire").aliases == ()


@pytest.mark.parametrize(
    "arguments", [("northshire",), ("northshire", "NSCP", "--clear")], ids=["neither", "names and --clear"]
)
def test_alias_needs_names_or_clear_but_not_both(staff_cli: StaffCli, store, arguments: tuple[str, ...]) -> None:
    # Given a board with an alias
    staff_cli("boards", "alias", "northshire", "NSCP")
    # When staff give no names and no --clear, or both
    ran = staff_cli("boards", "alias", *arguments)
    # Then it is a usage error, and the alias stays
    assert ran.status == 2
    assert "--clear" in ran.err
    assert store.get_board("northshire").aliases == ("NSCP",)


def test_show_and_list_give_the_contacts_and_aliases(staff_cli: StaffCli, store) -> None:
    # Given a board with contacts and aliases, and one without
    staff_cli("boards", "set-contact", "northshire", "team@northshire.example", "lead@northshire.example")
    staff_cli("boards", "alias", "northshire", "Northshire LSCB")
    store.save_board(Board(board_id="southshire", name="Southshire Safeguarding Partnership"), created_at=NOW)
    # When staff show each board, and list them as JSON
    shown = staff_cli("boards", "show", "northshire")
    bare = staff_cli("boards", "show", "southshire")
    listed = staff_cli("boards", "list", "--json")
    # Then show gives the name, the contacts and the aliases (saying where warnings go without contacts),
    # and the list carries them for each board
    assert shown.out.splitlines() == [
        "northshire\tNorthshire Safeguarding Children Partnership",
        "contacts: team@northshire.example, lead@northshire.example",
        "aliases:  Northshire LSCB",
    ]
    assert "contacts: (none: warnings go to each deposit contact)" in bare.out
    assert {board["board_id"]: (board["contacts"], board["aliases"]) for board in json.loads(listed.out)} == {
        "northshire": (["team@northshire.example", "lead@northshire.example"], ["Northshire LSCB"]),
        "southshire": ([], []),
    }
