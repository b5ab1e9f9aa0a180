"""The warm worker's loop and its protocol: one request a line on stdin, a fork per file, one answer a line.

`main` confines the worker (`confinement`), imports PDFium and pypdf once, then serves requests until stdin
closes. Each file goes to a `FileProcess`: a fork made (and warmed up) ahead of its file, which sets that
file's limits, runs `inspect` on it and prints its findings to a pipe of its own. The answer is the fork's
exit code, its findings and its peak memory; whatever the fork left running is killed before the next file.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import selectors
import shutil
import signal
import sys
import tempfile
import traceback
from collections.abc import Callable
from contextlib import suppress
from pathlib import Path
from typing import Any

from case_reviews.adapters.child_processes import die_with_parent
from case_reviews.adapters.pdf_worker import confinement, inspection
from case_reviews.adapters.pdf_worker.checks import Rejected
from case_reviews.domain import pdf_policy as policy

# What the worker keeps of a fork's output: its findings are one short line; anything longer is not ours.
MAX_FORK_OUTPUT_BYTES = 1024 * 1024
# How often a file process is looked at, where the kernel cannot say when it ends (no pidfd).
_EXIT_POLL_S = 0.02
# A file process's first line: it has warmed up and is about to read its request.
_READY = '{"ready": true}'

Inspect = Callable[[dict[str, Any]], dict[str, Any]]


def main(argv: list[str], inspect: Inspect = inspection.inspect) -> int:
    """Serve requests from stdin, one JSON line each, until it closes (the inspector ends or retires it).

    `inspect` is what each file's fork does with its file (tests put a script of their own in its place;
    the warm-up always runs the real inspection).
    """
    config = json.loads(argv[1])
    confinement.drop_privileges()
    confinement.close_to_siblings()
    confinement.limit_worker(config)
    _preload()
    # The first file is on its way already: its process would only make it wait for a warm-up.
    process = FileProcess(inspect, warm_up=False)
    for line in sys.stdin:
        answer = _in_fork(json.loads(line), process, inspect)
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()
        # The next file's process, made and warmed while the function gets on with this one's answer.
        process = FileProcess(inspect)
    return 0


def _preload() -> None:
    """Import what parsing needs, once, in the worker: every fork starts with it loaded."""
    import pypdf
    import pypdf.generic  # noqa: F401
    import pypdfium2
    import pypdfium2.raw  # noqa: F401

    # What is loaded now stays out of the garbage collector's passes, so a fork's collections do not write
    # to (and so copy) every page of it.
    gc.freeze()


def _inspect_one(request: dict[str, Any], inspect: Inspect) -> int:
    """The file's process: its limits, then the inspection; prints one JSON line (findings or a rejection)."""
    confinement.limit_file_process(request)
    try:
        result = inspect(request)
    except Rejected as rejection:
        result = {"rejected": str(rejection), "detail": rejection.detail}
    except MemoryError:
        # Under the address-space limit a bomb or a huge structure ends here rather than in the OOM killer.
        result = {"rejected": policy.UNPROCESSABLE_REASON, "detail": "out of memory", "limit_hit": True}
    print(json.dumps(result), flush=True)
    return 0


class FileProcess:
    """A fork of the worker for one file. It is made ahead, while the worker waits for the next request, and
    warms up on a file of the worker's own (the first writes to the worker's pages, PDFium's first document),
    so the file does not wait for that. Only then does it read its request: nothing of another board's file
    has ever been in it."""

    def __init__(self, inspect: Inspect, warm_up: bool = True) -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        with_worker = die_with_parent()
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
                if with_worker is not None:
                    with_worker()  # ends here if the worker is gone already
                if warm_up:
                    _warm_up()
                print(_READY, flush=True)
                request = _read_request(request_readable)
                code = _inspect_one(request, inspect) if request is not None else 0
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
        end_leftovers()
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

        Not until the pipe closes: a process it left behind could hold the pipe open (`end_leftovers` ends
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


def _read_request(readable: int) -> dict[str, Any] | None:
    """The request the worker writes (then closes); None when it closes without one (the worker ends)."""
    data = bytearray()
    with open(readable, "rb", buffering=0) as requests:
        while chunk := requests.read(65536):
            data += chunk
    return json.loads(data) if data else None


def _in_fork(request: dict[str, Any], process: FileProcess, inspect: Inspect) -> dict[str, Any]:
    """Inspect one file in `process`; in a fresh fork (without the warm-up) if that one ended beforehand."""
    answer = process.inspect(request)
    if answer is None:
        answer = FileProcess(inspect, warm_up=False).inspect(request)
    assert answer is not None, "a fresh file process ended before it took the file"
    return answer


def _warm_up() -> None:
    """Inspect a small report of the worker's own, so the real file finds the code paths warm."""
    folder = Path(tempfile.mkdtemp(prefix="pdf-warm-up-"))
    # A warm-up that fails leaves the process as cold as it was, no worse.
    with suppress(Exception):
        source = folder / "warm-up.pdf"
        source.write_bytes(_warm_up_pdf())
        inspection.inspect(
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


def end_leftovers() -> None:
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
