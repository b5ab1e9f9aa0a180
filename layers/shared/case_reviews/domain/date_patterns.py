"""Regular expressions that match exactly the real dates in a range, for the OpenAPI document.

JSON Schema has no way to bound a date, and `format: date` admits 0001-01-01 as readily as
2016-02-30's neighbours; a pattern can say precisely which texts the API accepts (the years it
covers, the days each month has, 29 February in leap years only). Only explicit character classes
are used, so every regular expression engine reads them alike.
"""

from __future__ import annotations

import calendar
from datetime import date


def _digit_class(low: int, high: int) -> str:
    return str(low) if low == high else f"[{low}-{high}]"


def _any_digits(count: int) -> str:
    return "[0-9]" if count == 1 else f"[0-9]{{{count}}}"


def _digits_between(low: str, high: str) -> str:
    """A pattern for the numbers from `low` to `high`, both written with the same number of digits."""
    if low == high:
        return low
    first_low, first_high, rest = int(low[0]), int(high[0]), len(low) - 1
    if rest == 0:
        return _digit_class(first_low, first_high)
    if low[1:] == "0" * rest and high[1:] == "9" * rest:
        return f"{_digit_class(first_low, first_high)}{_any_digits(rest)}"
    if first_low == first_high:
        return f"{low[0]}(?:{_digits_between(low[1:], high[1:])})"
    parts = [f"{low[0]}(?:{_digits_between(low[1:], '9' * rest)})"]
    if first_high - first_low > 1:
        parts.append(f"{_digit_class(first_low + 1, first_high - 1)}{_any_digits(rest)}")
    parts.append(f"{high[0]}(?:{_digits_between('0' * rest, high[1:])})")
    return "|".join(parts)


def _two_digits_between(low: int, high: int) -> str:
    return _digits_between(f"{low:02d}", f"{high:02d}")


def year_pattern(first: int, last: int) -> str:
    """The years `first` to `last`, as four digits (a group, without anchors)."""
    return f"(?:{_digits_between(f'{first:04d}', f'{last:04d}')})"


def _month_length(year: int | None, month: int) -> int:
    """Days in the month; February has 28 when the year is None (several years: see _leap_days)."""
    if month == 2 and year is None:
        return 28
    return calendar.monthrange(year or 2001, month)[1]


def _days(years: str, year: int | None, months: range, first_day: int = 1, last_day: int = 31) -> list[str]:
    """Alternatives for the days of `months` in `years` (a pattern for one year, `year`, or several: None),
    from `first_day` of the first month to `last_day` of the last."""
    parts = []
    for month in months:
        low = first_day if month == months.start else 1
        high = min(last_day if month == months[-1] else 31, _month_length(year, month))
        if low <= high:
            parts.append(f"{years}-{month:02d}-(?:{_two_digits_between(low, high)})")
    return parts


def _leap_days(first: int, last: int) -> list[str]:
    """29 February of the leap years from `first` to `last`."""
    leap = [str(year) for year in range(first, last + 1) if calendar.isleap(year)]
    return [f"(?:{'|'.join(leap)})-02-29"] if leap else []


def _days_between(first: date, last: date) -> list[str]:
    if first.year == last.year:
        year = f"{first.year:04d}"
        if first.month == last.month:
            return _days(year, first.year, range(first.month, first.month + 1), first.day, last.day)
        return [
            *_days(year, first.year, range(first.month, first.month + 1), first_day=first.day),
            *_days(year, first.year, range(first.month + 1, last.month)),
            *_days(year, first.year, range(last.month, last.month + 1), last_day=last.day),
        ]
    parts = _days_between(first, date(first.year, 12, 31))
    if last.year - first.year > 1:
        parts += _days(year_pattern(first.year + 1, last.year - 1), None, range(1, 13))
        parts += _leap_days(first.year + 1, last.year - 1)
    return parts + _days_between(date(last.year, 1, 1), last)


def day_pattern(first: date, last: date) -> str:
    """Every real day from `first` to `last`, written YYYY-MM-DD (anchored)."""
    if first > last:
        raise ValueError("the range ends before it starts")
    return "^(?:" + "|".join(_days_between(first, last)) + ")$"


def partial_date_pattern(first_year: int, last_year: int) -> str:
    """A year (1973), a month (1973-05) or a real day (1973-05-14) in the years given (anchored)."""
    years = year_pattern(first_year, last_year)
    days = day_pattern(date(first_year, 1, 1), date(last_year, 12, 31))[1:-1]
    return f"^(?:{years}(?:-(?:0[1-9]|1[0-2]))?|{days})$"
