"""What the site's forms have in common: what a form posts, an error of one of its fields in words,
and how an HTML form writes a field of the domain's models (a date in boxes, a list as text, a checkbox)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import UnionType
from typing import Any, Union, get_args, get_origin

from case_reviews.domain.dates import PublicationDate
from case_reviews.domain.description import ReportMetadata

# What a form posts (or a query string holds): each name with every value given for it.
FormData = Mapping[str, Sequence[str]]


@dataclass(frozen=True)
class FieldError:
    """One error of a form: the field it is about and what to do, in words for people."""

    field: str
    message: str

    @property
    def target(self) -> str:
        """The id of the input the error summary links to: a date's first box, else the field itself."""
        return f"{self.field}-day" if self.field in date_fields() else self.field


def one_value(form: FormData, name: str) -> str:
    """The last value given for a field (a browser sends each field once), or an empty one."""
    values = form.get(name) or [""]
    return values[-1]


def field_kind(annotation: Any) -> str:
    """How an HTML form writes a field of this type: a date, a list, a checkbox or a text."""
    options = get_args(annotation) if get_origin(annotation) in (Union, UnionType) else (annotation,)
    kind = next(option for option in options if option is not type(None))
    if kind in (date, PublicationDate):
        return "date"
    if get_origin(kind) is tuple:
        return "list"
    if kind is bool:
        return "checkbox"
    return "text"


def date_fields() -> set[str]:
    return {name for name, field in ReportMetadata.model_fields.items() if field_kind(field.annotation) == "date"}
