"""The controlled vocabularies of the catalogue."""

from __future__ import annotations

from enum import StrEnum


class Nation(StrEnum):
    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"


class ReviewType(StrEnum):
    SERIOUS_CASE_REVIEW = "serious_case_review"
    CHILD_SAFEGUARDING_PRACTICE_REVIEW = "child_safeguarding_practice_review"
    CHILD_PRACTICE_REVIEW = "child_practice_review"
    SIGNIFICANT_CASE_REVIEW = "significant_case_review"
    LEARNING_REVIEW = "learning_review"
    CASE_MANAGEMENT_REVIEW = "case_management_review"
    OTHER = "other"


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
