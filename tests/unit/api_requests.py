"""One request to the API's resolver, as API Gateway's proxy event, for the unit tests of its answers."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from types import SimpleNamespace
from typing import Any

from case_reviews import bootstrap
from case_reviews.api.app import build_app
from case_reviews.api.front import handle
from infra.local.api_gateway import proxy_event
from infra.local.lambda_runtime import LocalContext

# What a browser sends when it opens a link.
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"


def answer(target: str, accept: str | None) -> tuple[int, dict[str, str], Any]:
    """The API's status, headers (the last value of each) and body for a GET of `target` with this Accept."""
    event = proxy_event("GET", target, {"Accept": accept} if accept is not None else {})
    response = handle(build_app(), event, LocalContext(function_name="api"))
    headers = {name: values[-1] for name, values in response["multiValueHeaders"].items()}
    return response["statusCode"], headers, response.get("body")


# The public base URL the API's links are made under, in these tests.
PUBLIC_BASE_URL = "https://reviews.example.org/v1"


@contextmanager
def serving(**services: Any) -> Iterator[None]:
    """The API's routes answered by these services (bootstrap's attribute names), under PUBLIC_BASE_URL."""
    settings = SimpleNamespace(api=SimpleNamespace(public_base_url=PUBLIC_BASE_URL))
    bootstrap.install(SimpleNamespace(settings=settings, **services))  # type: ignore[arg-type]
    try:
        yield
    finally:
        bootstrap.install(None)
