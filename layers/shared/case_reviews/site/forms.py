"""What the site's forms send, read and checked with the domain's own models, and their errors in words.

The deposit form is `ReportMetadata` (what a board declares through the API too) as an HTML form
writes it: a date in Day, Month and Year boxes, a list as text separated by commas or semicolons,
a flag as a checkbox. Which fields it has is read from the model, never listed again here; what
the page calls each one is `LABELS`, the one place for the words of the form and of its errors.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from types import UnionType
from typing import Annotated, Any, Self, Union, get_args, get_origin
from urllib.parse import urlencode

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, ValidationError

from case_reviews.api.models.common import PartialDate
from case_reviews.api.models.learning import AlertRequest
from case_reviews.domain.dates import PublicationDate
from case_reviews.domain.description import ReportMetadata
from case_reviews.domain.errors import InvalidRequest
from case_reviews.domain.fields import Theme
from case_reviews.domain.review_types import LABELS as REVIEW_TYPE_LABELS
from case_reviews.domain.rules import EARLIEST_PUBLICATION, LATEST_YEAR, check_publication_date
from case_reviews.domain.search import SearchQuery, SortOrder, published_between
from case_reviews.domain.statistics import StatisticsQuery
from case_reviews.domain.themes import accepted_spellings, fold
from case_reviews.domain.vocabulary import DocumentType, Nation, ReviewType, label

# What a form posts (or a query string holds): each name with every value given for it.
FormData = Mapping[str, Sequence[str]]

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
class FieldError:
    """One error of a form: the field it is about and what to do, in words for people."""

    field: str
    message: str

    @property
    def target(self) -> str:
        """The id of the input the error summary links to: a date's first box, else the field itself."""
        return f"{self.field}-day" if self.field in _date_fields() else self.field


@dataclass(frozen=True)
class DepositAttempt:
    """A posted deposit form: what was typed (to show again), and the metadata once it reads well."""

    values: dict[str, Any]
    board_key: str
    metadata: ReportMetadata | None
    errors: list[FieldError]


def _one(form: FormData, name: str) -> str:
    values = form.get(name) or [""]
    return values[-1]


def _kind(annotation: Any) -> str:
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


def _date_fields() -> set[str]:
    return {name for name, field in ReportMetadata.model_fields.items() if _kind(field.annotation) == "date"}


def form_values(form: FormData) -> dict[str, Any]:
    """What was typed into each field of the deposit form, as the page shows it again."""
    values: dict[str, Any] = {"board_key": _one(form, "board_key").strip()}
    for name, field in ReportMetadata.model_fields.items():
        match _kind(field.annotation):
            case "date":
                values[name] = {part: _one(form, f"{name}-{part}").strip() for part in DATE_PARTS}
            case "checkbox":
                values[name] = bool(_one(form, name))
            case _:
                values[name] = _one(form, name)
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
        match _kind(field.annotation):
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


# ---------------------------------------------------------------- the search form


def _blank_is_none(value: Any) -> Any:
    if isinstance(value, list):
        return [item for item in value if item != ""] or None
    return None if value == "" else value


# An empty box of the search form is a parameter not given.
_Blank = BeforeValidator(_blank_is_none)


class _QueryForm(BaseModel):
    """A page's query string read as a model: the repeatable parameters as lists, the others their last value."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)

    @classmethod
    def from_query(cls, query: FormData) -> Self:
        repeatable = {name for name, field in cls.model_fields.items() if get_origin(_bare(field.annotation)) is list}
        given = {name: list(values) if name in repeatable else values[-1] for name, values in query.items() if values}
        return cls.model_validate(given)

    def parameters(self) -> list[tuple[str, str]]:
        """The parameters as a query string's pairs (without a cursor), to link to the page with a change."""
        pairs: list[tuple[str, str]] = []
        for name, value in self.model_dump(by_alias=True, exclude={"cursor"}, exclude_none=True).items():
            for item in value if isinstance(value, list) else [value]:
                text = str(item).lower() if isinstance(item, bool) else str(item)
                pairs.append((name, text))
        return pairs


