"""The pages of the links in alert emails: the site's layout, a question and its button, served by the API."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import pytest

from case_reviews import bootstrap
from case_reviews.adapters.clock import SetClock
from case_reviews.api.app import build_app
from case_reviews.api.front import handle
from case_reviews.domain.errors import NotFound
from case_reviews.services.alert_signup import StopTarget
from infra.local.api_gateway import proxy_event
from infra.local.lambda_runtime import LocalContext

TOKEN = "abcdefghijklmnopqrstuvwx"
# What a saved search is described as: the searcher's own words, markup included.
WHAT = 'new case reviews matching "<b>neglect</b>"'


class LinkedAlerts:
    """The sign-up service as the link pages use it: what a token confirms or stops, and what was done."""

    def __init__(self) -> None:
        self.done: list[tuple[str, str]] = []

    def pending_confirmation(self, token: str) -> str:
        if token != TOKEN:
            raise NotFound("This link is not valid any more.")
        return WHAT

    def confirm(self, token: str) -> str:
        self.done.append(("confirm", token))
        return WHAT

    def stop_target(self, token: str) -> StopTarget:
        return StopTarget(everything=False, description=WHAT)

    def stop(self, token: str) -> None:
        self.done.append(("stop", token))


@pytest.fixture
def alerts() -> Iterator[LinkedAlerts]:
    service = LinkedAlerts()
    settings = SimpleNamespace(api=SimpleNamespace(public_base_url="https://reviews.example.org/v1"))
    clock = SetClock(datetime(2027, 3, 1, 9, 0, tzinfo=UTC))
    bootstrap.install(SimpleNamespace(alert_signup=service, settings=settings, clock=clock))  # type: ignore[arg-type]
    yield service
    bootstrap.install(None)


def answer(method: str, path: str) -> dict[str, Any]:
    body = "" if method == "POST" else None
    event = proxy_event(method, path, {"Content-Type": "application/x-www-form-urlencoded"}, body)
    response = handle(build_app(), event, LocalContext(function_name="api"))
    headers = {name: values[-1] for name, values in response["multiValueHeaders"].items()}
    return {"status": response["statusCode"], "headers": headers, "body": response["body"]}


@pytest.mark.parametrize(
    ("path", "heading", "button"),
    [
        (f"/alerts/confirm/{TOKEN}", "Confirm your alert", "Confirm"),
        (f"/alerts/unsubscribe/{TOKEN}", "Stop an alert", "Unsubscribe"),
    ],
)
def test_a_link_s_page_has_the_site_s_layout_a_heading_and_the_button_and_does_nothing(
    alerts: LinkedAlerts, path: str, heading: str, button: str
) -> None:
    # Given the link of an alert email
    # When a browser opens it
    page = answer("GET", path)
    body = page["body"]
    # Then it is a page of the site's layout: its stylesheet (under the base URL's path), its header, a main
    # region with the heading, what the link is about (escaped), and the button posting back to the link
    assert page["status"] == 200 and page["headers"]["Content-Type"].startswith("text/html")
    assert '<link rel="stylesheet" href="/v1/static/site.css?v=' in body
    assert '<a class="service-name" href="/v1/">National case review repository</a>' in body
    assert f"<title>{heading} – National case review repository</title>" in body
    main = body.split('<main id="main-content" tabindex="-1">')[1].split("</main>")[0]
    assert f"<h1>{heading}</h1>" in main
    assert "&lt;b&gt;neglect&lt;/b&gt;" in main and "<b>" not in main
    assert f'<form method="post">\n  <button class="button" type="submit">{button}</button>\n</form>' in main
    assert '<meta name="robots" content="noindex, nofollow">' in body
    # And it is never kept, never sends its address (the token) on, may load the site's own files, cannot be
    # framed; and opening it did nothing
    assert page["headers"]["Cache-Control"] == "no-store"
    assert page["headers"]["Referrer-Policy"] == "no-referrer"
    assert "style-src 'self'" in page["headers"]["Content-Security-Policy"]
    assert "form-action 'self'" in page["headers"]["Content-Security-Policy"]
    assert page["headers"]["X-Frame-Options"] == "DENY"
    assert alerts.done == []


@pytest.mark.parametrize(
    ("path", "heading", "done"),
    [
        (f"/alerts/confirm/{TOKEN}", "Your alert is confirmed", "confirm"),
        (f"/alerts/unsubscribe/{TOKEN}", "You are unsubscribed", "stop"),
    ],
)
def test_the_button_s_answer_says_what_was_done_in_the_site_s_layout(
    alerts: LinkedAlerts, path: str, heading: str, done: str
) -> None:
    # Given a link's page
    # When its button is pressed (a POST to the same address)
    page = answer("POST", path)
    # Then it was done, and the answer is a page of the layout saying so, with the way back to the site
    assert alerts.done == [(done, TOKEN)]
    assert page["status"] == 200
    main = page["body"].split("<main")[1].split("</main>")[0]
    assert f"<h1>{heading}</h1>" in main
    assert '<a href="/v1/">Search case reviews</a>' in main
    assert "<form" not in main


def test_a_link_that_no_longer_works_is_the_problem_it_always_was(alerts: LinkedAlerts) -> None:
    # Given a confirmation link that is not valid any more
    # When a browser opens it
    page = answer("GET", "/alerts/confirm/zyxwvutsrqponmlkjihgfedc")
    # Then the answer is the 404 problem
    assert page["status"] == 404
    assert page["headers"]["Content-Type"] == "application/problem+json"
