"""PDF inspection in a worker process with hard limits, kept warm (the parser itself is `pdf_worker`).

PDFium is native code fed by strangers: a crash, a hang or a decompression bomb must end a process of the
parser's, never the function (which would lose its batch and retry the same file until the queue gives
up). Neither PDFium nor pypdf is imported here, so the handler's cold start stays small.

Starting an interpreter and importing PDFium and pypdf costs more than parsing a report, so a function
keeps one worker (`pdf_worker`): started on the first file with the limits below, then reused. Each file
is still parsed in a process of its own, a fork of the worker made for it (ahead of time, and warmed on a
PDF of the worker's own), with that file's memory, CPU and output limits set afresh; whatever it leaves
running is ended with it. The wall-clock limit is this side's, which kills the worker (and the file's
process with it) when a file takes too long. The worker is replaced after a crash, a limit hit or a timeout
(whatever the cause, a new one costs only a start), and after `max_files_per_worker` files. It dies with
the function, whatever ends that (`child_processes.die_with_parent`): no worker outlives its function.

An exploited parser must not find the function's credentials either. The worker gets a minimal
environment (no AWS_* variables, no endpoint addresses), and the function makes itself non-dumpable
before it starts one: Lambda puts the credentials in the function's initial environment, which
/proc/<pid>/environ shows to any process of the same user for as long as the function lives (and
/proc/<pid>/mem the clients holding them), unless the process is not dumpable. The worker also drops
every capability (`pdf_worker.confinement.drop_privileges`), so that holds where the function runs as
root, and is itself non-dumpable, so a file's fork cannot reach into it to tamper with the forks of later
files.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import os
import selectors
import signal
import subprocess
import sys
import tempfile
import threading
import time
import weakref
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from case_reviews.adapters.child_processes import die_with_parent
from case_reviews.domain.errors import UploadRejected
from case_reviews.domain.files import InspectedPdf
from case_reviews.domain.pdf_policy import TIMEOUT_REASON, UNPROCESSABLE_REASON
from case_reviews.observability import logger

WORKER_MODULE = "case_reviews.adapters.pdf_worker"
# Enough for any real report; a bound keeps one pathological file from exhausting the function's memory.
MAX_TEXT_CHARS = 5_000_000
# All the child is given of the function's environment: what the interpreter needs to start and find its
# libraries (Lambda's runtime is found through LD_LIBRARY_PATH), and the locale. Nothing else, so no
# credentials, no endpoint addresses and no settings, whatever is added to the function later.
CHILD_ENVIRONMENT_PASSED = ("PATH", "LD_LIBRARY_PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR")
_PR_SET_DUMPABLE = 4
# Files one worker serves before it is replaced (PDF_WORKER_MAX_FILES): the worker never reads a file, so
# this only bounds how long any one process lives.
MAX_FILES_PER_WORKER = 100
# What of the worker's stderr is logged when a file fails (it can quote the file, so only the end).
STDERR_LOGGED_BYTES = 2000


@dataclass(frozen=True)
class PdfLimits:
    """What one file may cost: pages, wall-clock seconds, the child's address space, text kept."""

    max_pages: int = 2000
    time_limit_s: float = 30.0
    memory_limit_mb: int = 640
    max_text_chars: int = MAX_TEXT_CHARS


