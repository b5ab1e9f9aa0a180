"""The local API Gateway front: an HTTP request becomes a REST proxy event, a proxy response becomes HTTP."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http import HTTPStatus
from pathlib import Path
from typing import Any

import pytest

from infra.local import stack
from infra.local.api_gateway import STAGE, RequestRejected, body_length, problem_parts, proxy_event, response_parts
from infra.local.stack import ApiFront, walkthrough

PDF_BYTES = b"%PDF-1.4\n\xe2\xe3\xcf\xd3\n"
NOT_UTF8 = b"\xff\xfe\x00garbage"


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


def test_a_json_body_that_is_not_utf8_is_passed_base64_encoded() -> None:
    # Given a client that declares JSON but sends bytes that are not UTF-8
    # When it becomes a proxy event
    event = proxy_event("POST", "/submissions", {"Content-Type": "application/json"}, NOT_UTF8)
    # Then the bytes reach the function intact, base64-encoded and flagged so, for it to refuse
    assert event["isBase64Encoded"] is True
    assert base64.b64decode(event["body"]) == NOT_UTF8


@pytest.mark.parametrize(
    ("target", "path", "proxy"),
    [
        ("/reviews/%3Cscript%3E", "/reviews/%3Cscript%3E", "reviews/<script>"),
        ("/reviews/CR%2D2016%2D0001/download", "/reviews/CR%2D2016%2D0001/download", "reviews/CR-2016-0001/download"),
        ("/years/two%20thousand?q=a%20b", "/years/two%20thousand", "years/two thousand"),
        ("/reviews/%E2%80%94", "/reviews/%E2%80%94", "reviews/—"),
    ],
)
def test_a_percent_encoded_path_gives_a_decoded_path_parameter(target: str, path: str, proxy: str) -> None:
    # Given a request whose path is percent-encoded
    # When it becomes a proxy event
    event = proxy_event("GET", target)
    # Then, as a REST API does, the path parameter is decoded and `path` is the path as sent
    assert event["pathParameters"] == {"proxy": proxy}
    assert event["path"] == path
    assert event["requestContext"]["path"] == f"/{STAGE}{path}"


def test_a_percent_encoded_query_string_is_decoded() -> None:
    # Given a query with percent-encoded names and values
    # When it becomes a proxy event
    event = proxy_event("GET", "/reviews?q=%3Cscript%3E&the%20me=a%26b")
    # Then both query maps hold the decoded text
    assert event["queryStringParameters"] == {"q": "<script>", "the me": "a&b"}
    assert event["multiValueQueryStringParameters"] == {"q": ["<script>"], "the me": ["a&b"]}


# ---------------------------------------------------------------- body_length, problem_parts


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ([], 0),
        ([("Content-Length", "0")], 0),
        ([("Content-Length", "42")], 42),
        ([("content-length", " 7 ")], 7),
        ([("Content-Length", "5, 5")], 5),
        ([("Content-Length", "5"), ("Content-Length", "5")], 5),
    ],
    ids=["none", "zero", "number", "any case", "repeated in one field", "repeated field"],
)
def test_the_body_length_is_the_declared_content_length(headers: list[tuple[str, str]], expected: int) -> None:
    # Given a request's header fields
    # When the front asks how much body to read
    # Then it is the one number declared, or nothing
    assert body_length(headers) == expected


@pytest.mark.parametrize("value", ["abc", "-1", "+5", "1.5", "0x10", "", "5, 6", "²"], ids=lambda value: repr(value))
def test_a_content_length_that_is_not_one_non_negative_number_is_a_bad_request(value: str) -> None:
    # Given a Content-Length that is not a non-negative number (or two that disagree)
    # When the front asks how much body to read
    with pytest.raises(RequestRejected) as rejected:
        body_length([("Host", "localhost"), ("Content-Length", value)])
    # Then the request is refused as a 400
    assert rejected.value.status is HTTPStatus.BAD_REQUEST
    assert "Content-Length" in rejected.value.detail


@pytest.mark.parametrize(
    "headers",
    [
        [("Transfer-Encoding", "chunked")],
        [("transfer-encoding", "gzip, chunked")],
        [("Content-Length", "5"), ("Transfer-Encoding", "chunked")],
    ],
    ids=["chunked", "any case, coded", "with a Content-Length too"],
)
def test_a_body_sent_with_transfer_encoding_is_refused_as_length_required(headers: list[tuple[str, str]]) -> None:
    # Given a request whose body comes with Transfer-Encoding, which the front does not read
    # When the front asks how much body to read
    with pytest.raises(RequestRejected) as rejected:
        body_length(headers)
    # Then the request is refused as a 411, so that no body is silently dropped
    assert rejected.value.status is HTTPStatus.LENGTH_REQUIRED


def test_the_fronts_own_problems_are_shaped_as_the_apis_errors() -> None:
    # Given a problem found by the front itself
    # When it is turned into HTTP
    status, headers, payload = problem_parts(HTTPStatus.LENGTH_REQUIRED, "Send a Content-Length.")
    # Then it is an RFC 9457 problem, not for search engines, as the API's own errors are
    assert status == 411
    assert dict(headers) == {"Content-Type": "application/problem+json", "X-Robots-Tag": "noindex, nofollow"}
    assert json.loads(payload) == {
        "type": "about:blank",
        "title": "Length Required",
        "status": 411,
        "detail": "Send a Content-Length.",
    }


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


# ---------------------------------------------------------------- the front, over a socket


class RecordingFunction:
    """A stand-in for the API function: records each event and answers with what it received."""

    def __init__(self, result: dict[str, Any] | None = None, error: Exception | None = None) -> None:
        self.events: list[dict[str, Any]] = []
        self.result = result
        self.error = error

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        self.events.append(event)
        if self.error is not None:
            raise self.error
        if self.result is not None:
            return self.result
        seen = {key: event[key] for key in ("path", "pathParameters", "body", "isBase64Encoded")}
        return {"statusCode": 200, "headers": {"Content-Type": "application/json"}, "body": json.dumps(seen)}


@pytest.fixture
def front() -> Iterator[ApiFront]:
    server = ApiFront(0, RecordingFunction())
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()
    thread.join(5)


def exchange(port: int, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send raw bytes, read until the server closes the connection; status, headers and body."""
    with socket.create_connection(("127.0.0.1", port), timeout=10) as connection:
        connection.sendall(request)
        received = b""
        while chunk := connection.recv(65536):
            received += chunk
    head, _, body = received.partition(b"\r\n\r\n")
    status_line, *fields = head.decode("latin-1").split("\r\n")
    headers = {name.lower(): value.strip() for name, _, value in (field.partition(":") for field in fields)}
    assert int(headers["content-length"]) == len(body)
    return int(status_line.split()[1]), headers, body


