"""Real PDF files for tests, made with fpdf2."""

from __future__ import annotations

from fpdf import FPDF


def make_pdf(*pages: str, title: str = "Case review") -> bytes:
    """A PDF with one page per text given (Latin-1 text; the core fonts have no other glyphs)."""
    document = FPDF()
    document.set_title(title)
    document.set_font("helvetica", size=11)
    for text in pages or ("",):
        document.add_page()
        document.multi_cell(0, 6, text)
    return bytes(document.output())
