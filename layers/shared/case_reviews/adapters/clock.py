"""Clocks: the real one, and one set to a chosen instant that then runs at the real pace."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


class SystemClock:
    """The real time, in UTC (what Lambda runs on)."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class SetClock:
    """A clock set to `start` that then runs on at the real pace (tests, and the local stack on a chosen day).

    It keeps moving, so what happens one after the other is stamped one after the other (an audit trail
    stays in order); `advance` jumps it forward, as the calendar would between a deposit and its fifth year.
    """

    def __init__(self, start: datetime, elapsed: Callable[[], float] = time.monotonic) -> None:
        if start.tzinfo is None:
            raise ValueError("a clock is set to a timezone-aware instant")
        self._start = start.astimezone(UTC)
        self._elapsed = elapsed
        self._started_at = elapsed()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=self._elapsed() - self._started_at)

    def advance(self, by: timedelta) -> None:
        """Move the clock on by `by` (a test's "a week later")."""
        self._start += by

    def set(self, moment: datetime) -> None:
        """Set the clock to `moment`; it runs on from there."""
        self._start = moment.astimezone(UTC)
        self._started_at = self._elapsed()

    @classmethod
    def parse(cls, text: str) -> SetClock:
        """`2031-02-28` (10:30 UTC that day) or an ISO instant with its offset (`2031-02-28T09:00:00+00:00`)."""
        text = text.strip()
        if len(text) == 10:
            return cls(datetime.fromisoformat(text).replace(hour=10, minute=30, tzinfo=UTC))
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return cls(moment if moment.tzinfo else moment.replace(tzinfo=UTC))
