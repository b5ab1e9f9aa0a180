"""Hostile and awkward uploads end in their documented state, and the next upload still goes through."""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from pypdf import PdfReader

from case_reviews import bootstrap
from case_reviews.adapters import pdf
from tests.integration.conftest import client, sent_emails, wire
from tests.integration.helpers import (
    call_api,
    deposit,
    open_submission,
    sample_metadata,
    submission_status,
    upload,
)
from tests.support import pdfs
from tests.support.pdf_traces import traces

BOARD = "Northshire Safeguarding Children Partnership"


def keys(aws, prefix: str) -> list[str]:
    listed = client("s3").list_objects_v2(Bucket=aws.names.bucket, Prefix=prefix)
    return [entry["Key"] for entry in listed.get("Contents", [])]


def records(aws) -> list[str]:
    return [
        item["pk"]["S"]
        for item in client("dynamodb").scan(TableName=aws.names.catalogue_table)["Items"]
        if item["pk"]["S"].startswith("REVIEW#") and item["sk"]["S"] == "REVIEW"
    ]


def assert_rejected_and_quarantined(aws, key: str, submission_id: str, reason: str) -> None:
    """Rejected with the reason; the file in quarantine and nowhere else; no record; the board emailed."""
    outcome = submission_status(key, submission_id)
    assert outcome["status"] == "rejected"
    assert reason in outcome["reason"]
    assert keys(aws, "quarantine/") == [f"quarantine/{submission_id}.pdf"]
    assert keys(aws, "incoming/") == keys(aws, "reports/") == keys(aws, "text/") == []
    assert records(aws) == []
    emails = sent_emails()
    assert len(emails) == 1, emails
    assert outcome["reason"] in html.unescape(emails[0]["body"])


CORPUS: dict[str, tuple[Callable[[], bytes], str]] = {
    "empty": (lambda: b"", "The uploaded file is empty"),
    "not-a-pdf": (lambda: b"PK\x03\x04 a spreadsheet named report.pdf", "The file is not a PDF"),
    "truncated": (lambda: pdfs.make_pdf("Neglect was not recognised.")[:400], "could not be read"),
    "encrypted": (pdfs.encrypted_pdf, "encrypted"),
    "javascript": (pdfs.javascript_pdf, "JavaScript"),
    "attachment": (pdfs.attachment_pdf, "files attached"),
    "several-thousand-pages": (lambda: pdfs.many_pages_pdf(3000), "has 3000 pages; the limit is 2000 pages"),
    "decompression-bomb": (lambda: pdfs.decompression_bomb_pdf(inflated_gib=2), "expands to an unreasonable size"),
    "xfa-form": (pdfs.xfa_form_pdf, "is an XFA form"),
    "only-a-viewer-repairs": (pdfs.pdf_only_a_viewer_repairs, "internal structure is damaged"),
}


@pytest.mark.parametrize("name", CORPUS)
def test_a_bad_file_is_rejected_quarantined_and_the_next_upload_is_catalogued(name, aws, pipeline, board_key):
    # Given a board that uploads a bad file
    make, reason = CORPUS[name]
    _, key = board_key
    bad = deposit(key, make(), title=f"Bad upload: {name}")

    # When the pipeline runs
    received = pipeline.drain()

    # Then the submission is rejected with an actionable reason, the file is in quarantine, nothing is indexed
    assert_rejected_and_quarantined(aws, key, bad, reason)
    assert received["index"] == 0

    # And the next upload is catalogued as usual
    good = deposit(key, pdfs.make_pdf("Neglect was not recognised."))
    pipeline.drain()
    assert submission_status(key, good)["status"] == "catalogued"


def test_an_oversize_file_is_quarantined_without_being_read(aws, pipeline, board_key, function_settings, clock):
    # Given a limit smaller than the file (moto, like some S3 implementations, does not enforce the POST policy)
    wire({**function_settings, "MAX_UPLOAD_BYTES": "1000"}, clock)
    _, key = board_key
    submission_id = deposit(key, pdfs.make_pdf("A long report. " * 400))

    # When the pipeline runs
    pipeline.drain()

    # Then it is rejected with the size and the limit, and kept in quarantine
    assert_rejected_and_quarantined(aws, key, submission_id, "the limit is 1000 bytes")


