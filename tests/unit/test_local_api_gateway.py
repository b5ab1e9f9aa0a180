"""The local API Gateway front: an HTTP request becomes a REST proxy event, a proxy response becomes HTTP."""

from __future__ import annotations

import base64
from typing import Any

import pytest

from infra.local.api_gateway import STAGE, proxy_event, response_parts

PDF_BYTES = b"%PDF-1.4\n\xe2\xe3\xcf\xd3\n"


def test_a_query_string_becomes_single_and_multi_value_maps() -> None:
    # Given a request whose query repeats a name, encodes a space and leaves a value blank
    target = "/reviews?nation=england&nation=wales&q=child+neglect&theme=&sort=newest"
    # When it becomes a proxy event
    event = proxy_event("get", target)
    # Then the single-value map keeps the last value of each name, and the multi-value map keeps them all
    assert event["queryStringParameters"] == {"nation": "wales", "q": "child neglect", "theme": "", "sort": "newest"}
    assert event["multiValueQueryStringParameters"] == {
        "nation": ["england", "wales"],
        "q": ["child neglect"],
        "theme": [""],
        "sort": ["newest"],
    }
    # And the path excludes the query, the method is upper case
    assert (event["path"], event["httpMethod"]) == ("/reviews", "GET")


def test_a_request_without_query_string_has_null_query_maps() -> None:
    # Given a request with no query
    # When it becomes a proxy event
    event = proxy_event("GET", "/health")
    # Then both query maps are null, as API Gateway sends them
    assert event["queryStringParameters"] is None
    assert event["multiValueQueryStringParameters"] is None


@pytest.mark.parametrize(
    ("target", "path", "proxy"),
    [
        (
            "/reviews/CR-2016-0001/download",
            "/reviews/CR-2016-0001/download",
            {"proxy": "reviews/CR-2016-0001/download"},
        ),
        ("/years/2016?x=1", "/years/2016", {"proxy": "years/2016"}),
        ("/", "/", None),
        ("?q=x", "/", None),
    ],
)
def test_the_path_becomes_the_proxy_path_parameter(target: str, path: str, proxy: dict[str, str] | None) -> None:
    # Given a request to a path under the {proxy+} resource
    # When it becomes a proxy event
    event = proxy_event("GET", target)
    # Then the path (without its leading slash) is the proxy parameter, and the root has none
    assert event["path"] == path
    assert event["pathParameters"] == proxy
    assert event["resource"] == "/{proxy+}"
    assert event["requestContext"]["path"] == f"/{STAGE}{path}"


def test_headers_become_single_and_multi_value_maps_and_the_source_ip_is_kept() -> None:
    # Given a request with headers, from a client address
    headers = {"Authorization": "Bearer crk_x", "User-Agent": "curl/8"}
    # When it becomes a proxy event
    event = proxy_event("POST", "/submissions", headers, source_ip="10.0.0.7")
    # Then the headers appear in both maps and the identity carries the caller
    assert event["headers"] == headers
    assert event["multiValueHeaders"] == {"Authorization": ["Bearer crk_x"], "User-Agent": ["curl/8"]}
    assert event["requestContext"]["identity"] == {"sourceIp": "10.0.0.7", "userAgent": "curl/8"}


def test_a_request_without_headers_or_body_has_null_maps_and_body() -> None:
    # Given a bare request
    # When it becomes a proxy event
    event = proxy_event("GET", "/health")
    # Then headers and body are null and the body is not base64
    assert (event["headers"], event["multiValueHeaders"], event["body"]) == (None, None, None)
    assert event["isBase64Encoded"] is False


@pytest.mark.parametrize(
    ("content_type", "body", "expected_body"),
    [
        ("application/json", b'{"title": "Child K \xe2\x80\x94 Overview"}', '{"title": "Child K — Overview"}'),
        ("application/json; charset=utf-8", b"{}", "{}"),
        ("application/problem+json", b"{}", "{}"),
        ("text/plain", b"hello", "hello"),
        ("application/x-www-form-urlencoded", b"a=1&b=2", "a=1&b=2"),
        (None, b"plain", "plain"),
    ],
)
def test_a_text_body_is_passed_as_text(content_type: str | None, body: bytes, expected_body: str) -> None:
    # Given a request with a textual content type (or none)
    headers = {"Content-Type": content_type} if content_type else {}
    # When it becomes a proxy event
    event = proxy_event("POST", "/submissions", headers, body)
    # Then the body is the decoded text, not base64
    assert event["body"] == expected_body
    assert event["isBase64Encoded"] is False


