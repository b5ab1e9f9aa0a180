"""The local schedules' next runs: retention daily at 03:00, the digest on Mondays at 08:00, Europe/London time."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from infra.local.stack import DigestSchedule, RetentionSchedule


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        # Winter (GMT, UTC+0): 03:00 local is 03:00 UTC.
        ("2026-01-15 02:59", "2026-01-15 03:00"),
        ("2026-01-15 03:01", "2026-01-16 03:00"),
        # Summer (BST, UTC+1): 03:00 local is 02:00 UTC.
        ("2026-06-01 01:59", "2026-06-01 02:00"),
        ("2026-06-01 02:30", "2026-06-02 02:00"),
        # Spring forward on Sunday 29 March 2026 (01:00 UTC): Saturday's run is GMT, Sunday's is BST.
        ("2026-03-28 02:30", "2026-03-28 03:00"),
        ("2026-03-28 03:30", "2026-03-29 02:00"),
        ("2026-03-29 00:30", "2026-03-29 02:00"),
        # Fall back on Sunday 25 October 2026 (01:00 UTC): Saturday 02:30 UTC is 03:30 BST,
        # so the next run is Sunday's, in GMT.
        ("2026-10-24 02:30", "2026-10-25 03:00"),
        ("2026-10-24 01:30", "2026-10-24 02:00"),
        ("2026-10-25 01:30", "2026-10-25 03:00"),
        # The end of a year.
        ("2026-12-31 23:00", "2027-01-01 03:00"),
    ],
)
def test_next_run_is_the_next_0300_in_london_in_utc(after: str, expected: str) -> None:
    # Given a moment (in UTC)
    # When the next run is worked out
    run = RetentionSchedule.next_run(utc(after))
    # Then it is the next 03:00 London time, given in UTC
    assert run == utc(expected)
    assert run.tzinfo is UTC


@pytest.mark.parametrize(
    ("moment", "expected"),
    [("2026-01-15 03:00", "2026-01-16 03:00"), ("2026-06-01 02:00", "2026-06-02 02:00")],
    ids=["winter", "summer"],
)
def test_when_now_is_exactly_0300_in_london_the_next_run_is_tomorrow(moment: str, expected: str) -> None:
    # Given that it is exactly 03:00 in London
    # When the next run is worked out
    run = RetentionSchedule.next_run(utc(moment))
    # Then it is tomorrow's, not this instant (the run now is already due or done)
    assert run == utc(expected)


def test_next_run_reads_a_moment_given_in_any_zone() -> None:
    # Given 02:30 in London in summer, expressed in UTC+2
    after = datetime(2026, 6, 1, 3, 30, tzinfo=timezone(timedelta(hours=2)))
    # When the next run is worked out
    run = RetentionSchedule.next_run(after)
    # Then it is 03:00 London that same day
    assert run == utc("2026-06-01 02:00")


def test_next_run_is_always_within_a_day_and_after_now() -> None:
    # Given every half hour across both clock changes of 2026
    moments = [utc("2026-03-27 00:00") + timedelta(minutes=30 * n) for n in range(4 * 48)]
    moments += [utc("2026-10-23 00:00") + timedelta(minutes=30 * n) for n in range(4 * 48)]
    # When the next run is worked out for each
    runs = [(moment, RetentionSchedule.next_run(moment)) for moment in moments]
    # Then each run is strictly later, no more than 25 hours later (a fall-back day), at 03:00 London
    for moment, run in runs:
        assert moment < run <= moment + timedelta(hours=25)
        local = run.astimezone(ZoneInfo("Europe/London"))
        assert (local.hour, local.minute) == (3, 0)


@pytest.mark.parametrize(
    ("after", "expected"),
    [
        # Thursday 26 November 2026 (GMT): the next Monday, 30 November, 08:00.
        ("2026-11-26 12:00", "2026-11-30 08:00"),
        # A Monday before 08:00 London time: that morning; just after it: the next Monday.
        ("2026-11-30 07:59", "2026-11-30 08:00"),
        ("2026-11-30 08:00", "2026-12-07 08:00"),
        # Summer (BST): 08:00 London is 07:00 UTC.
        ("2026-06-03 12:00", "2026-06-08 07:00"),
        # Across the spring change (Sunday 29 March 2026): Monday 30 March is already BST.
        ("2026-03-27 12:00", "2026-03-30 07:00"),
        # Across the autumn change (Sunday 25 October 2026): Monday 26 October is GMT again.
        ("2026-10-21 12:00", "2026-10-26 08:00"),
    ],
)
def test_the_digest_runs_next_on_monday_at_0800_in_london(after: str, expected: str) -> None:
    # Given a moment (in UTC)
    # When the digest schedule's next run is worked out
    run = DigestSchedule.next_run(utc(after))
    # Then it is the next Monday 08:00 London time, given in UTC
    assert run == utc(expected)
    assert run.astimezone(ZoneInfo("Europe/London")).weekday() == 0
