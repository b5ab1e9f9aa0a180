"""A board deposits reports and a searcher finds them, over HTTP, on the running local stack."""

from __future__ import annotations

import io
import json
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
from pypdf import PdfReader

from tests.e2e.conftest import Stack
from tests.support.pdfs import make_pdf

pytestmark = pytest.mark.e2e
EVENTS = Path(__file__).resolve().parents[2] / "events"


def metadata(**changes: Any) -> dict[str, Any]:
    return {**json.loads(json.loads((EVENTS / "api" / "post_submission.json").read_text())["body"]), **changes}


def deposit(stack: Stack, pdf: bytes, **changes: Any) -> str:
    """Open a submission and upload the file through its presigned POST, as a board does."""
    response = requests.post(
        f"{stack.api_url}/submissions",
        json=metadata(**changes),
        headers={"Authorization": f"Bearer {stack.board_key}"},
        timeout=10,
    )
    assert response.status_code == 201, response.text
    created = response.json()
    upload = created["upload"]
    sent = requests.post(
        upload["url"], data=upload["fields"], files={"file": ("report.pdf", pdf, "application/pdf")}, timeout=30
    )
    assert sent.status_code in (200, 201, 204), sent.text
    return created["submission_id"]


def wait_for_outcome(stack: Stack, submission_id: str, timeout_s: float = 60) -> dict[str, Any]:
    deadline = time.monotonic() + timeout_s
    while True:
        response = requests.get(
            f"{stack.api_url}/submissions/{submission_id}",
            headers={"Authorization": f"Bearer {stack.board_key}"},
            timeout=10,
        )
        assert response.status_code == 200, response.text
        body = response.json()
        if body["status"] not in ("awaiting_upload", "processing") or time.monotonic() > deadline:
            return body
        time.sleep(0.2)


def wait_for(check: Any, timeout_s: float = 30) -> Any:
    deadline = time.monotonic() + timeout_s
    while True:
        result = check()
        if result or time.monotonic() > deadline:
            return result
        time.sleep(0.2)


def test_a_deposited_report_is_catalogued_found_downloaded_and_acknowledged(stack: Stack):
    # Given a report with a word no other report has
    marker = f"kw{uuid.uuid4().hex[:10]}"
    pdf = make_pdf(f"The children were neglected. Marker {marker}.", "Agencies did not share information.")
    contact = f"manager-{marker}@board.example"

    # When the board deposits it
    submission_id = deposit(stack, pdf, title=f"Serious Case Review: Child {marker}", contact_email=contact)

    # Then it is catalogued under a reference
    outcome = wait_for_outcome(stack, submission_id)
    assert outcome["status"] == "catalogued", outcome
    reference = outcome["reference"]

    # And a searcher finds it by a word of its text, with the board as publisher
    def found() -> dict[str, Any] | None:
        body = requests.get(f"{stack.api_url}/reviews", params={"q": marker}, timeout=10).json()
        return body if body["total"] else None

    results = wait_for(found)
    assert results, "the report never became searchable"
    assert [item["reference"] for item in results["items"]] == [reference]
    assert results["items"][0]["publisher"] == stack.board_name

    # And the record is public, without the text; the download is a short-lived redirect to the same file
    record = requests.get(f"{stack.api_url}/reviews/{reference}", timeout=10)
    assert record.status_code == 200
    assert record.headers["X-Robots-Tag"] == "noindex, nofollow"
    assert marker not in record.text.replace(f"Child {marker}", "")
    download = requests.get(f"{stack.api_url}/reviews/{reference}/download", allow_redirects=False, timeout=10)
    assert download.status_code == 302
    assert "X-Amz-Expires=" in download.headers["Location"]
    # (the library's copy is a clean rewrite of the upload: the same pages and words, not the same bytes)
    downloaded = requests.get(download.headers["Location"], timeout=10).content
    assert downloaded.startswith(b"%PDF-")
    assert marker in "".join(page.extract_text() for page in PdfReader(io.BytesIO(downloaded)).pages)

    # And the contact receives one acknowledgement naming the reference
    def acknowledgements() -> list[dict[str, Any]]:
        return [m for m in stack.emails() if contact in m["destinations"]["ToAddresses"]]

    emails = wait_for(acknowledgements)
    assert len(emails) == 1
    assert reference in emails[0]["subject"]
    assert "10 June 2010" in emails[0]["body"]


def test_a_file_that_is_not_a_pdf_is_rejected_with_a_reason_the_board_can_act_on(stack: Stack):
    # Given a board that uploads a Word document by mistake
    contact = f"manager-{uuid.uuid4().hex[:8]}@board.example"
    submission_id = deposit(stack, b"PK\x03\x04 not a pdf at all", contact_email=contact)

    # Then the submission is rejected, saying what to do
    outcome = wait_for_outcome(stack, submission_id)
    assert outcome["status"] == "rejected"
    assert "not a PDF" in outcome["reason"]

    # And the board is told by email too
    emails = wait_for(lambda: [m for m in stack.emails() if contact in m["destinations"]["ToAddresses"]])
    assert emails and "not a PDF" in emails[0]["body"]


def test_the_same_file_deposited_twice_is_a_duplicate_of_the_first(stack: Stack):
    # Given a report already catalogued
    pdf = make_pdf(f"Unique report {uuid.uuid4().hex}")
    first = wait_for_outcome(stack, deposit(stack, pdf))
    assert first["status"] == "catalogued"

    # When the same file is deposited again
    second = wait_for_outcome(stack, deposit(stack, pdf))

    # Then it points at the first record instead of making a second one
    assert second["status"] == "duplicate"
    assert second["reference"] == first["reference"]


def test_the_api_answers_errors_as_problem_json_and_never_invites_crawlers(stack: Stack):
    unauthorised = requests.post(f"{stack.api_url}/submissions", json=metadata(), timeout=10)
    missing = requests.get(f"{stack.api_url}/reviews/CR-1900-9999", timeout=10)
    bad_query = requests.get(f"{stack.api_url}/reviews", params={"page_size": "0"}, timeout=10)
    document = requests.get(f"{stack.api_url}/openapi.json", timeout=10)

    assert (unauthorised.status_code, missing.status_code, bad_query.status_code) == (401, 404, 400)
    for response in (unauthorised, missing, bad_query):
        assert response.headers["Content-Type"] == "application/problem+json"
        assert {"type", "title", "status", "detail"} <= response.json().keys()
    assert document.status_code == 200
    assert {"/submissions", "/reviews", "/reviews/{reference}", "/years/{year}"} <= document.json()["paths"].keys()
    for response in (unauthorised, missing, bad_query, document):
        assert response.headers["X-Robots-Tag"] == "noindex, nofollow"
