"""Publication dates as the catalogue knows them (a year, a month or a day), and dates in words.

The words are the same whatever the machine's locale: the yearly lists' labels ("1973, month unknown"),
emails and pages write dates with these month names.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from pydantic import model_serializer, model_validator

from case_reviews.domain.base import Frozen
from case_reviews.domain.vocabulary import DatePrecision

# Month names for labels, whatever the machine's locale.
MONTH_NAMES = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


class PublicationDate(Frozen):
    """A publication date known to a year, a month or a day (`value` is the first day of the period).

    Written as it is known: `1973`, `1973-05` or `1973-05-14` (it dumps to that text, and reads it back).
    """

    value: date
    precision: DatePrecision = DatePrecision.DAY

    @model_validator(mode="before")
    @classmethod
    def _from_text_or_day(cls, given: Any) -> Any:
        if isinstance(given, str):
            return cls._fields_of(given)
        if isinstance(given, date):
            return {"value": given, "precision": DatePrecision.DAY}
        return given

    @model_serializer
    def _as_text(self) -> str:
        return str(self)

    @staticmethod
    def _fields_of(text: str) -> dict[str, Any]:
        text = text.strip()
        match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
        if not match:
            raise ValueError(f"{text!r} is not a year (YYYY), a month (YYYY-MM) or a day (YYYY-MM-DD)")
        year, month, day = match.groups()
        precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
        try:
            first_day = date(int(year), int(month or 1), int(day or 1))
        except ValueError as error:
            raise ValueError(f"{text!r} is not a real date ({error})") from None
        return {"value": first_day, "precision": precision}

    @classmethod
    def parse(cls, text: str) -> PublicationDate:
        """Read `1973`, `1973-05` or `1973-05-14` (ValueError for anything else)."""
        return cls.model_construct(**cls._fields_of(text))

    def last_day(self) -> date:
        """The last day of the period (the year, the month or the day itself)."""
        match self.precision:
            case DatePrecision.YEAR:
                return date(self.value.year, 12, 31)
            case DatePrecision.MONTH:
                following = date(self.value.year + self.value.month // 12, self.value.month % 12 + 1, 1)
                return date.fromordinal(following.toordinal() - 1)
            case _:
                return self.value

    @property
    def approximate(self) -> bool:
        """Known only to the year or the month."""
        return self.precision is not DatePrecision.DAY

    def in_words(self) -> str:
        """As much as is known, in words: "14 May 1973", "May 1973" or "1973"."""
        match self.precision:
            case DatePrecision.YEAR:
                return f"{self.value.year}"
            case DatePrecision.MONTH:
                return f"{MONTH_NAMES[self.value.month - 1]} {self.value.year}"
            case _:
                return day_in_words(self.value)

    def label(self) -> str:
        """As the yearly lists write it: "14 May 1973", "May 1973, day unknown", "1973, month unknown"."""
        unknown = {DatePrecision.YEAR: ", month unknown", DatePrecision.MONTH: ", day unknown"}
        return self.in_words() + unknown.get(self.precision, "")

    def __str__(self) -> str:
        match self.precision:
            case DatePrecision.YEAR:
                return f"{self.value.year:04d}"
            case DatePrecision.MONTH:
                return f"{self.value.year:04d}-{self.value.month:02d}"
            case _:
                return self.value.isoformat()


def day_in_words(day: date) -> str:
    """A day as people write it, whatever the machine's locale: "26 November 2031"."""
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


def last_day_of(published: PublicationDate | date | str) -> date:
    """The last day a publication date covers, whichever form it is given in."""
    if isinstance(published, str):
        return PublicationDate.parse(published).last_day()
    return published.last_day() if isinstance(published, PublicationDate) else published
