"""The running local stack, driven over HTTP.

By default the tests start their own stack on free ports (sharing the test session's
OpenSearch). Set CASE_REVIEWS_STACK to a state file (e.g. .local/stack.json) to reuse a
stack that `make run` already started.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
STARTUP_TIMEOUT_S = 240


class Stack:
    def __init__(self, state: dict[str, Any]) -> None:
        self.state = state
        self.api_url: str = state["api_url"]
        self.aws_endpoint_url: str = state["aws_endpoint_url"]
        self.board_key: str = state["demo_board"]["key"]
        self.board_name: str = state["demo_board"]["name"]

    def emails(self) -> list[dict[str, Any]]:
        """What the embedded SES has sent, as ../shared/interface.md says to read it."""
        data = requests.get(f"{self.aws_endpoint_url}/moto-api/data.json", timeout=10).json()
        return list(data.get("ses", {}).get("Message", []))


def _wait_healthy(api_url: str, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{api_url}/health", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise TimeoutError(f"{api_url}/health did not answer 200")


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory, opensearch_url: str) -> Iterator[Stack]:
    reuse = os.environ.get("CASE_REVIEWS_STACK")
    if reuse:
        state = json.loads(Path(reuse).read_text(encoding="utf-8"))
        _wait_healthy(state["api_url"], time.monotonic() + 30)
        yield Stack(state)
        return

    state_file = tmp_path_factory.mktemp("stack") / "stack.json"
    log = (tmp_path_factory.getbasetemp() / "stack.log").open("w")
    environment = {**os.environ, "OPENSEARCH_URL": opensearch_url}
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL"):
        environment.pop(name, None)
    process = subprocess.Popen(
        [sys.executable, "-m", "infra.local.stack", "--api-port", "0", "--state-file", str(state_file), "--quiet"],
        cwd=ROOT,
        env=environment,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT_S
        while not state_file.exists():
            if process.poll() is not None:
                raise RuntimeError(f"the stack exited with {process.returncode}; see {log.name}")
            if time.monotonic() > deadline:
                raise TimeoutError(f"the stack did not start; see {log.name}")
            time.sleep(0.2)
        state = json.loads(state_file.read_text(encoding="utf-8"))
        _wait_healthy(state["api_url"], deadline)
        yield Stack(state)
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()
