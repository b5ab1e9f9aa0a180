"""The PDF inspector: every hostile file becomes a findings record or a rejection, in a child process."""

from __future__ import annotations

import contextlib
import io
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pypdfium2 as pdfium
import pytest
from pypdf import PdfReader

from case_reviews.adapters import pdf
from case_reviews.adapters.pdf import InspectedPdf, IsolatedPdfInspector, PdfLimits
from case_reviews.domain.errors import UploadRejected
from tests.support import pdfs
from tests.support.pdf_traces import traces

BOARD = "Northshire Safeguarding Children Partnership"


def inspect(data: bytes, tmp_path: Path, strip: bool = False, limits: PdfLimits | None = None) -> InspectedPdf:
    source = tmp_path / "upload.pdf"
    source.write_bytes(data)
    return IsolatedPdfInspector(limits).inspect(source, tmp_path, anonymous=strip)


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (lambda: pdfs.make_pdf("Neglect")[:300], "could not be read"),
        (lambda: pdfs.encrypted_pdf(), "encrypted"),
        (lambda: pdfs.encrypted_pdf(user_password=""), "encrypted"),
        (pdfs.javascript_pdf, "JavaScript"),
        (pdfs.attachment_pdf, "files attached"),
        (lambda: pdfs.many_pages_pdf(3000), "has 3000 pages; the limit is 2000 pages"),
        (pdfs.decompression_bomb_pdf, "expands to an unreasonable size"),
        (pdfs.xfa_form_pdf, "is an XFA form"),
        (pdfs.pdf_only_a_viewer_repairs, "internal structure is damaged"),
    ],
    ids=[
        "truncated",
        "encrypted",
        "restrictions-only",
        "javascript",
        "attachment",
        "3000-pages",
        "bomb",
        "xfa",
        "only-a-viewer-repairs",
    ],
)
def test_a_hostile_file_is_rejected_with_a_reason_the_board_can_act_on(make, reason, tmp_path: Path) -> None:
    # Given a hostile file, When it is inspected, Then it is rejected naming the problem and what to do
    with pytest.raises(UploadRejected) as rejected:
        inspect(make(), tmp_path)
    assert reason in str(rejected.value)
    assert "submit" in str(rejected.value) or "contact the library" in str(rejected.value)


def test_a_report_gives_its_pages_and_text(tmp_path: Path) -> None:
    # Given a two-page report, When it is inspected
    original = pdfs.make_pdf("Neglect was not recognised.", "Second page")
    found = inspect(original, tmp_path)

    # Then its pages and text are found
    assert (found.page_count, found.text_layer, found.metadata_stripped) == (2, True, False)
    # (pages apart by a form feed, so the library's check can say on which page a word is)
    assert found.text_path.read_text(encoding="utf-8") == "Neglect was not recognised.\fSecond page"
    assert found.text_chars == len("Neglect was not recognised.\fSecond page")
    # And what is stored is a rewritten copy, not the upload, with its pages and its document information
    stored = found.stored_path.read_bytes()
    assert found.stored_path != tmp_path / "upload.pdf" and stored != original
    reader = PdfReader(io.BytesIO(stored))
    assert (len(reader.pages), reader.metadata.title) == (2, "Case review")


def test_a_scanned_report_is_accepted_without_a_text_layer(tmp_path: Path) -> None:
    found = inspect(pdfs.image_only_pdf(pages=3), tmp_path)
    assert (found.page_count, found.text_layer) == (3, False)


def test_the_text_kept_stops_at_the_cap(tmp_path: Path) -> None:
    found = inspect(pdfs.make_pdf("x" * 500, "y" * 500), tmp_path, limits=PdfLimits(max_text_chars=600))
    assert found.text_chars == 600
    assert len(found.text_path.read_text(encoding="utf-8")) == 600


def test_a_file_that_names_a_child_in_an_earlier_revision_is_stored_without_it(tmp_path: Path) -> None:
    # Given a report saved twice: its first revision names the child, its current one shows "Child K [redacted]"
    original = pdfs.incrementally_redacted_pdf()
    assert b"ZEBULON" in original
    shown = pdfium.PdfDocument(original)
    assert "Child K [redacted]" in shown[0].get_textpage().get_text_range()
    shown.close()

    # When it is inspected, deposited under the board's name
    found = inspect(original, tmp_path)

    # Then the stored copy holds no trace of the name: not in its bytes, nor in any decoded stream or string
    stored = found.stored_path.read_bytes()
    assert traces(stored, "ZEBULON") == []
    # And the text search gets is the current revision's, which is what a downloader sees
    text = found.text_path.read_text(encoding="utf-8")
    assert "Child K [redacted] was known" in text and "ZEBULON" not in text
    assert PdfReader(io.BytesIO(stored)).metadata.title == "Child K: overview report"


