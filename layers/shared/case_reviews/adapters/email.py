"""Emails rendered from the templates in infra/email with Jinja2 (the HTML part autoescaped)."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING, Any

from case_reviews.domain.email import RenderedEmail
from case_reviews.resources import email_template

if TYPE_CHECKING:
    import jinja2


class JinjaEmailRenderer:
    """Renders `<kind>.txt` (a Subject: line, a blank line, the text) and `<kind>.html` into one email."""

    @cached_property
    def _templates(self) -> jinja2.Environment:
        import jinja2  # only the functions that send email pay for the import

        return jinja2.Environment(
            loader=jinja2.FunctionLoader(email_template),
            # The HTML part escapes every value (a title can never add markup); the text part is plain text.
            autoescape=jinja2.select_autoescape(enabled_extensions=("html",), default_for_string=False, default=False),
            # A value left out is an error, never an email with a gap in it.
            undefined=jinja2.StrictUndefined,
            keep_trailing_newline=True,
        )

    def render(self, kind: str, values: Mapping[str, Any]) -> RenderedEmail:
        templates = self._templates
        # Split before filling in, so a value can never move text between the subject and the body;
        # the subject is one line whatever the values hold (no header injection).
        first_line, _, body = email_template(f"{kind}.txt").partition("\n")
        if not first_line.startswith("Subject:"):
            raise ValueError(f"email template {kind}.txt must start with a Subject: line")
        subject = " ".join(templates.from_string(first_line.removeprefix("Subject:")).render(values).split())
        text = templates.from_string(body.lstrip("\n")).render(values)
        html = templates.get_template(f"{kind}.html").render(values)
        return RenderedEmail(subject=subject, text=text, html=html)
