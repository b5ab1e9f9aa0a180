"""The embedded AWS: moto's server in a child process on loopback, which dies with this process."""

from __future__ import annotations

import contextlib
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import IO

from case_reviews.adapters.child_processes import die_with_parent
from infra.local.opensearch_server import free_port


class MotoServer:
    """moto_server on 127.0.0.1; `url` is the endpoint every AWS client of the stack uses.

    Call start() from the main thread: the server is killed when the thread that started it
    exits (see case_reviews/adapters/child_processes.py).
    """

    def __init__(self, port: int | None = None, log_path: Path | None = None) -> None:
        self.port = port or free_port()
        self.log_path = log_path
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self, timeout_s: float = 30) -> MotoServer:
        self._log = open(self.log_path, "ab") if self.log_path else None  # noqa: SIM115 - closed in stop()
        self._process = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(self.port)],
            stdout=self._log or subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
            # A session of its own keeps the terminal's Ctrl-C (and signals to the stack's group)
            # from reaching it before the stack has stopped what uses it; the parent-death signal
            # kills it if the stack dies without stop(), even by SIGKILL.
            start_new_session=True,
            preexec_fn=die_with_parent(),
        )
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                raise RuntimeError(f"moto server exited with {self._process.returncode} (see {self.log_path})")
            with contextlib.suppress(OSError), urllib.request.urlopen(f"{self.url}/moto-api/", timeout=1):
                return self
            time.sleep(0.1)
        self.stop()
        raise RuntimeError(f"moto server did not answer on {self.url} within {timeout_s} s")

    def is_running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def stop(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None
        if self._log:
            self._log.close()
            self._log = None

    def __enter__(self) -> MotoServer:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()
