"""The PDF parser's own process: privileges and limits first, then PDFium and pypdf on untrusted files.

`python -m case_reviews.adapters.pdf_worker '<worker JSON>'` is the warm worker of `IsolatedPdfInspector`:
it drops its privileges, limits itself, imports PDFium and pypdf once, then reads one request (JSON) a line
from stdin until stdin closes. Each file is parsed in a fork of it, made for that file alone: the limits of
that request are set in the fork before anything reads the file, the fork prints the findings (or
`{"rejected": reason}`) to a pipe of its own and exits. The worker answers each request with a JSON line:
the fork's exit code (negative: the signal that ended it), its findings, and its peak memory.

So a file is never parsed where another file was: what one hostile file does to the parser (a crash, a
limit hit, an exploit) stays in the fork that ends with it, and each fork's CPU time and memory start from
the worker's, not from the files before. The worker itself never reads a file; only the standard library
is imported before the limits.

What is stored is never the upload itself: pypdf reads the file, every object reachable from its
catalogue is checked, and a new file is written from those objects alone, so earlier revisions of an
incrementally saved file and objects nothing refers to are left behind. The text is then extracted
(by PDFium) from that copy, so search sees exactly what a downloader gets.
"""

from __future__ import annotations

import ctypes
import gc
import json
import os
import re
import resource
import signal
import sys
import traceback
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

_PDF_HEADER = re.compile(r"%PDF-[12]\.[0-9]")
# PDFium's FPDF_GetFormType: the document carries an XFA form (full, or over an AcroForm).
_XFA_FORM_TYPES = (2, 3)

# What the worker keeps of a fork's output: its findings are one short line; anything longer is not ours.
MAX_FORK_OUTPUT_BYTES = 1024 * 1024

# <linux/prctl.h>, <linux/capability.h>
_PR_SET_PDEATHSIG = 1
_PR_SET_DUMPABLE = 4
_PR_CAPBSET_DROP = 24
_PR_SET_NO_NEW_PRIVS = 38
_PR_CAP_AMBIENT = 47
_PR_CAP_AMBIENT_CLEAR_ALL = 4
_LINUX_CAPABILITY_VERSION_3 = 0x20080522


class _CapHeader(ctypes.Structure):
    _fields_ = (("version", ctypes.c_uint32), ("pid", ctypes.c_int))


