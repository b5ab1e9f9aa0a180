"""Events the catalogue publishes on the bus; their detail carries identifiers, never personal data."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

EVENT_SOURCE = "case-reviews.catalogue"


class DetailType(StrEnum):
    REPORT_CATALOGUED = "ReportCatalogued"
    SUBMISSION_REJECTED = "SubmissionRejected"
    SUBMISSION_DUPLICATE = "SubmissionDuplicate"
    COPY_REMOVED = "ElectronicCopyRemoved"
    RECORD_CHANGED = "RecordChanged"
    EXPIRY_APPROACHING = "ExpiryApproaching"
    EXPIRY_SUMMARY_DUE = "ExpirySummaryDue"


class ReportCatalogued(BaseModel):
    model_config = ConfigDict(defer_build=True, frozen=True)

    reference: str
    submission_id: str


class SubmissionRejected(BaseModel):
    model_config = ConfigDict(defer_build=True, frozen=True)

    submission_id: str
    reason: str


class SubmissionDuplicate(BaseModel):
    """The upload is a file the library already holds: the board is told the existing record's reference."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    submission_id: str
    reference: str


class ElectronicCopyRemoved(BaseModel):
    """The five-year rule (or a ruling) removed a record's file: the index drops its text and link."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    reference: str
    removed_on: date


class RecordChanged(BaseModel):
    """Staff changed a record (a legal hold, its release, a new availability date): the index re-reads it."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    reference: str
    version: int


class ExpiryApproaching(BaseModel):
    """A copy's last available day is 30 days away or less (the retention run announces it once per date):
    the board's contact is warned. A new date (an extension) is a new warning."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    reference: str
    available_until: date


class ExpirySummaryDue(BaseModel):
    """The retention run of `as_of` found copies whose last available day is from `as_of` to `until` (both
    included, the next 30 days): staff get that day's list of them."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    as_of: date
    until: date


# The detail each event carries.
DETAILS: dict[DetailType, type[BaseModel]] = {
    DetailType.REPORT_CATALOGUED: ReportCatalogued,
    DetailType.SUBMISSION_REJECTED: SubmissionRejected,
    DetailType.SUBMISSION_DUPLICATE: SubmissionDuplicate,
    DetailType.COPY_REMOVED: ElectronicCopyRemoved,
    DetailType.RECORD_CHANGED: RecordChanged,
    DetailType.EXPIRY_APPROACHING: ExpiryApproaching,
    DetailType.EXPIRY_SUMMARY_DUE: ExpirySummaryDue,
}

# Which consumer gets which event: the one routing table. template.yaml's rules (checked by a unit
# test), the local provisioning and each consumer's message model are made from it.
ROUTES: dict[str, tuple[DetailType, ...]] = {
    # What search shows of a record follows the catalogue.
    "index": (DetailType.REPORT_CATALOGUED, DetailType.COPY_REMOVED, DetailType.RECORD_CHANGED),
    # Everything emailed about a record: an upload's outcome, a copy's coming removal, staff's daily list.
    "acknowledge": (
        DetailType.REPORT_CATALOGUED,
        DetailType.SUBMISSION_REJECTED,
        DetailType.SUBMISSION_DUPLICATE,
        DetailType.EXPIRY_APPROACHING,
        DetailType.EXPIRY_SUMMARY_DUE,
    ),
}
