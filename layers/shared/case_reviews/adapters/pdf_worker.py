"""The PDF parser's own process: limits first, then PDFium and pypdf on an untrusted file.

`python -m case_reviews.adapters.pdf_worker '<request JSON>'` prints one JSON line: the findings, or
`{"rejected": reason}`. A native crash, a limit hit or a hang ends this process, never the function
that started it (see `IsolatedPdfInspector`). Only the standard library is imported before the limits.
"""

from __future__ import annotations

import json
import resource
import sys
import zlib
from pathlib import Path
from typing import Any

# No legitimate page, font or image of a report inflates past this (a 600 dpi A4 colour scan is ~100 MiB).
MAX_INFLATED_STREAM_BYTES = 256 * 1024 * 1024
# Across the document: a report of thousands of uncompressed page images is still well below it.
MAX_INFLATED_TOTAL_BYTES = 2 * 1024 * 1024 * 1024
_INFLATE_CHUNK = 1024 * 1024

PASSWORD_REASON = (
    "The PDF is encrypted (a password or restrictions on opening, printing or copying). "
    "Save a copy without a password or restrictions and submit it again."
)
DAMAGED_REASON = "The PDF could not be read (it may be damaged). Export it again and submit it again."
NO_PAGES_REASON = "The PDF has no pages."
JAVASCRIPT_REASON = (
    "The PDF contains JavaScript or actions that launch programs. The library does not accept active content: "
    "export the report again as plain PDF (for example by printing it to PDF or saving it as PDF/A) "
    "and submit it again."
)
ATTACHMENTS_REASON = (
    "The PDF has files attached inside it. Attachments can hold personal data that was not redacted: "
    "remove them, export the report again as plain PDF and submit it again."
)
UNPROCESSABLE_REASON = (
    "The PDF could not be processed (the library's software could not open it within its limits). "
    "Export the report again (for example by printing it to PDF) and submit it again; if it still fails, "
    "contact the library."
)
BOMB_REASON = (
    "The PDF contains a compressed part that expands to an unreasonable size, so it could not be processed. "
    "Export the report again (for example by printing it to PDF) and submit it again."
)