def assert_problem(status: int, headers: dict[str, str], body: bytes, expected: int) -> None:
    assert status == expected
    assert headers["content-type"] == "application/problem+json"
    assert headers["x-robots-tag"] == "noindex, nofollow"
    problem = json.loads(body)
    assert set(problem) == {"type", "title", "status", "detail"}
    assert problem["status"] == expected


@pytest.mark.parametrize("length", ["abc", "-5"])
def test_a_request_with_a_bad_content_length_gets_a_400_problem(front: ApiFront, length: str) -> None:
    # Given a raw request whose Content-Length is not a number of bytes
    request = f"POST /submissions HTTP/1.1\r\nHost: x\r\nContent-Length: {length}\r\n\r\n{{}}".encode()
    # When it reaches the front
    status, headers, body = exchange(front.port, request)
    # Then the client gets a 400 problem and the connection is closed; the function is not called
    assert_problem(status, headers, body, 400)
    assert headers["connection"] == "close"
    assert front.function.events == []


def test_a_chunked_body_gets_a_411_problem_rather_than_being_dropped(front: ApiFront) -> None:
    # Given a POST whose JSON body is sent chunked
    request = (
        b"POST /submissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b'Transfer-Encoding: chunked\r\n\r\n7\r\n{"a":1}\r\n0\r\n\r\n'
    )
    # When it reaches the front
    status, headers, body = exchange(front.port, request)
    # Then the client is told to send a Content-Length; the function never sees a body-less request
    assert_problem(status, headers, body, 411)
    assert front.function.events == []


