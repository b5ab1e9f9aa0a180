"""API Gateway's REST proxy integration, reproduced locally: HTTP request → event → HTTP response.

The same event shape reaches the API function behind API Gateway (`ANY /{proxy+}`), so the
handler cannot tell the local front from AWS.
"""

from __future__ import annotations

import base64
import json
import re
import time
import uuid
from collections.abc import Iterable, Mapping
from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs, unquote, urlsplit

STAGE = "v1"
_TEXT_TYPES = ("application/json", "application/problem+json", "text/", "application/x-www-form-urlencoded")
# The API's own error responses (functions/api/app.py) carry these; so do the front's.
PROBLEM_JSON = "application/problem+json"
ROBOTS = "noindex, nofollow"
_DIGITS = re.compile(r"[0-9]+")


class RequestRejected(Exception):
    """A request the front cannot turn into an event: answered with `status`, the function is not called."""

    def __init__(self, status: HTTPStatus, detail: str) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail


def body_length(headers: Iterable[tuple[str, str]]) -> int:
    """How many body bytes to read, from the request's header fields (every occurrence, any case).

    A body sent with Transfer-Encoding (chunked) is refused with 411, as the front reads only
    bodies of a declared length; a Content-Length that is not one non-negative number is a 400.
    """
    lengths: set[str] = set()
    for name, value in headers:
        if name.lower() == "transfer-encoding":
            raise RequestRejected(
                HTTPStatus.LENGTH_REQUIRED,
                "A request body must be sent with a Content-Length, not with Transfer-Encoding.",
            )
        if name.lower() == "content-length":
            lengths.update(part.strip() for part in value.split(","))
    if not lengths:
        return 0
    if len(lengths) > 1 or not _DIGITS.fullmatch(next(iter(lengths))):
        raise RequestRejected(HTTPStatus.BAD_REQUEST, "The Content-Length header is not a non-negative number.")
    return int(next(iter(lengths)))


def problem_parts(status: HTTPStatus, detail: str) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body of an RFC 9457 problem answered by the front itself, shaped as the API's."""
    body = {"type": "about:blank", "title": status.phrase, "status": status.value, "detail": detail}
    return (
        status.value,
        [("Content-Type", PROBLEM_JSON), ("X-Robots-Tag", ROBOTS)],
        json.dumps(body, separators=(",", ":")).encode("utf-8"),
    )


def _is_utf8(raw: bytes) -> bool:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def proxy_event(
    method: str,
    target: str,
    headers: Mapping[str, str] | None = None,
    body: bytes | str | None = None,
    source_ip: str = "127.0.0.1",
) -> dict[str, Any]:
    """The REST API proxy event for one request (`target` is the path with its query string).

    As a REST API does, it passes `path` as the client sent it (still percent-encoded) and the
    path parameter and query string decoded. A body is text when it is UTF-8 of a textual type
    (or of no declared type), base64 otherwise.
    """
    parts = urlsplit(target)
    path = parts.path or "/"
    proxy = unquote(path).lstrip("/")
    query = parse_qs(parts.query, keep_blank_values=True)
    header_map = dict(headers or {})
    multi_headers = {name: [value] for name, value in header_map.items()}
    raw = body.encode("utf-8") if isinstance(body, str) else body
    content_type = next((v for k, v in header_map.items() if k.lower() == "content-type"), "")
    is_text = raw is None or ((not content_type or content_type.startswith(_TEXT_TYPES)) and _is_utf8(raw))
    now = time.time()
    return {
        "resource": "/{proxy+}",
        "path": path,
        "httpMethod": method.upper(),
        "headers": header_map or None,
        "multiValueHeaders": multi_headers or None,
        "queryStringParameters": {name: values[-1] for name, values in query.items()} or None,
        "multiValueQueryStringParameters": query or None,
        "pathParameters": {"proxy": proxy} if path != "/" else None,
        "stageVariables": None,
        "requestContext": {
            "resourcePath": "/{proxy+}",
            "httpMethod": method.upper(),
            "path": f"/{STAGE}{path}",
            "stage": STAGE,
            "protocol": "HTTP/1.1",
            "requestId": str(uuid.uuid4()),
            "requestTime": time.strftime("%d/%b/%Y:%H:%M:%S +0000", time.gmtime(now)),
            "requestTimeEpoch": int(now * 1000),
            "accountId": "123456789012",
            "apiId": "local",
            "domainName": "localhost",
            "identity": {"sourceIp": source_ip, "userAgent": header_map.get("User-Agent")},
        },
        "body": None if raw is None else (raw.decode("utf-8") if is_text else base64.b64encode(raw).decode("ascii")),
        "isBase64Encoded": not is_text,
    }


def response_parts(result: Mapping[str, Any]) -> tuple[int, list[tuple[str, str]], bytes]:
    """Status, headers and body of the function's proxy response, as API Gateway would send them."""
    headers: list[tuple[str, str]] = []
    seen: set[str] = set()
    for name, values in (result.get("multiValueHeaders") or {}).items():
        headers += [(name, str(value)) for value in values]
        seen.add(name.lower())
    for name, value in (result.get("headers") or {}).items():
        if name.lower() not in seen:
            headers.append((name, str(value)))
    body = result.get("body") or ""
    payload = base64.b64decode(body) if result.get("isBase64Encoded") else body.encode("utf-8")
    return int(result.get("statusCode", 502)), headers, payload
