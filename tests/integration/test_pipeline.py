"""The whole pipeline in process: API → presigned POST → catalogue → index and acknowledge → search."""

from __future__ import annotations

import json
from datetime import date

from tests.integration.conftest import client, sent_emails
from tests.integration.helpers import call_api, deposit
from tests.support.pdfs import make_pdf


def test_an_uploaded_report_is_catalogued_indexed_acknowledged_and_found(aws, search, pipeline, board_key):
    # Given a board with a key, and a report whose text speaks of neglect
    _, key = board_key
    pdf = make_pdf("The children were neglected over many months.", "Agencies did not share information.")

    # When the board submits it, uploads it, and the pipeline runs
    submission_id = deposit(key, pdf, title="Serious Case Review: Child K")
    received = pipeline.drain()

    # Then the submission is catalogued under a stable, readable reference
    status, submission, _ = call_api("GET", f"/submissions/{submission_id}", key)
    assert status == 200
    assert submission["status"] == "catalogued"
    reference = submission["reference"]
    assert reference == "CR-2016-0001"
    # (the catalogue queue also carried S3's one-off test event, which is acknowledged and dropped)
    assert (received["index"], received["acknowledge"]) == (1, 1)

    # And a search by words of its text (stemmed: "neglecting" finds "neglected") finds it, with highlights
    status, results, _ = call_api("GET", "/reviews?q=neglecting")
    assert status == 200
    assert results["total"] == 1
    item = results["items"][0]
    assert item["reference"] == reference
    assert item["publisher"] == "Northshire Safeguarding Children Partnership"
    assert any("<mark>neglected</mark>" in fragment for fragment in item["highlights"])
    assert item["electronic_copy"]["status"] == "available"

    # And its record shows rights and the copy's availability, never the full text
    status, record, _ = call_api("GET", f"/reviews/{reference}")
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
