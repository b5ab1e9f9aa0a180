"""Text extraction from PDF files with PDFium (pypdfium2)."""

from __future__ import annotations

from dataclasses import dataclass

import pypdfium2 as pdfium

from case_reviews.domain.errors import UploadRejected

# Enough for any real report; a bound keeps one pathological file from exhausting the function's memory.
MAX_TEXT_CHARS = 5_000_000


@dataclass(frozen=True)
class ExtractedText:
    page_count: int
    text: str


class PdfTextExtractor:
    """Opens a PDF and returns its text; a file PDFium cannot open is rejected with a reason the board can act on."""

    def extract(self, data: bytes) -> ExtractedText:
        try:
            document = pdfium.PdfDocument(data)
        except pdfium.PdfiumError as error:
            message = str(error).lower()
            if "password" in message:
                raise UploadRejected(
                    "The PDF is password-protected. Remove the password and submit it again."
                ) from error
            raise UploadRejected(
                "The PDF could not be read (it may be damaged). Export it again and submit it again."
            ) from error
        try:
            page_count = len(document)
            if page_count == 0:
                raise UploadRejected("The PDF has no pages.")
            parts: list[str] = []
            size = 0
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
                parts.append(text.replace("\r\n", "\n"))
                size += len(text)
                if size >= MAX_TEXT_CHARS:
                    break
            return ExtractedText(page_count=page_count, text="\n".join(parts)[:MAX_TEXT_CHARS])
        finally:
            document.close()
