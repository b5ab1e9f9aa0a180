"""The public HTTP API's request and response models, and their mapping to and from the domain.

These are the wire shapes of docs/interface.md; the domain models never go on the wire directly, but
each view is built on the domain's `PublicRecord` (its fields are never written again here).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StringConstraints,
    ValidationError,
    WithJsonSchema,
    model_validator,
)

from case_reviews.domain.alerts import MAX_SEARCH_LENGTH, SAVED_SEARCH_PATTERN
from case_reviews.domain.date_patterns import day_pattern, partial_date_pattern
from case_reviews.domain.errors import InvalidRequest
from case_reviews.domain.exports import citation, record_link
from case_reviews.domain.files import PresignedUpload
from case_reviews.domain.models import (
    ANONYMOUS_PUBLISHER,
    CatalogueRecord,
    EmailAddress,
    PublicationDate,
    PublicCopy,
    PublicRecord,
    ReportMetadata,
    Submission,
    Theme,
    rights_statement,
)
from case_reviews.domain.review_types import label_of
from case_reviews.domain.rules import EARLIEST_PUBLICATION, LATEST_YEAR
from case_reviews.domain.search import FacetCount, SearchHit, SearchPage, SearchQuery, SortOrder, YearListing
from case_reviews.domain.statistics import Statistics
from case_reviews.domain.themes import vocabulary
from case_reviews.domain.vocabulary import CopyStatus, ReviewType, SubmissionStatus
from case_reviews.services.submissions import BoardDeposits


class _Wire(BaseModel):
    """A wire model: its validator is built when first used, so a cold start builds only what its
    first request needs (a search never builds the deposit models)."""

    model_config = ConfigDict(defer_build=True)


# ---------------------------------------------------------------- shared types


def _partial_date(text: str) -> str:
    published = PublicationDate.parse(text)  # raises ValueError with the reason, which becomes a 400
    if not EARLIEST_PUBLICATION.year <= published.value.year <= LATEST_YEAR:
        raise ValueError(f"{text!r} is outside the catalogue's years, {EARLIEST_PUBLICATION.year} to {LATEST_YEAR}")
    return text


PartialDate = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?$"),
    AfterValidator(_partial_date),
    # The document states exactly what is accepted: the catalogue's years, real months and days.
    WithJsonSchema({"type": "string", "pattern": partial_date_pattern(EARLIEST_PUBLICATION.year, LATEST_YEAR)}),
]
"""A year (1973), a month (1973-05) or a day (1973-05-14), from 1900 to 2100."""


def _iso_day(value: Any) -> Any:
    # JSON has no date type: only the ISO form is a date here (pydantic alone would read "2016" as a timestamp).
    if isinstance(value, str) and re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
        return value
    raise ValueError("must be a day written YYYY-MM-DD")


LAST_DAY = date(LATEST_YEAR, 12, 31)
Day = Annotated[
    date,
    BeforeValidator(_iso_day),
    Field(ge=EARLIEST_PUBLICATION),
    # A pattern, as JSON Schema cannot bound a date: real days from 1900 (the document served narrows
    # the deposit's days to the last one a report may be published on, api/openapi.py).
    WithJsonSchema({"type": "string", "format": "date", "pattern": day_pattern(EARLIEST_PUBLICATION, LAST_DAY)}),
]
"""A calendar day in ISO form (2016-03-14), no earlier than the catalogue's first possible year."""

# ---------------------------------------------------------------- board API


class SubmissionRequest(ReportMetadata):
    """The metadata a board sends with `POST /submissions`. The board itself comes from the credential.

    What a board declares (`ReportMetadata`), read strictly as JSON: days only in ISO form, a real boolean.
    """

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        defer_build=True,
        json_schema_extra={
            "examples": [
                {
                    "title": "Serious Case Review: Child K — Overview Report",
                    "nation": "england",
                    "review_type": "serious_case_review",
                    "document_type": "overview_report",
                    "publication_date": "2016-03-14",
                    "contact_email": "business.manager@board.example",
                    "anonymous": False,
                    "commissioned_date": "2014-09-01",
                    "themes": ["neglect"],
                    "summary": "Learning about neglect and multi-agency working.",
                }
            ]
        },
    )

    publication_date: Annotated[Day, Field(description="The day the board published it; not in the future.")]  # type: ignore[assignment]
    commissioned_date: Annotated[Day | None, Field(description="On or before publication_date.")] = None
    anonymous: Annotated[
        StrictBool, Field(description="Publish on the board's behalf without naming the board anywhere public.")
    ] = False
    themes: list[Theme] = Field(default_factory=list, max_length=20)  # type: ignore[assignment]

    def to_metadata(self) -> ReportMetadata:
        return ReportMetadata.model_validate(dict(self))


class UploadInstructions(_Wire):
    url: str = Field(description="POST the form fields, then the file as the last field named `file`, here.")
    fields: dict[str, str]
    expires_at: datetime
    max_bytes: int


class SubmissionCreated(_Wire):
    submission_id: str
    status: SubmissionStatus
    upload: UploadInstructions


class SubmissionView(_Wire):
    submission_id: str
    status: SubmissionStatus
    title: str
    reference: str | None = None
    reason: str | None = None
    created_at: datetime
    updated_at: datetime


def submission_created(submission: Submission, upload: PresignedUpload) -> SubmissionCreated:
    return SubmissionCreated(
        submission_id=submission.submission_id,
        status=submission.status,
        upload=UploadInstructions(
            url=upload.url, fields=upload.fields, expires_at=upload.expires_at, max_bytes=upload.max_bytes
        ),
    )


