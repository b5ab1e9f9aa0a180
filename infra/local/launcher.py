"""Start the local stack as a child process and wait until it answers (for the e2e tests and the bench).

    with running_stack() as state:
        requests.get(f"{state['api_url']}/health")

runs `python -m infra.local.stack --api-port 0 --state-file F --quiet` from the repository's
folder, waits for the state file and for `GET {api_url}/health` to answer 200, yields the
parsed state file (see docs/interface.md), and on exit stops the stack with SIGTERM
(then SIGKILL after 30 s). Stdlib and requests only.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import requests

ROOT = Path(__file__).resolve().parents[2]
STOP_TIMEOUT_S = 30
# Never hand real credentials or a real endpoint to the stack: it sets its own fake ones.
_STRIPPED_ENV = ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_ENDPOINT_URL")


def wait_healthy(api_url: str, timeout_s: float) -> None:
    """Wait until `GET {api_url}/health` answers 200; TimeoutError after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    last = "no answer"
    while True:
        try:
            response = requests.get(f"{api_url}/health", timeout=2)
            if response.status_code == 200:
                return
            last = f"{response.status_code} {response.text[:200]}"
        except requests.RequestException as error:
            last = str(error)
        if time.monotonic() >= deadline:
            raise TimeoutError(f"{api_url}/health did not answer 200 within {timeout_s:.0f} s (last: {last})")
        time.sleep(0.5)


def _log_tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])
    except OSError:
        return "(no log)"


@contextlib.contextmanager
def running_stack(
    state_file: Path | None = None,
    opensearch_url: str | None = None,
    log_path: Path | None = None,
    startup_timeout_s: float = 240,
    clock: str | None = None,
    settings: Mapping[str, str] | None = None,
) -> Iterator[dict[str, Any]]:
    """A local stack on free ports for the duration of the `with` block; yields its state file's content.

    `opensearch_url`: use that OpenSearch; otherwise the stack starts its own (an OPENSEARCH_URL in
    this process's environment is not passed on). `state_file` and `log_path` default to a
    temporary folder removed afterwards. `clock`: the day (or ISO instant) the stack's clock starts
    from, instead of the real time. `settings`: function settings over the stack's own (`--setting`).
    """
    with contextlib.ExitStack() as cleanup:
        if state_file is None or log_path is None:
            scratch = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="case-reviews-stack-")))
            state_file = state_file or scratch / "stack.json"
            log_path = log_path or scratch / "stack.log"
        state_file.unlink(missing_ok=True)  # a stale one would be mistaken for readiness
        log_path.parent.mkdir(parents=True, exist_ok=True)
        log = cleanup.enter_context(log_path.open("w", encoding="utf-8"))

        environment = {name: value for name, value in os.environ.items() if name not in _STRIPPED_ENV}
        environment.pop("OPENSEARCH_URL", None)
        if opensearch_url:
            environment["OPENSEARCH_URL"] = opensearch_url.rstrip("/")
        command = [sys.executable, "-m", "infra.local.stack", "--api-port", "0", "--state-file", str(state_file)]
        if clock:
            command += ["--clock", clock]
        for name, value in (settings or {}).items():
            command += ["--setting", f"{name}={value}"]
        process = subprocess.Popen(
            [*command, "--quiet"], cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT
        )
        cleanup.callback(_stop, process)

        deadline = time.monotonic() + startup_timeout_s
        while not state_file.exists():
            if process.poll() is not None:
                raise RuntimeError(
                    f"the stack exited with {process.returncode} before it was ready; "
                    f"{log_path}:\n{_log_tail(log_path)}"
                )
            if time.monotonic() > deadline:
                raise TimeoutError(
                    f"the stack was not ready within {startup_timeout_s:.0f} s; {log_path}:\n{_log_tail(log_path)}"
                )
            time.sleep(0.2)
        state = json.loads(state_file.read_text(encoding="utf-8"))
        wait_healthy(state["api_url"], max(1.0, deadline - time.monotonic()))
        yield state


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
