"""What a search asks for and what it finds, independent of the search engine."""

from __future__ import annotations

import re
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, WithJsonSchema

from case_reviews.domain.dates import PublicationDate
from case_reviews.domain.fields import Theme
from case_reviews.domain.records import PublicRecord
from case_reviews.domain.vocabulary import (
    AgeBand,
    DocumentType,
    Language,
    Nation,
    Outcome,
    Region,
    ReviewModel,
    ReviewType,
    label,
)

MAX_SEARCH_TEXT_LENGTH = 500
# A search's words are bounded, so that no single request is costly to run: at most this many terms,
# and a prefix (`negl*`) of at least this many characters (a shorter one expands to most of the index).
MAX_SEARCH_TERMS = 30
MIN_PREFIX_LENGTH = 3
# What separates terms: every kind of whitespace (more kinds than OpenSearch's parser splits on, so a
# term is never counted longer than it is searched) and the query syntax's operators. Written out
# rather than as \s, so that the pattern means the same in every regular expression engine (the
# OpenAPI document states it, and clients check against it in their own).
_SEPARATOR = (
    "[ \\t\\n\\x0b\\x0c\\r\\x1c-\\x1f\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029"
    '\\u202f\\u205f\\u3000\\ufeff|+\\-()"~]'
)
_TERM_CHARACTER = "[^" + _SEPARATOR[1:-1] + "*]"
_TERM = f"(?:{_TERM_CHARACTER}{{{MIN_PREFIX_LENGTH},}}\\*|{_TERM_CHARACTER}+)"
SEARCH_TEXT_PATTERN = f"^{_SEPARATOR}*(?:{_TERM}(?:{_SEPARATOR}+{_TERM}){{0,{MAX_SEARCH_TERMS - 1}}})?{_SEPARATOR}*$"
_SEARCH_TEXT = re.compile(SEARCH_TEXT_PATTERN)
_PREFIX = re.compile(f"{_TERM_CHARACTER}{{{MIN_PREFIX_LENGTH},}}\\*")


def check_search_text(text: str) -> str:
    """The words of a search, within the limits (ValueError saying which one it breaks)."""
    terms = [term for term in re.split(f"{_SEPARATOR}+", text) if term]
    if len(terms) > MAX_SEARCH_TERMS:
        raise ValueError(f"search for at most {MAX_SEARCH_TERMS} words at once; this has {len(terms)}")
    for term in terms:
        if "*" in term and not _PREFIX.fullmatch(term):
            raise ValueError(
                f"'{term}': a prefix search needs at least {MIN_PREFIX_LENGTH} characters before the *, "
                "which ends the word (for example negl*)"
            )
    if not _SEARCH_TEXT.fullmatch(text):  # the same rules, as the pattern the OpenAPI document states
        raise ValueError("the search words are not within the limits")
    return text


# The words of a search (`q`), as the query syntax writes them, within the limits above.
SearchText = Annotated[
    str,
    AfterValidator(check_search_text),
    WithJsonSchema(
        {
            "type": "string",
            "maxLength": MAX_SEARCH_TEXT_LENGTH,
            "pattern": SEARCH_TEXT_PATTERN,
            "description": (
                f"Words from the text or the metadata: at most {MAX_SEARCH_TERMS} of them; a * ends a word of "
                f"at least {MIN_PREFIX_LENGTH} characters to find the words it starts (negl*)."
            ),
        }
    ),
]