class DepositItem(SubmissionView):
    available_until: date | None = Field(
        default=None, description="The last day the electronic copy is available, once catalogued."
    )


class DepositList(_Wire):
    items: list[DepositItem]
    next_cursor: str | None = None


def submission_view(submission: Submission) -> SubmissionView:
    shared = submission.model_dump(include=set(SubmissionView.model_fields))
    return SubmissionView.model_validate({**shared, "title": submission.metadata.title})


def deposit_list(deposits: BoardDeposits) -> DepositList:
    return DepositList(
        items=[
            DepositItem.model_validate(
                {
                    **submission_view(submission).model_dump(),
                    "available_until": deposits.available_until.get(submission.reference or ""),
                }
            )
            for submission in deposits.submissions
        ],
        next_cursor=_opaque(deposits.next_after) if deposits.next_after else None,
    )


class _DepositCursor(_Wire):
    model_config = ConfigDict(extra="forbid")

    position: dict[str, Annotated[str, StringConstraints(max_length=300)]] = Field(max_length=4)


def _opaque(position: dict[str, str]) -> str:
    return _packed(_DepositCursor(position=position))


def deposit_position(cursor: str) -> dict[str, str]:
    """Where a page of deposits starts, from the cursor the previous page gave."""
    return _unpacked(cursor, _DepositCursor).position


def _packed(cursor: BaseModel) -> str:
    """A cursor as the API hands it out: its JSON, base64url without padding."""
    return base64.urlsafe_b64encode(cursor.model_dump_json().encode()).decode().rstrip("=")


def _unpacked[Cursor: BaseModel](cursor: str, model: type[Cursor]) -> Cursor:
    """A cursor the API handed out, read back; anything else is a 400 on `query.cursor`."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        return model.model_validate(json.loads(raw))
    except (binascii.Error, ValueError, ValidationError, UnicodeDecodeError) as error:
        raise BadCursor("The cursor is not one this API issued.") from error


# ---------------------------------------------------------------- public search API


class CopyAvailable(_Wire):
    status: Literal[CopyStatus.AVAILABLE] = CopyStatus.AVAILABLE
    available_until: date | None = None
    download: str | None = Field(default=None, description="Follow this link for a short-lived link to the PDF.")


class CopyRemovedView(_Wire):
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


class FacetBucket(_Wire):
    value: str
    count: int
    label: str


class SearchResponse(_Wire):
    total: int
    items: list[SearchItem]
    facets: dict[str, list[FacetBucket]]
    next_cursor: str | None = None


class Rights(_Wire):
    copyright_holder: str
    statement: str


class RecordView(ReviewView):
    rights: Rights
    citation: str = Field(
        description="The record cited: publisher (or Anonymous), year, title, review type, reference, permanent link."
    )


class YearView(_Wire):
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


class ThemeView(_Wire):
    id: str = Field(description="What records hold, and the facet's value.")
    label: str = Field(description="The preferred label, as people read it.")
    alternative_labels: list[str] = Field(description="Other words for it (abbreviations included), also accepted.")


class ThemeList(_Wire):
    items: list[ThemeView]


def theme_list() -> ThemeList:
    """The vocabulary in the thesaurus's order."""
    return ThemeList(
        items=[
            ThemeView(id=concept.id, label=concept.label, alternative_labels=list(concept.alternatives))
            for concept in vocabulary()
        ]
    )


# ---------------------------------------------------------------- following the learning


class SimilarView(_Wire):
    reference: str
    items: list[SearchItem] = Field(description="Up to 10 records like it, most alike first (never itself).")


def similar_view(reference: str, hits: tuple[SearchHit, ...]) -> SimilarView:
    return SimilarView(reference=reference, items=[search_item(hit) for hit in hits])


class StatisticsView(_Wire):
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


class AlertRequest(_Wire):
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


class AlertAccepted(_Wire):
    status: Literal["confirmation_sent"] = "confirmation_sent"
    detail: str


# ---------------------------------------------------------------- paging cursor


class _Cursor(_Wire):
    model_config = ConfigDict(extra="forbid")

    after: list[str | int | float] = Field(min_length=1, max_length=4)
    sort: SortOrder
    # Which search the position belongs to: a position only means something within the same search.
    search: str = Field(pattern=r"^[0-9a-f]{16}$")


class BadCursor(InvalidRequest):
    def __init__(self, message: str) -> None:
        super().__init__(message, location="query.cursor")


def search_fingerprint(query: SearchQuery) -> str:
    """Identifies a search (its words, filters and order), whatever page of it is asked for."""
    shape = query.model_dump(mode="json", exclude={"search_after", "page_size"})
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:16]


def encode_cursor(search_after: tuple[Any, ...], query: SearchQuery) -> str:
    return _packed(_Cursor(after=list(search_after), sort=query.sort, search=search_fingerprint(query)))


def decode_cursor(cursor: str, query: SearchQuery) -> tuple[Any, ...]:
    """The position a cursor encodes; it is only valid for the search that made it."""
    decoded = _unpacked(cursor, _Cursor)
    if decoded.sort is not query.sort:
        raise BadCursor("The cursor was made for another sort order; start again without it.")
    if decoded.search != search_fingerprint(query):
        raise BadCursor("The cursor was made for another search (other words or filters); start again without it.")
    return tuple(decoded.after)


# ---------------------------------------------------------------- problems (RFC 9457)


class Problem(_Wire):
    type: str = "about:blank"
    title: str
    status: int
    detail: str
    errors: list[dict[str, Any]] | None = None
