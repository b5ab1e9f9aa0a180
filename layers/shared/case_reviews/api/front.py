"""What every HTTP answer of the library gets, the API's and the site's alike: HEAD answered as GET without
its body, a robots header on every answer, and on an HTML page its content security policy and no framing.

Kept apart from the API's routers, so that the site function imports this and not the whole API.
"""

from __future__ import annotations

import base64
import hashlib
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from aws_lambda_powertools.event_handler import APIGatewayRestResolver
    from aws_lambda_powertools.utilities.typing import LambdaContext

# Nothing the library serves is for search engines: files are reached only by searching the library.
ROBOTS = "noindex, nofollow"
# An HTML page (the site's; the API's unsubscribe pages; Swagger UI on the local stack) loads nothing from
# anywhere else and cannot be framed. What it runs is its own inline code, allowed by hash.
_INLINE_CODE = re.compile(r"<(script|style)>(.*?)</\1>", re.DOTALL)


def content_security_policy(page: str, own_files: bool = False, upload_to: str | None = None) -> str:
    """The policy of one HTML page: nothing from elsewhere, no framing, forms only back to this API, and
    only the page's own inline scripts and styles, each by its hash (a page without any runs none).

    The site's pages (`own_files`) also load the product's own stylesheet and script and call back to it;
    its upload page (`upload_to`, the bucket's origin) posts the file straight to S3.
    """
    hashes: dict[str, list[str]] = {"script": [], "style": []}
    for tag, code in _INLINE_CODE.findall(page):
        digest = base64.b64encode(hashlib.sha256(code.encode("utf-8")).digest()).decode("ascii")
        hashes[tag].append(f"'sha256-{digest}'")
    own = ["'self'"] if own_files else []
    upload = [upload_to] if upload_to else []
    directives = {"default-src": "'none'"}
    if hashes["script"] or own:
        # Swagger UI's "Try it out" calls this API; the site's script refreshes a status and uploads.
        directives |= {"script-src": " ".join([*own, *hashes["script"]]), "connect-src": " ".join(["'self'", *upload])}
    if hashes["style"] or own:
        directives["style-src"] = " ".join([*own, *hashes["style"]])
    if hashes["style"]:
        # Swagger UI's stylesheet draws its icons from data: URLs.
        directives["img-src"] = "data:"
    directives |= {"form-action": " ".join(["'self'", *upload]), "frame-ancestors": "'none'", "base-uri": "'none'"}
    return "; ".join(f"{name} {value}" for name, value in directives.items())


def handle(app: APIGatewayRestResolver, event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
    """One request: HEAD is GET without the body (RFC 9110), and every answer says it is not for crawlers;
    an HTML page also carries its content security policy and may not be framed."""
    head = event.get("httpMethod") == "HEAD"
    response = app.resolve({**event, "httpMethod": "GET"} if head else event, context)
    headers = response.setdefault("multiValueHeaders", {})
    content_type = next((values[-1] for name, values in headers.items() if name.lower() == "content-type"), "")
    if content_type.startswith("text/html"):
        # Before HEAD drops the body: the policy of a HEAD is the policy of its GET. A page that set its own
        # (the site's, made by content_security_policy too) keeps it.
        if not any(name.lower() == "content-security-policy" for name in headers):
            headers["Content-Security-Policy"] = [content_security_policy(response.get("body") or "")]
        headers["X-Frame-Options"] = ["DENY"]
    if head:
        response.update(body="", isBase64Encoded=False)
    # Added here, not per route, so that error responses carry it too.
    headers["X-Robots-Tag"] = [ROBOTS]
    return response
