"""The local stack's function hosts run the stack's clock: the same instant in every process."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from case_reviews.adapters.clock import SetClock
from infra.local import function_host


def test_a_host_started_later_shows_the_stack_s_clock_moved_on_by_the_time_between(monkeypatch) -> None:
    # Given the stack's clock set to a day, and handed over when the machine's monotonic clock read 100 s
    monotonic = iter([100.0, 105.5])
    monkeypatch.setattr(function_host, "_monotonic", lambda: next(monotonic))
    stack_clock = SetClock(datetime(2031, 2, 28, 10, 30, tzinfo=UTC), elapsed=lambda: 0.0)
    setup = function_host.clock_setup(stack_clock)

    # When a host makes its clock from that 5.5 s later
    host_clock = function_host.clock_from(setup)

    # Then it starts from the instant the stack's clock shows then
    assert host_clock is not None
    assert abs(host_clock.now() - (datetime(2031, 2, 28, 10, 30, tzinfo=UTC) + timedelta(seconds=5.5))) < timedelta(
        seconds=1
    )


def test_without_a_set_clock_the_hosts_use_the_real_time() -> None:
    # Given a stack on the real time, When its hosts are set up, Then they have no clock of their own to run
    assert function_host.clock_setup(None) is None
    assert function_host.clock_from(None) is None
