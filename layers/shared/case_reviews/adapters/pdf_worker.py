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
import selectors
import shutil
import signal
import sys
import tempfile
import traceback
import zlib
from collections.abc import Callable
from contextlib import suppress
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
_PR_SET_CHILD_SUBREAPER = 36
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
    its memory: a hostile file's fork must not reach the worker that makes the next file's fork. And make it
    the subreaper of what its forks start, so that nothing a file's process leaves running escapes it
    (`_end_leftovers`)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE, 0) failed")
    # Defence in depth, not a boundary: where a kernel refuses it, what a file leaves goes to init, as it
    # would from any process.
    libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def _limit_worker(config: dict[str, Any]) -> None:
    """The worker's own bounds: the address space a file's fork gets too, and no core dumps."""
    memory = int(config["memory_bytes"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _limit_self(request: dict[str, Any]) -> None:
    """Bound memory, CPU and file size before anything reads the file; no core dumps of board data.

    Set in the file's own fork: its address space is the worker's, and its CPU time started at zero when
    it was forked (its warm-up's few milliseconds are not held against the file), so each file gets the
    whole of each limit, whatever came before it.
    """
    memory = int(request["memory_bytes"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(request["cpu_seconds"]) + int(usage.ru_utime + usage.ru_stime)
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


# The warm-up runs the real inspection, whatever a test puts in `inspect`'s place.
_inspect_file = inspect


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


class _FileProcess:
    """A fork of the worker for one file. It is made ahead, while the worker waits for the next request, and
    warms up on a file of the worker's own (the first writes to the worker's pages, PDFium's first document),
    so the file does not wait for that. Only then does it read its request: nothing of another board's file
    has ever been in it."""

    def __init__(self, warm_up: bool = True) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        worker = os.getpid()
        request_readable, self._request = os.pipe()
        self._findings, findings_writable = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:  # the file's process: it never returns from here
            code = 1
            try:
                os.close(self._request)
                os.close(self._findings)
                # Its findings go to its own pipe; it can neither read the worker's next requests nor answer them.
                devnull = os.open(os.devnull, os.O_RDONLY)
                os.dup2(devnull, 0)
                os.dup2(findings_writable, 1)
                os.close(devnull)
                os.close(findings_writable)
                if sys.platform.startswith("linux"):
                    ctypes.CDLL(None).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
                if os.getppid() == worker:  # else the worker is gone already
                    if warm_up:
                        _warm_up()
                    print(_READY, flush=True)
                    request = _read_request(request_readable)
                    code = _inspect_one(request) if request is not None else 0
            except BaseException:  # an unexpected error: a traceback for the logs, and a non-zero exit
                traceback.print_exc()
            finally:
                sys.stdout.flush()
                sys.stderr.flush()
                os._exit(code)
        os.close(request_readable)
        os.close(findings_writable)

    def inspect(self, request: dict[str, Any]) -> dict[str, Any] | None:
        """The file's exit code, findings and peak memory; None if this process ended before it took the file."""
        with suppress(BrokenPipeError):  # it ended already: its output and status say how
            os.write(self._request, json.dumps(request).encode())
        os.close(self._request)
        output, status, usage = self._findings_and_end()
        _end_leftovers()
        ready, _, rest = bytes(output).partition(b"\n")
        if ready.decode(errors="replace") != _READY:
            return None
        return {
            "returncode": os.waitstatus_to_exitcode(status),
            "result": _last_json_line(rest),
            "peak_rss_kb": usage.ru_maxrss,
            "worker_rss_kb": _resident_kib(),
        }

    def _findings_and_end(self) -> tuple[bytes, int, resource.struct_rusage]:
        """What the process printed, read as it comes, until it has ended: its status and resource usage.

        Not until the pipe closes: a process it left behind could hold the pipe open (`_end_leftovers` ends
        that one once this one has ended).
        """
        output = bytearray()
        with selectors.DefaultSelector() as selector:
            selector.register(self._findings, selectors.EVENT_READ)
            ended = _pidfd(self.pid)  # readable once the process has ended (Linux 5.3 and later)
            if ended is not None:
                selector.register(ended, selectors.EVENT_READ)
            try:
                while True:
                    for key, _ in selector.select(None if ended is not None else _EXIT_POLL_S):
                        if key.fd == self._findings and not _read_into(self._findings, output):
                            # Closed: the process has ended (or is ending), and nothing it left holds the pipe.
                            _, status, usage = os.wait4(self.pid, 0)
                            return bytes(output), status, usage
                    pid, status, usage = os.wait4(self.pid, os.WNOHANG)
                    if pid:
                        os.set_blocking(self._findings, False)
                        with suppress(BlockingIOError):
                            while _read_into(self._findings, output):
                                pass
                        return bytes(output), status, usage
            finally:
                os.close(self._findings)
                if ended is not None:
                    os.close(ended)


def _read_into(readable: int, output: bytearray) -> bool:
    """Read what is there into `output` (up to MAX_FORK_OUTPUT_BYTES kept); False once the pipe has closed."""
    chunk = os.read(readable, 65536)
    if len(output) < MAX_FORK_OUTPUT_BYTES:
        output += chunk
    return bool(chunk)


def _pidfd(pid: int) -> int | None:
    try:
        return os.pidfd_open(pid)
    except (AttributeError, OSError):
        return None


# How often a file process is looked at, where the kernel cannot say when it ends (no pidfd).
_EXIT_POLL_S = 0.02
# A file process's first line: it has warmed up and is about to read its request.
_READY = '{"ready": true}'


def _read_request(readable: int) -> dict[str, Any] | None:
    """The request the worker writes (then closes); None when it closes without one (the worker ends)."""
    data = bytearray()
    with open(readable, "rb", buffering=0) as requests:
        while chunk := requests.read(65536):
            data += chunk
    return json.loads(data) if data else None


def _in_fork(request: dict[str, Any], process: _FileProcess) -> dict[str, Any]:
    """Inspect one file in `process`; in a fresh fork (without the warm-up) if that one ended beforehand."""
    answer = process.inspect(request)
    if answer is None:
        answer = _FileProcess(warm_up=False).inspect(request)
    assert answer is not None, "a fresh file process ended before it took the file"
    return answer


def _warm_up() -> None:
    """Inspect a small report of the worker's own, so the real file finds the code paths warm."""
    folder = Path(tempfile.mkdtemp(prefix="pdf-warm-up-"))
    # A warm-up that fails leaves the process as cold as it was, no worse.
    with suppress(Exception):
        source = folder / "warm-up.pdf"
        source.write_bytes(_warm_up_pdf())
        _inspect_file(
            {
                "source": str(source),
                "text_path": str(folder / "text.txt"),
                "stored_path": str(folder / "stored.pdf"),
                "anonymous": False,
                "max_pages": 10,
                "max_text_chars": 10_000,
            }
        )
    shutil.rmtree(folder, ignore_errors=True)


def _warm_up_pdf() -> bytes:
    """A one-page PDF with a line of Helvetica text, its cross-reference table computed."""
    content = b"BT /F1 12 Tf 72 720 Td (A report of the parser's own, to warm up on.) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> "
        b"/Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
    ]
    document = bytearray(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(document))
        document += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    table = len(document)
    document += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    document += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    document += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, table)
    return bytes(document)


def _end_leftovers() -> None:
    """Kill whatever a file's process left running: this worker is their subreaper, so once the file's process
    has ended they are its children (and theirs, once their own parents are killed)."""
    for _ in range(100):
        children = _children()
        if not children:
            return
        for child in children:
            with suppress(ProcessLookupError):
                os.kill(child, signal.SIGKILL)
        for child in children:
            with suppress(ChildProcessError):
                os.waitpid(child, 0)


def _children() -> list[int]:
    """This process's children (Linux); none elsewhere."""
    me = os.getpid()
    try:
        return [int(pid) for pid in Path(f"/proc/{me}/task/{me}/children").read_text().split()]
    except FileNotFoundError:
        pass  # a kernel without CONFIG_PROC_CHILDREN, or no /proc at all
    children = []
    with suppress(OSError):
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                with suppress(OSError, ValueError, IndexError):
                    if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == me:
                        children.append(int(entry.name))
    return children


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
    # The first file is on its way already: its process would only make it wait for a warm-up.
    process = _FileProcess(warm_up=False)
    for line in sys.stdin:
        answer = _in_fork(json.loads(line), process)
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
        # The next file's process, made and warmed while the function gets on with this one's answer.
        process = _FileProcess()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