def _limit_self(request: dict[str, Any]) -> None:
    """Bound memory, CPU and file size before anything reads the file; no core dumps of board data."""
    memory = int(request["memory_bytes"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(request["cpu_seconds"])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    output = int(request["max_output_bytes"])
    resource.setrlimit(resource.RLIMIT_FSIZE, (output, output))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


class Rejected(Exception):
    """The file is refused, with a reason the board can act on."""


def inspect(request: dict[str, Any]) -> dict[str, Any]:
    """Check, extract and (for anonymous reports) strip the metadata of the file `request["source"]`."""
    import pypdfium2 as pdfium
    import pypdfium2.raw as pdfium_c

    source = request["source"]
    try:
        document = pdfium.PdfDocument(source)
    except pdfium.PdfiumError as error:
        raise Rejected(PASSWORD_REASON if "password" in str(error).lower() else DAMAGED_REASON) from error
    try:
        # -1: no security handler. Any other value is encryption, even with an empty user password.
        if pdfium_c.FPDF_GetSecurityHandlerRevision(document.raw) != -1:
            raise Rejected(PASSWORD_REASON)
        page_count = len(document)
        if page_count == 0:
            raise Rejected(NO_PAGES_REASON)
        if page_count > int(request["max_pages"]):
            raise Rejected(
                f"The PDF has {page_count} pages; the limit is {request['max_pages']} pages. "
                "Split the report into parts and submit each part, or contact the library."
            )
        if pdfium_c.FPDFDoc_GetJavaScriptActionCount(document.raw) > 0:
            raise Rejected(JAVASCRIPT_REASON)
        if pdfium_c.FPDFDoc_GetAttachmentCount(document.raw) > 0:
            raise Rejected(ATTACHMENTS_REASON)
        reader = _scan_objects(source)
        text_chars, text_layer = _extract_text(document, Path(request["text_path"]), int(request["max_text_chars"]))
    finally:
        document.close()

    metadata_stripped = False
    if request.get("stripped_path"):
        if reader is None:
            raise Rejected(DAMAGED_REASON)
        _strip_metadata(reader, Path(request["stripped_path"]))
        _check_still_opens(Path(request["stripped_path"]), page_count)
        metadata_stripped = True
    return {
        "page_count": page_count,
        "text_chars": text_chars,
        "text_layer": text_layer,
        "metadata_stripped": metadata_stripped,
    }


def _scan_objects(source: str) -> Any:
    """Walk every object reachable from the catalogue for active content and decompression bombs.

    PDFium's counts above see document-level scripts and attachments only; actions hide in pages,
    annotations and form fields too. Returns the reader, or None when pypdf cannot parse a file
    PDFium opened (PDFium repairs more): then PDFium's checks and this process's limits must do.
    """
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, StreamObject

    try:
        reader = PdfReader(source, strict=False)
        root = reader.trailer.raw_get("/Root")
    except (PdfReadError, KeyError, ValueError, OSError) as error:
        print(f"pypdf could not parse the file: {error!r}", file=sys.stderr)
        return None
    seen: set[tuple[int, int]] = set()
    pending: list[Any] = [root]
    inflated_total = 0
    while pending:
        item = pending.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            try:
                item = item.get_object()
            except (PdfReadError, KeyError, ValueError) as error:
                print(f"unreadable object: {error!r}", file=sys.stderr)
                continue
        if isinstance(item, DictionaryObject):
            if "/JS" in item or item.get("/S") in ("/JavaScript", "/Launch", "/RichMediaExecute"):
                raise Rejected(JAVASCRIPT_REASON)
            if "/EmbeddedFiles" in item or "/EF" in item or item.get("/Subtype") == "/FileAttachment":
                raise Rejected(ATTACHMENTS_REASON)
            if isinstance(item, StreamObject):
                inflated_total += _inflated_size(item)
                if inflated_total > MAX_INFLATED_TOTAL_BYTES:
                    raise Rejected(BOMB_REASON)
            # Raw values: references stay references, so `seen` stops cycles (/Parent, /P).
            pending.extend(dict.values(item))
        elif isinstance(item, ArrayObject):
            pending.extend(list.__iter__(item))
    return reader


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
                raise Rejected(BOMB_REASON)
            pending = inflater.unconsumed_tail
    except zlib.error:
        return size  # a damaged stream: PDFium decides what it can render
    return size


def _extract_text(document: Any, text_path: Path, max_chars: int) -> tuple[int, bool]:
    """Write the text, page by page, up to `max_chars`; a text layer means most pages have some text."""
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
            chunk = (("\n" if index else "") + text)[: max_chars - written]
            out.write(chunk)
            written += len(chunk)
            if written >= max_chars:
                # The cap bounds the index document; a file this wordy plainly has a text layer.
                return written, True
    # Scanned reports often carry a typed cover page: half the pages must have text to count.
    return written, pages_with_text * 2 >= page_count


def _strip_metadata(reader: Any, target: Path) -> None:
    """A copy without the document-information dictionary or any XMP packet (document and pages)."""
    from pypdf import PdfWriter

    writer = PdfWriter(clone_from=reader)
    writer.metadata = None  # no /Info at all (pypdf would otherwise add its own Producer)
    writer.xmp_metadata = None
    for owner in [writer.root_object, *(page.get_object() for page in writer.pages)]:
        for key in ("/Metadata", "/PieceInfo"):  # PieceInfo: an application's private data, names included
            if key in owner:
                del owner[key]
    # The clone holds every object of the original: unreferenced now, the packets would still be written.
    writer.compress_identical_objects(remove_duplicates=False, remove_unreferenced=True)
    with target.open("wb") as out:
        writer.write(out)


def _check_still_opens(path: Path, page_count: int) -> None:
    """The stripped copy is what the public downloads: it must open, with every page."""
    import pypdfium2 as pdfium

    copy = pdfium.PdfDocument(str(path))
    try:
        if len(copy) != page_count:
            raise Rejected(DAMAGED_REASON)
    finally:
        copy.close()


def main(argv: list[str]) -> int:
    request = json.loads(argv[1])
    _limit_self(request)
    try:
        result = inspect(request)
    except Rejected as rejection:
        result = {"rejected": str(rejection)}
    except MemoryError:
        # Under the address-space limit a bomb or a huge structure ends here rather than in the OOM killer.
        result = {"rejected": UNPROCESSABLE_REASON}
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
