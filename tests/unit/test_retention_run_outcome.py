"""A retention run staff wait for: its outcome from the parts its invocations record, and what the CLI prints."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
from pydantic import ValidationError

from case_reviews.domain.runs import RetentionRunPart, RetentionRunReport
from case_reviews.messages import RetentionRun
from case_reviews_cli import retention
from case_reviews_cli.output import Output
from case_reviews_cli.progress import Progress
from tests.unit.staff_cli import StaffCli

AS_OF = date(2031, 12, 2)
AT = datetime(2031, 12, 2, 10, 30, tzinfo=UTC)


def part(minutes: int, continued: bool = False, **lists: list[str]) -> RetentionRunPart:
    return RetentionRunPart(
        run_id="r1", as_of=AS_OF, recorded_at=AT + timedelta(minutes=minutes), continued=continued, **lists
    )


# ---------------------------------------------------------------- the run's report, from its parts


def test_a_run_is_finished_by_the_part_that_did_not_continue() -> None:
    # Given a run whose first invocation removed one copy, failed one and stopped for time,
    # and whose successor removed the failed one and another, and warned of one
    parts = [
        part(2, removed=["CR-2026-0002", "CR-2026-0003"], held=["CR-2025-0009"], warned=["CR-2026-0100"]),
        part(0, continued=True, removed=["CR-2026-0001"], failed=["CR-2026-0002"], held=["CR-2025-0009"]),
    ]
    # When its report is made (the parts in any order)
    report = RetentionRunReport.from_parts("r1", parts)
    # Then it is finished after two invocations, lists each removal once in order, and no failure left
    assert (report.finished, report.invocations, report.as_of) == (True, 2, AS_OF)
    assert report.removed == ["CR-2026-0001", "CR-2026-0002", "CR-2026-0003"]
    assert (report.failed, report.held, report.warned) == ([], ["CR-2025-0009"], ["CR-2026-0100"])


@pytest.mark.parametrize(
    "parts", [[], [part(0, continued=True, removed=["CR-2026-0001"])]], ids=["nothing yet", "still continuing"]
)
def test_a_run_without_a_part_that_stopped_is_not_finished(parts: list[RetentionRunPart]) -> None:
    # Given no part yet, or only a part that continued
    # When the report is made
    report = RetentionRunReport.from_parts("r1", parts)
    # Then the run is not finished
    assert report.finished is False
    assert report.invocations == len(parts)


def test_a_run_id_travels_in_the_message_and_must_be_plain() -> None:
    # Given a run asked for with an id, and one with an id that could not be part of a key
    # When the messages are made
    message = RetentionRun(task="retention", as_of=AS_OF, run_id="3f2a9c")
    # Then the first carries it, the second is refused
    assert json.loads(message.model_dump_json(exclude_none=True))["run_id"] == "3f2a9c"
    with pytest.raises(ValidationError):
        RetentionRun(task="retention", run_id="RETENTION_RUN#x y")


# ---------------------------------------------------------------- `case-reviews retention run`


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(retention.time, "sleep", lambda _seconds: None)


def report(finished: bool, **lists: list[str]) -> RetentionRunReport:
    return RetentionRunReport(
        run_id="r1",
        finished=finished,
        invocations=1,
        as_of=AS_OF,
        removed=lists.get("removed", []),
        held=lists.get("held", []),
        failed=lists.get("failed", []),
        warned=lists.get("warned", []),
    )


def test_a_run_is_waited_for_and_its_outcome_printed(staff_cli: StaffCli, no_sleep: None) -> None:
    # Given a run whose outcome is recorded on the second look
    service = staff_cli.services.retention
    service.copies_due.return_value = ["one copy due"]
    service.request_run.return_value = "message-1"
    service.run_report.side_effect = [
        report(False),
        report(True, removed=["CR-2026-0001"], held=["CR-2025-0009"], warned=["CR-2026-0100"]),
    ]
    # When staff run the rule for a day, as text
    ran = staff_cli("--local", "retention", "run", "--as-of", AS_OF.isoformat())
    # Then the run was queued with an id, followed by it, and what it did is printed, the summary last
    assert ran.status == 0, ran.err
    run_id = service.request_run.call_args.kwargs["run_id"]
    assert service.request_run.call_args.args == (AS_OF,)
    service.run_report.assert_called_with(run_id)
    assert ran.out.strip().splitlines() == [
        "removed  CR-2026-0001",
        "held     CR-2025-0009",
        "warned   CR-2026-0100",
        f"retention run for {AS_OF}: removed 1, held 1, failed 0, warned 1 (1 invocation)",
    ]
    assert f"retention run {run_id} queued for {AS_OF} (message-1)" in ran.err


def test_a_waited_run_prints_its_outcome_as_json(staff_cli: StaffCli, no_sleep: None) -> None:
    # Given a run for today that removes one copy
    service = staff_cli.services.retention
    service.copies_due.return_value = []
    service.request_run.return_value = "message-1"
    service.run_report.return_value = report(True, removed=["CR-2026-0001"])
    # When staff run it with --json
    ran = staff_cli("--local", "retention", "run", "--json")
    # Then stdout is the outcome as one object, with what the queued run always said
    result = json.loads(ran.out)
    assert {name: result[name] for name in ("message_id", "task", "as_of")} == {
        "message_id": "message-1",
        "task": "retention",
        "as_of": None,
    }
    assert (result["finished"], result["applied_as_of"]) == (True, AS_OF.isoformat())
    assert result["removed"] == ["CR-2026-0001"]
    assert (result["held"], result["failed"], result["warned"]) == ([], [], [])
    assert result["run_id"] == service.request_run.call_args.kwargs["run_id"]


def test_no_wait_queues_the_run_and_returns(staff_cli: StaffCli) -> None:
    # Given staff who do not want to wait
    staff_cli.services.retention.request_run.return_value = "message-1"
    # When they run the rule with --no-wait
    ran = staff_cli("--local", "retention", "run", "--as-of", AS_OF.isoformat(), "--no-wait", "--json")
    # Then the run is queued as before (no id to follow), and nothing is waited for
    staff_cli.services.retention.request_run.assert_called_once_with(AS_OF)
    staff_cli.services.retention.run_report.assert_not_called()
    assert json.loads(ran.out) == {"message_id": "message-1", "task": "retention", "as_of": AS_OF.isoformat()}


def test_a_run_that_failed_to_remove_a_copy_exits_1(staff_cli: StaffCli, no_sleep: None) -> None:
    # Given a run that could not remove one copy
    service = staff_cli.services.retention
    service.copies_due.return_value = []
    service.run_report.return_value = report(True, removed=["CR-2026-0001"], failed=["CR-2026-0002"])
    # When staff run it
    ran = staff_cli("--local", "retention", "run")
    # Then the outcome is printed, and one line says what was not removed, with exit status 1
    assert ran.status == 1
    assert "failed   CR-2026-0002" in ran.out
    assert ran.err.strip().splitlines()[-1].startswith("case-reviews: error: 1 copy not removed (CR-2026-0002)")


def test_a_run_with_no_outcome_in_time_is_an_error(
    staff_cli: StaffCli, no_sleep: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a run that never records a part that stopped, and a clock that runs past the timeout
    service = staff_cli.services.retention
    service.copies_due.return_value = []
    service.run_report.return_value = report(False)
    ticks = iter(range(0, 10_000, 60))
    monkeypatch.setattr(retention.time, "monotonic", lambda: next(ticks))
    # When staff wait for it with a two-minute timeout
    ran = staff_cli("--local", "retention", "run", "--timeout", "2")
    # Then it stops with one line saying no outcome came, exit status 1
    assert ran.status == 1
    assert "no outcome of retention run" in ran.err and "after 2 minutes" in ran.err


# ---------------------------------------------------------------- progress and lists


def test_progress_without_a_terminal_is_a_line_every_n_and_one_at_the_end(capsys: pytest.CaptureFixture[str]) -> None:
    # Given progress of five things, reported every two, with no terminal
    # When three are done
    with Progress("rows done", total=5, every=2, live=False) as progress:
        for count in (1, 2, 3):
            progress(count)
    # Then stderr has a line at two and one at the end, and stdout nothing
    captured = capsys.readouterr()
    assert captured.err.splitlines() == ["2/5 rows done", "3/5 rows done"]
    assert captured.out == ""


def test_a_list_is_lines_through_a_pipe_and_a_table_on_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    # Given two boards
    rows = [{"board_id": "westshire", "name": "Westshire [SCP]"}, {"board_id": "eastshire", "name": "Eastshire"}]
    columns = [("id", "board_id"), ("name", "name")]

    def line(row: dict[str, str]) -> str:
        return f"{row['board_id']}\t{row['name']}"

    # When they are listed through a pipe, and on a terminal
    Output(as_json=False, terminal=False).listing(rows, columns, line, empty="(no boards)")
    piped = capsys.readouterr().out
    Output(as_json=False, terminal=True).listing(rows, columns, line, empty="(no boards)")
    table = capsys.readouterr().out
    # Then the pipe gets the plain lines; the terminal a table with the values as given (no markup read)
    assert piped.splitlines() == ["westshire\tWestshire [SCP]", "eastshire\tEastshire"]
    assert "Westshire [SCP]" in table and "eastshire" in table
    assert "\t" not in table
