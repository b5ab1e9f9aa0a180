"""Small builders of domain objects for unit tests: a valid default, changed only where a test says so."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from case_reviews.domain.dates import PublicationDate
from case_reviews.domain.records import CatalogueRecord, ElectronicCopy, PublicCopy
from case_reviews.domain.search import SearchHit
from case_reviews.domain.vocabulary import CopyStatus, DocumentType, Nation, ReviewType

BOARD_ID = "northshire-scp-1a2b3c"
BOARD_NAME = "Northshire Safeguarding Children Partnership"
CREATED = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)


def metadata_fields(**changes: Any) -> dict[str, Any]:
    """The fields a board declares for a report (valid as they are)."""
    return {
        "title": "Serious Case Review: Child K — Overview Report",
        "nation": "england",
        "review_type": "serious_case_review",
        "document_type": "overview_report",
        "publication_date": "2016-03-14",
        "contact_email": "business.manager@board.example",
        **changes,
    }


def available_copy(**changes: Any) -> ElectronicCopy:
    fields: dict[str, Any] = {
        "status": CopyStatus.AVAILABLE,
        "object_key": "reports/CR-2016-0001.pdf",
        "text_key": "text/CR-2016-0001.txt",
        "sha256": "0" * 64,
        "size_bytes": 48213,
        "page_count": 12,
        "available_until": date(2031, 11, 26),
    }
    return ElectronicCopy(**{**fields, **changes})


def removed_copy(**changes: Any) -> ElectronicCopy:
    fields: dict[str, Any] = {
        "status": CopyStatus.REMOVED,
        "object_key": None,
        "text_key": None,
        "removed_on": date(2031, 11, 27),
        "removal_reason": "Five years after deposit",
    }
    return available_copy(**{**fields, **changes})


def a_record(**changes: Any) -> CatalogueRecord:
    fields: dict[str, Any] = {
        "reference": "CR-2016-0001",
        "title": "Serious Case Review: Child K — Overview Report",
        "nation": Nation.ENGLAND,
        "review_type": ReviewType.SERIOUS_CASE_REVIEW,
        "document_type": DocumentType.OVERVIEW_REPORT,
        "publication_date": PublicationDate(value=date(2016, 3, 14)),
        "board_id": BOARD_ID,
        "board_name": BOARD_NAME,
        "commissioned_date": date(2014, 9, 1),
        "themes": ("neglect",),
        "summary": "Learning about neglect and multi-agency working.",
        "submission_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
        "deposited_on": date(2026, 11, 26),
        "electronic_copy": available_copy(),
        "created_at": CREATED,
        "updated_at": CREATED,
    }
    return CatalogueRecord(**{**fields, **changes})


def a_hit(**changes: Any) -> SearchHit:
    fields: dict[str, Any] = {
        "reference": "CR-2016-0001",
        "title": "Serious Case Review: Child K — Overview Report",
        "publisher": BOARD_NAME,
        "publication_date": "2016-03-14",
        "nation": Nation.ENGLAND,
        "review_type": ReviewType.SERIOUS_CASE_REVIEW,
        "document_type": DocumentType.OVERVIEW_REPORT,
        "themes": ("neglect",),
        "summary": "Learning about neglect.",
        "electronic_copy": PublicCopy(status=CopyStatus.AVAILABLE, available_until=date(2031, 11, 26)),
        "highlights": ("children were <mark>neglected</mark>",),
    }
    return SearchHit(**{**fields, **changes})