def test_a_named_copy_keeps_its_annotations_form_outline_and_metadata(tmp_path: Path) -> None:
    # Given a report, deposited under the board's name, whose metadata, notes, form and outline name the board
    original = pdfs.pdf_naming_the_board_everywhere(BOARD)

    # When it is inspected
    found = inspect(original, tmp_path)

    # Then the copy is rewritten but keeps what the board published with it
    reader = PdfReader(found.stored_path)
    catalogue = reader.trailer["/Root"]
    assert len(reader.pages[0]["/Annots"]) == 5
    assert {"/AcroForm", "/Outlines", "/PageLabels", "/Metadata"} <= set(catalogue)
    assert reader.metadata.author == BOARD
    assert not found.metadata_stripped


def test_an_anonymous_copy_names_the_board_nowhere(tmp_path: Path) -> None:
    # Given a report whose pages do not name the board, but whose metadata in every place PDF keeps it does:
    # /Info, XMP on the catalogue, page, form XObject, image and font, /PieceInfo, a sticky note with its
    # pop-up and reply, a typed comment, a filled-in field, an outline entry, a page label, named
    # destinations, the trailer's /ID and a thumbnail
    original = pdfs.pdf_naming_the_board_everywhere(BOARD)
    before = traces(original, "Northshire")
    objects_naming_it = {int(where.split(":")[0][len("object ") :]) for where in before if where.startswith("object")}
    assert objects_naming_it == {1, 3, 5, 7, 9, 11, 12, 13, 14, 16, 18, 19, 20, 21}  # tests/support/pdfs.py
    assert any(where.startswith("trailer") for where in before)  # the /ID

    # When it is inspected for anonymous publication
    found = inspect(original, tmp_path, strip=True)

    # Then the copy to store holds no trace of the board: not in its bytes, nor in any decoded stream or string
    stored = found.stored_path.read_bytes()
    assert found.metadata_stripped
    assert traces(stored, "Northshire") == []
    # And it still shows its page: the words, the image and the drawing; its text is there for search
    reader = PdfReader(io.BytesIO(stored))
    assert len(reader.pages) == 1
    assert set(reader.pages[0]["/Resources"]["/XObject"]) == {"/Fx1", "/Im1"}
    assert found.text_path.read_text(encoding="utf-8") == "Learning about the response to neglect."
    # And the layers it loses are gone whole: no annotations, form, outline or page labels
    assert "/Annots" not in reader.pages[0]
    assert not {"/AcroForm", "/Outlines", "/PageLabels", "/Metadata"} & set(reader.trailer["/Root"])
    assert "/ID" in reader.trailer and "/Info" not in reader.trailer


def test_an_anonymous_copy_loses_its_document_information_and_xmp(tmp_path: Path) -> None:
    # Given a report whose Author, Creator and XMP name the board
    original = pdfs.pdf_naming_the_board(BOARD)
    assert BOARD.encode() in original

    # When it is inspected for anonymous publication
    found = inspect(original, tmp_path, strip=True)

    # Then the copy to store names the board nowhere, has no metadata, and still has its page and text
    stored = found.stored_path.read_bytes()
    assert found.metadata_stripped and found.stored_path != tmp_path / "upload.pdf"
    assert BOARD.encode() not in stored
    reader = PdfReader(io.BytesIO(stored))
    assert reader.metadata is None
    assert "/Metadata" not in reader.trailer["/Root"]
    assert len(reader.pages) == 1
    assert "response to neglect" in found.text_path.read_text(encoding="utf-8")


