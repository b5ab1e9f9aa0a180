"""Alerts people sign up for themselves, end to end on the embedded AWS and the real OpenSearch:
the sign-up, the double opt-in, the daily run of saved searches, the unsubscribe links, the limits."""

from __future__ import annotations

import json
import re
from datetime import timedelta

import pytest

from case_reviews import bootstrap
from case_reviews.domain.alerts import MAX_ALERTS_PER_ADDRESS
from functions.alerts import app as alerts_function
from infra.local.lambda_runtime import LocalContext
from tests.integration.conftest import sent_emails
from tests.integration.helpers import call_api, deposit, submission_status
from tests.support.events import sqs_event
from tests.support.pdfs import make_pdf

READER = "reader@example.org"


def emails_to(address: str) -> list[dict]:
    return [email for email in sent_emails() if address in email["to"]]


def link(email: dict, kind: str) -> str:
    """The path of the email's link of that kind (confirm, unsubscribe), from the API's base on."""
    found = re.findall(rf'href="https://reviews\.example\.org/v1(/alerts/{kind}/[A-Za-z0-9_-]+)"', email["body"])
    assert found, email["body"]
    return found[0]


def sign_up(body: dict) -> tuple[int, dict]:
    status, answer, _ = call_api("POST", "/alerts", body=body)
    return status, answer


def run_alerts(as_of) -> dict:
    """The daily run, as the schedule's message is delivered to the alerts function."""
    event = sqs_event([json.dumps({"task": "alerts", "as_of": as_of.isoformat()})])
    response = alerts_function.lambda_handler(event, LocalContext(function_name="alerts"))
    assert response == {"batchItemFailures": []}


def test_a_saved_search_is_confirmed_then_sends_one_email_a_day_of_the_matching_deposits(
    aws, search, pipeline, board_key, now, clock
):
    # Given a reader who signs up for a saved search, and confirms through the emailed link
    _, key = board_key
    status, answer = sign_up({"email": READER, "search": "q=neglect&nation=england&page_size=5"})
    assert (status, answer["status"]) == (202, "confirmation_sent")
    (confirmation,) = emails_to(READER)
    page_status, page, headers = call_api("GET", link(confirmation, "confirm"))
    assert page_status == 200 and "<button" in page and headers["Content-Type"].startswith("text/html")
    # (opening the link alone confirms nothing: no alert is confirmed yet)
    assert not any(alert.confirmed for alert in bootstrap.services().alert_admin.alerts())
    confirmed_status, confirmed, _ = call_api("POST", link(confirmation, "confirm"))
    assert confirmed_status == 200 and "confirmed" in confirmed
    # When a matching report and another are deposited today, and tomorrow's run happens (twice)
    matching = deposit(key, make_pdf("The children were neglected."), title="Serious Case Review: Child N")
    other = deposit(key, make_pdf("Domestic abuse was a feature."), title="Learning Review: Child D", nation="wales")
    pipeline.drain()
    matching_reference = submission_status(key, matching)["reference"]
    other_reference = submission_status(key, other)["reference"]
    tomorrow = now.date() + timedelta(days=1)
    run_alerts(tomorrow)
    run_alerts(tomorrow)
    # Then the reader has exactly one alert email, listing the match and not the other, with its links
    alerts = [email for email in emails_to(READER) if email["subject"].startswith("New case reviews")]
    assert len(alerts) == 1
    body = alerts[0]["body"]
    assert f"/reviews/{matching_reference}" in body and f"/reviews/{other_reference}" not in body
    assert "/alerts/unsubscribe/" in body
    # And a run of the day after (nothing deposited the day before it) sends nothing
    run_alerts(tomorrow + timedelta(days=1))
    assert len([email for email in emails_to(READER) if email["subject"].startswith("New case reviews")]) == 1


