"""PDF inspection in a child process with hard limits (the parser itself is `pdf_worker`).

PDFium is native code fed by strangers: a crash, a hang or a decompression bomb must end a child
process, never the function (which would lose its batch and retry the same file until the queue
gives up). Only the standard library is imported here, so the handler's cold start stays small.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from aws_lambda_powertools import Logger

from case_reviews.adapters.pdf_worker import UNPROCESSABLE_REASON
from case_reviews.domain.errors import UploadRejected
from case_reviews.domain.files import InspectedPdf

logger = Logger(child=True)

WORKER_MODULE = "case_reviews.adapters.pdf_worker"
# Enough for any real report; a bound keeps one pathological file from exhausting the function's memory.
MAX_TEXT_CHARS = 5_000_000
TIMEOUT_REASON = (
    "The PDF could not be processed within the time allowed. "
    "Export the report again (for example by printing it to PDF) and submit it again; if it still fails, "
    "contact the library."
)


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

    def inspect(self, source: Path, workdir: Path, strip_metadata: bool) -> InspectedPdf:
        """The file's findings, or UploadRejected with a reason the board can act on."""
        text_path = workdir / "text.txt"
        stripped_path = workdir / "stored.pdf" if strip_metadata else None
        request = {
            "source": str(source),
            "text_path": str(text_path),
            "stripped_path": str(stripped_path) if stripped_path else None,
            "max_pages": self.limits.max_pages,
            "max_text_chars": self.limits.max_text_chars,
            "memory_bytes": self.limits.memory_limit_mb * 1024 * 1024,
            "cpu_seconds": max(1, int(self.limits.time_limit_s)),
            # The stripped copy can outgrow the upload a little (uncompressed cross-reference table).
            "max_output_bytes": 2 * source.stat().st_size + 4 * self.limits.max_text_chars + 1024 * 1024,
        }
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
            raise UploadRejected(str(result["rejected"]))
        return InspectedPdf(
            page_count=int(result["page_count"]),
            text_chars=int(result["text_chars"]),
            text_layer=bool(result["text_layer"]),
            text_path=text_path,
            stored_path=stripped_path if stripped_path else source,
            metadata_stripped=bool(result["metadata_stripped"]),
        )


def _child_environment() -> dict[str, str]:
    """The parent's import path (the layer, the tests' source roots), so the child finds the same code."""
    return {**os.environ, "PYTHONPATH": os.pathsep.join(entry for entry in sys.path if entry)}


def _last_json_line(stdout: bytes) -> dict[str, object] | None:
    lines = stdout.decode("utf-8", errors="replace").strip().splitlines()
    if not lines:
        return None
    try:
        value = json.loads(lines[-1])
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None
