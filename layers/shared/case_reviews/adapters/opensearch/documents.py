"""The index document of a catalogue record, and the search hit read back from one.

A document is the record's public view (`PublicRecord`) plus what search needs to find, filter and
sort it. An anonymous report's document holds neither the board's name nor its id, so no search
(by text, facet or filter) can tie it to the board.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict

from case_reviews.domain.dates import PublicationDate
from case_reviews.domain.records import CatalogueRecord, PublicRecord
from case_reviews.domain.review_types import label_of
from case_reviews.domain.search import AddedRecord, SearchHit
from case_reviews.domain.themes import theme_label
from case_reviews.domain.vocabulary import DatePrecision


class PublicationPeriod(BaseModel):
    """The days a publication date covers (a year-only date: the whole year), as an OpenSearch date_range."""

    gte: date
    lte: date


class ReviewDocument(PublicRecord):
    """One record in the index: its public view, its full text while the copy is held, and search keys."""

    # The first day of the publication period (its precision beside it), its last day, and the period
    # as a range: a filter keeps whatever the period intersects, and sorting is by the first day, the
    # more precise date (the earlier last day) first.
    publication_date: date  # type: ignore[assignment]
    publication_end: date
    publication_period: PublicationPeriod
    date_precision: DatePrecision
    publication_year: int
    # The words of the record's review type and themes ("Serious case review", "Neglect"): "SCR neglect"
    # finds a serious case review themed neglect, whatever its text says.
    subject_terms: tuple[str, ...] = ()
    body: str | None = None
    board_id: str | None = None
    has_copy: bool
    # When a deposit was catalogued (published): the feed of new records and the daily alerts read it.
    # None for a historic import, which is not a new report.
    added_at: datetime | None = None
    record_version: int


def document_from_record(record: CatalogueRecord, body: str | None) -> ReviewDocument:
    public = record.public()
    published = record.publication_date
    return ReviewDocument.model_validate(
        {
            **dict(public),
            "publication_date": published.value,
            "publication_end": published.last_day(),
            "publication_period": PublicationPeriod(gte=published.value, lte=published.last_day()),
            "date_precision": published.precision,
            "publication_year": published.value.year,
            "subject_terms": (label_of(record.review_type), *(theme_label(theme) for theme in record.themes)),
            "body": body if record.has_copy else None,
            "board_id": None if record.anonymous else record.board_id,
            "has_copy": record.has_copy,
            "added_at": record.created_at if record.submission_id else None,
            "record_version": record.version,
        }
    )


class _IndexedVersion(BaseModel):
    model_config = ConfigDict(extra="ignore")

    record_version: int


def indexed_version(source: dict[str, Any]) -> int:
    return _IndexedVersion.model_validate(source).record_version


def hit_from_source(source: dict[str, Any], highlights: list[str]) -> SearchHit:
    """A search hit from a document's source: its public view, with the publication date as it is known."""
    published = PublicationDate(
        value=date.fromisoformat(source["publication_date"]), precision=source["date_precision"]
    )
    public = {name: source[name] for name in PublicRecord.model_fields if name in source}
    return SearchHit.model_validate({**public, "publication_date": published, "highlights": tuple(highlights)})


def added_from_source(source: dict[str, Any]) -> AddedRecord:
    """A deposit of the feed: its search hit and when it was added."""
    return AddedRecord(hit=hit_from_source(source, []), added_at=datetime.fromisoformat(source["added_at"]))
