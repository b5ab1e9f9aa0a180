"""The safety checks a board's file must pass, by two parsers: PDFium's reading, then pypdf's of every object.

A file is refused (`Rejected`, with a reason from `domain/pdf_policy.py` the board can act on) when it is
encrypted, damaged, empty or too long, or carries active content, an XFA form, attachments or a
decompression bomb anywhere reachable from its catalogue. PDFium and pypdf are imported inside the
functions: the worker imports this module before its limits are set.
"""

from __future__ import annotations

import zlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from case_reviews.domain import pdf_policy as policy

# No legitimate page, font or image of a report inflates past this (a 600 dpi A4 colour scan is ~100 MiB).
MAX_INFLATED_STREAM_BYTES = 256 * 1024 * 1024
# Across the document: a report of thousands of uncompressed page images is still well below it.
MAX_INFLATED_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
_INFLATE_CHUNK = 1024 * 1024

# PDFium's FPDF_GetFormType: the document carries an XFA form (full, or over an AcroForm).
_XFA_FORM_TYPES = (2, 3)


class Rejected(Exception):
    """The file is refused, with a reason the board can act on (and, for the logs, what was found)."""

    def __init__(self, reason: str, detail: str | None = None) -> None:
        super().__init__(reason)
        self.detail = detail


def check_with_pdfium(path: Path, max_pages: int) -> int:
    """The file's page count, once PDFium finds it opens without a password and holds no active content."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    try:
        document = pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as error:
        reason = policy.PASSWORD_REASON if "password" in str(error).lower() else policy.DAMAGED_REASON
        raise Rejected(reason, str(error)) from error
    try:
        # -1: no security handler. Any other value is encryption, even with an empty user password.
        if pdfium_c.FPDF_GetSecurityHandlerRevision(document.raw) != -1:
            raise Rejected(policy.PASSWORD_REASON)
        page_count = len(document)
        if page_count == 0:
            raise Rejected(policy.NO_PAGES_REASON)
        if page_count > max_pages:
            raise Rejected(policy.too_many_pages_reason(page_count, max_pages))
        if pdfium_c.FPDFDoc_GetJavaScriptActionCount(document.raw) > 0:
            raise Rejected(policy.JAVASCRIPT_REASON)
        if pdfium_c.FPDF_GetFormType(document.raw) in _XFA_FORM_TYPES:
            raise Rejected(policy.XFA_REASON)
        if pdfium_c.FPDFDoc_GetAttachmentCount(document.raw) > 0:
            raise Rejected(policy.ATTACHMENTS_REASON)
        return page_count
    finally:
        document.close()


def read_structure(source: Path, page_count: int) -> Any:
    """pypdf's reading of the file, every object reachable from it checked; refused if pypdf cannot read it.

    PDFium's counts see document-level scripts and attachments only; actions hide in pages, annotations and
    form fields too. PDFium repairs more than pypdf reads, but the copy is written from pypdf's reading, so
    a file pypdf cannot read is refused rather than stored unchecked.
    """
    from pypdf import PdfReader

    try:
        reader = PdfReader(source, strict=False)
        roots = [
            reader.trailer.raw_get("/Root"),
            *([reader.trailer.raw_get("/Info")] if "/Info" in reader.trailer else []),
        ]
        _scan_objects(roots)
        structural_pages = len(reader.pages)
    except (Rejected, MemoryError):
        raise
    except Exception as error:  # whatever pypdf raises on a file it cannot read (RecursionError included)
        raise Rejected(policy.STRUCTURE_REASON, f"pypdf could not read the file: {error!r}") from error
    if structural_pages != page_count:
        raise Rejected(policy.STRUCTURE_REASON, f"pypdf reads {structural_pages} pages, PDFium {page_count}")
    return reader


def walk(roots: list[Any], visit: Callable[[Any], None]) -> None:
    """Call `visit` on every dictionary (streams included) reachable from `roots`, each indirect object once.

    `visit` sees a dictionary before its values are followed, so what it removes is never walked.
    """
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

    seen: set[tuple[int, int]] = set()
    pending: list[Any] = list(roots)
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            visit(item)
            # Raw values: references stay references, so `seen` stops cycles (/Parent, /P).
            pending.extend(dict.values(item))
        elif isinstance(item, ArrayObject):
            pending.extend(list.__iter__(item))


def name_at(item: Any, key: str) -> str | None:
    """The name (or string) at `key`, through a reference; None for anything else (an array is not hashable)."""
    value = item.get(key)
    value = value.get_object() if value is not None else None
    return value if isinstance(value, str) else None


def _scan_objects(roots: list[Any]) -> None:
    """Refuse active content, attachments and decompression bombs anywhere in the objects reachable."""
    from pypdf.generic import StreamObject

    inflated_total = 0

    def visit(item: Any) -> None:
        nonlocal inflated_total
        if not policy.SCRIPT_KEYS.isdisjoint(item) or name_at(item, "/S") in policy.ACTIVE_ACTION_TYPES:
            raise Rejected(policy.JAVASCRIPT_REASON)
        if not policy.XFA_KEYS.isdisjoint(item):
            raise Rejected(policy.XFA_REASON)
        if (
            not policy.ATTACHMENT_KEYS.isdisjoint(item)
            or name_at(item, "/Subtype") in policy.ATTACHMENT_ANNOTATION_SUBTYPES
        ):
            raise Rejected(policy.ATTACHMENTS_REASON)
        if isinstance(item, StreamObject):
            inflated_total += _inflated_size(item)
            if inflated_total > MAX_INFLATED_TOTAL_BYTES:
                raise Rejected(policy.BOMB_REASON)

    walk(roots, visit)


def _inflated_size(stream: Any) -> int:
    """How far a Flate stream inflates, measured a chunk at a time so a bomb never sits in memory."""
    filters = stream.get("/Filter")
    first = filters[0] if isinstance(filters, list) and filters else filters
    if first not in ("/FlateDecode", "/Fl"):
        return 0
    inflater = zlib.decompressobj()
    pending = stream._data  # the encoded bytes; get_data() would inflate it whole
    size = 0
    try:
        while pending:
            size += len(inflater.decompress(pending, _INFLATE_CHUNK))
            if size > MAX_INFLATED_STREAM_BYTES:
                raise Rejected(policy.BOMB_REASON)
            pending = inflater.unconsumed_tail
    except zlib.error:
        return size  # a damaged stream: PDFium decides what it can render
    return size