class SearchForm(_QueryForm):
    """The search page's query string: the public search's own parameters, a form's empty boxes left out."""

    q: Annotated[Annotated[str, StringConstraints(max_length=500)] | None, _Blank] = None
    nation: Annotated[list[Nation] | None, _Blank] = None
    review_type: Annotated[list[ReviewType] | None, _Blank] = None
    document_type: Annotated[list[DocumentType] | None, _Blank] = None
    theme: Annotated[list[Theme] | None, _Blank] = None
    year: Annotated[Annotated[int, Field(ge=EARLIEST_PUBLICATION.year, le=LATEST_YEAR)] | None, _Blank] = None
    from_: Annotated[PartialDate | None, _Blank] = Field(default=None, alias="from")
    to: Annotated[PartialDate | None, _Blank] = None
    has_copy: Annotated[bool | None, _Blank] = None
    sort: Annotated[SortOrder | None, _Blank] = None
    cursor: Annotated[Annotated[str, StringConstraints(max_length=1000)] | None, _Blank] = None

    def query(self, page_size: int) -> SearchQuery:
        """The search these parameters ask for (ValueError for dates that are not, or out of order)."""
        published_from, published_to = published_between(self.year, self.from_, self.to)
        text = self.q.strip() if self.q else None
        return SearchQuery(
            text=text or None,
            published_from=published_from,
            published_to=published_to,
            nations=tuple(self.nation or ()),
            review_types=tuple(self.review_type or ()),
            document_types=tuple(self.document_type or ()),
            themes=tuple(self.theme or ()),
            has_copy=self.has_copy,
            sort=self.sort or (SortOrder.RELEVANCE if text else SortOrder.NEWEST),
            page_size=page_size,
        )

    def saved_search(self) -> str:
        """The search as an alert keeps it: its parameters without the order, which does not change what it finds."""
        return urlencode([(name, value) for name, value in self.parameters() if name != "sort"])


def _bare(annotation: Any) -> Any:
    """The type inside `X | None` (and inside Annotated)."""
    options = get_args(annotation) if get_origin(annotation) in (Union, UnionType) else (annotation,)
    kind = next(option for option in options if option is not type(None))
    return get_args(kind)[0] if get_origin(kind) is Annotated else kind


def search_errors(error: ValidationError) -> list[str]:
    """A query string's errors, each naming its parameter."""
    return [
        f"{'.'.join(str(part) for part in item.get('loc', ()))}: {str(item['msg']).removeprefix('Value error, ')}"
        for item in error.errors()
    ]


# ---------------------------------------------------------------- the statistics filters

_Year = Annotated[int, Field(ge=EARLIEST_PUBLICATION.year, le=LATEST_YEAR)]


class StatisticsForm(_QueryForm):
    """The statistics page's filters: GET /statistics' own parameters, a form's empty boxes left out."""

    from_year: Annotated[_Year | None, _Blank] = None
    to_year: Annotated[_Year | None, _Blank] = None
    nation: Annotated[list[Nation] | None, _Blank] = None
    review_type: Annotated[list[ReviewType] | None, _Blank] = None
    theme: Annotated[list[Theme] | None, _Blank] = None

    def query(self) -> StatisticsQuery:
        """What to count (InvalidRequest when the years are out of order)."""
        return StatisticsQuery(
            from_year=self.from_year,
            to_year=self.to_year,
            nations=tuple(self.nation or ()),
            review_types=tuple(self.review_type or ()),
            themes=tuple(self.theme or ()),
        )


# ---------------------------------------------------------------- the alert sign-up form

# The sign-up form's fields in page order, with the words of their labels.
ALERT_LABELS: dict[str, str] = {"email": "Email address", "kind": "What to send"}
ALERT_KINDS = ("digest", "search")


@dataclass(frozen=True)
class AlertAttempt:
    """A posted sign-up form: what was typed (to show again), the request once it reads well, its errors."""

    values: dict[str, str]
    request: AlertRequest | None
    errors: list[FieldError]


def read_alert_signup(form: FormData) -> AlertAttempt:
    """The sign-up form read as POST /alerts' body (the same model), with its errors in words."""
    values = {name: _one(form, name).strip() for name in ("email", "kind", "search")}
    errors: list[FieldError] = []
    if not values["email"]:
        errors.append(FieldError("email", "Enter your email address"))
    if values["kind"] not in ALERT_KINDS or (values["kind"] == "search" and not values["search"]):
        errors.append(FieldError("kind", "Select what to send"))
    if errors:
        return AlertAttempt(values, None, errors)
    body: dict[str, Any] = {"email": values["email"]}
    if values["kind"] == "search":
        body["search"] = values["search"]
    else:
        body["digest"] = True
    try:
        request = AlertRequest.model_validate(body)
    except ValidationError as error:
        for item in error.errors():
            location = item.get("loc") or ()
            if location and location[0] == "email":
                errors.append(
                    FieldError("email", "Enter an email address in the correct format, like name@example.org")
                )
            else:
                errors.append(FieldError("kind", f"The search cannot be saved: {item['msg']}"))
        return AlertAttempt(values, None, errors)
    return AlertAttempt(values, request, [])
