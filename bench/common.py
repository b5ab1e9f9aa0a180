"""What the bench's parts share: the repository's root, the error that voids a run, the environment of
the fresh interpreters it measures, the figures' arithmetic, and the wiring of the product's services.

`bench.run` imports its parts (extraction, memory, expiry, search) and they import this module, never
`bench.run`: there is no import cycle.

The product's services are wired as the tests and the local stack wire them (`bootstrap.build` from a
`Settings` mapping, `Clients` and a clock), never through the process's environment.
"""

from __future__ import annotations

import os
import statistics
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from case_reviews.adapters.aws import Clients
    from case_reviews.bootstrap import Services
    from case_reviews.ports import Clock
    from infra.local.provision import Provisioned

from infra.local.stack import LOCAL_CREDENTIALS, POWERTOOLS_LOCAL

ROOT = Path(__file__).resolve().parents[1]
# A fresh interpreter of the bench (a handler's import, a probe on moto) gets them, the region
# and Powertools' own switches, as the local stack sets them: the functions' imports read no settings
# (fake credentials: moto accepts anything, and nothing the bench runs may reach a real account).
IMPORT_ENVIRONMENT = {
    **{name.upper(): value for name, value in LOCAL_CREDENTIALS.items()},
    "AWS_REGION": "eu-west-2",
    "AWS_DEFAULT_REGION": "eu-west-2",
    **POWERTOOLS_LOCAL,
}


class BenchError(RuntimeError):
    """The run cannot give trustworthy figures (a deposit timed out, an import failed, ...)."""


def import_environment() -> dict[str, str]:
    """The environment of a fresh interpreter the bench starts: this one's, less anything AWS, Powertools or
    OpenSearch, plus IMPORT_ENVIRONMENT, with the functions and the layer on the path as Lambda lays them out."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("AWS_", "POWERTOOLS_", "OPENSEARCH_")) and name != "PYTHONPATH"
    }
    environment.update(IMPORT_ENVIRONMENT)
    environment["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "layers" / "shared")])
    return environment


# ---------------------------------------------------------------- the figures


def p95(values: list[float]) -> float:
    """The 95th percentile, linear interpolation between closest ranks (numpy's default, Excel's PERCENTILE.INC)."""
    return statistics.quantiles(values, n=20, method="inclusive")[18]


def metric(value: float, unit: str, n: int, baseline: float | None = None, digits: int | None = None) -> dict[str, Any]:
    """One metric entry: `value`, `unit`, `n`, and with a baseline `baseline` and `ratio` = value / baseline."""
    digits = digits if digits is not None else 3 if unit == "s" else 1
    entry: dict[str, Any] = {"value": round(value, digits), "unit": unit, "n": n}
    if baseline is not None:
        entry["baseline"] = round(baseline, digits)
        entry["ratio"] = round(value / baseline, 2)
    return entry


def latency_metrics(name: str, samples: list[float], baseline: list[float] | None = None) -> dict[str, dict[str, Any]]:
    """`name` (the median, carrying its p95 too, for readers that look the metric up by name),
    and `name.median` and `name.p95` as metrics of their own; with `baseline` samples, each against the
    same statistic of those (`baseline`, `ratio`)."""
    median = metric(
        statistics.median(samples), "s", len(samples), baseline=statistics.median(baseline) if baseline else None
    )
    tail = metric(p95(samples), "s", len(samples), baseline=p95(baseline) if baseline else None)
    return {
        name: {**median, "median": median["value"], "p95": tail["value"]},
        f"{name}.median": median,
        f"{name}.p95": tail,
    }


# ---------------------------------------------------------------- the product's services


def stack_clients(state: dict[str, Any]) -> Clients:
    """Clients of a running local stack's embedded AWS (its state file's endpoint and region, fake credentials)."""
    from case_reviews.adapters.aws import Clients

    return Clients(region=state["region"], endpoint_url=state["aws_endpoint_url"], credentials=LOCAL_CREDENTIALS)


def stack_clock(state: dict[str, Any]) -> Clock:
    """The stack's clock, as the staff CLI keeps to it: the real time, unless the stack runs on a set one."""
    from case_reviews.adapters.clock import SetClock, SystemClock

    offset = float(state.get("clock_offset_seconds") or 0)
    return SetClock(datetime.now(UTC) + timedelta(seconds=offset)) if offset else SystemClock()


def stack_services(state: dict[str, Any], index: str | None = None) -> Services:
    """The product's services on a running local stack, as `case-reviews --local` wires them (the settings from
    its state file, its embedded AWS, its clock); `index`: another search alias than the stack's own."""
    from case_reviews import bootstrap
    from case_reviews.config import Settings
    from case_reviews_cli.stack import SEARCH_ALIAS

    settings = {
        "AWS_REGION": state["region"],
        "CATALOGUE_TABLE_NAME": state["catalogue_table"],
        "REPORTS_BUCKET_NAME": state["bucket"],
        "EVENT_BUS_NAME": state["event_bus"],
        "OPENSEARCH_URL": state["opensearch_url"],
        "OPENSEARCH_AUTH": "none",
        "OPENSEARCH_INDEX": index or SEARCH_ALIAS,
    }
    return bootstrap.build(Settings(settings), stack_clients(state), stack_clock(state))


def embedded_services(provisioned: Provisioned, clients: Clients) -> Services:
    """The functions' services on a freshly provisioned embedded AWS (moto), as tests/integration/conftest.py
    wires them (no search: nothing here indexes), installed for the handlers."""
    from case_reviews import bootstrap
    from case_reviews.adapters.clock import SystemClock
    from case_reviews.config import Settings

    variables = provisioned.function_environment(
        opensearch_url="http://127.0.0.1:9", public_base_url="https://reviews.example.org/v1"
    )
    services = bootstrap.build(Settings(variables), clients, SystemClock())
    bootstrap.install(services)
    return services