def test_the_sign_up_answers_the_same_whatever_the_address_already_has(aws, search):
    # Given an address that already has a confirmed digest sign-up, and one that has nothing
    bootstrap.services().subscriptions.subscribe("known@example.org")
    # When both sign up for the digest
    known = sign_up({"email": "known@example.org", "digest": True})
    unknown = sign_up({"email": "new@example.org", "digest": True})
    # Then both get the same answer; what differs is told to each mailbox, in one email each
    assert known == unknown
    assert len(emails_to("known@example.org")) == 1 and "already receives" in emails_to("known@example.org")[0]["body"]
    assert len(emails_to("new@example.org")) == 1 and "/alerts/confirm/" in emails_to("new@example.org")[0]["body"]


def test_a_confirmed_digest_sign_up_joins_the_digest_and_a_link_works_once(aws, search):
    sign_up({"email": READER, "digest": True})
    (confirmation,) = emails_to(READER)
    confirm = link(confirmation, "confirm")
    first, _, _ = call_api("POST", confirm)
    again, _, _ = call_api("POST", confirm)
    opened_after, problem, _ = call_api("GET", confirm)
    assert (first, again, opened_after) == (200, 200, 404)
    assert [subscriber.email for subscriber in bootstrap.services().subscriptions.subscribers()] == [READER]
    assert problem["status"] == 404


def test_a_confirmation_link_expires_after_seven_days(aws, search, now, clock):
    sign_up({"email": READER, "digest": True})
    (confirmation,) = emails_to(READER)
    clock.set(now + timedelta(days=7, minutes=1))
    status, _, _ = call_api("POST", link(confirmation, "confirm"))
    assert status == 404
    assert bootstrap.services().subscriptions.subscribers() == []


def test_one_click_unsubscribe_stops_the_alert(aws, search):
    # Given a confirmed saved search
    sign_up({"email": READER, "search": "theme=Neglect"})
    (confirmation,) = emails_to(READER)
    call_api("POST", link(confirmation, "confirm"))
    assert len(bootstrap.services().alert_admin.alerts()) == 1
    # When the mail client's one-click unsubscribe POSTs to the link (RFC 8058), twice
    unsubscribe = link(confirmation, "unsubscribe")
    body = "List-Unsubscribe=One-Click"
    first, page, _ = call_api("POST", unsubscribe, raw_body=body, content_type="application/x-www-form-urlencoded")
    second, _, _ = call_api("POST", unsubscribe, raw_body=body, content_type="application/x-www-form-urlencoded")
    # Then the alert is gone, and the second click is not an error
    assert (first, second) == (200, 200) and "unsubscribed" in page
    assert bootstrap.services().alert_admin.alerts() == []


def test_an_address_holds_at_most_twenty_alerts_and_is_told_so(aws, search, function_settings, clock):
    from tests.integration.conftest import wire

    function_settings.update(ALERT_SIGNUPS_PER_ADDRESS="100", ALERT_SIGNUPS_PER_CLIENT="100")
    wire(function_settings, clock)
    for year in range(2000, 2000 + MAX_ALERTS_PER_ADDRESS + 1):
        assert sign_up({"email": READER, "search": f"year={year}"})[0] == 202
    assert len(bootstrap.services().alert_admin.alerts()) == MAX_ALERTS_PER_ADDRESS
    last = emails_to(READER)[-1]
    assert "already has 20 alerts" in last["body"] and "/alerts/unsubscribe/" in last["body"]


def test_sign_ups_are_rate_limited_per_address(aws, search):
    answers = [sign_up({"email": READER, "digest": True})[0] for _ in range(6)]
    assert answers == [202] * 5 + [429]
    status, problem, headers = call_api("POST", "/alerts", body={"email": READER, "digest": True})
    assert status == 429 and int(headers["Retry-After"]) > 0 and problem["status"] == 429


@pytest.mark.parametrize(
    ("body", "location"),
    [
        ({"email": READER, "search": "nation=mars"}, "body.search"),
        ({"email": READER, "search": "q=neglect", "digest": True}, "body"),
        ({"email": "not an address", "digest": True}, "body.email"),
        ({"email": READER, "search": "colour=blue"}, "body.search"),
    ],
)
def test_a_bad_sign_up_is_a_400_that_says_what_to_fix_and_sends_nothing(aws, search, body, location):
    status, problem, _ = call_api("POST", "/alerts", body=body)
    assert status == 400, problem
    assert problem["errors"][0]["location"].startswith(location)
    assert sent_emails() == []
