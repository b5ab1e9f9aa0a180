"""The weekly "New in the Library" digest: one email per subscriber and week, of the week's deposits."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from case_reviews import bootstrap
from case_reviews.adapters.clock import SetClock
from case_reviews.domain.digest import previous_week
from functions.digest import app as digest
from infra.local.lambda_runtime import LocalContext
from tests.integration.conftest import sent_emails
from tests.integration.helpers import call_api, deposit, submission_status
from tests.support.events import sqs_event
from tests.support.pdfs import make_pdf

READERS = ["reader.one@example.org", "reader.two@example.org"]


@pytest.fixture
def week_with_two_deposits(aws, search, pipeline, board_key, now):
    """Two reports deposited this week, one anonymous; two subscribers; the acknowledgements already sent."""
    _, key = board_key
    references = []
    for title, anonymous in (("Serious Case Review: Child K", False), ("Learning Review: Child M", True)):
        submission_id = deposit(key, make_pdf(f"{title} text."), title=title, anonymous=anonymous)
        pipeline.drain()
        references.append(submission_status(key, submission_id)["reference"])
    for reader in READERS:
        bootstrap.services().subscriptions.subscribe(reader)
    return references


def digests() -> list[dict]:
    return [email for email in sent_emails() if email["subject"].startswith("New in the Library")]


def run_next_week(clock: SetClock, now: datetime):
    """The weekly run as it will happen next week, when this week is the one before."""
    clock.set(now + timedelta(days=7))
    return bootstrap.services().digest.send_weekly()


def test_each_subscriber_gets_one_digest_listing_the_week_s_deposits(week_with_two_deposits, now, clock):
    # Given two deposits this week, one anonymous, and two subscribers
    reviewed, anonymous = week_with_two_deposits

    # When next week's run happens
    outcome = run_next_week(clock, now)

    # Then each subscriber gets one email listing both, the anonymous one without its board, with links to the
    # records and an unsubscribe link of their own
    sent = digests()
    assert (outcome.entries, outcome.delivered) == (2, 2)
    assert sorted(address for email in sent for address in email["to"]) == READERS
    for email in sent:
        assert (
            email["subject"]
            == f"New in the Library: 2 case reviews, week of {previous_week(now + timedelta(days=7)).start:%-d %B %Y}"
        )
        assert f"/reviews/{reviewed}" in email["body"] and f"/reviews/{anonymous}" in email["body"]
        assert "Northshire" in email["body"].split(f"/reviews/{reviewed}")[1].split("</li>")[0]
        assert "Anonymous" in email["body"].split(f"/reviews/{anonymous}")[1].split("</li>")[0]
        assert "/subscriptions/" in email["body"]
    tokens = {email["body"].split("/subscriptions/")[1].split('"')[0] for email in sent}
    assert len(tokens) == 2


def test_a_rerun_of_the_same_week_sends_nothing_more(week_with_two_deposits, now, clock):
    # Given next week's digest already sent
    run_next_week(clock, now)
    # When the run is delivered again (the same week, another day)
    clock.set(now + timedelta(days=9))
    again = bootstrap.services().digest.send_weekly()
    # Then each subscriber still has exactly one digest
    assert again.week == previous_week(now + timedelta(days=7)).label
    assert sorted(address for email in digests() for address in email["to"]) == READERS


def test_a_run_that_crashes_halfway_is_finished_by_the_rerun_without_a_second_email(
    week_with_two_deposits, now, clock, monkeypatch
):
    # Given a run whose second email cannot be sent
    mailer = bootstrap.services().digest.mailer
    send = mailer.send
    calls = []

    def second_fails(*args, **kwargs):
        calls.append(args[0])
        if len(calls) == 2:
            raise ConnectionError("SES did not answer")
        return send(*args, **kwargs)

    monkeypatch.setattr(mailer, "send", second_fails)
    with pytest.raises(ConnectionError):
        run_next_week(clock, now)
    after_crash = [address for email in digests() for address in email["to"]]

    # When the run comes back
    monkeypatch.setattr(mailer, "send", send)
    run_next_week(clock, now)

    # Then the first subscriber got one digest, and the second got theirs on the rerun
    assert after_crash == [READERS[0]]
    assert sorted(address for email in digests() for address in email["to"]) == READERS


def test_no_digest_goes_out_for_a_week_without_deposits(aws, now, clock):
    # Given a subscriber and nothing deposited last week
    bootstrap.services().subscriptions.subscribe(READERS[0])
    # When the schedule's message arrives
    response = digest.lambda_handler(sqs_event([json.dumps({"task": "digest"})]), LocalContext(function_name="digest"))
    # Then the run succeeds and nobody is emailed
    assert response == {"batchItemFailures": []}
    assert digests() == []


def test_an_unsubscribed_reader_gets_no_digest(week_with_two_deposits, now, clock):
    # Given the first reader leaves through the link in their email, and the second is removed by staff
    subscriptions = bootstrap.services().subscriptions
    token = next(s.token for s in subscriptions.subscribers() if s.email == READERS[0])
    left = subscriptions.unsubscribe_by_token(token)
    left_again = subscriptions.unsubscribe_by_token(token)
    subscriptions.unsubscribe(READERS[1])
    # When next week's run happens
    outcome = run_next_week(clock, now)
    # Then the link worked once (and is harmless after), and nobody is emailed
    assert (left, left_again) == (True, False)
    assert outcome.delivered == 0
    assert digests() == []


def test_a_message_the_digest_does_not_expect_fails_rather_than_being_guessed(aws):
    # Given a message with another task
    event = sqs_event([json.dumps({"task": "retention"})])
    # When the digest function gets it
    # Then the invocation fails (SQS retries it, then the dead-letter queue keeps it)
    with pytest.raises(BatchProcessingError):
        digest.lambda_handler(event, LocalContext(function_name="digest"))


def test_subscribing_twice_keeps_the_first_subscription(aws, now, clock):
    # Given a reader subscribed
    first = bootstrap.services().subscriptions.subscribe("Reader.One@Example.org")
    # When staff add the same address again, later and in other case
    clock.advance(timedelta(days=1))
    second = bootstrap.services().subscriptions.subscribe("reader.one@example.org")
    # Then there is one subscription, with its first token and date
    assert second == first
    assert [s.email for s in bootstrap.services().subscriptions.subscribers()] == ["reader.one@example.org"]


def test_the_digest_week_is_the_iso_week_before_the_run():
    # Given the Monday run of 30 November 2026 at 08:00, and a retry on the Wednesday after
    # When the period is worked out for each
    monday = previous_week(datetime(2026, 11, 30, 8, tzinfo=UTC))
    wednesday = previous_week(datetime(2026, 12, 2, 15, tzinfo=UTC))
    # Then both are Monday 23 to Monday 30 November, 2026-W48: a retry lists the same week
    assert (monday.start, monday.end, monday.label) == (
        datetime(2026, 11, 23, tzinfo=UTC),
        datetime(2026, 11, 30, tzinfo=UTC),
        "2026-W48",
    )
    assert wednesday == monday


def test_the_unsubscribe_link_asks_first_and_the_button_unsubscribes(aws, now, clock):
    # Given a subscriber and the token of their unsubscribe link
    token = bootstrap.services().subscriptions.subscribe(READERS[0]).token

    # When a mail scanner (or the reader) opens the link, the reader presses the button, then does both again
    opened = call_api("GET", f"/subscriptions/{token}")
    subscribed_after_opening = [s.email for s in bootstrap.services().subscriptions.subscribers()]
    pressed = call_api("POST", f"/subscriptions/{token}", raw_body="", content_type="application/x-www-form-urlencoded")
    opened_again = call_api("GET", f"/subscriptions/{token}")
    pressed_again = call_api("POST", f"/subscriptions/{token}")

    # Then opening only shows a confirmation page, the button unsubscribes, the used link is unknown,
    # and pressing again is still a friendly page; no page invites crawlers
    assert opened[0] == 200 and opened[2]["Content-Type"].startswith("text/html")
    assert subscribed_after_opening == [READERS[0]]
    assert pressed[0] == 200 and "You are unsubscribed" in pressed[1]
    assert bootstrap.services().subscriptions.subscribers() == []
    assert opened_again[0] == 404 and opened_again[2]["Content-Type"] == "application/problem+json"
    assert pressed_again[0] == 200
    assert all(answer[2]["X-Robots-Tag"] == "noindex, nofollow" for answer in (opened, pressed, opened_again))


@pytest.mark.parametrize("token", ["short", "x" * 65, "has%20space", "semi;colon-but-long-enough"])
def test_a_malformed_unsubscribe_token_is_a_400_problem(aws, token):
    # When someone opens an unsubscribe link with a token no digest could carry
    status, problem, _ = call_api("GET", f"/subscriptions/{token}")
    # Then it is a 400 problem naming the token
    assert status == 400, problem
    assert "path.token" in [error["location"] for error in problem["errors"]]
