"""Swagger UI is served on the local stack only, where its settings switch it on."""

from __future__ import annotations

from typing import Any

import pytest

from case_reviews.api.app import build_app
from case_reviews.api.front import handle
from case_reviews.config import Settings
from infra.local.api_gateway import proxy_event
from infra.local.lambda_runtime import LocalContext


def swagger_answer(switch: str | None) -> dict[str, Any]:
    """What a browser gets at /swagger from the API built as these settings say."""
    settings = Settings({} if switch is None else {"ENABLE_SWAGGER_UI": switch})
    app = build_app(swagger_ui=settings.api.enable_swagger_ui)
    response = handle(app, proxy_event("GET", "/swagger"), LocalContext(function_name="api"))
    headers = {name: values[-1] for name, values in response["multiValueHeaders"].items()}
    return {"status": response["statusCode"], "headers": headers, "body": response["body"]}


def test_the_local_stack_serves_swagger_ui_with_everything_it_needs_inline() -> None:
    # Given the API built with the local stack's switch on
    # When a browser asks for /swagger
    answer = swagger_answer("true")
    # Then it gets the Swagger UI page, its script inline (no CDN needed offline), still marked noindex
    assert answer["status"] == 200
    assert answer["headers"]["Content-Type"] == "text/html"
    assert "SwaggerUIBundle" in answer["body"]
    assert "unpkg.com" not in answer["body"] and "cdn.jsdelivr" not in answer["body"]
    assert answer["headers"]["X-Robots-Tag"] == "noindex, nofollow"


@pytest.mark.parametrize("switch", [None, "false"])
def test_swagger_ui_is_not_served_unless_switched_on(switch: str | None) -> None:
    # Given the API as deployed by template.yaml (no switch), or switched off
    # When a browser asks for /swagger
    answer = swagger_answer(switch)
    # Then there is no such page
    assert answer["status"] == 404
