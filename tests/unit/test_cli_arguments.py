"""How `case-reviews` reads its command line: the shared options before the group or after the command.

Every command line runs in process with the stack's services faked (tests.unit.staff_cli): reading
one touches no AWS and no local stack, and a bad one stops before the services are even built.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from botocore.exceptions import ClientError
from pydantic import BaseModel

from case_reviews.domain.errors import NotFound
from case_reviews_cli import stack
from case_reviews_cli.options import DEFAULT_STACK
from tests.unit.staff_cli import StaffCli

DEFAULT_STATE = Path(".local") / "stack.json"


def test_with_no_shared_options_the_command_runs_against_the_aws_stack(staff_cli: StaffCli) -> None:
    # Given a command with none of the shared options
    staff_cli.services.boards.list_boards.return_value = []
    # When it runs
    ran = staff_cli("boards", "list")
    # Then it is for AWS, the production stack, as text, with the local state file at its default place
    assert ran.status == 0, ran.err
    assert (staff_cli.options.local, staff_cli.options.stack, staff_cli.options.json) == (False, DEFAULT_STACK, False)
    assert staff_cli.options.state_file == DEFAULT_STATE
    assert ran.out.strip() == "(no boards)"


def test_the_stack_name_defaults_from_the_environment(staff_cli: StaffCli, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given the stack's name in CASE_REVIEWS_STACK_NAME
    monkeypatch.setenv("CASE_REVIEWS_STACK_NAME", "case-reviews-staging")
    # When a command without --stack runs
    staff_cli("retention", "preview", "--as-of", "2031-12-01")
    # Then it is for that stack
    assert staff_cli.options.stack == "case-reviews-staging"


@pytest.mark.parametrize(
    "arguments",
    [
        ("--local", "boards", "add", "Northshire Safeguarding Children Partnership"),
        ("boards", "add", "Northshire Safeguarding Children Partnership", "--local"),
    ],
    ids=["before the group", "after the command"],
)
def test_local_is_a_flag_before_the_group_or_after_the_command(staff_cli: StaffCli, arguments: tuple[str, ...]) -> None:
    # Given --local before the group or after the command
    # When it runs
    ran = staff_cli(*arguments, "--json")
    # Then the command is for the local stack and --local takes none of the command's words
    assert ran.status == 0, ran.err
    assert staff_cli.options.local is True
    assert staff_cli.options.state_file == DEFAULT_STATE
    staff_cli.services.boards.add_board.assert_called_once_with(
        "Northshire Safeguarding Children Partnership", board_id=None
    )


@pytest.mark.parametrize(
    "arguments",
    [
        ("--local", "--json", "boards", "list"),
        ("--local", "boards", "list", "--json"),
        ("boards", "list", "--local", "--json"),
        ("--json", "boards", "list", "--local"),
    ],
)
def test_json_is_accepted_before_the_group_or_after_the_command(
    staff_cli: StaffCli, arguments: tuple[str, ...]
) -> None:
    # Given --json (and --local) in either place
    staff_cli.services.boards.list_boards.return_value = []
    # When it runs
    ran = staff_cli(*arguments)
    # Then both hold (the one given first is not undone by the command's defaults), and stdout is JSON
    assert (staff_cli.options.json, staff_cli.options.local) == (True, True)
    assert json.loads(ran.out) == []


@pytest.mark.parametrize(
    "arguments",
    [
        ("--state-file", "/tmp/stack.json", "retention", "upcoming"),
        ("retention", "upcoming", "--state-file", "/tmp/stack.json"),
    ],
    ids=["before the group", "after the command"],
)
def test_a_state_file_implies_the_local_stack(staff_cli: StaffCli, arguments: tuple[str, ...]) -> None:
    # Given --state-file without --local
    # When it runs
    staff_cli(*arguments)
    # Then the command is for the local stack that state file describes
    assert staff_cli.options.local is True
    assert staff_cli.options.state_file == Path("/tmp/stack.json")


def test_a_stack_given_before_the_group_is_kept_and_one_after_the_command_wins(staff_cli: StaffCli) -> None:
    # Given --stack before the group only, then before the group and again after the command
    staff_cli("--stack", "case-reviews-staging", "boards", "issue-key", "westshire")
    before = staff_cli.options
    staff_cli("--stack", "case-reviews-staging", "boards", "issue-key", "westshire", "--stack", "case-reviews-dev")
    # Then the first uses the stack given, not the default; the second the one given last
    assert before.stack == "case-reviews-staging"
    assert staff_cli.options.stack == "case-reviews-dev"
    staff_cli.services.boards.issue_key.assert_called_with("westshire")


def test_the_command_s_own_options_still_parse(staff_cli: StaffCli) -> None:
    # Given a retention preview on a day, and a revocation of one key, with the shared options after them
    staff_cli.services.retention.copies_due.return_value = []
    staff_cli.services.boards.revoke_keys.return_value = 1
    preview = staff_cli("retention", "preview", "--as-of", "2031-12-01", "--json")
    revoke = staff_cli("boards", "revoke-key", "westshire", "--key", "k-1", "--local")
    # Then the day is a date and the key is the one given
    staff_cli.services.retention.copies_due.assert_called_once_with(date(2031, 12, 1))
    assert json.loads(preview.out) == []
    staff_cli.services.boards.revoke_keys.assert_called_once_with("westshire", key="k-1")
    assert revoke.out.strip() == "westshire: 1 key(s) revoked"
    assert staff_cli.options.local is True


@pytest.mark.parametrize("day", ["2031-02-30", "next week", ""])
def test_a_day_that_is_not_a_date_is_a_usage_error(staff_cli: StaffCli, day: str) -> None:
    # Given --as-of with something that is not a date
    # When it runs
    ran = staff_cli("--local", "retention", "preview", "--as-of", day)
    # Then it stops with the usage error status, in one line saying what was wrong, before using the stack
    assert ran.status == 2
    assert len(ran.err.strip().splitlines()) == 1
    assert ran.err.startswith("case-reviews: error: ") and "not a date" in ran.err
    assert staff_cli.connected == []


def test_the_old_optional_state_file_value_of_local_is_gone(staff_cli: StaffCli) -> None:
    # Given --local followed by a path, as the old syntax allowed
    # When it runs
    ran = staff_cli("--local", "/tmp/stack.json", "boards", "list")
    # Then the path is not taken as the state file: it is an unknown command
    assert ran.status == 2
    assert "No such command '/tmp/stack.json'" in ran.err
    assert staff_cli.connected == []


def test_a_state_file_after_the_command_is_the_one_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a state file that does not exist, and AWS that must not be asked
    def no_aws(stack_name: str) -> None:
        raise AssertionError(f"asked AWS for {stack_name}")

    monkeypatch.setattr(stack, "aws_services", no_aws)
    missing = tmp_path / "stack.json"
    # When staff run a command with --state-file after it (the real services builder)
    from case_reviews_cli.app import main

    status = main(["boards", "list", "--state-file", str(missing)])
    # Then the CLI looked for that local state file, and says in one line to start the local stack
    err = capsys.readouterr().err
    assert status == 1
    assert err.strip().splitlines() == [
        f"case-reviews: error: {missing} not found: start the local stack with `make run` first"
    ]


class _Strict(BaseModel):
    count: int


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (NotFound("No board westshire."), "No board westshire."),
        (
            ClientError({"Error": {"Code": "AccessDenied", "Message": "not for you"}}, "Scan"),
            "An error occurred (AccessDenied) when calling the Scan operation: not for you",
        ),
    ],
    ids=["the service's own error", "AWS refusing"],
)
def test_an_error_is_one_line_on_stderr_and_exit_status_1(staff_cli: StaffCli, error: Exception, expected: str) -> None:
    # Given a service that fails as staff may make it fail
    staff_cli.services.boards.list_boards.side_effect = error
    # When staff run the command
    ran = staff_cli("boards", "list")
    # Then they see one line saying what went wrong, and the exit status is 1
    assert ran.status == 1
    assert ran.err.strip().splitlines() == [f"case-reviews: error: {expected}"]
    assert "Traceback" not in ran.err


def test_a_validation_error_of_many_lines_is_one(staff_cli: StaffCli) -> None:
    # Given a service that refuses its input with pydantic's many-line message
    try:
        _Strict.model_validate({"count": "many"})
    except Exception as error:
        staff_cli.services.subscriptions.subscribe.side_effect = error
    # When staff run the command
    ran = staff_cli("subscribers", "add", "not an address")
    # Then it is one line
    assert ran.status == 1
    assert len(ran.err.strip().splitlines()) == 1
    assert "count" in ran.err


def test_help_lists_the_groups_and_the_completion_options(staff_cli: StaffCli) -> None:
    # Given nothing but --help
    # When it runs
    ran = staff_cli("--help")
    # Then every group is listed, with shell completion, and nothing used the stack
    assert ran.status == 0
    for group in ("boards", "records", "retention", "queues", "index", "subscribers", "import"):
        assert group in ran.out
    assert "--install-completion" in ran.out
    assert staff_cli.connected == []


def test_index_check_exits_1_on_drift(staff_cli: StaffCli) -> None:
    # Given an index that lacks one catalogued record
    staff_cli.services.index_upkeep.check.return_value.model_dump.return_value = {
        "catalogued": 2,
        "indexed": 1,
        "missing": ["CR-2016-0002"],
        "extra": [],
        "stale": [],
        "schema_current": True,
        "in_sync": False,
    }
    # When staff check the index
    ran = staff_cli("--local", "index", "check")
    # Then the drift is printed and the exit status is 1
    assert ran.status == 1
    assert ran.out.strip().splitlines()[0] == "missing from the index: CR-2016-0002"


def test_a_replay_takes_its_queue_and_maximum_and_reports_progress(staff_cli: StaffCli) -> None:
    # Given three dead letters in the index queue's dead-letter queue
    queues = staff_cli.services.queues
    queues.replayable.return_value = 3
    queues.replay.return_value.model_dump.return_value = {"queue": "index", "moved": 2, "not_moved": 0}
    # When staff replay at most two, and then a queue that does not exist
    ran = staff_cli("--local", "queues", "replay", "index", "--max", "2")
    unknown = staff_cli("--local", "queues", "replay", "indexes")
    # Then the replay is of that queue, at most two, with a progress reporter; an unknown queue is a usage error
    queue, maximum = queues.replay.call_args.args
    assert (queue, maximum) == ("index", 2)
    assert queues.replay.call_args.kwargs["progress"].total == 2
    assert ran.out.strip() == "index: 2 message(s) moved back from the dead-letter queue"
    assert unknown.status == 2
    assert "'indexes' is not one of 'catalogue', 'index'" in unknown.err
