"""What every area of the wire shares: the wire model's base, the date types requests are read with,
and the problem (RFC 9457) an error answers with."""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, WithJsonSchema

from case_reviews.domain.date_patterns import day_pattern, partial_date_pattern
from case_reviews.domain.dates import PublicationDate
from case_reviews.domain.rules import EARLIEST_PUBLICATION, LATEST_YEAR


class Wire(BaseModel):
    """A wire model: its validator is built when first used, so a cold start builds only what its
    first request needs (a search never builds the deposit models)."""

    model_config = ConfigDict(defer_build=True)


def _partial_date(text: str) -> str:
    published = PublicationDate.parse(text)  # raises ValueError with the reason, which becomes a 400
    if not EARLIEST_PUBLICATION.year <= published.value.year <= LATEST_YEAR:
        raise ValueError(f"{text!r} is outside the catalogue's years, {EARLIEST_PUBLICATION.year} to {LATEST_YEAR}")
    return text


PartialDate = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"),
    AfterValidator(_partial_date),
    # The document states exactly what is accepted: the catalogue's years, real months and days.
    WithJsonSchema({"type": "string", "pattern": partial_date_pattern(EARLIEST_PUBLICATION.year, LATEST_YEAR)}),
]
"""A year (1973), a month (1973-05) or a day (1973-05-14), from 1900 to 2100."""


def _iso_day(value: Any) -> Any:
    # JSON has no date type: only the ISO form is a date here (pydantic alone would read "2016" as a timestamp).
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return value
    raise ValueError("must be a day written YYYY-MM-DD")


LAST_DAY = date(LATEST_YEAR, 12, 31)
Day = Annotated[
    date,
    BeforeValidator(_iso_day),
    Field(ge=EARLIEST_PUBLICATION),
    # A pattern, as JSON Schema cannot bound a date: real days from 1900 (the document served narrows
    # the deposit's days to the last one a report may be published on, api/openapi.py).
    WithJsonSchema({"type": "string", "format": "date", "pattern": day_pattern(EARLIEST_PUBLICATION, LAST_DAY)}),
]
"""A calendar day in ISO form (2016-03-14), no earlier than the catalogue's first possible year."""


# The body of an error's answer (RFC 9457 problem details).
class Problem(Wire):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None
