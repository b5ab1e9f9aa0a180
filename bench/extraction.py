"""Text-extraction throughput of the catalogue step on a generated 100-page report, against pdfminer.six and pypdf.

Five ways of getting the text of the same file, each timed from "here is the path" to "the text is out":

* `product`: `IsolatedPdfInspector.inspect` (adapters/pdf.py), exactly as the catalogue step calls it in a
  warm container: the warm `pdf_worker` (started by the untimed pass) forks a process for the file, which
  sets its rlimits, runs the object scan and the clean rewrite (pypdf), and writes PDFium's text of the
  rewritten copy to a file.
* `worker_per_file`: the same with a worker started for every file (`max_files_per_worker=1`: an
  interpreter's start and the imports of PDFium and pypdf included), as the catalogue step did before the
  worker was kept warm, and as it still does on a container's first file.
* `in_process`: PDFium (pypdfium2) in this process, through the worker's own `text.extract_text` (the file as is).
* `pypdf`: `PdfReader(path)` and `page.extract_text()` for every page.
* `pdfminer`: `pdfminer.high_level.extract_text(path)`.

Rounds alternate the four (so drift hits all alike); the figure is the median of the rounds.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from bench.common import BenchError
from bench.corpus import report_pages

PAGES = 100
REPEATS = 7
EXTRACTORS = ("product", "worker_per_file", "in_process", "pypdf", "pdfminer")
# A word on the last page only: every extractor must find it (the text really came out).
LAST_PAGE_MARKER = "zephyrmarker"


def make_report(path: Path, pages: int = PAGES) -> None:
    """A text report of `pages` pages (fpdf2, as tests/support/pdfs.py): a heading and four paragraphs each."""
    from fpdf import FPDF

    document = FPDF()
    document.set_title("Child Safeguarding Practice Review: Child K, Overview Report")
    document.set_font("helvetica", size=11)
    texts = report_pages(pages)
    texts[-1] += f"\n\nEnd of report {LAST_PAGE_MARKER}."
    for text in texts:
        document.add_page()
        document.multi_cell(0, 6, text)
    document.output(str(path))


def product_extractor(max_files_per_worker: int) -> Callable[[Path, Path], str]:
    """The product's inspection through one inspector (kept for every call: its worker stays warm)."""
    from case_reviews.adapters.pdf import IsolatedPdfInspector

    inspector = IsolatedPdfInspector(max_files_per_worker=max_files_per_worker)

    def extract(path: Path, workdir: Path) -> str:
        inspected = inspector.inspect(path, workdir, anonymous=False)
        return inspected.text_path.read_text(encoding="utf-8")

    return extract


def extract_in_process(path: Path, workdir: Path) -> str:
    from case_reviews.adapters.pdf import MAX_TEXT_CHARS
    from case_reviews.adapters.pdf_worker.text import extract_text

    text_path = workdir / "in-process.txt"
    extract_text(path, text_path, MAX_TEXT_CHARS)
    return text_path.read_text(encoding="utf-8")


def extract_pypdf(path: Path, _workdir: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def extract_pdfminer(path: Path, _workdir: Path) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(path)


def extractors() -> dict[str, Callable[[Path, Path], str]]:
    return {
        "product": product_extractor(max_files_per_worker=1_000_000),
        "worker_per_file": product_extractor(max_files_per_worker=1),
        "in_process": extract_in_process,
        "pypdf": extract_pypdf,
        "pdfminer": extract_pdfminer,
    }


def measure_extraction(pages: int = PAGES, repeats: int = REPEATS) -> dict[str, list[float]]:
    """Pages per second of each extractor, one sample per round; every extractor checked to find all the text."""
    samples: dict[str, list[float]] = {name: [] for name in EXTRACTORS}
    functions = extractors()
    with tempfile.TemporaryDirectory(prefix="bench-extract-") as directory:
        path = Path(directory) / "report.pdf"
        make_report(path, pages)
        # One untimed pass each: imports and the OS file cache warm, as in a warm Lambda container.
        for name in EXTRACTORS:
            _check(name, functions[name](path, Path(tempfile.mkdtemp(dir=directory))))
        for _ in range(repeats):
            for name in EXTRACTORS:
                workdir = Path(tempfile.mkdtemp(dir=directory))
                started = time.perf_counter()
                text = functions[name](path, workdir)
                elapsed = time.perf_counter() - started
                if LAST_PAGE_MARKER not in text:
                    raise BenchError(f"extraction: {name} did not find the last page's text")
                samples[name].append(pages / elapsed)
    return samples


def _check(name: str, text: str) -> None:
    if LAST_PAGE_MARKER not in text or len(text) < PAGES * 1000:
        raise BenchError(f"extraction: {name} returned {len(text)} characters without the last page's marker")


def summary(samples: dict[str, list[float]]) -> dict[str, float]:
    return {name: statistics.median(values) for name, values in samples.items()}
