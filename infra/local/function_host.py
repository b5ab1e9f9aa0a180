"""One queue-fed function of the local stack, in a process of its own, as Lambda gives each function its own
container: its own interpreter, memory and imports, and no lock shared with the other functions or the API.

    python -m infra.local.function_host SETUP_FILE FUNCTION

The stack writes SETUP_FILE (JSON: the functions' settings, the embedded AWS, the clock, each function's
queue and timeout) and starts one host per function. A host wires the function's services as the stack
would (bootstrap), imports its handler, says it is ready by creating `<SETUP_FILE>.<FUNCTION>.ready`, then
feeds it its queue (`pollers.QueuePoller`) until SIGTERM or SIGINT; it dies with the stack however the
stack dies (the stack starts it with the parent-death signal).
"""

from __future__ import annotations

import importlib
import json
import signal
import sys
import threading
import time
import warnings
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from case_reviews.adapters.aws import Clients
from case_reviews.adapters.clock import SetClock
from case_reviews.config import Settings
from case_reviews.ports import Clock
from infra.local.pollers import QueuePoller

# The machine's monotonic clock, the same in every process (Linux's CLOCK_MONOTONIC).
_monotonic = time.monotonic


def clock_setup(clock: Clock | None) -> dict[str, Any] | None:
    """What a host needs to run the stack's own clock: the instant it shows at one moment of the machine's
    monotonic clock (shared by every process), or None for the real time."""
    if clock is None:
        return None
    return {"at": clock.now().isoformat(), "monotonic": _monotonic()}


def clock_from(setup: dict[str, Any] | None) -> SetClock | None:
    """The stack's clock, in this process: at the instant it shows now there."""
    if setup is None:
        return None
    elapsed = _monotonic() - float(setup["monotonic"])
    return SetClock(datetime.fromisoformat(setup["at"]) + timedelta(seconds=elapsed))


def ready_file(setup_file: Path, function: str) -> Path:
    return setup_file.with_name(f"{setup_file.name}.{function}.ready")


def main(argv: list[str] | None = None) -> int:
    setup_file, function = argv or sys.argv[1:]
    setup = json.loads(Path(setup_file).read_text(encoding="utf-8"))
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())
    # Powertools warns on every invocation that records no metric; locally that is only noise.
    warnings.filterwarnings("ignore", message="No application metrics to publish")

    from case_reviews import bootstrap

    aws = setup["aws"]
    clients = Clients(region=aws["region"], endpoint_url=aws["endpoint_url"], credentials=aws["credentials"])
    services = bootstrap.build(Settings(setup["settings"]), clients, clock_from(setup["clock"]))
    bootstrap.install(services)
    handler = importlib.import_module(f"functions.{function}.app").lambda_handler
    queue = setup["functions"][function]
    poller = QueuePoller(clients.aws("sqs"), queue["queue_url"], handler, function, timeout_s=float(queue["timeout_s"]))
    ready_file(Path(setup_file), function).touch()
    # On this (the main) thread: the PDF parser's worker, started from here, dies with this host.
    poller.run(stop)
    return 0


if __name__ == "__main__":
    sys.exit(main())
