"""Files the library receives and keeps: where each lives in the bucket, and what is known of one."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

INCOMING_PREFIX = "incoming/"
REPORTS_PREFIX = "reports/"
TEXT_PREFIX = "text/"
# Rejected uploads wait here for staff (a lifecycle rule expires them); nothing reads them automatically.
QUARANTINE_PREFIX = "quarantine/"
PDF_CONTENT_TYPE = "application/pdf"


def incoming_key(submission_id: str) -> str:
    """Where a board's upload for a submission lands (the presigned POST admits only this key)."""
    return f"{INCOMING_PREFIX}{submission_id}.pdf"


def report_key(reference: str) -> str:
    # The public link shows this key: it names the reference, never the board.
    return f"{REPORTS_PREFIX}{reference}.pdf"


def text_key(reference: str) -> str:
    return f"{TEXT_PREFIX}{reference}.txt"


def quarantine_key(submission_id: str) -> str:
    return f"{QUARANTINE_PREFIX}{submission_id}.pdf"


def submission_id_from_key(key: str) -> str | None:
    """The submission an uploaded key belongs to; None for anything outside the upload area."""
    if not key.startswith(INCOMING_PREFIX) or not key.endswith(".pdf"):
        return None
    candidate = key[len(INCOMING_PREFIX) : -len(".pdf")]
    return candidate if candidate and "/" not in candidate else None


class UploadedObject(BaseModel):
    """An object that arrived in the bucket, as its notification describes it."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    bucket: str
    key: str
    size: int = Field(ge=0)
    etag: str | None = None
    version_id: str | None = None
    sequencer: str | None = None


@dataclass(frozen=True)
class PresignedUpload:
    """A signed form that lets a board POST one file straight to the bucket."""

    url: str
    fields: dict[str, str]
    expires_at: datetime
    max_bytes: int


@dataclass(frozen=True)
class DownloadedObject:
    path: Path
    # At most `limit_bytes + 1`: reading stops there, so an object larger than allowed is never read whole.
    size_bytes: int
    sha256: str
    head: bytes


@dataclass(frozen=True)
class InspectedPdf:
    """What the parser found in an accepted file, and the files it left in the work folder."""

    page_count: int
    text_chars: int
    # False for scanned reports (images without text): staff are told, searches find only the metadata.
    text_layer: bool
    text_path: Path
    # The file to store: never the upload itself, but a copy rewritten from the objects its current revision
    # uses (and, for an anonymous report, without anything that names who made it; see domain/pdf_policy.py).
    stored_path: Path
    metadata_stripped: bool