class _CapData(ctypes.Structure):
    _fields_ = (("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32))


def _drop_privileges() -> None:
    """Give up every capability, for good, before the file is read.

    The parent is not dumpable (`adapters/pdf.py`), so a process of the same user can read neither its
    environment nor its memory, unless it holds CAP_SYS_PTRACE. In Lambda the function's user holds no
    capability and this changes nothing; where the parent runs as root (a container, this project's CI)
    it is what keeps that true of this process. No new privileges: nothing it could exec gains any.
    """
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    try:
        last_capability = int(Path("/proc/sys/kernel/cap_last_cap").read_text())
    except (OSError, ValueError):
        last_capability = 63
    # Only with CAP_SETPCAP (root); without it there is nothing in the bounding set worth dropping.
    for capability in range(last_capability + 1):
        libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0)
    libc.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    # Lowering the effective, permitted and inheritable sets to nothing is allowed to every process.
    if libc.capset(ctypes.byref(_CapHeader(_LINUX_CAPABILITY_VERSION_3, 0)), (_CapData * 2)()) != 0:
        raise OSError(ctypes.get_errno(), "capset failed")


def _close_to_siblings() -> None:
    """Make this process non-dumpable, so a fork of it (which has no capability) can neither trace it nor read
    its memory: a hostile file's fork must not reach the worker that makes the next file's fork."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE, 0) failed")


def _limit_worker(config: dict[str, Any]) -> None:
    """The worker's own bounds: the address space a file's fork gets too, and no core dumps."""
    memory = int(config["memory_bytes"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _limit_self(request: dict[str, Any]) -> None:
    """Bound memory, CPU and file size before anything reads the file; no core dumps of board data.

    Set in the file's own fork: its CPU time starts at zero and its address space is the worker's, so
    each file gets the whole of each limit, whatever came before it.
    """
    memory = int(request["memory_bytes"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    cpu = int(request["cpu_seconds"])
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    output = int(request["max_output_bytes"])
    resource.setrlimit(resource.RLIMIT_FSIZE, (output, output))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


class Rejected(Exception):
    """The file is refused, with a reason the board can act on (and, for the logs, what was found)."""

    def __init__(self, reason: str, detail: str | None = None) -> None:
        super().__init__(reason)
        self.detail = detail


def inspect(request: dict[str, Any]) -> dict[str, Any]:
    """Check the file `request["source"]`, write its clean copy to `request["stored_path"]` (without anything
    that names its maker when `request["anonymous"]`), and extract the copy's text."""
    source = Path(request["source"])
    stored = Path(request["stored_path"])
    anonymous = bool(request["anonymous"])
    page_count = _check_with_pdfium(source, int(request["max_pages"]))
    reader = _read_structure(source, page_count)
    _rewrite(reader, stored, anonymous)
    # The copy is what the public downloads: the same checks again (a second parser's reading of what pypdf
    # wrote), every page there, and its text is what search gets.
    if _check_with_pdfium(stored, int(request["max_pages"])) != page_count:
        raise Rejected(policy.STRUCTURE_REASON, "the rewritten copy has another page count")
    text_chars, text_layer = _extract_text(stored, Path(request["text_path"]), int(request["max_text_chars"]))
    return {
        "page_count": page_count,
        "text_chars": text_chars,
        "text_layer": text_layer,
        "metadata_stripped": anonymous,
    }


def _check_with_pdfium(path: Path, max_pages: int) -> int:
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


def _read_structure(source: Path, page_count: int) -> Any:
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


def _walk(roots: list[Any], visit: Callable[[Any], None]) -> None:
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


def _scan_objects(roots: list[Any]) -> None:
    """Refuse active content, attachments and decompression bombs anywhere in the objects reachable."""
    from pypdf.generic import StreamObject

    inflated_total = 0

    def visit(item: Any) -> None:
        nonlocal inflated_total
        if not policy.SCRIPT_KEYS.isdisjoint(item) or _name(item, "/S") in policy.ACTIVE_ACTION_TYPES:
            raise Rejected(policy.JAVASCRIPT_REASON)
        if not policy.XFA_KEYS.isdisjoint(item):
            raise Rejected(policy.XFA_REASON)
        if (
            not policy.ATTACHMENT_KEYS.isdisjoint(item)
            or _name(item, "/Subtype") in policy.ATTACHMENT_ANNOTATION_SUBTYPES
        ):
            raise Rejected(policy.ATTACHMENTS_REASON)
        if isinstance(item, StreamObject):
            inflated_total += _inflated_size(item)
            if inflated_total > MAX_INFLATED_TOTAL_BYTES:
                raise Rejected(policy.BOMB_REASON)

    _walk(roots, visit)


def _name(item: Any, key: str) -> str | None:
    """The name (or string) at `key`, through a reference; None for anything else (an array is not hashable)."""
    value = item.get(key)
    value = value.get_object() if value is not None else None
    return value if isinstance(value, str) else None


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


def _rewrite(reader: Any, target: Path, anonymous: bool) -> None:
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
    if _name(catalogue, "/PageMode") == "/UseOutlines":
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
        if _name(item, "/Type") == "/Page":
            for key in policy.ANONYMOUS_DROPPED_FROM_PAGES:
                item.pop(key, None)

    _walk([reader.trailer.raw_get("/Root")], visit)


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


def _is_annotation_or_field(item: Any) -> bool:
    if _name(item, "/Type") == "/Annot" or "/FT" in item:  # /FT: a form field (a widget often is its own field)
        return True
    return "/Rect" in item and _name(item, "/Subtype") in _ANNOTATION_SUBTYPES


def _extract_text(path: Path, text_path: Path, max_chars: int) -> tuple[int, bool]:
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


def _preload() -> None:
    """Import what parsing needs, once, in the worker: every fork starts with it loaded."""
    import pypdf
    import pypdf.generic  # noqa: F401
    import pypdfium2
    import pypdfium2.raw  # noqa: F401

    # What is loaded now stays out of the garbage collector's passes, so a fork's collections do not write
    # to (and so copy) every page of it.
    gc.freeze()


def _inspect_one(request: dict[str, Any]) -> int:
    """The file's process: its limits, then the inspection; prints one JSON line (findings or a rejection)."""
    _limit_self(request)
    try:
        result = inspect(request)
    except Rejected as rejection:
        result = {"rejected": str(rejection), "detail": rejection.detail}
    except MemoryError:
        # Under the address-space limit a bomb or a huge structure ends here rather than in the OOM killer.
        result = {"rejected": policy.UNPROCESSABLE_REASON, "detail": "out of memory", "limit_hit": True}
    print(json.dumps(result), flush=True)
    return 0


def _in_fork(request: dict[str, Any]) -> dict[str, Any]:
    """Inspect one file in a fork of this worker: the fork's exit code, findings and peak memory (KiB: the pages
    it touched, its own or still shared with the worker), and the worker's own resident memory (KiB)."""
    sys.stdout.flush()
    sys.stderr.flush()
    worker = os.getpid()
    readable, writable = os.pipe()
    pid = os.fork()
    if pid == 0:  # the file's process: it never returns from here
        code = 1
        try:
            os.close(readable)
            # Its findings go to its own pipe; it can neither read the worker's next requests nor answer them.
            devnull = os.open(os.devnull, os.O_RDONLY)
            os.dup2(devnull, 0)
            os.dup2(writable, 1)
            os.close(devnull)
            os.close(writable)
            if sys.platform.startswith("linux"):
                ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
            if os.getppid() == worker:  # else the worker is gone already
                code = _inspect_one(request)
        except BaseException:  # an unexpected error: a traceback for the logs, and a non-zero exit
            traceback.print_exc()
        finally:
            os._exit(code)
    os.close(writable)
    output = bytearray()
    with open(readable, "rb", buffering=0) as findings:
        while chunk := findings.read(65536):
            if len(output) < MAX_FORK_OUTPUT_BYTES:
                output += chunk
    _, status, usage = os.wait4(pid, 0)
    return {
        "returncode": os.waitstatus_to_exitcode(status),
        "result": _last_json_line(bytes(output)),
        "peak_rss_kb": usage.ru_maxrss,
        "worker_rss_kb": _resident_kib(),
    }


def _resident_kib() -> int:
    try:
        status = Path("/proc/self/status").read_text()
    except OSError:
        return 0
    return next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)


def _last_json_line(output: bytes) -> dict[str, Any] | None:
    lines = output.decode("utf-8", errors="replace").strip().splitlines()
    if not lines:
        return None
    try:
        value = json.loads(lines[-1])
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def main(argv: list[str]) -> int:
    """Serve requests from stdin, one JSON line each, until it closes (the inspector ends or retires it)."""
    config = json.loads(argv[1])
    _drop_privileges()
    _close_to_siblings()
    _limit_worker(config)
    _preload()
    for line in sys.stdin:
        answer = _in_fork(json.loads(line))
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
