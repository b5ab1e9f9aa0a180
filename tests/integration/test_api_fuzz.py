"""Schema-driven fuzzing of every route (schemathesis over the API's own /openapi.json): never a 5xx.

Cases are generated from the OpenAPI document the API serves, valid and invalid, and sent
in process to the API function as API Gateway proxy events, with the embedded AWS and the
real OpenSearch behind it. Each route gets a bounded number of examples.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote, urlencode

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode

from case_reviews.api.app import build_app
from case_reviews.api.openapi import document as openapi_of
from functions.api import app as api
from infra.local.api_gateway import proxy_event
from infra.local.lambda_runtime import LocalContext
from tests.integration.test_search_api import catalogue_without_pipeline, historic_record

EXAMPLES_PER_ROUTE = 25
OPENAPI = openapi_of(build_app())
SCHEMA = schemathesis.openapi.from_dict(OPENAPI)
OPERATIONS = {result.ok().label: result.ok() for result in SCHEMA.get_all_operations()}
DOCUMENTED = [
    (method, path, operation) for path, methods in OPENAPI["paths"].items() for method, operation in methods.items()
]
BOARD_ROUTES = {(method, path) for method, path, operation in DOCUMENTED if operation.get("security")}
# Invalid requests can only be made where there is something to get wrong: a parameter or a body.
WITH_INPUT = {
    f"{method.upper()} {path}"
    for method, path, operation in DOCUMENTED
    if operation.get("parameters") or operation.get("requestBody")
}
CASES = [
    pytest.param(label, mode, id=f"{label} {mode.value}")
    for label in sorted(OPERATIONS)
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode is GenerationMode.POSITIVE or label in WITH_INPUT
]


def as_event(case: Any, key: str, mode: GenerationMode) -> dict[str, Any]:
    """The proxy event API Gateway would send for the generated request."""
    path = case.path
    for name, value in (case.path_parameters or {}).items():
        path = path.replace(f"{{{name}}}", quote(str(value), safe=""))
    query = urlencode(
        [(name, str(item)) for name, value in (case.query or {}).items() for item in _listed(value)], doseq=True
    )
    headers = {name: str(value) for name, value in (case.headers or {}).items()}
    if (case.method.lower(), case.path) in BOARD_ROUTES and mode is GenerationMode.POSITIVE:
        # Valid requests carry the board's key, so that they reach validation rather than stop at 401
        # (invalid ones keep whatever credential was generated).
        headers["Authorization"] = f"Bearer {key}"
    body = None
    if not _unset(case.body):
        headers["Content-Type"] = case.media_type or "application/json"
        body = case.body if isinstance(case.body, str | bytes) else json.dumps(case.body)
    return proxy_event(case.method, f"{path}?{query}" if query else path, headers, body)


def _listed(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _unset(body: Any) -> bool:
    return body is None or type(body).__name__ == "NotSet"


@pytest.fixture
def catalogue(aws, search, board_key) -> str:
    """A few records for the generated requests to find, and a board key for the board routes."""
    catalogue_without_pipeline(*(historic_record(f"CR-{1990 + n}-000{n}", f"{1990 + n}-0{n + 1}") for n in range(5)))
    return board_key[1]


def test_every_documented_route_is_fuzzed() -> None:
    # Given the routes of the OpenAPI document
    # When the fuzzing cases are listed
    # Then every route has its valid requests generated, and each route with input its invalid ones too
    assert {f"{method.upper()} {path}" for method, path, _ in DOCUMENTED} == set(OPERATIONS)
    assert {"GET /reviews", "POST /submissions", "GET /years/{year}"} <= WITH_INPUT


@pytest.mark.parametrize(("label", "mode"), CASES)
def test_no_generated_request_gets_a_server_error(catalogue, label, mode):
    # Given a route of the OpenAPI document, and a catalogue with a few records
    operation = OPERATIONS[label]
    answers: list[int] = []

    @settings(
        max_examples=EXAMPLES_PER_ROUTE,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode))
    def request_answers_without_a_server_error(case: Any) -> None:
        # When a generated request, valid or not, is sent to the API function
        response = api.lambda_handler(as_event(case, catalogue, mode), LocalContext(function_name="api"))
        status = response["statusCode"]
        answers.append(status)
        # Then it never gets a 5xx; every error is a problem, and every answer says noindex
        assert status < 500, (case.method, case.formatted_path, case.query, response.get("body"))
        headers = {name.lower(): values[-1] for name, values in response["multiValueHeaders"].items()}
        if status >= 400:
            assert headers["content-type"] == "application/problem+json", response
        assert headers["x-robots-tag"] == "noindex, nofollow"

    request_answers_without_a_server_error()
    assert answers
