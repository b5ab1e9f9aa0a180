"""What a search asks for and what it finds, independent of the search engine."""

from __future__ import annotations

from datetime import date, datetime
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
    # Only deposits catalogued in [added_from, added_before): the daily saved-search alerts. Not a public parameter.
    added_from: datetime | None = None
    added_before: datetime | None = None
    # Only the hits, without facets or highlights: an export or an alert pages through them.
    hits_only: bool = False

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
    model_config = ConfigDict(frozen=True)

    value: str
    count: int
    # How the value reads to people (`facet_label`).
    label: str


class AddedRecord(BaseModel):
    """A deposit as the feed of new records lists it: its public view and when it was added."""

    model_config = ConfigDict(frozen=True)

    hit: SearchHit
    added_at: datetime


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
