"""How `case-reviews` reads its command line: the global options before the group or after the command."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

import pytest

from case_reviews import cli


def parse(*arguments: str) -> argparse.Namespace:
    return cli.build_parser().parse_args(list(arguments))


@pytest.fixture(autouse=True)
def no_stack_name_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CASE_REVIEWS_STACK_NAME", raising=False)


def test_with_no_global_options_the_command_runs_against_the_aws_stack() -> None:
    # Given a command with none of the global options
    # When it is parsed
    options = parse("boards", "list")
    # Then it is for AWS, the production stack, as text, with the local state file at its default place
    assert options.local is False
    assert options.stack == cli.DEFAULT_STACK
    assert options.json is False
    assert options.state_file == Path(".local") / "stack.json"
    assert (options.group, options.command) == ("boards", "list")


def test_the_stack_name_defaults_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given the stack's name in CASE_REVIEWS_STACK_NAME
    monkeypatch.setenv("CASE_REVIEWS_STACK_NAME", "case-reviews-staging")
    # When a command without --stack is parsed
    options = parse("retention", "preview")
    # Then it is for that stack
    assert options.stack == "case-reviews-staging"


@pytest.mark.parametrize(
    "arguments",
    [
        ("--local", "boards", "add", "Northshire Safeguarding Children Partnership"),
        ("boards", "add", "Northshire Safeguarding Children Partnership", "--local"),
    ],
    ids=["before the group", "after the command"],
)
def test_local_is_a_flag_before_the_group_or_after_the_command(arguments: tuple[str, ...]) -> None:
    # Given --local before the group or after the command (the audit's failing example)
    # When it is parsed
    options = parse(*arguments)
    # Then the command is for the local stack and --local takes none of the command's words
    assert options.local is True
    assert options.state_file == Path(".local") / "stack.json"
    assert (options.group, options.command, options.name) == (
        "boards",
        "add",
        "Northshire Safeguarding Children Partnership",
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
def test_json_is_accepted_before_the_group_or_after_the_command(arguments: tuple[str, ...]) -> None:
    # Given --json (and --local) in either place
    # When it is parsed
    options = parse(*arguments)
    # Then both hold: the one given first is not undone by the command's defaults
    assert options.json is True
    assert options.local is True


@pytest.mark.parametrize(
    "arguments",
    [
        ("--state-file", "/tmp/stack.json", "retention", "run"),
        ("retention", "run", "--state-file", "/tmp/stack.json"),
    ],
    ids=["before the group", "after the command"],
)
def test_a_state_file_implies_the_local_stack(arguments: tuple[str, ...]) -> None:
    # Given --state-file without --local
    # When it is parsed
    options = parse(*arguments)
    # Then the command is for the local stack that state file describes
    assert options.local is True
    assert options.state_file == Path("/tmp/stack.json")


def test_a_stack_given_before_the_group_is_kept() -> None:
    # Given --stack before the group and nothing after the command
    # When it is parsed
    options = parse("--stack", "case-reviews-staging", "boards", "issue-key", "westshire")
    # Then that stack is used, not the default
    assert options.stack == "case-reviews-staging"
    assert options.board_id == "westshire"


def test_the_command_s_own_options_still_parse() -> None:
    # Given a retention preview on a day, and a revocation of one key, with the global options after them
    preview = parse("retention", "preview", "--as-of", "2031-12-01", "--json")
    revoke = parse("boards", "revoke-key", "westshire", "--key", "k-1", "--local")
    # Then the day is a date and the key is the one given
    assert preview.as_of == date(2031, 12, 1)
    assert preview.json is True
    assert (revoke.board_id, revoke.key, revoke.local) == ("westshire", "k-1", True)


@pytest.mark.parametrize("day", ["2031-02-30", "next week", ""])
def test_a_day_that_is_not_a_date_is_a_usage_error(day: str, capsys: pytest.CaptureFixture[str]) -> None:
    # Given --as-of with something that is not a date
    # When it is parsed
    with pytest.raises(SystemExit) as exited:
        parse("--local", "retention", "preview", "--as-of", day)
    # Then argparse stops with its usage error status, saying what was wrong
    assert exited.value.code == 2
    assert "not a date" in capsys.readouterr().err


def test_the_old_optional_state_file_value_of_local_is_gone(capsys: pytest.CaptureFixture[str]) -> None:
    # Given --local followed by a path, as the old syntax allowed
    # When it is parsed
    with pytest.raises(SystemExit) as exited:
        parse("--local", "/tmp/stack.json", "boards", "list")
    # Then the path is not taken as the state file: it is an invalid group
    assert exited.value.code == 2
    assert "invalid choice: '/tmp/stack.json'" in capsys.readouterr().err


def test_a_state_file_after_the_command_is_the_one_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given a state file that does not exist, and AWS that must not be asked
    def no_aws(stack_name: str) -> dict[str, str]:
        raise AssertionError(f"asked AWS for {stack_name}")

    monkeypatch.setattr(cli, "_use_aws_stack", no_aws)
    missing = tmp_path / "stack.json"
    # When staff run a command with --state-file after it
    with pytest.raises(SystemExit) as exited:
        cli.main(["boards", "list", "--state-file", str(missing)])
    # Then the CLI looked for that local state file, and says to start the local stack
    assert str(missing) in str(exited.value.code)
    assert "start the local stack" in str(exited.value.code)
