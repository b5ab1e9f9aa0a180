"""Counts of the catalogue by year, nation, review type and theme, for the statistics page and route.

No count is by board: an anonymous record is counted in its year, nation, type and themes only, so
nothing here can tie it to the board that published it.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, model_validator

from case_reviews.domain.errors import InvalidRequest
from case_reviews.domain.fields import Theme
from case_reviews.domain.search import FacetCount, SearchQuery
from case_reviews.domain.vocabulary import Nation, ReviewType

# The dimensions counted, by the name the route and the page give them.
DIMENSIONS = ("year", "nation", "review_type", "theme")


class StatisticsQuery(BaseModel):
    """Which records to count: published from one year to another, of some nations, types and themes."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    from_year: int | None = None
    to_year: int | None = None
    nations: tuple[Nation, ...] = ()
    review_types: tuple[ReviewType, ...] = ()
    themes: tuple[Theme, ...] = ()

    @model_validator(mode="after")
    def _years_in_order(self) -> StatisticsQuery:
        if self.from_year is not None and self.to_year is not None and self.from_year > self.to_year:
            raise InvalidRequest(
                f"from_year ({self.from_year}) is after to_year ({self.to_year}).", location="query.from_year"
            )
        return self

    def as_search(self) -> SearchQuery:
        """The same records as a search's filters (a year is its whole period, as GET /reviews?year= has it)."""
        return SearchQuery(
            published_from=date(self.from_year, 1, 1) if self.from_year is not None else None,
            published_to=date(self.to_year, 12, 31) if self.to_year is not None else None,
            nations=self.nations,
            review_types=self.review_types,
            themes=self.themes,
            hits_only=True,
            page_size=1,
        )


class Statistics(BaseModel):
    """How many records match, and how many of them fall in each year, nation, review type and theme.

    Years run without gaps from the first to the last (or from `from_year` to `to_year` when given),
    zeros included, so a chart's bars are evenly spaced; the others list every value with a record, most first.
    """

    model_config = ConfigDict(defer_build=True, frozen=True)

    total: int
    by_year: tuple[FacetCount, ...]
    by_nation: tuple[FacetCount, ...]
    by_review_type: tuple[FacetCount, ...]
    by_theme: tuple[FacetCount, ...]


def years_without_gaps(counted: dict[int, int], from_year: int | None, to_year: int | None) -> tuple[FacetCount, ...]:
    """Every year from the first to the last (the bounds when given), with its count, zero when none."""
    if not counted and (from_year is None or to_year is None):
        return ()
    first = from_year if from_year is not None else min(counted)
    last = to_year if to_year is not None else max(counted)
    if counted:
        first, last = min(first, *counted), max(last, *counted)
    return tuple(
        FacetCount(value=str(year), count=counted.get(year, 0), label=str(year)) for year in range(first, last + 1)
    )
