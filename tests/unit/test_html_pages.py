"""Every HTML page the API serves runs only its own code, loads nothing from elsewhere and cannot be framed."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator
from html.parser import HTMLParser
from types import SimpleNamespace
from typing import Any

import pytest

from case_reviews import bootstrap
from case_reviews.adapters.clock import SetClock
from case_reviews.api.app import build_app
from case_reviews.api.front import handle
from case_reviews.services.digest import SubscriptionService
from infra.local.api_gateway import proxy_event
from infra.local.lambda_runtime import LocalContext
from tests.unit.fakes import InMemorySubscriberStore


def answer(method: str, path: str, swagger_ui: bool = False) -> dict[str, Any]:
    """What a browser gets for one request to the API (as the local stack builds it, with Swagger UI or not)."""
    event = proxy_event(
        method, path, {"Content-Type": "application/x-www-form-urlencoded"}, "" if method == "POST" else None
    )
    response = handle(build_app(swagger_ui=swagger_ui), event, LocalContext(function_name="api"))
    headers = {name: values[-1] for name, values in response["multiValueHeaders"].items()}
    return {"status": response["statusCode"], "headers": headers, "body": response["body"]}


def policy(headers: dict[str, str]) -> dict[str, set[str]]:
    """The Content-Security-Policy header as its directives, each with its sources."""
    directives = [part.split() for part in headers["Content-Security-Policy"].split(";") if part.strip()]
    return {name: set(sources) for name, *sources in directives}


class _InlineCode(HTMLParser):
    """The text of each inline <script> and <style> of a page, and every src/href it names."""

    def __init__(self) -> None:
        super().__init__()
        self.code: dict[str, list[str]] = {"script": [], "style": []}
        self.references: list[str] = []
        self._open: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.references += [value or "" for name, value in attrs if name in ("src", "href")]
        if tag in self.code:
            self._open = tag
            self.code[tag].append("")

    def handle_endtag(self, tag: str) -> None:
        self._open = None

    def handle_data(self, data: str) -> None:
        if self._open:
            self.code[self._open][-1] += data


def sha256_source(code: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii") + "'"


@pytest.fixture
def subscriber_token(clock: SetClock) -> Iterator[str]:
    """The unsubscribe token of a subscriber, with the API's services holding that one subscriber."""
    subscriptions = SubscriptionService(InMemorySubscriberStore(), clock)
    token = subscriptions.subscribe("reader@library.example.org").token
    bootstrap.install(SimpleNamespace(subscriptions=subscriptions))  # type: ignore[arg-type]
    yield token
    bootstrap.install(None)


@pytest.mark.parametrize("method", ["GET", "HEAD", "POST"])
def test_the_unsubscribe_pages_run_nothing_load_nothing_and_cannot_be_framed(
    method: str, subscriber_token: str
) -> None:
    # Given a digest's unsubscribe link
    # When a browser opens it (or presses its button)
    page = answer(method, f"/subscriptions/{subscriber_token}")
    # Then the page comes with a policy that allows no script, style or outside resource at all,
    # lets its form post only back to this API, and forbids framing (also for old browsers)
    assert page["status"] == 200
    assert page["headers"]["Content-Type"].startswith("text/html")
    assert policy(page["headers"]) == {
        "default-src": {"'none'"},
        "form-action": {"'self'"},
        "frame-ancestors": {"'none'"},
        "base-uri": {"'none'"},
    }
    assert page["headers"]["X-Frame-Options"] == "DENY"


def test_swagger_ui_runs_exactly_its_own_inline_code() -> None:
    # Given Swagger UI, served by the local stack with its script and styles inline
    page = answer("GET", "/swagger", swagger_ui=True)
    parsed = _InlineCode()
    parsed.feed(page["body"])
    directives = policy(page["headers"])
    # Then the policy allows each of its inline scripts and styles by hash, and nothing else: no
    # inline code that is not the page's own, no eval, nothing from another site
    assert parsed.code["script"] and parsed.code["style"] and not parsed.references
    assert directives["script-src"] == {sha256_source(code) for code in parsed.code["script"]}
    assert directives["style-src"] == {sha256_source(code) for code in parsed.code["style"]}
    assert directives["default-src"] == {"'none'"}
    # Its icons are data: URLs of its stylesheet; "Try it out" calls this API; it cannot be framed
    assert directives["img-src"] == {"data:"}
    assert directives["connect-src"] == {"'self'"}
    assert directives["frame-ancestors"] == {"'none'"}
    assert page["headers"]["X-Frame-Options"] == "DENY"