def test_a_body_that_is_not_utf8_reaches_the_function_base64_encoded(front: ApiFront) -> None:
    # Given a JSON request whose body is not UTF-8
    request = (
        b"POST /submissions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(NOT_UTF8)
    ) + NOT_UTF8
    # When it reaches the front
    status, _, body = exchange(front.port, request)
    # Then the function is called with the bytes, base64-encoded, and its answer comes back
    assert status == 200
    seen = json.loads(body)
    assert seen["isBase64Encoded"] is True
    assert base64.b64decode(seen["body"]) == NOT_UTF8


def test_a_percent_encoded_path_reaches_the_function_with_a_decoded_path_parameter(front: ApiFront) -> None:
    # Given a request to a percent-encoded path
    request = b"GET /reviews/%3Cscript%3E HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    # When it reaches the front
    status, _, body = exchange(front.port, request)
    # Then the function gets the decoded path parameter
    assert status == 200
    assert json.loads(body)["pathParameters"] == {"proxy": "reviews/<script>"}


@pytest.mark.parametrize("method", ["TRACE", "CONNECT", "PROPFIND", "GET", "DELETE"])
def test_every_method_reaches_the_function(front: ApiFront, method: str) -> None:
    # Given a request with a method http.server has no handler of its own for (or a usual one)
    request = f"{method} /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode()
    # When it reaches the front
    status, _, _ = exchange(front.port, request)
    # Then it is passed to the function as it came, which answers it (not a 501 page of the front's own)
    assert status == 200
    assert [event["httpMethod"] for event in front.function.events] == [method]


