"""Which paths of the gateway the site function answers; the API function answers every other one.

One table for both fronts: template.yaml's SiteFunction events are these resources (a unit test
compares them), and the local front sends a request to the site exactly when `is_site_path` says so.
"""

from __future__ import annotations

PROXY = "{proxy+}"

# API Gateway resources, as template.yaml writes them: a path, or a prefix and everything under it.
SITE_RESOURCES: tuple[str, ...] = (
    "/",
    "/search",
    f"/record/{PROXY}",
    f"/published/{PROXY}",
    "/deposit",
    f"/deposit/{PROXY}",
    f"/static/{PROXY}",
    "/charts",
    "/get-alerts",
)


def matches(resource: str, path: str) -> bool:
    """Whether API Gateway gives `path` to `resource` (a greedy proxy takes one segment or more)."""
    if resource.endswith(PROXY):
        prefix = resource.removesuffix(PROXY)
        return path.startswith(prefix) and len(path) > len(prefix)
    return path == resource


def is_site_path(path: str) -> bool:
    """Whether the site function answers this path (without its query string)."""
    return any(matches(resource, path) for resource in SITE_RESOURCES)
