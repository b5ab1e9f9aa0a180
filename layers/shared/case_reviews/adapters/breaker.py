"""A small circuit breaker: once a dependency is known to be down, callers are refused at once for a while.

The search path uses it so that, with OpenSearch hanging, only the first requests wait for their
timeout; the rest are answered 503 straight away until the breaker lets one request through to
try again. Time comes from the injected clock (`ports.Clock`), as everywhere else.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from datetime import datetime, timedelta
from enum import StrEnum

from case_reviews.ports import Clock


class BreakerState(StrEnum):
    CLOSED = "closed"  # calls go through
    OPEN = "open"  # calls are refused until the open period ends
    HALF_OPEN = "half_open"  # one call goes through, to try again


class BreakerOpen(Exception):
    """The breaker refused the call without making it; try again after `retry_after_seconds`."""

    def __init__(self, retry_after_seconds: int) -> None:
        super().__init__(f"refused for {retry_after_seconds} s more")
        self.retry_after_seconds = retry_after_seconds


class CircuitBreaker:
    """Opens after `failures_to_open` failures in a row, stays open `open_seconds`, then lets one trial call through.

    A failure is an exception that `is_failure` says means "the dependency is down" (anything else,
    such as a refused query, passes through without counting). A successful call closes the breaker;
    a failed trial opens it again for another period.
    """

    def __init__(
        self,
        clock: Clock,
        failures_to_open: int,
        open_seconds: float,
        is_failure: Callable[[BaseException], bool] = lambda error: True,
    ) -> None:
        if failures_to_open < 1 or open_seconds <= 0:
            raise ValueError("a breaker opens after at least one failure, for a positive time")
        self.clock = clock
        self.failures_to_open = failures_to_open
        self.open_period = timedelta(seconds=open_seconds)
        self.is_failure = is_failure
        self._failures = 0
        self._opened_at: datetime | None = None
        self._trial_running = False
        self._lock = threading.Lock()

    @property
    def state(self) -> BreakerState:
        with self._lock:
            return self._state(self.clock.now())

    def _state(self, now: datetime) -> BreakerState:
        if self._opened_at is None:
            return BreakerState.CLOSED
        if now - self._opened_at < self.open_period or self._trial_running:
            return BreakerState.OPEN
        return BreakerState.HALF_OPEN

    def retry_after_seconds(self) -> int:
        """Whole seconds until the next call will be let through (at least 1): what Retry-After tells."""
        with self._lock:
            if self._opened_at is None:
                return max(1, math.ceil(self.open_period.total_seconds()))
            left = (self._opened_at + self.open_period - self.clock.now()).total_seconds()
            return max(1, math.ceil(left))

    def call[T](self, action: Callable[[], T]) -> T:
        """Run `action` unless the breaker is open (`BreakerOpen`); its own exceptions pass through, counted."""
        with self._lock:
            state = self._state(self.clock.now())
            if state is BreakerState.OPEN:
                refused = True
            else:
                refused = False
                self._trial_running = state is BreakerState.HALF_OPEN
        if refused:
            raise BreakerOpen(self.retry_after_seconds())
        try:
            result = action()
        except Exception as error:
            self._record(failed=self.is_failure(error))
            raise
        except BaseException:  # interrupted: says nothing of the dependency, but must not leave a trial running
            with self._lock:
                self._trial_running = False
            raise
        self._record(failed=False)
        return result

    def _record(self, failed: bool) -> None:
        with self._lock:
            trial, self._trial_running = self._trial_running, False
            if not failed:
                self._failures = 0
                self._opened_at = None
                return
            self._failures += 1
            if trial or self._failures >= self.failures_to_open:
                self._opened_at = self.clock.now()
