"""`case-reviews retention preview | upcoming | run [--as-of DATE]`: the five-year rule.

`run` queues a run as the schedule does (the retention function does the work, with its own role)
and, unless --no-wait, waits for its outcome: the run carries a run id, each invocation records
its part under it (a long run continues through the queue with the same id), and the run is done
when a part did not continue. Then it prints what was removed, held, failed and warned of.
"""

from __future__ import annotations

import time
import uuid
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from case_reviews_cli.options import Staff, StaffError, iso_date, staff_command
from case_reviews_cli.progress import Progress

if TYPE_CHECKING:
    from case_reviews.domain.runs import RetentionRunReport
    from case_reviews.services.retention import DueCopy, RetentionService

group = typer.Typer(help="The five-year rule: what it removes, and running it now.", no_args_is_help=True)

AsOf = Annotated[
    date | None,
    typer.Option(
        "--as-of",
        parser=iso_date,
        metavar="DATE",
        help="The day to apply the rule for (YYYY-MM-DD; default today).",
        show_default=False,
    ),
]
# How often a waiting `run` reads the parts recorded so far.
POLL_S = 1.0
# What a run's outcome lists, in this order.
OUTCOMES = ("removed", "held", "failed", "warned")


@staff_command(group, "preview")
def preview(staff: Staff, as_of: AsOf = None) -> None:
    """List the copies past their five years (what a run on the day removes)."""
    day = as_of or staff.services.clock.now().date()
    _copies(staff, staff.services.retention.copies_due(day), "(nothing past its five years)")


@staff_command(group, "upcoming")
def upcoming(staff: Staff, as_of: AsOf = None) -> None:
    """List the copies whose last day is within 30 days (the boards are warned of these)."""
    day = as_of or staff.services.clock.now().date()
    _copies(staff, staff.services.retention.copies_expiring(day), "(no copy reaches its last day within 30 days)")


@staff_command(group, "run")
def run(
    staff: Staff,
    as_of: AsOf = None,
    wait: Annotated[
        bool,
        typer.Option(
            "--wait/--no-wait",
            help="Wait for the run's outcome and print it (--no-wait: queue the run and return at once).",
        ),
    ] = True,
    timeout: Annotated[
        int, typer.Option("--timeout", metavar="MINUTES", min=1, help="How long to wait for the outcome.")
    ] = 15,
) -> None:
    """Run the rule now, as the daily schedule does, and print what it removed, held, failed and warned."""
    retention = staff.services.retention
    requested = as_of.isoformat() if as_of else None
    if not wait:
        message_id = retention.request_run(as_of)
        staff.output.emit(
            {"message_id": message_id, "task": "retention", "as_of": requested},
            f"retention run queued for {requested or 'today'} ({message_id}); "
            "copies past their last available day are removed, the records stay",
        )
        return

    run_id = uuid.uuid4().hex
    # The function's today is the stack's: the same clock as ours.
    due = len(retention.copies_due(as_of or staff.services.clock.now().date()))
    message_id = retention.request_run(as_of, run_id=run_id)
    with Progress("copies removed", total=due) as progress:
        progress.note(
            f"retention run {run_id} queued for {requested or 'today'} ({message_id}); waiting for its outcome"
        )
        report = _wait_for(retention, run_id, timeout * 60, progress)
    result: dict[str, Any] = {
        "message_id": message_id,
        "task": "retention",
        "as_of": requested,
        "run_id": run_id,
        "applied_as_of": report.as_of.isoformat() if report.as_of else None,
        "finished": report.finished,
        "invocations": report.invocations,
        **{outcome: getattr(report, outcome) for outcome in OUTCOMES},
    }
    _print_outcome(staff, result)
    if report.failed:
        # As the function does: its message comes back, and the rerun removes them.
        raise StaffError(
            f"{len(report.failed)} cop{'y' if len(report.failed) == 1 else 'ies'} not removed "
            f"({', '.join(report.failed[:10])}): the run is retried from the retention queue"
        )


def _wait_for(retention: RetentionService, run_id: str, timeout_s: float, progress: Progress) -> RetentionRunReport:
    """The run's report once an invocation did not continue; StaffError after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while True:
        report = retention.run_report(run_id)
        progress(len(report.removed) + len(report.failed))
        if report.finished:
            return report
        if time.monotonic() >= deadline:
            raise StaffError(
                f"no outcome of retention run {run_id} after {timeout_s / 60:g} minutes "
                f"({report.invocations} invocation(s) recorded, {len(report.removed)} copies removed so far); "
                "`case-reviews queues show` shows whether it is still queued"
            )
        time.sleep(POLL_S)


def _print_outcome(staff: Staff, result: dict[str, Any]) -> None:
    counts = ", ".join(f"{outcome} {len(result[outcome])}" for outcome in OUTCOMES)
    invocations = result["invocations"]
    summary = (
        f"retention run for {result['applied_as_of']}: {counts} "
        f"({invocations} invocation{'' if invocations == 1 else 's'})"
    )
    if staff.output.json:
        staff.output.emit(result, summary)
        return
    rows = [{"outcome": outcome, "reference": reference} for outcome in OUTCOMES for reference in result[outcome]]
    if rows:
        staff.output.listing(
            rows,
            [("outcome", "outcome"), ("reference", "reference")],
            lambda row: f"{row['outcome']:<9}{row['reference']}",
            empty="",
        )
    print(summary)


def _copies(staff: Staff, copies: list[DueCopy], nothing: str) -> None:
    listed = [copy.model_dump(mode="json") for copy in copies]
    staff.output.listing(
        listed,
        [("reference", "reference"), ("available until", "available_until")],
        lambda copy: f"{copy['reference']}\tavailable until {copy['available_until']}",
        empty=nothing,
    )
