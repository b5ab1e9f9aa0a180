"""What every route of the site needs: the request being answered, the renderer of its pages, and the
pages that say what went wrong (or, for a program, the API's problem answers)."""

from __future__ import annotations

from http import HTTPStatus
from typing import Any
from urllib.parse import parse_qs

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from case_reviews import bootstrap
from case_reviews.api.problems import problem
from case_reviews.domain.rules import FIRST_LISTED_YEAR
from case_reviews.site.pages import Pages


class SiteContext:
    """The resolver's current request, as the site's routes read it, and the pages they answer with."""

    def __init__(self, app: APIGatewayRestResolver) -> None:
        self.app = app
        self.pages = Pages(self.base_url, lambda: bootstrap.services().clock.now().year)

    def base_url(self) -> str:
        """Where the pages are: the configured public base URL, else this request's host and stage."""
        configured = bootstrap.services().settings.site.public_base_url
        if configured is not None:
            return str(configured).rstrip("/")
        event = self.app.current_event
        context = event.request_context
        # The request's path as the client sent it, less the path the resource was matched on: its stage.
        stage = context.path[: len(context.path) - len(event.path)] if context.path.endswith(event.path) else ""
        return f"https://{context.domain_name}{stage.rstrip('/')}"

    def query(self) -> dict[str, list[str]]:
        """The query string: each name with every value given for it."""
        return dict(self.app.current_event.multi_value_query_string_parameters or {})

    def posted(self, max_fields: int) -> dict[str, list[str]]:
        """The form posted (application/x-www-form-urlencoded), empty fields kept, at most `max_fields` of them."""
        return parse_qs(self.app.current_event.decoded_body or "", keep_blank_values=True, max_num_fields=max_fields)

    def listed_years(self) -> list[int]:
        """The years of the yearly lists, newest first."""
        return list(range(bootstrap.services().clock.now().year, FIRST_LISTED_YEAR - 1, -1))

    def for_a_program(self) -> bool:
        """A client that does not ask for HTML (a script, curl) gets the API's problem answers instead of
        pages: every browser asks for text/html."""
        headers = self.app.current_event.headers
        accepted = headers.get("accept") or headers.get("Accept") or ""
        return "text/html" not in accepted

    def failure(
        self,
        status: HTTPStatus,
        template: str,
        detail: str,
        problems: list[dict[str, str]] | None = None,
        **values: Any,
    ) -> Response[str]:
        """A page that says what went wrong (status 4xx/5xx), or for a program the same as a problem."""
        if self.for_a_program():
            return problem(status, detail, problems)
        return self.pages.render(template, status, **values)

    def not_found(self, message: str) -> Response[str]:
        return self.failure(HTTPStatus.NOT_FOUND, "error.html", message, heading="Page not found", message=message)