class IsolatedPdfInspector:
    """Runs `pdf_worker` on each file, in a fork of a warm worker, with rlimits and a timeout; maps every failure.

    One worker at a time (inspections wait for each other), started on the first file and kept for the
    next ones; `close()` (or garbage collection) ends it.
    """

    def __init__(self, limits: PdfLimits | None = None, max_files_per_worker: int = MAX_FILES_PER_WORKER) -> None:
        self.limits = limits or PdfLimits()
        self.max_files_per_worker = max_files_per_worker
        self._slot = _WorkerSlot()
        self._lock = threading.Lock()
        weakref.finalize(self, self._slot.retire)

    @property
    def worker_pid(self) -> int | None:
        """The process id of the worker kept warm, if there is one (for logs and tests)."""
        worker = self._slot.worker
        return worker.process.pid if worker is not None else None

    def close(self) -> None:
        """End the worker, if one is running; the next file starts another."""
        with self._lock:
            self._slot.retire()

    def inspect(self, source: Path, workdir: Path, anonymous: bool) -> InspectedPdf:
        """The file's findings, or UploadRejected with a reason the board can act on."""
        text_path = workdir / "text.txt"
        stored_path = workdir / "stored.pdf"
        request = {
            "source": str(source),
            "text_path": str(text_path),
            "stored_path": str(stored_path),
            "anonymous": anonymous,
            "max_pages": self.limits.max_pages,
            "max_text_chars": self.limits.max_text_chars,
            "memory_bytes": self.limits.memory_limit_mb * 1024 * 1024,
            "cpu_seconds": max(1, int(self.limits.time_limit_s)),
            # The rewritten copy can outgrow the upload (objects that were compressed together are written apart).
            "max_output_bytes": 2 * source.stat().st_size + 4 * self.limits.max_text_chars + 1024 * 1024,
        }
        with self._lock:
            answer, stderr = self._ask(request)
        result = answer.get("result") if answer is not None else None
        returncode = answer.get("returncode") if answer is not None else None
        if returncode != 0 or not isinstance(result, dict):
            # A signal (negative code: SIGSEGV, SIGKILL from the CPU limit, SIGXFSZ), an unexpected error, or
            # a worker that died itself (no answer).
            logger.warning("PDF inspection failed", extra={"returncode": returncode, "stderr": stderr})
            raise UploadRejected(UNPROCESSABLE_REASON)
        if "rejected" in result:
            # The detail is what the parser found, for staff; it can quote the file, so only its start is kept.
            detail = str(result.get("detail") or "")[:300]
            logger.info("PDF refused", extra={"reason": result["rejected"], "detail": detail})
            raise UploadRejected(str(result["rejected"]))
        return InspectedPdf(
            page_count=int(result["page_count"]),
            text_chars=int(result["text_chars"]),
            text_layer=bool(result["text_layer"]),
            text_path=text_path,
            stored_path=stored_path,
            metadata_stripped=bool(result["metadata_stripped"]),
        )

    def _ask(self, request: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
        """The worker's answer for this file (None if the worker died), and its stderr when that is of use.

        Retires the worker after a timeout, a failure of any kind, a limit hit or its last file.
        """
        deadline = time.monotonic() + self.limits.time_limit_s
        answer: dict[str, Any] | None = None
        for _ in range(2):
            worker, fresh = self._slot.ready(self.limits)
            try:
                answer = worker.ask(request, deadline)
                break
            except _WorkerGone:
                if fresh:
                    break
                # A warm worker that ended while idle (the container was short of memory, say): not this
                # file's doing, so the file goes to a new worker, within the same time limit.
                self._slot.retire()
            except TimeoutError:
                self._slot.retire()  # kills the worker and the file's fork with it
                logger.warning("PDF inspection timed out", extra={"time_limit_s": self.limits.time_limit_s})
                raise UploadRejected(TIMEOUT_REASON) from None
        worker.files += 1
        result = answer.get("result") if answer is not None else None
        failed = answer is None or answer.get("returncode") != 0 or not isinstance(result, dict)
        stderr = worker.stderr_tail() if failed else ""
        limit_hit = isinstance(result, dict) and bool(result.get("limit_hit"))
        if failed or limit_hit or worker.files >= self.max_files_per_worker:
            self._slot.retire()
        return answer, stderr


class _WorkerGone(Exception):
    """The worker's pipe closed: it ended (by a signal, an error, or before it could read the request)."""


class _Worker:
    """One `pdf_worker` process: requests on its stdin, answers on its stdout, stderr in a temporary file."""

    def __init__(self, limits: PdfLimits) -> None:
        self.files = 0
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115 - closed in stop()
        config = {"memory_bytes": limits.memory_limit_mb * 1024 * 1024}
        self.process = subprocess.Popen(
            [sys.executable, "-m", WORKER_MODULE, json.dumps(config)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._stderr,
            env=_child_environment(),
            bufsize=0,
            # A process group of its own: a timeout kills the worker and the file's fork together. Out of
            # the function's group, it dies with the function all the same, whatever kills that.
            start_new_session=True,
            preexec_fn=die_with_parent(),
        )
        self._pending = b""

    def alive(self) -> bool:
        return self.process.poll() is None

    def ask(self, request: dict[str, Any], deadline: float) -> dict[str, Any] | None:
        """Send one request; its answer, or TimeoutError once `deadline` (time.monotonic) has passed."""
        assert self.process.stdin is not None and self.process.stdout is not None
        # Only this file's messages are logged if it fails.
        os.ftruncate(self._stderr.fileno(), 0)
        os.lseek(self._stderr.fileno(), 0, os.SEEK_SET)
        try:
            self.process.stdin.write(json.dumps(request).encode() + b"\n")
        except (BrokenPipeError, ConnectionResetError):
            raise _WorkerGone from None
        line = self._read_line(self.process.stdout, deadline)
        try:
            answer = json.loads(line)
        except json.JSONDecodeError:
            return None
        return answer if isinstance(answer, dict) else None

    def _read_line(self, stdout: IO[bytes], deadline: float) -> bytes:
        with selectors.DefaultSelector() as selector:
            selector.register(stdout, selectors.EVENT_READ)
            while b"\n" not in self._pending:
                remaining = deadline - time.monotonic()
                if remaining <= 0 or not selector.select(remaining):
                    raise TimeoutError
                chunk = os.read(stdout.fileno(), 65536)
                if not chunk:
                    raise _WorkerGone
                self._pending += chunk
        line, _, self._pending = self._pending.partition(b"\n")
        return line

    def stderr_tail(self) -> str:
        size = os.fstat(self._stderr.fileno()).st_size
        start = max(0, size - STDERR_LOGGED_BYTES)
        return os.pread(self._stderr.fileno(), size - start, start).decode(errors="replace")

    def stop(self) -> None:
        """Kill the worker's process group (the worker, and a file's fork if one is running) and reap it."""
        with contextlib.suppress(ProcessLookupError, PermissionError):  # gone already, its group with it
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()
        for stream in (self.process.stdin, self.process.stdout):
            if stream is not None:
                stream.close()
        self._stderr.close()


class _WorkerSlot:
    """The one worker an inspector keeps (a slot of its own, so that the finalizer does not hold the inspector)."""

    def __init__(self) -> None:
        self.worker: _Worker | None = None

    def ready(self, limits: PdfLimits) -> tuple[_Worker, bool]:
        """The worker to use, and whether it was started for this file (the first, or after one was retired)."""
        if self.worker is not None and self.worker.alive():
            return self.worker, False
        self.retire()
        _forbid_inspection_by_same_user()
        self.worker = _Worker(limits)
        return self.worker, True

    def retire(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.stop()


def _child_environment() -> dict[str, str]:
    """CHILD_ENVIRONMENT_PASSED, and the parent's import path (the layer, the tests' source roots), so the
    child finds the same code."""
    passed = {name: os.environ[name] for name in CHILD_ENVIRONMENT_PASSED if name in os.environ}
    return {**passed, "PYTHONPATH": os.pathsep.join(entry for entry in sys.path if entry)}


def _forbid_inspection_by_same_user() -> None:
    """Make this process non-dumpable: only a process holding CAP_SYS_PTRACE may then read its environment,
    memory or file descriptors under /proc, or trace it. Core dumps of it are off too (they would hold
    board data). The flag stays until the process ends; setting it again is harmless."""
    if not sys.platform.startswith("linux"):
        return  # a developer's machine of another kind: no /proc to close, and no Lambda credentials
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE, 0) failed")
