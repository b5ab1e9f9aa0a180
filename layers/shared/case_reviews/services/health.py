"""Is every part the API depends on answering?"""

from __future__ import annotations

from collections.abc import Callable

from case_reviews.domain.errors import ServiceUnavailable
from case_reviews.observability import logger


class HealthService:
    """Checks each dependency with the cheapest call its role may make."""

    def __init__(self, checks: dict[str, Callable[[], object]]) -> None:
        self.checks = checks

    def check(self) -> dict[str, bool]:
        results: dict[str, bool] = {}
        for name, probe in self.checks.items():
            try:
                # A probe fails by raising, or by answering False (as OpenSearch's ping does).
                results[name] = probe() is not False
            except Exception as error:
                # A part already known to be down (its breaker open) needs no traceback on every check.
                known = isinstance(error, ServiceUnavailable)
                logger.warning("Health check failed", extra={"component": name}, exc_info=not known)
                results[name] = False
        return results
