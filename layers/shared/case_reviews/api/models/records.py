"""How the public API shows records: a search's hits and facets, a year's list, one record with its
rights and citation, and the theme vocabulary. Each view is built on the domain's `PublicRecord`."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import ConfigDict, Field

from case_reviews.api.models.common import Wire
from case_reviews.api.models.cursors import encode_cursor
from case_reviews.domain.exports import citation, record_link
from case_reviews.domain.records import ANONYMOUS_PUBLISHER, CatalogueRecord, PublicCopy, PublicRecord, rights_statement
from case_reviews.domain.review_types import label_of
from case_reviews.domain.search import SearchHit, SearchPage, SearchQuery, YearListing
from case_reviews.domain.themes import vocabulary
from case_reviews.domain.vocabulary import CopyStatus, ReviewType


class CopyAvailable(Wire):
    status: Literal[CopyStatus.AVAILABLE] = CopyStatus.AVAILABLE
    available_until: date | None = None
    download: str | None = Field(default=None, description="Follow this link for a short-lived link to the PDF.")


class CopyRemovedView(Wire):
    status: Literal[CopyStatus.REMOVED] = CopyStatus.REMOVED
    removed_on: date | None = None
    reason: str | None = None


class ReviewView(PublicRecord):
    """A record as the public API shows it: its public view, the date as it is known, labels, links."""

    model_config = ConfigDict(defer_build=True)

    publication_date: str = Field(  # type: ignore[assignment]
        description="As it is known: a year (1973), a month (1973-05) or a day (1973-05-14)."
    )
    publication_date_label: str = Field(description='In words: "14 May 1973", "1973, month unknown".')
    publication_date_approximate: bool = Field(
        description="Known only to the year or the month: a date filter includes it when its period meets the bounds."
    )
    review_type_label: str = Field(description="The review type as the library's lists name it.")
    electronic_copy: CopyAvailable | CopyRemovedView | None = None  # type: ignore[assignment]
    url: str


class SearchItem(ReviewView):
    highlights: list[str]


class FacetBucket(Wire):
    value: str
    count: int
    label: str


class SearchResponse(Wire):
    total: int
    items: list[SearchItem]
    facets: dict[str, list[FacetBucket]]
    next_cursor: str | None = None


class Rights(Wire):
    copyright_holder: str
    statement: str


class RecordView(ReviewView):
    rights: Rights
    citation: str = Field(
        description="The record cited: publisher (or Anonymous), year, title, review type, reference, permanent link."
    )


class YearView(Wire):
    year: int
    total: int
    totals: dict[ReviewType, int] = Field(description="How many of the year's records are of each review type.")
    items: list[SearchItem] = Field(
        description="In publication order: a date known only to its month ends that month, "
        "one known only to its year ends the year."
    )


def copy_view(reference: str, copy: PublicCopy | None) -> CopyAvailable | CopyRemovedView | None:
    """The copy as the public sees it: until when it is available (and where), or when it went and why."""
    if copy is None:
        return None
    if copy.status is CopyStatus.AVAILABLE:
        return CopyAvailable(available_until=copy.available_until, download=f"/reviews/{reference}/download")
    return CopyRemovedView(removed_on=copy.removed_on, reason=copy.removal_reason)


def _view_fields(public: PublicRecord) -> dict[str, Any]:
    """A public record's fields as every view has them: the same for a search hit and a record."""
    return {
        **dict(public),
        "publication_date": str(public.publication_date),
        "publication_date_label": public.publication_date.label(),
        "publication_date_approximate": public.publication_date.approximate,
        "review_type_label": label_of(public.review_type),
        "electronic_copy": copy_view(public.reference, public.electronic_copy),
        "url": f"/reviews/{public.reference}",
    }


def search_item(hit: SearchHit) -> SearchItem:
    fields = {name: value for name, value in _view_fields(hit).items() if name in SearchItem.model_fields}
    return SearchItem.model_validate({**fields, "highlights": list(hit.highlights)})


def search_response(page: SearchPage, query: SearchQuery) -> SearchResponse:
    return SearchResponse(
        total=page.total,
        items=[search_item(hit) for hit in page.hits],
        facets={
            name: [FacetBucket(value=b.value, count=b.count, label=b.label) for b in buckets]
            for name, buckets in page.facets.items()
        },
        next_cursor=encode_cursor(page.next_search_after, query) if page.next_search_after else None,
    )


def year_view(listing: YearListing) -> YearView:
    return YearView(
        year=listing.year,
        total=listing.total,
        totals={ReviewType(name): count for name, count in listing.totals_by_review_type.items()},
        items=[search_item(hit) for hit in listing.hits],
    )


def rights(record: PublicRecord) -> Rights:
    """Who holds the copyright, and the statement the public reads (`rights_statement`)."""
    return Rights(copyright_holder=record.rights_holder or ANONYMOUS_PUBLISHER, statement=rights_statement(record))


def record_view(record: CatalogueRecord, public_base_url: str) -> RecordView:
    public = record.public()
    cited = citation(public, record_link(public_base_url, public.reference))
    return RecordView.model_validate({**_view_fields(public), "rights": rights(public), "citation": cited})


class ThemeView(Wire):
    id: str = Field(description="What records hold, and the facet's value.")
    label: str = Field(description="The preferred label, as people read it.")
    alternative_labels: list[str] = Field(description="Other words for it (abbreviations included), also accepted.")


class ThemeList(Wire):
    items: list[ThemeView]


def theme_list() -> ThemeList:
    """The vocabulary in the thesaurus's order."""
    return ThemeList(
        items=[
            ThemeView(id=concept.id, label=concept.label, alternative_labels=list(concept.alternatives))
            for concept in vocabulary()
        ]
    )
