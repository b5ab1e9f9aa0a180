"""The constrained values the catalogue's models are made of: titles, summaries, themes, addresses."""

from __future__ import annotations

import re
from typing import Annotated, Any

from pydantic import AfterValidator, Field, StringConstraints, WithJsonSchema

from case_reviews.domain.themes import accepted_spellings, theme_id

# Characters never in an address: whitespace and control characters, written out (not \s) so that the
# pattern means the same in every regular expression engine (the OpenAPI document states it).
_NOT_IN_ADDRESS = "@\\x00-\\x20\\x7f-\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
# A pragmatic address check: the SES send is the real test, this only stops obvious typos
# (and, with no whitespace or control characters allowed, any header injection).
EmailAddress = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_lower=True,
        max_length=254,
        pattern=f"^[^{_NOT_IN_ADDRESS}]+@[^{_NOT_IN_ADDRESS}]+\\.[^{_NOT_IN_ADDRESS}]+$",
    ),
]
# Control characters other than tab and line breaks: never part of a title or a summary.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# For the OpenAPI document, the same rules as patterns on the text as it is sent: what is trimmed from
# its ends (Unicode white space, as pydantic trims) and what it may not contain. Written out, not as \s,
# so that every regular expression engine reads them alike.
_TRIMMED = "\\t\\n\\x0b\\x0c\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
_CONTROL = "\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f"


def trimmed_text_schema(min_length: int, max_length: int) -> WithJsonSchema:
    """The JSON schema of a text trimmed to `min_length`..`max_length` characters, with no control characters
    (tab and line breaks aside): a pattern, as maxLength would count the white space that is trimmed."""
    trimmed, visible, allowed = f"[{_TRIMMED}]", f"[^{_TRIMMED}{_CONTROL}]", f"[^{_CONTROL}]"
    middle = f"{allowed}{{{max(min_length - 2, 0)},{max_length - 2}}}"
    if min_length >= 2:
        text = f"{visible}{middle}{visible}"
    elif min_length == 1:
        text = f"{visible}(?:{middle}{visible})?"
    else:
        text = f"(?:{visible}(?:{middle}{visible})?)?"
    return WithJsonSchema({"type": "string", "pattern": f"^{trimmed}*{text}{trimmed}*$"})


def no_control_characters(value: str) -> str:
    if _CONTROL_CHARACTERS.search(value):
        raise ValueError("must not contain control characters")
    return value


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


# A theme of the library's vocabulary (domain/themes.json), given by its id or any of its labels in
# any case, held as its id. The schema enumerates the spellings as the thesaurus writes them.
Theme = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=2, max_length=80),
    AfterValidator(theme_id),
    WithJsonSchema(
        {
            "type": "string",
            "enum": accepted_spellings(),
            "description": "A theme of the library's vocabulary (GET /themes): its id, or any label, in any case.",
        }
    ),
]
Themes = Annotated[tuple[Theme, ...], Field(max_length=20), AfterValidator(_each_once)]


def one_line_text(min_length: int, max_length: int) -> Any:
    """Text read as one line (line breaks and runs of spaces become one space), trimmed, without control
    characters, of `min_length`..`max_length` characters."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, min_length=min_length, max_length=max_length),
        AfterValidator(no_control_characters),
        AfterValidator(_single_line),
        trimmed_text_schema(min_length, max_length),
    ]


def paragraphs(max_length: int) -> Any:
    """Text that keeps its line breaks, trimmed, without control characters, of at most `max_length`."""
    return Annotated[
        str,
        StringConstraints(strip_whitespace=True, max_length=max_length),
        AfterValidator(no_control_characters),
        trimmed_text_schema(0, max_length),
    ]


Title = one_line_text(3, 300)
Summary = paragraphs(5000)


def _upper(value: str) -> str:
    return value.upper()


# A catalogue reference as it is cited (rules.reference_of): CR-2016-0042, in any case on input.
Reference = Annotated[
    str,
    StringConstraints(strip_whitespace=True, pattern=r"^[Cc][Rr]-[0-9]{4}-[0-9]{4,6}$"),
    AfterValidator(_upper),
]
# A name on one line: a rights holder, a local authority, a child's pseudonym.
ShortName = one_line_text(1, 200)
# A command paper number ("Cmd 6636"), an ISBN, a DOI: as the publication prints it.
Identifier = one_line_text(2, 100)
# Key learning and recommendations, as the yearly lists give them: paragraphs.
LongText = paragraphs(10000)
# Who the library writes to about a board's copies (staff keep the list): each address once.
Contacts = Annotated[tuple[EmailAddress, ...], Field(max_length=20), AfterValidator(_each_once)]
# A name a board's reports may call it by (its area, its old LSCB name, its short name): one line of words.
BoardAlias = one_line_text(2, 300)
BoardAliases = Annotated[tuple[BoardAlias, ...], Field(max_length=50), AfterValidator(_each_once_ignoring_case)]
