"""The PDF inspector: every hostile file becomes a findings record or a rejection, in a child process."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pypdf import PdfReader

from case_reviews.adapters import pdf
from case_reviews.adapters.pdf import InspectedPdf, IsolatedPdfInspector, PdfLimits
from case_reviews.domain.errors import UploadRejected
from tests.support import pdfs

BOARD = "Northshire Safeguarding Children Partnership"


def inspect(data: bytes, tmp_path: Path, strip: bool = False, limits: PdfLimits | None = None) -> InspectedPdf:
    source = tmp_path / "upload.pdf"
    source.write_bytes(data)
    return IsolatedPdfInspector(limits).inspect(source, tmp_path, strip_metadata=strip)


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
    ],
    ids=["truncated", "encrypted", "restrictions-only", "javascript", "attachment", "3000-pages", "bomb"],
)
def test_a_hostile_file_is_rejected_with_a_reason_the_board_can_act_on(make, reason, tmp_path: Path) -> None:
    # Given a hostile file, When it is inspected, Then it is rejected naming the problem and what to do
    with pytest.raises(UploadRejected) as rejected:
        inspect(make(), tmp_path)
    assert reason in str(rejected.value)
    assert "submit" in str(rejected.value) or "contact the library" in str(rejected.value)


def test_a_report_gives_its_pages_and_text(tmp_path: Path) -> None:
    # Given a two-page report, When it is inspected
    found = inspect(pdfs.make_pdf("Neglect was not recognised.", "Second page"), tmp_path)

    # Then its pages and text are found, and the upload itself is what is stored
    assert (found.page_count, found.text_layer, found.metadata_stripped) == (2, True, False)
    assert found.text_path.read_text(encoding="utf-8") == "Neglect was not recognised.\nSecond page"
    assert found.text_chars == len("Neglect was not recognised.\nSecond page")
    assert found.stored_path == tmp_path / "upload.pdf"


def test_a_scanned_report_is_accepted_without_a_text_layer(tmp_path: Path) -> None:
    found = inspect(pdfs.image_only_pdf(pages=3), tmp_path)
    assert (found.page_count, found.text_layer) == (3, False)


def test_the_text_kept_stops_at_the_cap(tmp_path: Path) -> None:
    found = inspect(pdfs.make_pdf("x" * 500, "y" * 500), tmp_path, limits=PdfLimits(max_text_chars=600))
    assert found.text_chars == 600
    assert len(found.text_path.read_text(encoding="utf-8")) == 600


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


@pytest.mark.parametrize(
    ("behaviour", "reason"), [("crash", "could not be processed"), ("hang", "within the time allowed")]
)
def test_a_parser_that_crashes_or_hangs_becomes_a_rejection(
    behaviour: str, reason: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Given a parser that dies of a signal, or never returns
    monkeypatch.setattr(pdf, "WORKER_MODULE", "tests.support.misbehaving_worker")
    monkeypatch.setenv("MISBEHAVIOUR", behaviour)

    # When a file is inspected, Then the caller gets a rejection, not a crash of its own
    with pytest.raises(UploadRejected) as rejected:
        inspect(pdfs.make_pdf("Report"), tmp_path, limits=PdfLimits(time_limit_s=1))
    assert reason in str(rejected.value)
