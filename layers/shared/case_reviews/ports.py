"""The ports: what services need from the world, as Protocols. Adapters implement them; services import only these."""

from __future__ import annotations

from datetime import datetime
from typing import Protocol


class Clock(Protocol):
    """Where every service and handler learns the time: the real one in Lambda, a set one in tests."""

    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        ...
