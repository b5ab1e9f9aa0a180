"""The site's resolver: the pages people use to search, read, browse the yearly lists and deposit.

Each route calls the same services as the JSON API (never the API over HTTP) and renders its page with
the API's own views of the results (`api/models.py`), so a page shows what the API answers. The routes
are grouped by what people do (`search_pages`, `deposit_pages`, `learning_pages`); this module builds
the resolver with all of them, its static files and its failure pages. The site function builds it once
per container and hands each request to the API's `handle`, which adds what every answer carries
(X-Robots-Tag; the frame and content policies of an HTML page).
"""

from __future__ import annotations

from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, CORSConfig, Response
from aws_lambda_powertools.event_handler.exceptions import NotFoundError

from case_reviews.observability import logger
from case_reviews.site import deposit_pages, learning_pages, search_pages
from case_reviews.site.context import SiteContext
from case_reviews.site.pages import STATIC_TYPES, asset_version, static_file

# Static files named with their digest do not change: a browser may keep them for a year.
_IMMUTABLE = "public, max-age=31536000, immutable"


def build_site() -> APIGatewayRestResolver:
    """The resolver with every page of the site."""
    # Only the status page is readable from another origin (see deposit_pages); Powertools answers the
    # browser's preflight for it.
    app = APIGatewayRestResolver(cors=CORSConfig(allow_origin="*", max_age=600, allow_credentials=False))
    site = SiteContext(app)
    for group in (search_pages, learning_pages, deposit_pages):
        group.register(app, site)

    @app.get("/static/<name>", cors=False)
    def static(name: str) -> Response[str]:
        content = static_file(name)
        if content is None:
            return site.not_found("There is no such file.")
        version = site.query().get("v", [""])[-1]
        return Response(
            status_code=HTTPStatus.OK.value,
            content_type=STATIC_TYPES[name[name.rindex(".") :]],
            body=content.decode("utf-8"),
            headers={
                "Cache-Control": _IMMUTABLE if version == asset_version(name) else "no-cache",
                "X-Content-Type-Options": "nosniff",
            },
        )

    @app.not_found
    def no_page(error: NotFoundError) -> Response[str]:
        return site.not_found("There is no page at this address.")

    @app.exception_handler(Exception)
    def unexpected(error: Exception) -> Response[str]:
        logger.exception("Unhandled error")
        return site.failure(
            HTTPStatus.INTERNAL_SERVER_ERROR,
            "error.html",
            "Something went wrong on our side; please try again later.",
            heading="Sorry, there is a problem with the service",
            message="Something went wrong on our side. Try again later.",
        )

    return app
