"""Text-extraction throughput of the catalogue step on a generated 100-page report, against pdfminer.six and pypdf.

Four ways of getting the text of the same file, each timed from "here is the path" to "the text is out":

* `product`: `IsolatedPdfInspector.inspect` (adapters/pdf.py), exactly as the catalogue step calls it: a
  fresh interpreter for `pdf_worker` with its rlimits, the object scan and the clean rewrite (pypdf), and
  PDFium's text of the rewritten copy, written to a file. Interpreter start and imports included: the
  catalogue step pays them on every file.
* `in_process`: PDFium (pypdfium2) in this process, through the worker's own `_extract_text` (of the file as is).
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
EXTRACTORS = ("product", "in_process", "pypdf", "pdfminer")
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


def extract_product(path: Path, workdir: Path) -> str:
    from case_reviews.adapters.pdf import IsolatedPdfInspector

    inspected = IsolatedPdfInspector().inspect(path, workdir, anonymous=False)
    return inspected.text_path.read_text(encoding="utf-8")


def extract_in_process(path: Path, workdir: Path) -> str:
    from case_reviews.adapters.pdf import MAX_TEXT_CHARS
    from case_reviews.adapters.pdf_worker import _extract_text

    text_path = workdir / "in-process.txt"
    _extract_text(path, text_path, MAX_TEXT_CHARS)
    return text_path.read_text(encoding="utf-8")


def extract_pypdf(path: Path, _workdir: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


def extract_pdfminer(path: Path, _workdir: Path) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(path)


FUNCTIONS: dict[str, Callable[[Path, Path], str]] = {
    "product": extract_product,
    "in_process": extract_in_process,
    "pypdf": extract_pypdf,
    "pdfminer": extract_pdfminer,
}


def measure_extraction(pages: int = PAGES, repeats: int = REPEATS) -> dict[str, list[float]]:
    """Pages per second of each extractor, one sample per round; every extractor checked to find all the text."""
    samples: dict[str, list[float]] = {name: [] for name in EXTRACTORS}
    with tempfile.TemporaryDirectory(prefix="bench-extract-") as directory:
        path = Path(directory) / "report.pdf"
        make_report(path, pages)
        # One untimed pass each: imports and the OS file cache warm, as in a warm Lambda container.
        for name in EXTRACTORS:
            _check(name, FUNCTIONS[name](path, Path(tempfile.mkdtemp(dir=directory))))
        for _ in range(repeats):
            for name in EXTRACTORS:
                workdir = Path(tempfile.mkdtemp(dir=directory))
                started = time.perf_counter()
                text = FUNCTIONS[name](path, workdir)
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