@pytest.mark.parametrize("behaviour", ["crash", "hang"])
def test_a_parser_crash_or_hang_is_a_rejection_and_the_pipeline_stays_healthy(
    behaviour, aws, pipeline, board_key, monkeypatch, function_settings, clock
):
    # Given a parser that dies of a signal (as native code can), or never returns
    monkeypatch.setattr(pdf, "WORKER_MODULE", f"tests.support.misbehaving_worker.{behaviour}")
    wire({**function_settings, "PDF_TIME_LIMIT_SECONDS": "1"}, clock)
    _, key = board_key
    submission_id = deposit(key, pdfs.make_pdf("A report the parser chokes on"))

    # When the pipeline runs
    pipeline.drain()

    # Then the message is not lost: the board gets a rejection it can act on, the file is quarantined
    assert_rejected_and_quarantined(aws, key, submission_id, "could not be processed")

    # And once the parser behaves, the next upload is catalogued
    monkeypatch.setattr(pdf, "WORKER_MODULE", "case_reviews.adapters.pdf_worker")
    good = deposit(key, pdfs.make_pdf("Neglect was not recognised."))
    pipeline.drain()
    assert submission_status(key, good)["status"] == "catalogued"


def test_a_second_upload_to_a_rejected_submission_is_quarantined_too_and_tells_the_board_once(aws, pipeline, board_key):
    # Given a rejected upload whose file is already in quarantine
    _, key = board_key
    created = open_submission(key)
    upload(created, b"not a pdf at all")
    pipeline.drain()

    # When the board uploads again to the same presigned POST and the pipeline runs
    upload(created, b"still not a pdf")
    pipeline.drain()

    # Then the outcome stands: one file in quarantine (the latest), nothing in incoming/, one email
    assert_rejected_and_quarantined(aws, key, created["submission_id"], "not a PDF")


def test_a_scanned_report_waits_for_the_library_and_is_catalogued_without_a_text_layer(aws, pipeline, board_key):
    # Given a report that is page images only
    _, key = board_key
    submission_id = deposit(key, pdfs.image_only_pdf(pages=3))

    # When the pipeline runs
    pipeline.drain()

    # Then it waits for a person: its words cannot be searched or checked
    held = submission_status(key, submission_id)
    assert held["status"] == "in_review", held
    assert "no text layer" in held["reason"]

    # When staff approve it
    bootstrap.services().review.approve(submission_id, "staff:test")

    # Then it is catalogued, and the record staff see says it has no text layer
    outcome = submission_status(key, submission_id)
    assert outcome["status"] == "catalogued"
    shown = bootstrap.services().records.show(outcome["reference"])
    assert shown.electronic_copy is not None
    assert (shown.electronic_copy.text_layer, shown.electronic_copy.page_count) == (False, 3)


def test_an_anonymous_report_is_stored_without_the_metadata_that_names_the_board(aws, pipeline, board_key):
    # Given a report whose Author, Creator and XMP packet name the board, deposited as anonymous
    _, key = board_key
    original = pdfs.pdf_naming_the_board(BOARD)
    submission_id = deposit(key, original, anonymous=True)

    # When the pipeline runs
    pipeline.drain()

    # Then the stored copy has no document information and no XMP, and never names the board
    reference = submission_status(key, submission_id)["reference"]
    stored = client("s3").get_object(Bucket=aws.names.bucket, Key=f"reports/{reference}.pdf")["Body"].read()
    assert BOARD.encode() not in stored and b"Northshire" not in stored
    reader = PdfReader(io.BytesIO(stored))
    assert reader.metadata is None
    assert "/Metadata" not in reader.trailer["/Root"]
    # And the record keeps the upload's checksum (duplicates are found by it) and the stored copy's size
    copy = bootstrap.services().records.show(reference).electronic_copy
    assert copy is not None
    assert copy.sha256 == hashlib.sha256(original).hexdigest()
    assert (copy.size_bytes, copy.metadata_stripped) == (len(stored), True)


def test_an_anonymous_report_is_stored_naming_the_board_nowhere(aws, search, pipeline, board_key):
    # Given an anonymous report whose pages do not name the board, but whose metadata, notes, form, outline,
    # page labels, identifier and thumbnail all do
    _, key = board_key
    submission_id = deposit(key, pdfs.pdf_naming_the_board_everywhere(BOARD), anonymous=True)

    # When the pipeline runs
    pipeline.drain()

    # Then the copy a downloader gets holds no trace of the board, in its bytes or any decoded stream or string
    reference = submission_status(key, submission_id)["reference"]
    stored = client("s3").get_object(Bucket=aws.names.bucket, Key=f"reports/{reference}.pdf")["Body"].read()
    assert traces(stored, "Northshire") == []
    # And search finds it by its words, never by the board's name
    assert call_api("GET", "/reviews?q=response%20to%20neglect")[1]["total"] == 1
    assert call_api("GET", "/reviews?q=Northshire")[1]["total"] == 0