def test_the_parser_child_holds_no_credentials_and_cannot_read_the_functions(tmp_path: Path) -> None:
    # Given a function whose environment holds credentials, endpoint addresses and settings, as Lambda's does
    # from its start, and whose user holds no capabilities (tests/support/function_process.py)
    secrets = {
        "AWS_ACCESS_KEY_ID": "AKIAPROBEPROBEPROBE",
        "AWS_SECRET_ACCESS_KEY": "probe-secret-access-key",
        "AWS_SESSION_TOKEN": "probe-session-token",
        "AWS_ENDPOINT_URL": "http://127.0.0.1:4566",
        "AWS_ENDPOINT_URL_DYNAMODB": "http://127.0.0.1:4566",
        "AWS_LAMBDA_RUNTIME_API": "127.0.0.1:9001",
        "OPENSEARCH_URL": "http://127.0.0.1:9200",
        "CATALOGUE_TABLE": "case-reviews-catalogue",
    }
    source = tmp_path / "upload.pdf"
    source.write_bytes(pdfs.make_pdf("Report"))

    # When it inspects two files with the real inspector (the second goes to the warm worker the first started),
    # whose worker's process for each file reports what it sees
    function = subprocess.run(
        [sys.executable, "-m", "tests.support.function_process", str(source)],
        env={**secrets, "PATH": os.environ["PATH"], "PYTHONPATH": os.pathsep.join(filter(None, sys.path))},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    first, warm = json.loads(function.stdout.strip().splitlines()[-1])
    assert first["worker_pid"] == warm["worker_pid"]

    for seen in (first, warm):
        # Then the parser's environment holds none of them: only what the interpreter needs to start
        environment = seen["environment"]
        assert set(environment) <= {*pdf.CHILD_ENVIRONMENT_PASSED, "PYTHONPATH"}
        assert not set(secrets.values()) & set(environment.values())
        # And it cannot read them from the function either: the function's environment and memory are closed
        # to it, and so are the worker's (whose next forks parse other boards' files)
        assert seen["function"] == {"environ": "PermissionError", "mem": "PermissionError"}
        assert seen["worker"] == {"environ": "PermissionError", "mem": "PermissionError"}


@pytest.mark.parametrize(
    ("behaviour", "reason"), [("crash", "could not be processed"), ("hang", "within the time allowed")]
)
def test_a_parser_that_crashes_or_hangs_becomes_a_rejection(
    behaviour: str, reason: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a parser that dies of a signal, or never returns
    monkeypatch.setattr(pdf, "WORKER_MODULE", f"tests.support.misbehaving_worker.{behaviour}")

    # When a file is inspected, Then the caller gets a rejection, not a crash of its own
    with pytest.raises(UploadRejected) as rejected:
        inspect(pdfs.make_pdf("Report"), tmp_path, limits=PdfLimits(time_limit_s=1))
    assert reason in str(rejected.value)


# ---------------------------------------------------------------- the warm worker


@pytest.fixture
def scripted(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real worker, whose reading of each file follows the file's bytes (tests/support/scripted_worker.py)."""
    monkeypatch.setattr(pdf, "WORKER_MODULE", "tests.support.scripted_worker")


def inspect_script(inspector: IsolatedPdfInspector, script: bytes, tmp_path: Path) -> dict[str, object]:
    """What the file's process reported (scripted_worker), for a file of these bytes, in a workdir of its own."""
    workdir = Path(tempfile.mkdtemp(dir=tmp_path))
    source = workdir / "upload.pdf"
    source.write_bytes(script)
    found = inspector.inspect(source, workdir, anonymous=False)
    return json.loads(found.text_path.read_text(encoding="utf-8"))


def test_later_files_go_to_the_same_warm_worker_each_in_a_process_of_its_own(scripted, tmp_path: Path) -> None:
    # Given an inspector
    inspector = IsolatedPdfInspector()

    # When it inspects three files
    seen = [inspect_script(inspector, b"report %d" % number, tmp_path) for number in range(3)]

    # Then one worker served them all, still running for the next, and each file had a process of its own
    assert {report["worker_pid"] for report in seen} == {inspector.worker_pid}
    assert len({report["pid"] for report in seen}) == 3
    inspector.close()
    assert inspector.worker_pid is None


def test_each_file_gets_the_whole_of_each_limit_however_many_came_before(scripted, tmp_path: Path) -> None:
    # Given an inspector with limits of its own
    limits = PdfLimits(time_limit_s=7, memory_limit_mb=300)
    inspector = IsolatedPdfInspector(limits)

    # When a warm worker inspects a small file after a large one
    large = inspect_script(inspector, b"x" * 5_000_000, tmp_path)
    small = inspect_script(inspector, b"small", tmp_path)

    # Then each file's process ran under its own limits: the same address space and CPU seconds, its CPU
    # time counted from zero, and an output bound from its own size
    assert large["worker_pid"] == small["worker_pid"]
    for report, size in ((large, 5_000_000), (small, 5)):
        output_bound = 2 * size + 4 * limits.max_text_chars + 1024 * 1024
        assert report["limits"] == {
            "memory": [300 * 1024 * 1024] * 2,
            "cpu": [7, 8],
            "file_size": [output_bound, output_bound],
        }
        assert report["cpu_used_at_start_s"] < 1


@pytest.mark.parametrize(
    ("script", "reason"),
    [(b"crash", "could not be processed"), (b"eat", "could not be processed"), (b"hang", "within the time allowed")],
    ids=["crash", "memory-limit", "timeout"],
)
def test_a_crash_a_limit_hit_or_a_timeout_ends_only_that_files_process_and_the_worker_is_replaced(
    script: bytes, reason: str, scripted, tmp_path: Path
) -> None:
    # Given a warm worker
    inspector = IsolatedPdfInspector(PdfLimits(time_limit_s=2))
    before = inspect_script(inspector, b"first", tmp_path)

    # When a file crashes its process, runs out of memory, or never ends
    with pytest.raises(UploadRejected) as rejected:
        inspect_script(inspector, script, tmp_path)

    # Then that file is rejected with a reason the board can act on, and its worker is ended (a hung file's
    # process with it)
    assert reason in str(rejected.value)
    assert not _running(before["worker_pid"])
    for hung in tmp_path.glob("*/hang.pid"):
        assert _ends(int(hung.read_text()))
    # And the next file is inspected by a new worker, as the first was
    after = inspect_script(inspector, b"after", tmp_path)  # as long as the first: the same limits
    assert after["worker_pid"] not in (before["worker_pid"], None)
    assert after["limits"] == before["limits"]


def test_a_worker_is_replaced_after_its_last_file(scripted, tmp_path: Path) -> None:
    # Given an inspector whose workers serve two files each
    inspector = IsolatedPdfInspector(max_files_per_worker=2)

    # When it inspects five files
    workers = [inspect_script(inspector, b"report", tmp_path)["worker_pid"] for _ in range(5)]

    # Then a worker served the first two, another the next two, a third the fifth; each ended after its last
    assert workers[0] == workers[1] != workers[2] == workers[3] != workers[4]
    assert len(set(workers)) == 3
    assert not _running(workers[0]) and not _running(workers[2])


def test_nothing_a_files_process_leaves_running_outlives_that_file(scripted, tmp_path: Path) -> None:
    # Given a file whose process starts another that would stay behind (in a session of its own, orphaned)
    inspector = IsolatedPdfInspector()

    # When it is inspected
    inspect_script(inspector, b"orphan", tmp_path)

    # Then that process has been ended by the time the inspection returns, and the worker serves the next file
    (orphan,) = tmp_path.glob("*/orphan.pid")
    assert not _running(int(orphan.read_text()))
    assert inspect_script(inspector, b"next", tmp_path)["worker_pid"] == inspector.worker_pid


def test_a_warm_worker_that_ended_while_idle_is_replaced_without_failing_the_next_file(
    scripted, tmp_path: Path
) -> None:
    # Given a warm worker that is killed between files (as by the system, short of memory)
    inspector = IsolatedPdfInspector()
    first = inspect_script(inspector, b"first", tmp_path)
    os.kill(first["worker_pid"], signal.SIGKILL)

    # When the next file comes, Then a new worker inspects it
    after = inspect_script(inspector, b"next", tmp_path)
    assert after["worker_pid"] != first["worker_pid"]


def test_the_worker_and_its_files_process_die_with_the_function_whatever_kills_it(tmp_path: Path) -> None:
    # Given a function with a warm worker (tests/support/dying_function.py), waiting for a file whose process
    # never returns: the worker, busy with that file, is not reading its stdin to see the function go
    function = subprocess.Popen(
        [sys.executable, "-m", "tests.support.dying_function", str(tmp_path)],
        env={"PATH": os.environ["PATH"], "PYTHONPATH": os.pathsep.join(filter(None, sys.path))},
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert function.stdout is not None
        worker = int(function.stdout.readline())
        hang_pid = tmp_path / "hang" / "hang.pid"
        assert _appears(hang_pid), "the file's process never started"
        hung = int(hang_pid.read_text())
        assert _running(worker) and _running(hung)

        # When the function is killed outright, with no chance to stop its worker
        function.kill()
        function.wait()
    finally:
        function.kill()

    # Then its worker, and the file's process the worker made, end with it
    try:
        assert _ends(worker)
        assert _ends(hung)
    finally:  # if they did not, the test does not leave them behind
        with contextlib.suppress(ProcessLookupError):
            os.killpg(worker, signal.SIGKILL)


def _appears(path: Path) -> bool:
    """The file is written soon (a bounded wait, not a timing assertion)."""
    for _ in range(3000):
        if path.exists() and path.read_text():
            return True
        time.sleep(0.01)
    return False


def _ends(pid: int) -> bool:
    """The process ends soon (a SIGKILL is delivered when the process is next scheduled)."""
    for _ in range(500):
        if not _running(pid):
            return True
        time.sleep(0.01)
    return False


def _running(pid: int) -> bool:
    """The process exists and is not a zombie (a killed process its parent has not reaped yet)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state not in ("Z", "X")