@pytest.mark.parametrize("header_name", ["Content-Type", "content-type"])
def test_a_binary_body_is_passed_base64_encoded(header_name: str) -> None:
    # Given a PDF body (in whatever case the client spells the header)
    # When it becomes a proxy event
    event = proxy_event("PUT", "/upload", {header_name: "application/pdf"}, PDF_BYTES)
    # Then the body is base64 and flagged so
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == PDF_BYTES


def test_a_str_body_is_sent_as_utf8_text() -> None:
    # Given a body already given as text
    # When it becomes a proxy event
    event = proxy_event("POST", "/submissions", {"Content-Type": "application/json"}, '{"title": "Ł"}')
    # Then it is passed as that text
    assert event["body"] == '{"title": "Ł"}'


def test_a_non_utf8_body_without_content_type_does_not_crash_the_front() -> None:
    # Given a client that sends binary bytes and no Content-Type
    body = b"\xff\xfe\x00binary"
    # When it becomes a proxy event
    event = proxy_event("POST", "/submissions", {}, body)
    # Then the bytes reach the function intact (base64-encoded)
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == body


# ---------------------------------------------------------------- response_parts


def test_response_parts_gives_status_headers_and_body() -> None:
    # Given a JSON proxy response
    result = {"statusCode": 201, "headers": {"Content-Type": "application/json"}, "body": '{"ok": "—"}'}
    # When it is turned into HTTP
    status, headers, payload = response_parts(result)
    # Then status, headers and UTF-8 body are as given
    assert status == 201
    assert headers == [("Content-Type", "application/json")]
    assert payload == '{"ok": "—"}'.encode()


def test_multi_value_headers_win_over_single_value_headers_of_the_same_name_in_any_case() -> None:
    # Given a response with a header in both maps (different case) and repeated values
    result: dict[str, Any] = {
        "statusCode": 200,
        "headers": {"content-type": "text/plain", "Cache-Control": "no-store", "x-robots-tag": "all"},
        "multiValueHeaders": {"Content-Type": ["application/json"], "X-Robots-Tag": ["noindex", "nofollow"]},
        "body": "{}",
    }
    # When it is turned into HTTP
    _, headers, _ = response_parts(result)
    # Then each multi-value header is sent once per value, and the shadowed single values are dropped
    assert sorted(headers) == sorted(
        [
            ("Content-Type", "application/json"),
            ("X-Robots-Tag", "noindex"),
            ("X-Robots-Tag", "nofollow"),
            ("Cache-Control", "no-store"),
        ]
    )


def test_a_base64_body_is_decoded_to_its_bytes() -> None:
    # Given a binary response, base64-encoded by the function
    result = {"statusCode": 200, "body": base64.b64encode(PDF_BYTES).decode(), "isBase64Encoded": True}
    # When it is turned into HTTP
    _, _, payload = response_parts(result)
    # Then the payload is the original bytes
    assert payload == PDF_BYTES


@pytest.mark.parametrize(
    ("result", "expected"),
    [
        ({}, (502, [], b"")),
        (
            {"statusCode": "302", "headers": {"Location": "https://x"}, "body": None},
            (302, [("Location", "https://x")], b""),
        ),
        ({"statusCode": 204, "headers": None, "multiValueHeaders": None}, (204, [], b"")),
    ],
    ids=["nothing returned", "redirect without body", "null header maps"],
)
def test_response_parts_tolerates_missing_parts(result: dict[str, Any], expected: tuple) -> None:
    # Given a sparse proxy response
    # When it is turned into HTTP
    # Then a missing status is a 502, missing headers and body are empty
    assert response_parts(result) == expected


def test_an_event_round_trips_through_a_handler_that_echoes_it() -> None:
    # Given a handler that echoes the request's base64 body back
    event = proxy_event("PUT", "/echo", {"Content-Type": "application/octet-stream"}, PDF_BYTES)
    result = {"statusCode": 200, "body": event["body"], "isBase64Encoded": event["isBase64Encoded"]}
    # When the response is turned into HTTP
    _, _, payload = response_parts(result)
    # Then the client gets back exactly the bytes it sent
    assert payload == PDF_BYTES
