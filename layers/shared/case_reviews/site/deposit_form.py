"""The deposit form: `ReportMetadata` (what a board declares through the API too) as an HTML form
writes it: a date in Day, Month and Year boxes, a list as text separated by commas or semicolons,
a flag as a checkbox. Which fields it has is read from the model, never listed again here; what
the page calls each one is `LABELS`, the one place for the words of the form and of its errors.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from case_reviews.domain.dates import PublicationDate
from case_reviews.domain.description import ReportMetadata
from case_reviews.domain.errors import InvalidRequest
from case_reviews.domain.review_types import LABELS as REVIEW_TYPE_LABELS
from case_reviews.domain.rules import EARLIEST_PUBLICATION, check_publication_date
from case_reviews.domain.themes import accepted_spellings, fold
from case_reviews.domain.vocabulary import Nation, label
from case_reviews.site.forms import FieldError, FormData, field_kind, one_value

# The deposit form's fields in page order, with the words of their labels (and of their errors).
LABELS: dict[str, str] = {
    "board_key": "Board key",
    "title": "Title",
    "nation": "Nation",
    "review_type": "Review type",
    "document_type": "Document type",
    "publication_date": "Publication date",
    "commissioned_date": "Date commissioned",
    "themes": "Themes",
    "summary": "Summary",
    "contact_email": "Contact email",
    "anonymous": "Publish anonymously on our behalf",
}
# What to say when a required field is left empty (GOV.UK's "Enter…" / "Select…").
_MISSING = {
    "board_key": "Enter your board key",
    "title": "Enter the title of the report",
    "nation": "Select the nation",
    "review_type": "Select the review type",
    "document_type": "Select the document type",
    "publication_date": "Enter the publication date",
    "contact_email": "Enter a contact email address",
}
DATE_PARTS = ("day", "month", "year")
# A list field holds several values in one text box, separated by commas or semicolons.
_SEPARATORS = re.compile(r"[,;]")


@dataclass(frozen=True)
class DepositAttempt:
    """A posted deposit form: what was typed (to show again), and the metadata once it reads well."""

    values: dict[str, Any]
    board_key: str
    metadata: ReportMetadata | None
    errors: list[FieldError]


def form_values(form: FormData) -> dict[str, Any]:
    """What was typed into each field of the deposit form, as the page shows it again."""
    values: dict[str, Any] = {"board_key": one_value(form, "board_key").strip()}
    for name, field in ReportMetadata.model_fields.items():
        match field_kind(field.annotation):
            case "date":
                values[name] = {part: one_value(form, f"{name}-{part}").strip() for part in DATE_PARTS}
            case "checkbox":
                values[name] = bool(one_value(form, name))
            case _:
                values[name] = one_value(form, name)
    return values


def _day_from_parts(name: str, parts: Mapping[str, str]) -> date | None:
    """The day three boxes give (None when all are empty); ValueError in GOV.UK's words otherwise."""
    text = LABELS.get(name, name)
    if not any(parts.values()):
        return None
    missing = [part for part in DATE_PARTS if not parts[part]]
    if missing:
        raise ValueError(f"{text} must include a {' and a '.join(missing)}")
    if not all(parts[part].isdigit() for part in DATE_PARTS) or len(parts["year"]) != 4:
        raise ValueError(f"{text} must be a real date, with the year in four digits")
    try:
        day = date(int(parts["year"]), int(parts["month"]), int(parts["day"]))
    except ValueError:
        raise ValueError(f"{text} must be a real date") from None
    if day < EARLIEST_PUBLICATION:
        raise ValueError(f"{text} must be in {EARLIEST_PUBLICATION.year} or later")
    return day


def _metadata_input(values: Mapping[str, Any]) -> tuple[dict[str, Any], list[FieldError]]:
    """The fields given, as ReportMetadata reads them; a date that is not one is an error already."""
    given: dict[str, Any] = {}
    errors: list[FieldError] = []
    for name, field in ReportMetadata.model_fields.items():
        value = values.get(name)
        match field_kind(field.annotation):
            case "date":
                try:
                    day = _day_from_parts(name, value or dict.fromkeys(DATE_PARTS, ""))
                except ValueError as error:
                    errors.append(FieldError(name, str(error)))
                    continue
                if day is not None:
                    given[name] = day.isoformat()
            case "list":
                items = split_list(value or "")
                if items:
                    given[name] = items
            case "checkbox":
                given[name] = bool(value)
            case _:
                if value and value.strip():
                    given[name] = value
    return given, errors


