"""The base of the links the API gives: the configured public base URL, or the one the request came in on."""

from __future__ import annotations

from typing import Any

from case_reviews import bootstrap


def public_base_url(event: Any) -> str:
    """PUBLIC_BASE_URL when set (a custom domain); else API Gateway's host and stage of this request.

    The template cannot give the API function its own execute-api URL (the API depends on the function),
    so without a configured base the request says where the API is.
    """
    configured = bootstrap.services().settings.api.public_base_url
    if configured is not None:
        return str(configured).rstrip("/")
    context = event.request_context
    # The request's path as the client sent it, less the path the resource was matched on: the stage (or a
    # custom domain's base path), as the site works it out.
    stage = context.path[: len(context.path) - len(event.path)] if context.path.endswith(event.path) else ""
    return f"https://{context.domain_name}{stage.rstrip('/')}"


def client_address(event: Any) -> str:
    """The caller's IP address, as API Gateway saw it (the rate limits count per client by it)."""
    return str(event.request_context.identity.source_ip or "unknown")
