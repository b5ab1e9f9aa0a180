"""The stored copy's text, as PDFium reads it, written page by page for the search index.

Pages are separated by `pdf_policy.PAGE_SEPARATOR` (so a finding can name its page), line ends are plain
newlines, and the text is capped; whether the copy "has a text layer" is decided here too.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from case_reviews.domain import pdf_policy as policy


def extract_text(path: Path, text_path: Path, max_chars: int) -> tuple[int, bool]:
    """Write the text, page by page, up to `max_chars`; a text layer means most pages have some text."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(str(path))
    try:
        return _write_text(document, text_path, max_chars)
    finally:
        document.close()


def _write_text(document: Any, text_path: Path, max_chars: int) -> tuple[int, bool]:
    written = 0
    pages_with_text = 0
    page_count = len(document)
    with text_path.open("w", encoding="utf-8") as out:
        for index in range(page_count):
            page = document[index]
            try:
                text_page = page.get_textpage()
                try:
                    text = text_page.get_text_range()
                finally:
                    text_page.close()
            finally:
                page.close()
            # PDFium ends lines with CRLF; the index and the highlights want plain newlines.
            text = text.replace("\r\n", "\n")
            if text.strip():
                pages_with_text += 1
            chunk = ((policy.PAGE_SEPARATOR if index else "") + text)[: max_chars - written]
            out.write(chunk)
            written += len(chunk)
            if written >= max_chars:
                # The cap bounds the index document; a file this wordy plainly has a text layer.
                return written, True
    # Scanned reports often carry a typed cover page: half the pages must have text to count.
    return written, pages_with_text * 2 >= page_count
