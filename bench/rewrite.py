"""The clean rewrite of an upload (every stored copy is one): pypdf, the product's choice, against pikepdf (qpdf).

Each library rewrites the same files from "here is the path" to "the new file is written", keeping only the
objects the current revision reaches:

* `pypdf`: `PdfWriter(clone_from=PdfReader(path)).write(target)`, as `pdf_worker.rewrite.rewrite` does it;
* `pikepdf`: `pikepdf.open(path).save(target)` (qpdf writes only what the trailer reaches).

Two files: `report`, a generated 100-page text report (bench/corpus.py's prose, as bench/extraction.py's) whose
first page and title an incremental update changed, so its earlier revision holds a marker; and `scanned`, a
generated 20 MiB report of page images (bench/memory.py's generator). Both copies are checked: the same
pages, the last page's text, no trace of the earlier revision's marker.

Per library and file: the median seconds of a rewrite in this (warm) process, the median wall time of a
fresh interpreter that imports the library and rewrites once (what the parser's child pays per upload),
its peak RSS (behind bench/memory.py's launcher), the copy's size, and the library's installed size with
the dependencies it would add to the layer.

    python -m bench.rewrite        # prints the figures (JSON); `make bench` records them with the rest
"""

from __future__ import annotations

import importlib.metadata
import io
import json
import re
import statistics
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench.common import BenchError, import_environment

LIBRARIES = ("pypdf", "pikepdf")
REPORT_PAGES = 100
SCANNED_BYTES = 20 * 1024 * 1024
REPEATS = 7
FRESH_REPEATS = 5
EARLIER_MARKER = "quillonmarker"  # only in the report's earlier revision
# What each library would add to the Lambda layer (pypdf is there already, so its own size is its cost).
LAYER_ADDITIONS = {"pypdf": ("pypdf",), "pikepdf": ("pikepdf", "lxml", "pillow")}

# A fresh interpreter: the same calls as REWRITERS, timed from before the import; nothing else imported.
FRESH_PROBE = (
    "import sys, time\nstarted = time.perf_counter()\n{rewrite}sys.stdout.write(repr(time.perf_counter() - started))\n"
)
FRESH_REWRITES = {
    "pypdf": (
        "from pypdf import PdfReader, PdfWriter\nPdfWriter(clone_from=PdfReader(sys.argv[1])).write(sys.argv[2])\n"
    ),
    "pikepdf": "import pikepdf\nwith pikepdf.open(sys.argv[1]) as document:\n    document.save(sys.argv[2])\n",
}


def rewrite_pypdf(source: str, target: str) -> None:
    from pypdf import PdfReader, PdfWriter

    PdfWriter(clone_from=PdfReader(source)).write(target)


def rewrite_pikepdf(source: str, target: str) -> None:
    import pikepdf

    with pikepdf.open(source) as document:
        document.save(target)


REWRITERS: dict[str, Callable[[str, str], None]] = {"pypdf": rewrite_pypdf, "pikepdf": rewrite_pikepdf}


def make_files(directory: Path) -> dict[str, Path]:
    from bench.memory import make_large_pdf

    report = directory / "report.pdf"
    _make_report_with_marker(report)
    scanned = directory / "scanned.pdf"
    make_large_pdf(scanned, SCANNED_BYTES)
    return {"report": report, "scanned": scanned}


def _make_report_with_marker(path: Path) -> None:
    """The report whose first revision's first page and title hold EARLIER_MARKER, updated incrementally."""
    from fpdf import FPDF
    from pypdf import PdfWriter
    from pypdf.generic import DecodedStreamObject, NameObject

    from bench.corpus import report_pages
    from bench.extraction import LAST_PAGE_MARKER

    document = FPDF()
    document.set_title(f"Child Safeguarding Practice Review: {EARLIER_MARKER}, Overview Report")
    document.set_font("helvetica", size=11)
    texts = report_pages(REPORT_PAGES)
    texts[0] = f"The child, {EARLIER_MARKER}, was known to children's social care.\n\n" + texts[0]
    texts[-1] += f"\n\nEnd of report {LAST_PAGE_MARKER}."
    for text in texts:
        document.add_page()
        document.multi_cell(0, 6, text)
    writer = PdfWriter(io.BytesIO(bytes(document.output())), incremental=True)
    writer.add_metadata({"/Title": "Child Safeguarding Practice Review: Child K, Overview Report"})
    page = writer.pages[0]
    font = next(iter(page["/Resources"]["/Font"]))
    content = DecodedStreamObject()
    content.set_data(f"BT {font} 11 Tf 30 780 Td (The child, Child K, was known to social care.) Tj ET".encode())
    page[NameObject("/Contents")] = writer._add_object(content)
    with path.open("wb") as out:
        writer.write(out)


