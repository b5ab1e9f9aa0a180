"""Events the catalogue publishes on the bus; their detail carries identifiers, never personal data."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING

from pydantic import BaseModel, ConfigDict

if TYPE_CHECKING:
    from case_reviews.domain.boards import Submission

EVENT_SOURCE = "case-reviews.catalogue"


class DetailType(StrEnum):
    REPORT_CATALOGUED = "ReportCatalogued"
    SUBMISSION_REJECTED = "SubmissionRejected"
    SUBMISSION_DUPLICATE = "SubmissionDuplicate"
    COPY_REMOVED = "ElectronicCopyRemoved"
    RECORD_CHANGED = "RecordChanged"
    EXPIRY_APPROACHING = "ExpiryApproaching"
    EXPIRY_SUMMARY_DUE = "ExpirySummaryDue"


class Detail(BaseModel):
    """An event's detail. Its consumers do what it asks once per occasion: the detail itself, unless it says
    otherwise."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    def occasion(self) -> BaseModel:
        """What makes two deliveries (or announcements) of this detail one, for its consumers' idempotency."""
        return self


class ReportCatalogued(Detail):
    """A deposit became a catalogue record: the index adds it, the board is acknowledged."""

    reference: str
    submission_id: str
    # The depositing board, so that the acknowledgement reads the board's holdings at once rather than after
    # the record. None in an announcement made before it was carried.
    board_id: str | None = None

    @classmethod
    def of(cls, submission: Submission, reference: str) -> ReportCatalogued:
        """The announcement of `submission` catalogued as `reference`."""
        return cls(reference=reference, submission_id=submission.submission_id, board_id=submission.board_id)

    def occasion(self) -> BaseModel:
        """What makes two announcements one: the record and its submission, not the board (an announcement
        made before the board was carried, and one made again since, are the same announcement)."""
        return CatalogueAnnouncement(reference=self.reference, submission_id=self.submission_id)


class CatalogueAnnouncement(BaseModel):
    """The identity of a ReportCatalogued announcement: its fields as they were first announced, so that its
    idempotency key is the one it always had."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    reference: str
    submission_id: str


class SubmissionRejected(Detail):
    submission_id: str
    reason: str


class SubmissionDuplicate(Detail):
    """The upload is a file the library already holds: the board is told the existing record's reference."""

    submission_id: str
    reference: str


class ElectronicCopyRemoved(Detail):
    """The five-year rule (or a ruling) removed a record's file: the index drops its text and link."""

    reference: str
    removed_on: date


class RecordChanged(Detail):
    """Staff changed a record (a legal hold, its release, a new availability date): the index re-reads it."""

    reference: str
    version: int


class ExpiryApproaching(Detail):
    """A copy's last available day is 30 days away or less (the retention run announces it once per date):
    the board's contact is warned. A new date (an extension) is a new warning."""

    reference: str
    available_until: date


class ExpirySummaryDue(Detail):
    """The retention run of `as_of` found copies whose last available day is from `as_of` to `until` (both
    included, the next 30 days): staff get that day's list of them."""

    as_of: date
    until: date


# The detail each event carries.
DETAILS: dict[DetailType, type[Detail]] = {
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