def test_a_method_the_api_does_not_answer_gets_its_405_problem_through_the_front(front: ApiFront) -> None:
    # Given the front in front of the API itself
    from case_reviews.api.app import build_app
    from case_reviews.api.front import handle

    app = build_app()
    front.function = lambda event, context: handle(app, event, context)
    # When a TRACE request reaches it
    status, headers, body = exchange(front.port, b"TRACE /reviews HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    # Then the API's 405 problem comes back, naming the methods the path answers
    assert status == 405
    assert headers["content-type"] == "application/problem+json"
    assert headers["allow"] == "GET, HEAD"
    assert json.loads(body)["status"] == 405


def test_a_function_that_raises_gets_a_502_problem(front: ApiFront) -> None:
    # Given an API function that fails
    front.function = RecordingFunction(error=RuntimeError("boom"))
    # When a request reaches the front
    status, headers, body = exchange(front.port, b"GET /health HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    # Then the client gets a 502 problem, as API Gateway answers a failed function
    assert_problem(status, headers, body, 502)


def test_a_failure_building_the_event_gets_a_500_problem(front: ApiFront, monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a front whose event building fails
    def broken(*args: Any, **kwargs: Any) -> dict[str, Any]:
        raise ValueError("broken")

    monkeypatch.setattr(stack, "proxy_event", broken)
    # When a request reaches it
    status, headers, body = exchange(front.port, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
    # Then the client gets a 500 problem and the connection is closed, not dropped
    assert_problem(status, headers, body, 500)
    assert front.function.events == []


def test_a_failure_writing_the_response_gets_a_500_problem(front: ApiFront) -> None:
    # Given a function whose answer has a header the front cannot write (not Latin-1)
    front.function = RecordingFunction(
        result={"statusCode": 200, "headers": {"Content-Disposition": "attachment; filename=Łódź.pdf"}, "body": "x"}
    )
    # When a request reaches the front
    status, headers, body = exchange(front.port, b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n")
    # Then the client gets a whole 500 problem, not the half-written answer
    assert_problem(status, headers, body, 500)
    assert "content-disposition" not in headers


# ---------------------------------------------------------------- the stack's start and walk-through


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        yield listener.getsockname()[1]


@pytest.fixture
def nothing_starts(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    started: list[str] = []

    def refuse(name: str) -> Any:
        def start(*args: Any, **kwargs: Any) -> Any:
            started.append(name)
            raise AssertionError(f"{name} started")

        return start

    monkeypatch.setattr(stack, "MotoServer", refuse("moto"))
    monkeypatch.setattr(stack, "OpenSearchServer", refuse("opensearch"))
    return started


@pytest.mark.parametrize("given_by", ["option", "environment"])
def test_a_taken_api_port_stops_the_stack_before_it_starts_anything(
    given_by: str,
    taken_port: int,
    nothing_starts: list[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Given a port another process listens on, asked for by option or by API_PORT
    argv = ["--state-file", str(tmp_path / "stack.json"), "--quiet"]
    if given_by == "option":
        argv += ["--api-port", str(taken_port)]
    else:
        monkeypatch.setenv("API_PORT", str(taken_port))
    # When the stack starts
    status = stack.main(argv)
    # Then it exits non-zero with one line naming the port and how to choose another, having started nothing
    assert status != 0
    error = capsys.readouterr().err
    assert len(error.strip().splitlines()) == 1
    assert str(taken_port) in error and "--api-port" in error and "API_PORT" in error
    assert "Traceback" not in error
    assert nothing_starts == []
    assert not (tmp_path / "stack.json").exists()


def test_an_api_port_that_is_not_a_number_is_a_usage_error(
    nothing_starts: list[str], monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Given an API_PORT that is not a port number
    monkeypatch.setenv("API_PORT", "abc")
    # When the stack starts
    with pytest.raises(SystemExit) as exited:
        stack.main(["--quiet"])
    # Then it is a usage error naming the value, and nothing started
    assert exited.value.code == 2
    assert "'abc'" in capsys.readouterr().err
    assert nothing_starts == []


FAKE_CURL = r"""
curl() {
  case "$*" in
    *"-X POST"*) printf '%s' '{"submission_id":"sub-1","upload":{"url":"http://s3.local/b","fields":{"key":"k"}}}' ;;
    *"-w"*) printf 'upload: 204
' ;;
    *"/submissions/sub-1"*) printf '%s' '{"status":"received"}' ;;
    *"/reviews?q=neglected"*) printf '%s' '{"items":[]}' ;;
    *) echo "unexpected curl $*" >&2; return 1 ;;
  esac
}
"""


def test_each_step_of_the_walk_through_prints_on_its_own_line(tmp_path: Path) -> None:
    # Given the walk-through's commands, run by bash with a curl that answers as the API does (no final newline)
    text = walkthrough("http://127.0.0.1:3000", "crk_key", tmp_path / "submission.json", tmp_path / "report.pdf")
    commands = text.split("Try it (copy and paste, from the repository's folder):")[1].split("  Also:")[0]
    commands = commands.replace("/tmp/case-review-submission.json", str(tmp_path / "submission-answer.json"))
    # When they are pasted into a shell
    environment = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    run = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", FAKE_CURL + commands],
        capture_output=True,
        text=True,
        env=environment,
        timeout=60,
        check=False,
    )
    # Then every answer is on a line of its own
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == [
        '{"submission_id":"sub-1","upload":{"url":"http://s3.local/b","fields":{"key":"k"}}}',
        "upload: 204",
        '{"status":"received"}',
        '{"items":[]}',
    ]