class SortOrder(StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    OLDEST = "oldest"


class SearchQuery(BaseModel):
    model_config = ConfigDict(defer_build=True, frozen=True)

    text: SearchText | None = None
    published_from: date | None = None
    published_to: date | None = None
    nations: tuple[Nation, ...] = ()
    review_types: tuple[ReviewType, ...] = ()
    document_types: tuple[DocumentType, ...] = ()
    themes: tuple[Theme, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    age_bands: tuple[AgeBand, ...] = ()
    review_models: tuple[ReviewModel, ...] = ()
    regions: tuple[Region, ...] = ()
    languages: tuple[Language, ...] = ()
    board: str | None = None
    has_copy: bool | None = None
    sort: SortOrder = SortOrder.RELEVANCE
    page_size: int = Field(default=20, ge=1, le=100)
    # Opaque position after the last hit of the previous page (the engine's sort values).
    search_after: tuple[Any, ...] | None = None
    # Only deposits catalogued in [added_from, added_before): the daily saved-search alerts. Not a public parameter.
    added_from: datetime | None = None
    added_before: datetime | None = None
    # Only the hits, without facets or highlights: an export or an alert pages through them.
    hits_only: bool = False

    @property
    def empty_period(self) -> bool:
        """Published from a day after the one it is published to (a year outside from/to): nothing matches."""
        return bool(self.published_from and self.published_to and self.published_from > self.published_to)

    def criteria(self) -> dict[str, Any]:
        """What the search asks for (its words and filters), whatever its order, page or paging."""
        return self.model_dump(mode="json", exclude={"sort", "page_size", "search_after", "hits_only"})


class SearchHit(PublicRecord):
    """A record found by a search: what the public may know of it, and where the words were found."""

    highlights: tuple[str, ...] = ()


_COPY_LABELS = {"true": "With an electronic copy", "false": "Catalogue record only"}
# The facets whose values are one of the domain's vocabularies, read by `label`.
_VOCABULARY_FACETS = {
    "nation": Nation,
    "document_type": DocumentType,
    "outcome": Outcome,
    "age_band": AgeBand,
    "review_model": ReviewModel,
    "region": Region,
    "language": Language,
}


def facet_label(facet: str, value: str) -> str:
    """The words for a facet's value: a review type's, a theme's or a vocabulary value's; else the value."""
    from case_reviews.domain.review_types import label_of
    from case_reviews.domain.themes import theme_label

    if facet == "review_type":
        return label_of(value)
    if facet == "theme":
        return theme_label(value)
    if facet == "has_copy":
        return _COPY_LABELS.get(value, value)
    vocabulary = _VOCABULARY_FACETS.get(facet)
    if vocabulary is not None and value in vocabulary._value2member_map_:
        return label(vocabulary(value))
    return value


class FacetCount(BaseModel):
    model_config = ConfigDict(defer_build=True, frozen=True)

    value: str
    count: int
    # How the value reads to people (`facet_label`).
    label: str


class AddedRecord(BaseModel):
    """A deposit as the feed of new records lists it: its public view and when it was added."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    hit: SearchHit
    added_at: datetime


class SearchPage(BaseModel):
    model_config = ConfigDict(defer_build=True, frozen=True)

    total: int
    hits: tuple[SearchHit, ...]
    facets: dict[str, tuple[FacetCount, ...]]
    next_search_after: tuple[Any, ...] | None = None


class YearListing(BaseModel):
    """Everything published in one year, in date order, with how many of each review type."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    year: int
    total: int
    hits: tuple[SearchHit, ...]
    totals_by_review_type: dict[str, int]


def published_between(
    year: int | None, published_from: str | None, published_to: str | None
) -> tuple[date | None, date | None]:
    """The days a search's `year`, `from` and `to` bound publication to, combined by intersection; each
    of `from` and `to` a year, a month or a day (the period's first day, the period's last).
    ValueError when `from` comes after `to`."""
    first = PublicationDate.parse(published_from).value if published_from else None
    last = PublicationDate.parse(published_to).last_day() if published_to else None
    if first and last and first > last:
        raise ValueError(f"'from' ({published_from}) is after 'to' ({published_to})")
    if year is not None:
        whole_year = PublicationDate.parse(f"{year:04d}")
        first = max(filter(None, [first, whole_year.value]))
        last = min(filter(None, [last, whole_year.last_day()]))
    return first, last
