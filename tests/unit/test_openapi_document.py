"""The OpenAPI document describes what the API really answers."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from case_reviews.api.app import build_app
from case_reviews.api.openapi import document as openapi_of

ROUTES = {
    ("post", "/submissions"),
    ("get", "/submissions"),
    ("get", "/submissions/{submission_id}"),
    ("get", "/reviews"),
    ("get", "/reviews/{reference}"),
    ("get", "/reviews/{reference}/download"),
    ("get", "/years/{year}"),
    ("get", "/themes"),
    ("get", "/health"),
    ("get", "/openapi.json"),
    ("get", "/robots.txt"),
    ("get", "/subscriptions/{token}"),
    ("post", "/subscriptions/{token}"),
    ("get", "/reviews/{reference}/similar"),
    ("get", "/statistics"),
    ("get", "/feeds/new.atom"),
    ("post", "/alerts"),
    ("get", "/alerts/confirm/{token}"),
    ("post", "/alerts/confirm/{token}"),
    ("get", "/alerts/unsubscribe/{token}"),
    ("post", "/alerts/unsubscribe/{token}"),
}


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    # The document as GET /openapi.json serves it
    return json.loads(json.dumps(openapi_of(build_app())))


def operations(document: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    return {(method, path): op for path, methods in document["paths"].items() for method, op in methods.items()}


def test_every_route_is_documented_once(document: dict[str, Any]) -> None:
    # Given the API's routes
    # When its OpenAPI document is read
    documented = set(operations(document))
    # Then it lists exactly those routes
    assert documented == ROUTES


def test_errors_are_documented_as_problems_and_powertools_422_is_gone(document: dict[str, Any]) -> None:
    # Given the document
    # When each route's responses are read
    # Then no route claims a 422 (the API answers bad input with a 400 problem), and every error is problem+json
    # (health's 503 a problem that also names the components)
    for route, operation in operations(document).items():
        responses = operation["responses"]
        assert "422" not in responses, route
        for status, response in responses.items():
            if int(status) >= 400:
                schema = response["content"]["application/problem+json"]["schema"]
                expected = "Degraded" if (route, status) == (("get", "/health"), "503") else "Problem"
                assert schema == {"$ref": f"#/components/schemas/{expected}"}, (route, status)
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas
    assert set(schemas["Problem"]["properties"]) <= set(schemas["Degraded"]["properties"])
    assert "components" in schemas["Degraded"]["required"]


@pytest.mark.parametrize(
    ("route", "statuses"),
    [
        (("post", "/submissions"), {"201", "400", "401", "415", "500"}),
        (("get", "/submissions/{submission_id}"), {"200", "400", "401", "404", "500"}),
        (("get", "/reviews/{reference}/download"), {"302", "400", "404", "410", "500"}),
        (("get", "/health"), {"200", "503", "500"}),
        (("get", "/years/{year}"), {"200", "400", "503", "500"}),
        (("get", "/reviews"), {"200", "400", "503", "500"}),
    ],
)
def test_each_route_documents_the_statuses_it_answers_with(document: dict[str, Any], route, statuses) -> None:
    # Given a route
    # When its documented responses are read
    documented = set(operations(document)[route]["responses"])
    # Then they are the statuses it really gives: 201 for a new submission, 302 and 410 for downloads
    assert documented == statuses


def test_searches_document_their_503_with_when_to_try_again(document: dict[str, Any]) -> None:
    # Given the routes that ask the search index
    for route in (("get", "/reviews"), ("get", "/years/{year}")):
        # When their 503 is read
        unavailable = operations(document)[route]["responses"]["503"]
        # Then it always carries Retry-After, a number of seconds
        assert unavailable["headers"]["Retry-After"]["required"] is True, route
        assert unavailable["headers"]["Retry-After"]["schema"]["pattern"] == "^[0-9]+$"


def test_redirects_and_creations_document_their_location(document: dict[str, Any]) -> None:
    # Given the download and the submission routes
    by_route = operations(document)
    # When their success responses are read
    redirect = by_route[("get", "/reviews/{reference}/download")]["responses"]["302"]
    created = by_route[("post", "/submissions")]["responses"]["201"]
    # Then each names its Location header, and the redirect has no body
    assert "Location" in redirect["headers"] and "Location" in created["headers"]
    assert redirect["content"] == {}


def test_every_reference_in_the_document_resolves(document: dict[str, Any]) -> None:
    # Given the document
    text = json.dumps(document)
    # When every $ref is collected
    references = set(re.findall(r'"\$ref": "#/components/schemas/([^"]+)"', text))
    # Then each names a schema the document defines
    assert references
    assert references <= document["components"]["schemas"].keys()


def test_robots_txt_is_documented_as_plain_text(document: dict[str, Any]) -> None:
    # Given the robots.txt route
    answer = operations(document)[("get", "/robots.txt")]["responses"]["200"]
    # When its success response is read
    # Then it is plain text, not JSON
    assert list(answer["content"]) == ["text/plain"]


def test_the_year_list_is_documented_from_the_first_listed_year_with_totals(document: dict[str, Any]) -> None:
    # Given the yearly list route
    operation = operations(document)[("get", "/years/{year}")]
    # When its parameter and its answer are read
    (year,) = operation["parameters"]
    view = document["components"]["schemas"]["YearView"]
    # Then years start in 1945, and the answer has totals by review type
    assert year["schema"]["minimum"] == 1945
    assert "totals" in view["required"]