def split_list(text: str) -> list[str]:
    """The values of a list box, separated by commas or semicolons; a theme's label that holds a comma
    ("Race, culture and faith") stays one value."""
    spellings = {fold(spelling) for spelling in accepted_spellings()}
    pieces = [piece.strip() for piece in _SEPARATORS.split(text)]
    commas = [match.group() == "," for match in _SEPARATORS.finditer(text)]
    values: list[str] = []
    start = 0
    while start < len(pieces):
        end = start + 1
        # The longest run of comma-joined pieces that is a theme's spelling, else the piece alone.
        for stop in range(len(pieces), start + 1, -1):
            if all(commas[start : stop - 1]) and fold(", ".join(pieces[start:stop])) in spellings:
                end = stop
                break
        value = ", ".join(pieces[start:end])
        if value:
            values.append(value)
        start = end
    return values


def _humane(text: str) -> str:
    """A domain message as people read it: each vocabulary value by its label, days in words."""

    def day_in_words(match: re.Match[str]) -> str:
        return PublicationDate.parse(match.group(0)).label()

    words = {**REVIEW_TYPE_LABELS, **{nation.value: label(nation) for nation in Nation}}
    pattern = r"\b(" + "|".join(sorted(map(re.escape, words), key=len, reverse=True)) + r")\b"
    text = re.sub(pattern, lambda match: words[match.group(1)], text)
    text = re.sub(r"\b\d{4}-\d{2}-\d{2}\b", day_in_words, text)
    return text[:1].upper() + text[1:]


def _message(name: str, error: Mapping[str, Any]) -> str:
    """One pydantic error of a field, in words: what to do about it."""
    text = LABELS.get(name, name.replace("_", " ").capitalize())
    context = error.get("ctx") or {}
    match error["type"]:
        case "missing":
            return _MISSING.get(name, f"Enter the {text.lower()}")
        case "string_too_short":
            return f"{text} must be at least {context.get('min_length')} characters"
        case "string_too_long":
            return f"{text} must be {context.get('max_length')} characters or fewer"
        case "too_long":
            return f"Give at most {context.get('max_length')} {text.lower()}"
        case "string_pattern_mismatch" if name == "contact_email":
            return "Enter an email address in the correct format, like name@example.org"
        case "enum" | "literal_error":
            return f"Select the {text.lower()} from the list"
        case "value_error":
            return _humane(str(context.get("error") or error["msg"]).removeprefix("Value error, "))
        case _:
            return f"{text}: {_humane(error['msg'])}"


def _model_error_field(given: Mapping[str, Any]) -> str:
    """Which field a whole-model check of ReportMetadata was about: the dates' order, else the type."""
    commissioned, published = given.get("commissioned_date"), given.get("publication_date")
    if commissioned and published and commissioned > published:
        return "commissioned_date"
    return "review_type"


def metadata_errors(error: ValidationError, given: Mapping[str, Any]) -> list[FieldError]:
    """ReportMetadata's errors, each on the field it is about (a whole-model check on the field it checks)."""
    found = []
    for item in error.errors():
        location = item.get("loc") or ()
        name = str(location[0]) if location else _model_error_field(given)
        found.append(FieldError(name, _message(name, item)))
    return found


def in_page_order(errors: Sequence[FieldError]) -> list[FieldError]:
    """The errors as the summary lists them: in the order of the fields on the page, each field once."""
    order = {name: position for position, name in enumerate(LABELS)}
    first: dict[str, FieldError] = {}
    for error in errors:
        first.setdefault(error.field, error)
    return sorted(first.values(), key=lambda error: order.get(error.field, len(order)))


def read_deposit(form: FormData, now: datetime) -> DepositAttempt:
    """The deposit form read as ReportMetadata, with every error it has (the key is checked elsewhere)."""
    values = form_values(form)
    given, errors = _metadata_input(values)
    metadata = None
    try:
        metadata = ReportMetadata.model_validate(given)
    except ValidationError as error:
        errors += metadata_errors(error, given)
    if metadata is not None:
        try:
            check_publication_date(metadata.publication_date.value, now)
        except InvalidRequest:
            errors.append(FieldError("publication_date", "Publication date must be today or in the past"))
            metadata = None
    if not values["board_key"]:
        errors.append(FieldError("board_key", _MISSING["board_key"]))
    return DepositAttempt(
        values=values,
        board_key=values["board_key"],
        metadata=None if errors else metadata,
        errors=in_page_order(errors),
    )


def error_of_request(error: InvalidRequest) -> FieldError:
    """A rule the service refused the deposit by (its location `body.<field>`), on that field."""
    field = (error.location or "").removeprefix("body.").split(".")[0]
    return FieldError(field if field in LABELS else "title", _humane(str(error)))
