"""What a file's fork does with its file: check it, write its clean copy, check the copy, extract its text."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from case_reviews.adapters.pdf_worker.checks import Rejected, check_with_pdfium, read_structure
from case_reviews.adapters.pdf_worker.rewrite import rewrite
from case_reviews.adapters.pdf_worker.text import extract_text
from case_reviews.domain import pdf_policy as policy


def inspect(request: dict[str, Any]) -> dict[str, Any]:
    """Check the file `request["source"]`, write its clean copy to `request["stored_path"]` (without anything
    that names its maker when `request["anonymous"]`), and extract the copy's text.

    Raises `Rejected` with the reason the board reads.
    """
    source = Path(request["source"])
    stored = Path(request["stored_path"])
    anonymous = bool(request["anonymous"])
    page_count = check_with_pdfium(source, int(request["max_pages"]))
    reader = read_structure(source, page_count)
    rewrite(reader, stored, anonymous)
    # The copy is what the public downloads: the same checks again (a second parser's reading of what pypdf
    # wrote), every page there, and its text is what search gets.
    if check_with_pdfium(stored, int(request["max_pages"])) != page_count:
        raise Rejected(policy.STRUCTURE_REASON, "the rewritten copy has another page count")
    text_chars, text_layer = extract_text(stored, Path(request["text_path"]), int(request["max_text_chars"]))
    return {
        "page_count": page_count,
        "text_chars": text_chars,
        "text_layer": text_layer,
        "metadata_stripped": anonymous,
    }
