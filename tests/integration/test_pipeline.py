"""The whole pipeline in process: API → presigned POST → catalogue → index and acknowledge → search."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import requests

from functions.api import app as api
from infra.local.api_gateway import proxy_event
from tests.integration.conftest import client, sent_emails
from tests.support.events import load_event
from tests.support.pdfs import make_pdf


def call_api(method: str, target: str, context: Any, key: str | None = None, body: Any = None) -> tuple[int, Any]:
    headers = {"Content-Type": "application/json"} if body is not None else {}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    response = api.lambda_handler(
        proxy_event(method, target, headers, json.dumps(body) if body is not None else None), context
    )
    payload = json.loads(response["body"]) if response.get("body") else None
    return response["statusCode"], payload


def sample_metadata(**changes: Any) -> dict[str, Any]:
    metadata = json.loads(load_event("api/post_submission.json")["body"])
    return {**metadata, **changes}


def submit(context: Any, key: str, pdf: bytes, **metadata: Any) -> str:
    status, created = call_api("POST", "/submissions", context, key, sample_metadata(**metadata))
    assert status == 201, created
    upload = created["upload"]
    response = requests.post(
        upload["url"], data=upload["fields"], files={"file": ("report.pdf", pdf, "application/pdf")}
    )
    assert response.status_code in (200, 201, 204), response.text
    return created["submission_id"]


def test_an_uploaded_report_is_catalogued_indexed_acknowledged_and_found(
    aws, search, pipeline, board_key, lambda_context
):
    # Given a board with a key, and a report whose text speaks of neglect
    _, key = board_key
    pdf = make_pdf("The children were neglected over many months.", "Agencies did not share information.")

    # When the board submits it, uploads it, and the pipeline runs
    submission_id = submit(lambda_context, key, pdf, title="Serious Case Review: Child K")
    received = pipeline.drain()

    # Then the submission is catalogued under a stable, readable reference
    status, submission = call_api("GET", f"/submissions/{submission_id}", lambda_context, key)
    assert status == 200
    assert submission["status"] == "catalogued"
    reference = submission["reference"]
    assert reference == "CR-2016-0001"
    # (the catalogue queue also carried S3's one-off test event, which is acknowledged and dropped)
    assert (received["index"], received["acknowledge"]) == (1, 1)

    # And a search by words of its text (stemmed: "neglecting" finds "neglected") finds it, with highlights
    status, results = call_api("GET", "/reviews?q=neglecting", lambda_context)
    assert status == 200
    assert results["total"] == 1
    item = results["items"][0]
    assert item["reference"] == reference
    assert item["publisher"] == "Northshire Safeguarding Children Partnership"
    assert any("<mark>neglected</mark>" in fragment for fragment in item["highlights"])
    assert item["electronic_copy"]["status"] == "available"

    # And its record shows rights and the copy's availability, never the full text
    status, record = call_api("GET", f"/reviews/{reference}", lambda_context)
    assert status == 200
    deposited = date.fromisoformat(submission["updated_at"][:10])
    assert record["electronic_copy"] == {
        "status": "available",
        "available_until": deposited.replace(year=deposited.year + 5).isoformat(),
        "download": f"/reviews/{reference}/download",
    }
    assert record["rights"]["copyright_holder"] == "Northshire Safeguarding Children Partnership"
    assert "neglected" not in json.dumps(record)

    # And the contact got one acknowledgement naming the reference and asking for reviews since 10 June 2010
    emails = sent_emails()
    assert len(emails) == 1
    assert emails[0]["to"] == ["business.manager@board.example"]
    assert reference in emails[0]["subject"]
    assert "10 June 2010" in emails[0]["body"]

    # And the uploaded object left the incoming area: the library's copy lives under its reference
    keys = [o["Key"] for o in client("s3").list_objects_v2(Bucket=aws.names.bucket).get("Contents", [])]
    assert f"reports/{reference}.pdf" in keys
    assert not [k for k in keys if k.startswith("incoming/")]
