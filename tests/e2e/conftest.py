"""The running local stack, driven over HTTP.

By default the tests start their own stack on free ports (sharing the test session's
OpenSearch) with infra.local.launcher. Set CASE_REVIEWS_STACK to a state file (e.g.
.local/stack.json) to reuse a stack that `make run` already started.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from infra.local.launcher import running_stack, wait_healthy
from tests.e2e.browser import browser, page, page_without_js  # noqa: F401 - the site's browser fixtures

STARTUP_TIMEOUT_S = 240


class Stack:
    def __init__(self, state: dict[str, Any], state_file: Path) -> None:
        self.state = state
        self.state_file = state_file
        self.api_url: str = state["api_url"]
        self.aws_endpoint_url: str = state["aws_endpoint_url"]
        self.board_key: str = state["demo_board"]["key"]
        self.board_name: str = state["demo_board"]["name"]

    def emails(self) -> list[dict[str, Any]]:
        """What the embedded SES has sent, as docs/interface.md says to read it."""
        data = requests.get(f"{self.aws_endpoint_url}/moto-api/data.json", timeout=10).json()
        return list(data.get("ses", {}).get("Message", []))


@pytest.fixture(scope="session")
def stack(
    tmp_path_factory: pytest.TempPathFactory, opensearch_url: str, pytestconfig: pytest.Config
) -> Iterator[Stack]:
    reuse = os.environ.get("CASE_REVIEWS_STACK")
    if reuse:
        state = json.loads(Path(reuse).read_text(encoding="utf-8"))
        wait_healthy(state["api_url"], 30)
        yield Stack(state, Path(reuse))
        return

    state_file = tmp_path_factory.mktemp("stack") / "stack.json"
    with running_stack(
        state_file=state_file,
        opensearch_url=opensearch_url,
        log_path=tmp_path_factory.getbasetemp() / "stack.log",
        startup_timeout_s=STARTUP_TIMEOUT_S,
        # The suite's day (--clock-date), if one was set: the stack's clock runs from it too.
        clock=pytestconfig.getoption("--clock-date"),
        # Every request of the end-to-end tests (Schemathesis's hundreds included) comes from one client, so
        # the per-client sign-up limit would refuse the later ones; tests/integration/test_alerts.py covers it.
        settings={"ALERT_SIGNUPS_PER_CLIENT": "100000"},
    ) as state:
        yield Stack(state, state_file)
