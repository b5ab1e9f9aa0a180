"""Swagger UI is served on the local stack only, where infra/local/stack.py switches it on."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The API function is imported afresh in its own process: the switch is read at import, as at a cold start.
ASK_FOR_SWAGGER = """
import json
from functions.api import app
from infra.local.api_gateway import proxy_event
from infra.local.lambda_runtime import LocalContext
response = app.lambda_handler(proxy_event("GET", "/swagger"), LocalContext(function_name="api"))
headers = {name: values[-1] for name, values in response["multiValueHeaders"].items()}
print(json.dumps({"status": response["statusCode"], "headers": headers, "body": response["body"][:200000]}))
"""


def swagger_answer(switch: str | None) -> dict:
    environment = {key: value for key, value in os.environ.items() if key != "ENABLE_SWAGGER_UI"}
    environment["PYTHONPATH"] = os.pathsep.join([str(ROOT), str(ROOT / "layers" / "shared")])
    if switch is not None:
        environment["ENABLE_SWAGGER_UI"] = switch
    done = subprocess.run(
        [sys.executable, "-c", ASK_FOR_SWAGGER], cwd=ROOT, env=environment, capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_the_local_stack_serves_swagger_ui_with_everything_it_needs_inline() -> None:
    # Given the API function with the local stack's switch on
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
    # Given the API function as deployed by template.yaml (no switch), or switched off
    # When a browser asks for /swagger
    answer = swagger_answer(switch)
    # Then there is no such page
    assert answer["status"] == 404
