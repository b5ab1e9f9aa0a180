"""The index document of a catalogue record, and the search hit read back from one.

A document is the record's public view (`PublicRecord`) plus what search needs to find, filter and
sort it. An anonymous report's document holds neither the board's name nor its id, so no search
(by text, facet or filter) can tie it to the board.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict

from case_reviews.domain.models import CatalogueRecord, PublicationDate, PublicRecord
from case_reviews.domain.search import SearchHit
from case_reviews.domain.vocabulary import DatePrecision


class ReviewDocument(PublicRecord):
    """One record in the index: its public view, its full text while the copy is held, and search keys."""

    # The first day of the publication period, for range filters and sorting (its precision beside it).
    publication_date: date  # type: ignore[assignment]
    date_precision: DatePrecision
    publication_year: int
    body: str | None = None
    board_id: str | None = None
    has_copy: bool
    record_version: int


def document_from_record(record: CatalogueRecord, body: str | None) -> ReviewDocument:
    public = record.public()
    return ReviewDocument.model_validate(
        {
            **dict(public),
            "publication_date": record.publication_date.value,
            "date_precision": record.publication_date.precision,
            "publication_year": record.publication_date.value.year,
            "body": body if record.has_copy else None,
            "board_id": None if record.anonymous else record.board_id,
            "has_copy": record.has_copy,
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
