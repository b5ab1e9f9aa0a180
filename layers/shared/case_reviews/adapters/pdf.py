"""PDF inspection in a child process with hard limits (the parser itself is `pdf_worker`).

PDFium is native code fed by strangers: a crash, a hang or a decompression bomb must end a child
process, never the function (which would lose its batch and retry the same file until the queue
gives up). Only the standard library is imported here, so the handler's cold start stays small.

An exploited parser must not find the function's credentials either. The child gets a minimal
environment (no AWS_* variables, no endpoint addresses), and the function makes itself non-dumpable
before it starts one: Lambda puts the credentials in the function's initial environment, which
/proc/<pid>/environ shows to any process of the same user for as long as the function lives (and
/proc/<pid>/mem the clients holding them), unless the process is not dumpable. The child also drops
every capability (`pdf_worker._drop_privileges`), so that holds where the function runs as root.
"""

from __future__ import annotations

import ctypes
import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from aws_lambda_powertools import Logger

from case_reviews.domain.errors import UploadRejected
from case_reviews.domain.files import InspectedPdf
from case_reviews.domain.pdf_policy import TIMEOUT_REASON, UNPROCESSABLE_REASON

logger = Logger(child=True)

WORKER_MODULE = "case_reviews.adapters.pdf_worker"
# Enough for any real report; a bound keeps one pathological file from exhausting the function's memory.
MAX_TEXT_CHARS = 5_000_000
# All the child is given of the function's environment: what the interpreter needs to start and find its
# libraries (Lambda's runtime is found through LD_LIBRARY_PATH), and the locale. Nothing else, so no
# credentials, no endpoint addresses and no settings, whatever is added to the function later.
CHILD_ENVIRONMENT_PASSED = ("PATH", "LD_LIBRARY_PATH", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR")
_PR_SET_DUMPABLE = 4


@dataclass(frozen=True)
class PdfLimits:
    """What one file may cost: pages, wall-clock seconds, the child's address space, text kept."""

    max_pages: int = 2000
    time_limit_s: float = 30.0
    memory_limit_mb: int = 640
    max_text_chars: int = MAX_TEXT_CHARS


class IsolatedPdfInspector:
    """Runs `pdf_worker` on a file in a fresh interpreter with rlimits and a timeout; maps every failure."""

    def __init__(self, limits: PdfLimits | None = None) -> None:
        self.limits = limits or PdfLimits()

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
        _forbid_inspection_by_same_user()
        try:
            completed = subprocess.run(
                [sys.executable, "-m", WORKER_MODULE, json.dumps(request)],
                stdin=subprocess.DEVNULL,
                capture_output=True,
                timeout=self.limits.time_limit_s,
                env=_child_environment(),
                check=False,
            )
        except subprocess.TimeoutExpired:
            # subprocess.run has killed the child already.
            logger.warning("PDF inspection timed out", extra={"time_limit_s": self.limits.time_limit_s})
            raise UploadRejected(TIMEOUT_REASON) from None
        result = _last_json_line(completed.stdout)
        if completed.returncode != 0 or result is None:
            # A signal (negative code: SIGSEGV, SIGKILL from the CPU limit, SIGXFSZ) or an unexpected error.
            logger.warning(
                "PDF inspection failed",
                extra={"returncode": completed.returncode, "stderr": completed.stderr[-2000:].decode(errors="replace")},
            )
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


def _last_json_line(stdout: bytes) -> dict[str, object] | None:
    lines = stdout.decode("utf-8", errors="replace").strip().splitlines()
    if not lines:
        return None
    try:
        value = json.loads(lines[-1])
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None
