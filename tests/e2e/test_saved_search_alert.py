"""A reader signs up for a saved search on the running local stack, confirms through the emailed link,
and gets one alert email when a matching report is deposited; running the day again sends none."""

from __future__ import annotations

import html
import re
import uuid
from datetime import date, timedelta
from typing import Any

import pytest
import requests

from tests.e2e.conftest import Stack
from tests.e2e.test_board_and_searcher import deposit, wait_for, wait_for_outcome
from tests.e2e.test_staff_cli import staff_json
from tests.support.pdfs import make_pdf

pytestmark = pytest.mark.e2e


def emails_to(stack: Stack, address: str) -> list[dict[str, Any]]:
    return [message for message in stack.emails() if address in message["destinations"]["ToAddresses"]]


def test_a_saved_search_alert_is_confirmed_by_its_link_and_sent_once_for_a_matching_deposit(stack: Stack) -> None:
    # Given a reader who signs up for a search of a word only the coming report has
    marker = f"kw{uuid.uuid4().hex[:10]}"
    reader = f"reader-{marker}@example.org"
    signed_up = requests.post(
        f"{stack.api_url}/alerts", json={"email": reader, "search": f"q={marker}&nation=england"}, timeout=10
    )
    assert signed_up.status_code == 202, signed_up.text

    # When the reader opens the emailed link and presses its button
    (confirmation,) = wait_for(lambda: emails_to(stack, reader))
    links = re.findall(r'href="([^"]+/alerts/confirm/[^"]+)"', confirmation["body"])
    assert links, confirmation["body"]
    confirm_url = html.unescape(links[0])
    opened = requests.get(confirm_url, timeout=10)
    assert opened.status_code == 200 and "<button" in opened.text
    assert not any(a["email"] == reader and a["status"] == "confirmed" for a in staff_json(stack, "alerts", "list"))
    confirmed = requests.post(confirm_url, timeout=10)
    assert confirmed.status_code == 200, confirmed.text
    listed = [alert for alert in staff_json(stack, "alerts", "list") if alert["email"] == reader]
    assert [alert["status"] for alert in listed] == ["confirmed"]

    # And a board deposits a report that matches, and staff run the next day's alerts, twice
    submission_id = deposit(stack, make_pdf(f"The children were neglected. Marker {marker}."), title="Child Q")
    outcome = wait_for_outcome(stack, submission_id)
    assert outcome["status"] == "catalogued", outcome
    reference = outcome["reference"]
    today = date.fromisoformat(staff_json(stack, "records", "show", reference)["deposited_on"])
    tomorrow = (today + timedelta(days=1)).isoformat()
    wait_for(lambda: requests.get(f"{stack.api_url}/reviews", params={"q": marker}, timeout=10).json()["total"])
    first = staff_json(stack, "alerts", "run", "--as-of", tomorrow)
    second = staff_json(stack, "alerts", "run", "--as-of", tomorrow)

    # Then the reader has exactly one alert email, listing the report, with a way to stop it
    alerts = [email for email in emails_to(stack, reader) if email["subject"].startswith("New case reviews")]
    assert len(alerts) == 1, [email["subject"] for email in emails_to(stack, reader)]
    assert f"/reviews/{reference}" in alerts[0]["body"]
    assert "/alerts/unsubscribe/" in alerts[0]["body"]
    assert first["covered"] == today.isoformat() and first["delivered"] >= 1
    assert second["covered"] == today.isoformat() and second["delivered"] == 0

    # And staff can remove the alert
    removed = staff_json(stack, "alerts", "remove", listed[0]["alert_id"])
    assert removed["removed"] is True
    assert not [alert for alert in staff_json(stack, "alerts", "list") if alert["email"] == reader]
