"""The site's deposit through its real adapters on moto: the submission in the table, the presigned POST
whose policy sends the browser back to the status page, and that page and the home page reading the table."""

from __future__ import annotations

import base64
import html
import json
import re
from typing import Any
from urllib.parse import urlencode

from case_reviews.api.front import handle
from case_reviews.site.app import build_site
from infra.local.api_gateway import proxy_event
from infra.local.lambda_runtime import LocalContext
from infra.local.provision import Provisioned

BROWSER = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def page(method: str, target: str, form: dict[str, str] | None = None) -> dict[str, Any]:
    headers = {**BROWSER, **({"Content-Type": "application/x-www-form-urlencoded"} if form else {})}
    event = proxy_event(method, target, headers, urlencode(form) if form else None)
    return handle(build_site(), event, LocalContext(function_name="site"))


def hidden_fields(body: str) -> dict[str, str]:
    found = re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', body)
    return {name: html.unescape(value) for name, value in found}


def test_a_deposit_signs_an_upload_that_returns_to_its_status_page(
    aws: Provisioned, board_key: tuple[str, str]
) -> None:
    # Given a board's key
    _, key = board_key
    # When the deposit form is posted
    answer = page(
        "POST",
        "/deposit",
        {
            "board_key": key,
            "title": "Serious Case Review: Child K",
            "nation": "wales",
            "review_type": "child_practice_review",
            "document_type": "overview_report",
            "publication_date-day": "2",
            "publication_date-month": "5",
            "publication_date-year": "2019",
            "contact_email": "manager@board.example",
        },
    )
    assert answer["statusCode"] == 200, answer["body"][:500]
    fields = hidden_fields(answer["body"])
    submission_id = fields["key"].removeprefix("incoming/").removesuffix(".pdf")
    # Then the presigned policy admits exactly this key, a PDF, and sends the browser to the status page
    status_page = f"https://reviews.example.org/v1/deposit/{submission_id}"
    assert fields["success_action_redirect"] == status_page
    policy = json.loads(base64.b64decode(fields["policy"]))
    assert {"success_action_redirect": status_page} in policy["conditions"]
    assert {"Content-Type": "application/pdf"} in policy["conditions"]
    assert ["content-length-range", 1, 52428800] in policy["conditions"]
    # And the form posts to the bucket, which the page's policy allows
    action = re.search(r'<form method="post" action="([^"]+)"', answer["body"])
    assert action and aws.names.bucket in action.group(1)
    csp = answer["multiValueHeaders"]["Content-Security-Policy"][0]
    assert "form-action 'self' https://" in csp
    # And the status page reads the new submission from the table
    status = page("GET", f"/deposit/{submission_id}")
    assert status["statusCode"] == 200 and "<h2>Waiting for the file</h2>" in status["body"]


def test_the_home_page_reads_the_latest_additions_from_the_table(aws: Provisioned) -> None:
    # Given nothing deposited yet
    # When the home page is opened (its latest additions are a query of the table's index)
    answer = page("GET", "/")
    # Then it says so, and still offers the search and the yearly lists
    assert answer["statusCode"] == 200
    assert "Nothing has been deposited in the last three months." in answer["body"]
    assert 'href="/v1/published/1945"' in answer["body"]
