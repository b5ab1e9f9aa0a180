"""The one place where real adapters are built and wired into services.

`build(settings, clients, clock)` wires a runtime explicitly: Lambda's from its environment (on
the first call of `services()`), the local stack's, the CLI's and each test's from what they pass.
Each adapter and service is made on first use, never at import, so a function pays at cold start
only for the clients it uses (the retention function never loads OpenSearch or PDFium).

The factories themselves are part of bootstrap, one module per area in `case_reviews/wiring/`:
`adapters` (every real adapter), `deposits`, `reading`, `subscribers` and `staff` (the services).
`Services` is all of them together.
"""

from __future__ import annotations

import threading

from case_reviews.adapters.aws import Clients
from case_reviews.config import Settings
from case_reviews.ports import Clock
from case_reviews.wiring.deposits import DepositWiring
from case_reviews.wiring.reading import ReadingWiring
from case_reviews.wiring.staff import StaffWiring
from case_reviews.wiring.subscribers import SubscriberWiring


class Services(DepositWiring, ReadingWiring, SubscriberWiring, StaffWiring):
    """Every adapter and service of one runtime, wired from its settings, clients and clock; each made on
    first use (`Services(settings, clients, clock)`; see `wiring/adapters.AdapterWiring`)."""


def build(settings: Settings, clients: Clients | None = None, clock: Clock | None = None) -> Services:
    """The services of a runtime: its settings, its clients (default: AWS in the settings' region)
    and its clock (default: the real one)."""
    if clock is None:
        from case_reviews.adapters.clock import SystemClock

        clock = SystemClock()
    return Services(settings, clients or Clients(), clock)


_installed: Services | None = None
_lock = threading.Lock()


def services() -> Services:
    """The runtime's services: what `install` put in place, or (in Lambda) built from the environment."""
    global _installed
    with _lock:
        if _installed is None:
            _installed = build(Settings.from_environment())
        return _installed


def install(chosen: Services | None) -> None:
    """Make `chosen` the services the handlers use (the local stack, the CLI, each test); None: forget them."""
    global _installed
    with _lock:
        _installed = chosen
