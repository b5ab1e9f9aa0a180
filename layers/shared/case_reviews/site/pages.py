"""The site's pages, rendered from the Jinja2 templates in infra/site (every value escaped), and the
words each page shows for the catalogue's values and a deposit's status."""

from __future__ import annotations

import hashlib
import html
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache, cached_property
from http import HTTPStatus
from importlib.resources import files
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode, urlsplit

from aws_lambda_powertools.event_handler import Response

from case_reviews.api.front import content_security_policy
from case_reviews.domain.boards import Submission
from case_reviews.domain.dates import PublicationDate
from case_reviews.domain.headings import CASE_FACTS, CASE_TEXTS, RELATED_HEADING
from case_reviews.domain.review_types import REVIEW_TYPES, label_of
from case_reviews.domain.themes import theme_label, vocabulary
from case_reviews.domain.vocabulary import DocumentType, Nation, SubmissionStatus, label

if TYPE_CHECKING:
    import jinja2

HTML = "text/html; charset=utf-8"
# Only these are served under /static/, with these types.
STATIC_TYPES = {".css": "text/css; charset=utf-8", ".js": "text/javascript; charset=utf-8"}
_MARK = re.compile(r"&lt;(/?)mark&gt;")


def _resources() -> Any:
    return files("case_reviews.resources").joinpath("site")


@cache
def static_file(name: str) -> bytes | None:
    """A stylesheet or script of the site by its file name; None for anything else."""
    if "/" in name or "\\" in name or not any(name.endswith(suffix) for suffix in STATIC_TYPES):
        return None
    path = _resources().joinpath("static", name)
    return path.read_bytes() if path.is_file() else None


@cache
def asset_version(name: str) -> str:
    """A short digest of a static file, in its links: a new release is fetched anew, never a stale copy."""
    content = static_file(name) or b""
    return hashlib.sha256(content).hexdigest()[:12]


def highlight(fragment: str) -> Any:
    """A search highlight as markup: its text escaped whatever it holds, and only <mark> kept as a tag."""
    from markupsafe import Markup

    escaped = html.escape(html.unescape(fragment), quote=False)
    return Markup(_MARK.sub(r"<\1mark>", escaped))


@dataclass(frozen=True)
class StatusWords:
    """A deposit's status as its page says it."""

    heading: str
    detail: str
    # Still moving on by itself: the page looks again until it is not.
    in_progress: bool
    tone: str
    reference: str | None = None


def status_words(submission: Submission, arrived: bool = False) -> StatusWords:
    """What a deposit's status page says; `arrived`: S3 has just sent the browser back after the upload."""
    reference = submission.reference
    match submission.status:
        case SubmissionStatus.AWAITING_UPLOAD if arrived:
            return StatusWords("Being processed", "The file has arrived. The library is checking it.", True, "info")
        case SubmissionStatus.AWAITING_UPLOAD:
            return StatusWords(
                "Waiting for the file",
                "No file has arrived for this deposit yet. If your upload did not finish, start a new deposit.",
                True,
                "info",
            )
        case SubmissionStatus.PROCESSING:
            return StatusWords("Being processed", "The library is checking the file.", True, "info")
        case SubmissionStatus.CATALOGUED:
            return StatusWords(
                f"Catalogued as {reference}",
                "The report is in the catalogue. The library has emailed the contact to confirm.",
                False,
                "success",
                reference,
            )
        case SubmissionStatus.IN_REVIEW:
            return StatusWords(
                "Needs a check by the library",
                submission.reason or "The library checks this deposit before it is published.",
                False,
                "warning",
            )
        case SubmissionStatus.DUPLICATE:
            return StatusWords(
                f"Already in the library as {reference}",
                submission.reason or f"This file is already in the library as {reference}.",
                False,
                "success",
                reference,
            )
        case _:
            return StatusWords(
                f"Rejected: {submission.reason or 'the file could not be catalogued.'}", "", False, "error"
            )


