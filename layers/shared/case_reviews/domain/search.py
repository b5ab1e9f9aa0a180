"""What a search asks for and what it finds, independent of the search engine."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from case_reviews.domain.fields import Theme
from case_reviews.domain.models import PublicRecord
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


class SortOrder(StrEnum):
    RELEVANCE = "relevance"
    NEWEST = "newest"
    OLDEST = "oldest"


class SearchQuery(BaseModel):
    model_config = ConfigDict(frozen=True)

    text: str | None = None
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
    model_config = ConfigDict(frozen=True)

    value: str
    count: int
    # How the value reads to people (`facet_label`).
    label: str


class SearchPage(BaseModel):
    model_config = ConfigDict(frozen=True)

    total: int
    hits: tuple[SearchHit, ...]
    facets: dict[str, tuple[FacetCount, ...]]
    next_search_after: tuple[Any, ...] | None = None


class YearListing(BaseModel):
    """Everything published in one year, in date order, with how many of each review type."""

    model_config = ConfigDict(frozen=True)

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
    from case_reviews.domain.models import PublicationDate

    first = PublicationDate.parse(published_from).value if published_from else None
    last = PublicationDate.parse(published_to).last_day() if published_to else None
    if first and last and first > last:
        raise ValueError(f"'from' ({published_from}) is after 'to' ({published_to})")
    if year is not None:
        whole_year = PublicationDate.parse(f"{year:04d}")
        first = max(filter(None, [first, whole_year.value]))
        last = min(filter(None, [last, whole_year.last_day()]))
    return first, last
