"""The controlled vocabularies of the catalogue."""

from __future__ import annotations

from enum import StrEnum
from typing import Any


class Nation(StrEnum):
    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"


class ReviewType(StrEnum):
    """The kinds of review (and report) the catalogue holds; `review_types` says which nation has which, since when."""

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> dict[str, Any]:
        # The OpenAPI document names each value's label, as the library's lists do.
        from case_reviews.domain.review_types import REVIEW_TYPES

        schema: dict[str, Any] = handler(core_schema)
        schema["description"] = "; ".join(
            f"{rule.review_type.value}: {rule.label} ({', '.join(sorted(rule.nations))}"
            + (f", from {rule.since.isoformat()}" if rule.since else "")
            + ")"
            for rule in REVIEW_TYPES
        )
        return schema

    SERIOUS_CASE_REVIEW = "serious_case_review"
    LOCAL_CHILD_SAFEGUARDING_PRACTICE_REVIEW = "local_child_safeguarding_practice_review"
    RAPID_REVIEW = "rapid_review"
    NATIONAL_CHILD_SAFEGUARDING_PRACTICE_REVIEW = "national_child_safeguarding_practice_review"
    CHILD_PRACTICE_REVIEW = "child_practice_review"
    SINGLE_UNIFIED_SAFEGUARDING_REVIEW = "single_unified_safeguarding_review"
    SIGNIFICANT_CASE_REVIEW = "significant_case_review"
    LEARNING_REVIEW = "learning_review"
    CASE_MANAGEMENT_REVIEW = "case_management_review"
    INQUIRY_REPORT = "inquiry_report"
    OTHER = "other"


class ReviewForm(StrEnum):
    """The two forms of a Welsh child practice review."""

    CONCISE = "concise"
    EXTENDED = "extended"


class DocumentType(StrEnum):
    OVERVIEW_REPORT = "overview_report"
    EXECUTIVE_SUMMARY = "executive_summary"
    LEARNING_SUMMARY = "learning_summary"
    OTHER = "other"


class SubmissionStatus(StrEnum):
    AWAITING_UPLOAD = "awaiting_upload"
    PROCESSING = "processing"
    CATALOGUED = "catalogued"
    REJECTED = "rejected"
    DUPLICATE = "duplicate"

    @property
    def is_final(self) -> bool:
        return self in {SubmissionStatus.CATALOGUED, SubmissionStatus.REJECTED, SubmissionStatus.DUPLICATE}


class CopyStatus(StrEnum):
    AVAILABLE = "available"
    REMOVED = "removed"


class DatePrecision(StrEnum):
    """How much of a publication date is known: historic records often give only a year or a month."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"
