"""`case-reviews review list | approve | reject | policy`: the library's check from the staff CLI.

The CLI runs in process (tests.unit.staff_cli) with the real review service over the in-memory fakes, so
what staff type goes through the same checks as on a stack.
"""

from __future__ import annotations

import json

import pytest

from case_reviews.adapters.clock import SetClock
from case_reviews.domain.vocabulary import SubmissionStatus
from case_reviews.services.boards import BoardService
from tests.unit.deposits_on_fakes import BOARD, Deposits
from tests.unit.staff_cli import StaffCli


@pytest.fixture
def deposits(staff_cli: StaffCli, clock: SetClock) -> Deposits:
    """An anonymous deposit naming its board on page 2, held for review, behind the CLI's services."""
    deposits = Deposits(clock)
    deposits.inspector.text = "Child K\fcommissioned by the Northshire LSCB in 2024"
    deposits.deposited("s-1", anonymous=True, title="Child K: overview")
    staff_cli.services.review = deposits.review
    staff_cli.services.boards = BoardService(deposits.boards, clock)
    return deposits


def test_list_shows_each_held_deposit_with_its_reason_and_the_matching_lines(staff_cli: StaffCli, deposits) -> None:
    # Given a deposit held because its text names the board
    # When staff list what waits
    ran = staff_cli("review", "list", "--local")
    # Then it is listed by id, board and title, with the reason and the line that matched
    assert ran.status == 0, ran.err
    lines = ran.out.splitlines()
    assert lines[0] == "s-1\tnorthshire\tChild K: overview"
    assert lines[1].startswith("  names_board: the report is to be anonymous, but page 2 names your board")
    assert lines[2] == "    page 2: …child k commissioned by the northshire lscb in 2024…"


def test_list_as_json_gives_each_held_deposit_with_its_findings(staff_cli: StaffCli, deposits) -> None:
    # Given a held deposit
    # When staff list what waits, as JSON
    ran = staff_cli("review", "list", "--local", "--json")
    # Then the JSON lists it with its reserved reference and findings
    assert ran.status == 0, ran.err
    [item] = json.loads(ran.out)
    assert (item["submission_id"], item["board_id"], item["anonymous"]) == ("s-1", "northshire", True)
    assert item["reference"] == deposits.submission().reference
    assert [finding["reason"] for finding in item["findings"]] == ["names_board"]
    assert item["findings"][0]["lines"] == ["page 2: …child k commissioned by the northshire lscb in 2024…"]


def test_list_with_nothing_waiting_says_so(staff_cli: StaffCli, deposits) -> None:
    # Given the held deposit approved
    staff_cli("review", "approve", "s-1", "--local")
    # When staff list what waits
    ran = staff_cli("review", "list", "--local")
    # Then they are told nothing waits (and JSON is an empty list)
    assert ran.out.strip() == "(nothing waits for review)"
    assert json.loads(staff_cli("review", "list", "--local", "--json").out) == []


def test_approve_publishes_the_deposit_and_prints_its_reference(staff_cli: StaffCli, deposits) -> None:
    # Given a held deposit
    reference = deposits.submission().reference
    # When staff approve it
    ran = staff_cli("review", "approve", "s-1", "--local")
    # Then it is catalogued under its reference, and the line says so
    assert ran.status == 0, ran.err
    assert ran.out.strip() == f"s-1\tcatalogued\t{reference}"
    assert deposits.records.get_record(reference) is not None


def test_approve_as_json_gives_the_submission_s_outcome(staff_cli: StaffCli, deposits) -> None:
    # Given a held deposit
    reference = deposits.submission().reference
    # When staff approve it, asking for JSON
    ran = staff_cli("review", "approve", "s-1", "--local", "--json")
    # Then the JSON is the submission's outcome
    assert ran.status == 0, ran.err
    outcome = json.loads(ran.out)
    assert (outcome["submission_id"], outcome["status"], outcome["reference"]) == ("s-1", "catalogued", reference)


def test_reject_tells_the_board_why_and_prints_the_reason(staff_cli: StaffCli, deposits) -> None:
    # Given a held deposit
    # When staff reject it with a reason
    ran = staff_cli("review", "reject", "s-1", "--reason", "Page 2 names the board; send a redacted copy.", "--local")
    # Then it is rejected with that reason, printed under the outcome
    assert ran.status == 0, ran.err
    assert ran.out.splitlines()[0].startswith("s-1\trejected")
    assert ran.out.splitlines()[1] == "Page 2 names the board; send a redacted copy."
    assert deposits.submission().status is SubmissionStatus.REJECTED


def test_reject_as_json_gives_the_status_and_reason(staff_cli: StaffCli, deposits) -> None:
    # Given a held deposit
    # When staff reject it, asking for JSON
    ran = staff_cli("review", "reject", "s-1", "--reason", "Please send a redacted copy.", "--json", "--local")
    # Then the JSON has its status and reason
    outcome = json.loads(ran.out)
    assert (outcome["status"], outcome["reason"]) == ("rejected", "Please send a redacted copy.")


@pytest.mark.parametrize("reason", ["no", "  ", ""], ids=["too short", "blank", "empty"])
def test_reject_with_too_short_a_reason_fails_in_one_line_and_changes_nothing(
    staff_cli: StaffCli, deposits, reason: str
) -> None:
    # Given a held deposit
    # When staff reject it with a reason the board could not act on
    ran = staff_cli("review", "reject", "s-1", "--reason", reason, "--local")
    # Then the command fails with one clear line, and the deposit still waits
    assert ran.status == 1, ran.out
    assert ran.err == "case-reviews: error: Give the board a reason it can act on (at least 3 characters).\n"
    assert deposits.submission().status is SubmissionStatus.IN_REVIEW


def test_reject_without_a_reason_is_a_usage_error_naming_the_option(staff_cli: StaffCli, deposits) -> None:
    # Given a held deposit
    # When staff reject it without --reason
    ran = staff_cli("review", "reject", "s-1", "--local")
    # Then it is a usage error naming --reason, and the deposit still waits
    assert ran.status == 2
    assert "--reason" in ran.err
    assert deposits.submission().status is SubmissionStatus.IN_REVIEW


def test_deciding_a_deposit_that_does_not_wait_fails_in_one_line(staff_cli: StaffCli, deposits) -> None:
    # Given the deposit approved
    staff_cli("review", "approve", "s-1", "--local")
    # When staff reject it, or approve one that does not exist
    rejected = staff_cli("review", "reject", "s-1", "--reason", "Please redact it.", "--local")
    unknown = staff_cli("review", "approve", "s-9", "--local")
    # Then each fails in one line saying why
    assert (rejected.status, rejected.err.strip()) == (
        1,
        "case-reviews: error: Submission s-1 is catalogued, not waiting for review.",
    )
    assert (unknown.status, unknown.err.strip()) == (1, "case-reviews: error: No submission s-9.")


def test_policy_makes_every_deposit_of_a_board_wait_and_back(staff_cli: StaffCli, deposits) -> None:
    # Given a board whose deposits wait only when held
    # When staff ask for every deposit to be checked, then only held ones
    every = staff_cli("review", "policy", "northshire", "--every-deposit", "--local")
    assert deposits.boards.get_board("northshire").review_every_deposit is True
    held = staff_cli("review", "policy", "northshire", "--when-held", "--local", "--json")
    # Then each prints the policy, and the board keeps the last one
    assert every.out.strip() == "northshire: every deposit is checked before publication"
    assert json.loads(held.out)["review_every_deposit"] is False
    assert deposits.boards.get_board(BOARD.board_id).review_every_deposit is False
