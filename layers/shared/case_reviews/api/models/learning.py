"""Following the learning: records like one, the catalogue's statistics, and the alerts a reader asks for
(the weekly "New in the Library", or a saved search)."""

from __future__ import annotations

from typing import Literal

from pydantic import ConfigDict, Field, model_validator

from case_reviews.api.models.common import Wire
from case_reviews.api.models.records import FacetBucket, SearchItem, search_item
from case_reviews.domain.alerts import MAX_SEARCH_LENGTH, SAVED_SEARCH_PATTERN
from case_reviews.domain.fields import EmailAddress
from case_reviews.domain.search import FacetCount, SearchHit
from case_reviews.domain.statistics import Statistics


class SimilarView(Wire):
    reference: str
    items: list[SearchItem] = Field(description="Up to 10 records like it, most alike first (never itself).")


def similar_view(reference: str, hits: tuple[SearchHit, ...]) -> SimilarView:
    return SimilarView(reference=reference, items=[search_item(hit) for hit in hits])


class StatisticsView(Wire):
    total: int = Field(description="How many records match the filters.")
    by_year: list[FacetBucket] = Field(
        description="Records per publication year, every year from the first to the last (zeros included)."
    )
    by_nation: list[FacetBucket]
    by_review_type: list[FacetBucket]
    by_theme: list[FacetBucket] = Field(description="A record with several themes counts once under each.")


def statistics_view(statistics: Statistics) -> StatisticsView:
    def buckets(counts: tuple[FacetCount, ...]) -> list[FacetBucket]:
        return [FacetBucket(value=count.value, count=count.count, label=count.label) for count in counts]

    return StatisticsView(
        total=statistics.total,
        by_year=buckets(statistics.by_year),
        by_nation=buckets(statistics.by_nation),
        by_review_type=buckets(statistics.by_review_type),
        by_theme=buckets(statistics.by_theme),
    )


class AlertRequest(Wire):
    """`POST /alerts`: an address and what to send it, "New in the Library" or a saved search (one of them:
    the schema says so with oneOf, and neither may be null)."""

    model_config = ConfigDict(
        extra="forbid",
        defer_build=True,
        json_schema_extra={
            "oneOf": [{"required": ["digest"]}, {"required": ["search"]}],
            "examples": [
                {"email": "reader@example.org", "digest": True},
                {"email": "reader@example.org", "search": "q=neglect&theme=Neglect&nation=england"},
            ],
        },
    )

    email: EmailAddress
    # Optional but never null: given, it is true (the digest) or a search.
    digest: Literal[True] = Field(default=None, description='true: the weekly "New in the Library".')  # type: ignore[assignment]
    search: str = Field(  # type: ignore[assignment]
        default=None,
        min_length=1,
        max_length=MAX_SEARCH_LENGTH,
        pattern=SAVED_SEARCH_PATTERN,
        description=(
            "The query string of a /search page (the parameters of GET /reviews, each value checked as that "
            "route checks it): new records that match it, every day."
        ),
    )

    @model_validator(mode="after")
    def _one_kind(self) -> AlertRequest:
        if (self.digest is None) == (self.search is None):
            raise ValueError('give either "digest": true or a "search", not both')
        return self


class AlertAccepted(Wire):
    status: Literal["confirmation_sent"] = "confirmation_sent"
    detail: str
