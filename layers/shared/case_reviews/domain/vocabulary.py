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
    # Held for the library's check before publication (domain/review.py): staff approve or reject it.
    IN_REVIEW = "in_review"

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


class Language(StrEnum):
    """The language a report is written in: a Welsh record is labelled as such."""

    ENGLISH = "en"
    WELSH = "cy"
    BILINGUAL = "bilingual"


class AgeBand(StrEnum):
    """The child's age when the events under review happened, as the library's lists band it."""

    UNBORN = "unborn"
    UNDER_1 = "under_1"
    AGED_1_TO_4 = "1_to_4"
    AGED_5_TO_9 = "5_to_9"
    AGED_10_TO_14 = "10_to_14"
    AGED_15_TO_17 = "15_to_17"
    AGED_18_AND_OVER = "18_and_over"


class Outcome(StrEnum):
    """What happened to the child: why the review was held."""

    DEATH = "death"
    SERIOUS_HARM = "serious_harm"
    OTHER = "other"


class ReviewModel(StrEnum):
    """The method the reviewers followed."""

    SILP = "silp"
    LEARNING_TOGETHER = "learning_together"
    SCIE_SYSTEMS = "scie_systems"
    OTHER = "other"


class Region(StrEnum):
    """The nine regions of England, and the other three nations, as the library's lists group boards."""

    NORTH_EAST = "north_east"
    NORTH_WEST = "north_west"
    YORKSHIRE_AND_THE_HUMBER = "yorkshire_and_the_humber"
    EAST_MIDLANDS = "east_midlands"
    WEST_MIDLANDS = "west_midlands"
    EAST_OF_ENGLAND = "east_of_england"
    LONDON = "london"
    SOUTH_EAST = "south_east"
    SOUTH_WEST = "south_west"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern_ireland"


# How each value reads to people (facets, yearly lists, the API's labels), by vocabulary: StrEnum values
# of different vocabularies compare equal ("other"), so one flat table would mix them. Review types
# have their labels in review_types.py, themes in themes.json; a value not listed reads as itself,
# capitalised ("serious_harm": "Serious harm").
LABELS: dict[type[StrEnum], dict[str, str]] = {
    Nation: {"england": "England", "wales": "Wales", "scotland": "Scotland", "northern_ireland": "Northern Ireland"},
    DocumentType: {"other": "Other document"},
    Language: {"en": "English", "cy": "Welsh (Cymraeg)", "bilingual": "Bilingual (English and Welsh)"},
    AgeBand: {
        "unborn": "Unborn",
        "under_1": "Under 1 year",
        "1_to_4": "1 to 4 years",
        "5_to_9": "5 to 9 years",
        "10_to_14": "10 to 14 years",
        "15_to_17": "15 to 17 years",
        "18_and_over": "18 years and over",
    },
    ReviewModel: {
        "silp": "SILP (Significant Incident Learning Process)",
        "learning_together": "Learning Together",
        "scie_systems": "SCIE systems model",
    },
    Region: {
        "north_east": "North East",
        "north_west": "North West",
        "yorkshire_and_the_humber": "Yorkshire and the Humber",
        "east_midlands": "East Midlands",
        "west_midlands": "West Midlands",
        "east_of_england": "East of England",
        "london": "London",
        "south_east": "South East",
        "south_west": "South West",
        "wales": "Wales",
        "scotland": "Scotland",
        "northern_ireland": "Northern Ireland",
    },
}


def label(value: StrEnum) -> str:
    """How a vocabulary value reads to people (`serious_harm` reads "Serious harm")."""
    return LABELS.get(type(value), {}).get(value.value, value.value.replace("_", " ").capitalize())