def review_type_options(nation: str | None = None) -> list[dict[str, Any]]:
    """The review types of a nation (every type when none is chosen), each with the nations that have it:
    the deposit page's script keeps the list to the chosen nation's as it changes."""
    return [
        {"value": rule.review_type.value, "label": rule.label, "nations": " ".join(sorted(rule.nations))}
        for rule in REVIEW_TYPES
        if not nation or nation in rule.nations
    ]


def options_of(values: Iterable[StrEnum]) -> list[dict[str, str]]:
    """A vocabulary as a select's options: each value with its label."""
    return [{"value": value.value, "label": label(value)} for value in values]


def case_facts(record: Any) -> list[tuple[str, str]]:
    """The short facts of the case a record (or a list's entry) has, each with its heading, in the
    domain's order; those not set are left out. A vocabulary value reads as its label. (An anonymous
    record's public view has already withheld what would tie it to its board: its area.)"""
    facts = []
    for name, heading in CASE_FACTS.items():
        value = getattr(record, name, None)
        if value:
            facts.append((heading, label(value) if isinstance(value, StrEnum) else str(value)))
    return facts


def day_in_words(day: date) -> str:
    """A day as the pages write it, whatever the machine's locale: "14 March 2016"."""
    return PublicationDate(value=day).label()


class Pages:
    """Renders the site's templates into responses: autoescaped, with the pages' security headers."""

    def __init__(self, base_url: Callable[[], str], now_year: Callable[[], int]) -> None:
        # The public base URL of the request being answered (its path starts every link).
        self.base_url = base_url
        self.now_year = now_year

    @cached_property
    def templates(self) -> jinja2.Environment:
        import jinja2

        environment = jinja2.Environment(
            loader=jinja2.FunctionLoader(_template_source),
            # Every value is escaped (a title can never add markup); only `highlight` marks its <mark>s safe.
            autoescape=True,
            undefined=jinja2.StrictUndefined,
            trim_blocks=True,
            lstrip_blocks=True,
        )
        environment.globals.update(
            url=self.url,
            asset=self.asset,
            label=label,
            label_of=label_of,
            theme_label=theme_label,
            nation_options=options_of(Nation),
            document_options=options_of(DocumentType),
            themes=vocabulary(),
            theme_options=[{"value": theme.id, "label": theme.label} for theme in vocabulary()],
            review_types_of=review_type_options,
            case_facts=case_facts,
            case_texts=CASE_TEXTS,
            related_heading=RELATED_HEADING,
        )
        environment.filters["highlight"] = highlight
        environment.filters["day"] = day_in_words
        return environment

    def url(self, path: str, query: list[tuple[str, str]] | Mapping[str, str] | None = None) -> str:
        """A link to one of the product's paths, under the public base URL's path (its stage, if any)."""
        link = f"{urlsplit(self.base_url()).path.rstrip('/')}{path}"
        return f"{link}?{urlencode(query)}" if query else link

    def asset(self, name: str) -> str:
        return self.url(f"/static/{name}", {"v": asset_version(name)})

    def render(
        self,
        template: str,
        status: HTTPStatus = HTTPStatus.OK,
        upload_to: str | None = None,
        cache: str = "no-cache",
        headers: Mapping[str, str] | None = None,
        **values: Any,
    ) -> Response[str]:
        """One page: its policy allows the product's own files (and `upload_to`, the bucket's origin)."""
        body = self.templates.get_template(template).render(current_year=self.now_year(), **values)
        return Response(
            status_code=status.value,
            content_type=HTML,
            body=body,
            headers={
                "Content-Security-Policy": content_security_policy(body, own_files=True, upload_to=upload_to),
                "Cache-Control": cache,
                # A status page's address is its permission: never sent on to another site.
                "Referrer-Policy": "no-referrer",
                "X-Content-Type-Options": "nosniff",
                **(headers or {}),
            },
        )


def origin_of(url: str) -> str:
    """The scheme, host and port of a URL (a CSP source)."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _template_source(name: str) -> str:
    return str(_resources().joinpath("templates", name).read_text(encoding="utf-8"))
