"""The clean copy that is stored: a new file of what pypdf read, and for an anonymous deposit nothing that
names its maker (the places `domain/pdf_policy.py` lists, every annotation and form field emptied).

pypdf is imported inside the functions: the worker imports this module before its limits are set.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from case_reviews.adapters.pdf_worker.checks import Rejected, name_at, walk
from case_reviews.domain import pdf_policy as policy

_PDF_HEADER = re.compile(r"%PDF-[12]\.[0-9]")

# Every annotation kind of ISO 32000-2 (12.5.6); with a /Rect, a dictionary of one of these is an annotation
# even without its optional /Type /Annot.
_ANNOTATION_SUBTYPES = frozenset(
    {
        "/Text", "/Link", "/FreeText", "/Line", "/Square", "/Circle", "/Polygon", "/PolyLine", "/Highlight",
        "/Underline", "/Squiggly", "/StrikeOut", "/Caret", "/Stamp", "/Ink", "/Popup", "/FileAttachment",
        "/Sound", "/Movie", "/Screen", "/Widget", "/PrinterMark", "/TrapNet", "/Watermark", "/3D", "/Redact",
        "/Projection", "/RichMedia",
    }
)  # fmt: skip


def rewrite(reader: Any, target: Path, anonymous: bool) -> None:
    """A new file of the objects reachable from the catalogue (and /Info) as pypdf read them, nothing else.

    pypdf's clone copies what it reaches from the catalogue, so whatever the anonymous scrub cuts off
    before it is not written at all.
    """
    from pypdf import PdfWriter

    try:
        if anonymous:
            _scrub_for_anonymity(reader)
        writer = PdfWriter(clone_from=reader)
        # The version the file declares (pypdf would write 1.3), when the file starts with a well-formed one.
        if _PDF_HEADER.fullmatch(reader.pdf_header):
            writer.pdf_header = reader.pdf_header
        if anonymous:
            writer.generate_file_identifiers()  # a fresh random /ID (the old one was dropped with the trailer's)
        with target.open("wb") as out:
            writer.write(out)
    except (Rejected, MemoryError):
        raise
    except Exception as error:
        raise Rejected(policy.STRUCTURE_REASON, f"pypdf could not rewrite the file: {error!r}") from error


def _scrub_for_anonymity(reader: Any) -> None:
    """Cut from pypdf's reading (before the copy is cloned from it) every place `pdf_policy` lists."""
    from pypdf.generic import NameObject

    for key in policy.ANONYMOUS_DROPPED_FROM_TRAILER:
        reader.trailer.pop(key, None)
    catalogue = reader.trailer["/Root"].get_object()
    for key in policy.ANONYMOUS_DROPPED_FROM_CATALOGUE:
        catalogue.pop(key, None)
    if name_at(catalogue, "/PageMode") == "/UseOutlines":
        catalogue[NameObject("/PageMode")] = NameObject("/UseNone")
    names = catalogue.get("/Names")
    if names is not None:
        names = names.get_object()
        for key in policy.ANONYMOUS_DROPPED_FROM_NAMES:
            names.pop(key, None)

    def visit(item: Any) -> None:
        if _is_annotation_or_field(item):
            # Emptied where it is, not only unlinked from its page: an annotation is also reached from the
            # structure tree (/OBJR), from its pop-up or its replies, and a widget from its field.
            item.clear()
            return
        for key in policy.ANONYMOUS_DROPPED_EVERYWHERE:
            item.pop(key, None)
        if name_at(item, "/Type") == "/Page":
            for key in policy.ANONYMOUS_DROPPED_FROM_PAGES:
                item.pop(key, None)

    walk([reader.trailer.raw_get("/Root")], visit)


def _is_annotation_or_field(item: Any) -> bool:
    if name_at(item, "/Type") == "/Annot" or "/FT" in item:  # /FT: a form field (a widget often is its own field)
        return True
    return "/Rect" in item and name_at(item, "/Subtype") in _ANNOTATION_SUBTYPES
