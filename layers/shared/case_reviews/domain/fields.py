"""The constrained values the catalogue's models are made of: titles, summaries, themes, addresses."""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import AfterValidator, Field, StringConstraints

# A pragmatic address check: the SES send is the real test, this only stops obvious typos
# (and, with no whitespace or control characters allowed, any header injection).
EmailAddress = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_lower=True,
        max_length=254,
        pattern=r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$",
    ),
]
# Control characters other than tab and line breaks: never part of a title or a summary.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def no_control_characters(value: str) -> str:
    if _CONTROL_CHARACTERS.search(value):
        raise ValueError("must not contain control characters")
    return value


def normalise_theme(value: str) -> str:
    """One spelling per theme: "Multi-agency  working" and "multi_agency_working" are the same theme."""
    return re.sub(r"[\s_-]+", "_", value.strip().lower())


def _single_line(value: str) -> str:
    # Titles go into email subjects and yearly lists: line breaks and runs of spaces become one space.
    return " ".join(value.split())


def _each_once(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))


def _each_once_ignoring_case(values: tuple[str, ...]) -> tuple[str, ...]:
    first_spelling: dict[str, str] = {}
    for value in values:
        first_spelling.setdefault(value.casefold(), value)
    return tuple(first_spelling.values())


Theme = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=2, max_length=60, pattern=r"^[A-Za-z0-9][A-Za-z0-9 _-]*$"),
    AfterValidator(normalise_theme),
]
Themes = Annotated[tuple[Theme, ...], Field(max_length=20), AfterValidator(_each_once)]
Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=300),
    AfterValidator(no_control_characters),
    AfterValidator(_single_line),
]
Summary = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=5000), AfterValidator(no_control_characters)
]

# Who the library writes to about a board's copies (staff keep the list): each address once.
Contacts = Annotated[tuple[EmailAddress, ...], Field(max_length=20), AfterValidator(_each_once)]
# A name a board's reports may call it by (its area, its old LSCB name, its short name): one line of words.
BoardAlias = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=2, max_length=300),
    AfterValidator(no_control_characters),
    AfterValidator(_single_line),
]
BoardAliases = Annotated[tuple[BoardAlias, ...], Field(max_length=50), AfterValidator(_each_once_ignoring_case)]
