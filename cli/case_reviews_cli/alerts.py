"""`case-reviews alerts list | remove ID | run [--as-of DATE]`: the alerts people sign up for themselves.

`run` queues a daily run as the schedule does (the alerts function does the work, with its own role)
and, unless --no-wait, waits for the outcome the function records under the run's id.
"""

from __future__ import annotations

import time
import uuid
from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from case_reviews_cli.options import Staff, StaffError, iso_date, staff_command

if TYPE_CHECKING:
    from case_reviews.domain.alerts import Alert, AlertRunOutcome
    from case_reviews.services.alert_administration import AlertAdministration

group = typer.Typer(help="Alerts people sign up for themselves: list, remove, and the daily run.", no_args_is_help=True)

AlertId = Annotated[str, typer.Argument(metavar="ID", help="The alert's id (as `alerts list` shows it).")]
# How often a waiting `run` looks for the outcome.
POLL_S = 1.0


def _listed(alert: Alert) -> dict[str, object]:
    from case_reviews.domain.alerts import describe_search

    return {
        "alert_id": alert.alert_id,
        "email": alert.email,
        "kind": alert.kind.value,
        "search": alert.search,
        "description": describe_search(alert.query) if alert.query else None,
        "status": "confirmed" if alert.confirmed else "pending",
        "created_at": alert.created_at,
        "confirmed_at": alert.confirmed_at,
    }


@staff_command(group, "list")
def list_alerts(staff: Staff) -> None:
    """Every alert, pending (not confirmed yet) or confirmed, by address."""
    listed = [_listed(alert) for alert in staff.services.alert_admin.alerts()]
    staff.output.listing(
        listed,
        [
            ("id", "alert_id"),
            ("email", "email"),
            ("kind", "kind"),
            ("status", "status"),
            ("search", lambda a: a["description"] or "New in the Library"),
        ],
        lambda a: f"{a['alert_id']}\t{a['email']}\t{a['kind']}\t{a['status']}\t{a['search'] or ''}",
        empty="(no alerts)",
    )


@staff_command(group, "remove")
def remove(staff: Staff, alert_id: AlertId) -> None:
    """Remove an alert (its links stop working; nothing more is sent for it)."""
    alert = staff.services.alert_admin.remove(alert_id)
    staff.output.emit(
        {"alert_id": alert.alert_id, "email": alert.email, "removed": True},
        f"alert {alert.alert_id} of {alert.email} removed",
    )


@staff_command(group, "run")
def run(
    staff: Staff,
    as_of: Annotated[
        date | None,
        typer.Option(
            "--as-of",
            parser=iso_date,
            metavar="DATE",
            help="Run as that day's run would (it lists the deposits of the day before; default today).",
            show_default=False,
        ),
    ] = None,
    wait: Annotated[
        bool, typer.Option("--wait/--no-wait", help="Wait for the run's outcome (--no-wait: queue it and return).")
    ] = True,
    timeout: Annotated[
        int, typer.Option("--timeout", metavar="MINUTES", min=1, help="How long to wait for the outcome.")
    ] = 5,
) -> None:
    """Run the daily alerts now, as the schedule does: one email per address of the day's matches."""
    admin = staff.services.alert_admin
    requested = as_of.isoformat() if as_of else None
    run_id = uuid.uuid4().hex if wait else None
    message_id = admin.request_run(as_of, run_id=run_id)
    if run_id is None:
        staff.output.emit(
            {"message_id": message_id, "task": "alerts", "as_of": requested},
            f"alerts run queued for {requested or 'today'} ({message_id})",
        )
        return
    outcome = _wait_for(admin, run_id, timeout * 60)
    staff.output.emit(
        {
            "message_id": message_id,
            "task": "alerts",
            "as_of": requested,
            "run_id": run_id,
            **outcome.model_dump(mode="json"),
        },
        f"alerts run for {outcome.as_of} (deposits of {outcome.covered}): {outcome.alerts} saved searches, "
        f"{outcome.delivered} emails sent, {outcome.records} records listed"
        + (f", {len(outcome.skipped)} searches skipped" if outcome.skipped else ""),
    )


def _wait_for(admin: AlertAdministration, run_id: str, timeout_s: float) -> AlertRunOutcome:
    deadline = time.monotonic() + timeout_s
    while True:
        outcome = admin.run_outcome(run_id)
        if outcome is not None:
            return outcome
        if time.monotonic() >= deadline:
            raise StaffError(
                f"no outcome of alerts run {run_id} after {timeout_s / 60:g} minutes; "
                "`case-reviews queues show` shows whether it is still queued"
            )
        time.sleep(POLL_S)
