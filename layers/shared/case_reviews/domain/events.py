"""Events the catalogue publishes on the bus; their detail carries identifiers, never personal data."""

from __future__ import annotations

from datetime import date
from enum import StrEnum

from pydantic import BaseModel, ConfigDict

EVENT_SOURCE = "case-reviews.catalogue"


class DetailType(StrEnum):
    REPORT_CATALOGUED = "ReportCatalogued"
    SUBMISSION_REJECTED = "SubmissionRejected"
    COPY_REMOVED = "ElectronicCopyRemoved"
    RECORD_CHANGED = "RecordChanged"


class ReportCatalogued(BaseModel):
    model_config = ConfigDict(frozen=True)

    reference: str
    submission_id: str


class SubmissionRejected(BaseModel):
    model_config = ConfigDict(frozen=True)

    submission_id: str
    reason: str


class ElectronicCopyRemoved(BaseModel):
    """The five-year rule (or a ruling) removed a record's file: the index drops its text and link."""

    model_config = ConfigDict(frozen=True)

    reference: str
    removed_on: date


class RecordChanged(BaseModel):
    """Staff changed a record (a legal hold, its release, a new availability date): the index re-reads it."""

    model_config = ConfigDict(frozen=True)

    reference: str
    version: int