def test_a_named_report_is_stored_as_its_current_revision_only(aws, search, pipeline, board_key):
    # Given a named report whose earlier, incrementally saved revision names the child it now shows as "Child K"
    _, key = board_key
    original = pdfs.incrementally_redacted_pdf()
    assert b"ZEBULON" in original
    submission_id = deposit(key, original, anonymous=False)

    # When the pipeline runs
    pipeline.drain()

    # Then the stored copy is a rewrite with no trace of the earlier revision
    reference = submission_status(key, submission_id)["reference"]
    stored = client("s3").get_object(Bucket=aws.names.bucket, Key=f"reports/{reference}.pdf")["Body"].read()
    assert stored != original
    assert traces(stored, "ZEBULON") == []
    # And the text search holds is the copy's: it finds the current words, and not the name
    text = client("s3").get_object(Bucket=aws.names.bucket, Key=f"text/{reference}.txt")["Body"].read().decode()
    assert "Child K [redacted]" in text and "ZEBULON" not in text
    assert call_api("GET", "/reviews?q=ZEBULON")[1]["total"] == 0
    assert call_api("GET", "/reviews?q=redacted")[1]["total"] == 1
    # And the record keeps the upload's checksum (duplicates are found by it) and the stored copy's size
    copy = bootstrap.services().records.show(reference).electronic_copy
    assert copy is not None
    assert (copy.sha256, copy.size_bytes) == (hashlib.sha256(original).hexdigest(), len(stored))


def test_a_welsh_title_is_kept_exactly(aws, search, pipeline, board_key):
    # Given a Welsh child practice review, its title with Welsh letters
    title = "Adolygiad Ymarfer Plant: Plentyn Ŵ — Adroddiad Trosolwg (Bwrdd Diogelu Gogledd Cymru, Ŷ â ê)"
    _, key = board_key
    submission_id = deposit(
        key, pdfs.make_pdf("Adroddiad"), title=title, nation="wales", review_type="child_practice_review"
    )

    # When the pipeline runs
    pipeline.drain()

    # Then the record and the index document carry the title unchanged
    reference = submission_status(key, submission_id)["reference"]
    status, record, _ = call_api("GET", f"/reviews/{reference}")
    assert (status, record["title"]) == (200, title)
    document = bootstrap.services().search_index.client.get(index=search, id=reference)["_source"]
    assert document["title"] == title


def test_a_ten_thousand_character_title_is_refused_before_any_upload(aws, board_key):
    # Given metadata with a 10,000-character title (the limit is 300)
    _, key = board_key

    # When the board opens a submission
    status, problem, _ = call_api("POST", "/submissions", key, sample_metadata(title="T" * 10_000))

    # Then it is a 400 problem naming the title, and nothing is stored
    assert status == 400
    assert "title" in json.dumps(problem)
    assert not [
        item
        for item in client("dynamodb").scan(TableName=aws.names.catalogue_table)["Items"]
        if item["pk"]["S"].startswith("SUBMISSION#")
    ]


def test_the_presigned_post_policy_binds_one_key_a_pdf_and_the_size_limit(aws, board_key, now):
    # Given a board opening a submission
    _, key = board_key
    # botocore signs the policy with the machine's time, which is what S3 checks it against (not the wired clock).
    before = datetime.now(UTC)

    # When it gets its presigned POST
    created = open_submission(key)

    # Then the policy (which moto does not enforce) admits one PDF at one random key, up to the limit, briefly
    fields = created["upload"]["fields"]
    policy = json.loads(base64.b64decode(fields["policy"]))
    conditions = policy["conditions"]
    assert fields["key"] == f"incoming/{created['submission_id']}.pdf"
    assert {"key": fields["key"]} in conditions
    assert {"bucket": aws.names.bucket} in conditions
    assert {"Content-Type": "application/pdf"} in conditions
    assert ["content-length-range", 1, created["upload"]["max_bytes"]] in conditions
    expires = datetime.fromisoformat(policy["expiration"].replace("Z", "+00:00"))
    assert expires <= before + timedelta(minutes=15, seconds=5)
    assert "Northshire" not in fields["key"] and "Child" not in fields["key"]