def _check(name: str, library: str, source: Path, copy: Path) -> None:
    """The copy has the source's pages and last words, and (for the report) no trace of its earlier revision."""
    import pypdfium2 as pdfium

    from bench.extraction import LAST_PAGE_MARKER

    original, rewritten = pdfium.PdfDocument(str(source)), pdfium.PdfDocument(str(copy))
    try:
        if len(rewritten) != len(original):
            raise BenchError(f"rewrite: {library} gave {len(rewritten)} pages of {name}'s {len(original)}")
        if name == "report" and LAST_PAGE_MARKER not in rewritten[len(rewritten) - 1].get_textpage().get_text_range():
            raise BenchError(f"rewrite: {library}'s copy of {name} lost its last page's text")
    finally:
        original.close()
        rewritten.close()
    if name == "report":
        data = copy.read_bytes()
        marker = EARLIER_MARKER.encode()
        if marker not in source.read_bytes() and not _in_streams(source.read_bytes(), marker):
            raise BenchError("rewrite: the generated report lacks its earlier revision's marker")
        if marker in data or _in_streams(data, marker):
            raise BenchError(f"rewrite: {library}'s copy of the report keeps its earlier revision")


def _in_streams(data: bytes, marker: bytes) -> bool:
    for match in re.finditer(rb"stream\r?\n(.*?)endstream", data, re.DOTALL):
        try:
            if marker in zlib.decompressobj().decompress(match.group(1)):
                return True
        except zlib.error:
            continue
    return False


def _installed_mb(distributions: tuple[str, ...]) -> float:
    total = 0
    for name in distributions:
        for file in importlib.metadata.distribution(name).files or []:
            located = Path(str(file.locate()))
            if located.is_file():
                total += located.stat().st_size
    return total / 1024 / 1024


def _fresh(library: str, source: Path, target: Path) -> tuple[float, float]:
    """A fresh interpreter imports `library` and rewrites once: (its wall seconds, its peak RSS in MiB)."""
    from bench.memory import run_launched

    command = [sys.executable, "-c", FRESH_PROBE.format(rewrite=FRESH_REWRITES[library]), str(source), str(target)]
    completed, peak_kib = run_launched(command, env=import_environment(), capture_output=True, text=True)
    if completed.returncode != 0:
        raise BenchError(f"rewrite: a fresh {library} process failed:\n{completed.stderr[-2000:]}")
    return float(completed.stdout.strip().splitlines()[-1]), peak_kib / 1024


def measure_rewrite(repeats: int = REPEATS, fresh_repeats: int = FRESH_REPEATS) -> dict[str, Any]:
    """Every sample of every library on every file, with the copies' sizes and the libraries' installed sizes."""
    samples: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-rewrite-") as directory:
        files = make_files(Path(directory))
        for name, source in files.items():
            for library in LIBRARIES:
                target = Path(directory) / f"{name}.{library}.pdf"
                REWRITERS[library](str(source), str(target))  # untimed: imports and the file cache warm
                _check(name, library, source, target)
                timed = []
                for _ in range(repeats):
                    started = time.perf_counter()
                    REWRITERS[library](str(source), str(target))
                    timed.append(time.perf_counter() - started)
                fresh = [_fresh(library, source, target) for _ in range(fresh_repeats)]
                samples[f"{name}.{library}"] = {
                    "source_bytes": source.stat().st_size,
                    "copy_bytes": target.stat().st_size,
                    "rewrite_s": timed,
                    "fresh_process_s": [seconds for seconds, _ in fresh],
                    "fresh_process_peak_rss_mb": [peak for _, peak in fresh],
                }
    for library in LIBRARIES:
        samples[f"installed_mb.{library}"] = round(_installed_mb(LAYER_ADDITIONS[library]), 1)
    return samples


def summary(samples: dict[str, Any]) -> dict[str, Any]:
    """Medians of the times, the worst peak, the sizes."""
    figures: dict[str, Any] = {}
    for key, value in samples.items():
        if key.startswith("installed_mb."):
            figures[key] = value
            continue
        figures[key] = {
            "rewrite_s": round(statistics.median(value["rewrite_s"]), 3),
            "fresh_process_s": round(statistics.median(value["fresh_process_s"]), 3),
            "fresh_process_peak_rss_mb": round(max(value["fresh_process_peak_rss_mb"]), 1),
            "source_bytes": value["source_bytes"],
            "copy_bytes": value["copy_bytes"],
        }
    return figures


if __name__ == "__main__":
    print(json.dumps(summary(measure_rewrite()), indent=2))
