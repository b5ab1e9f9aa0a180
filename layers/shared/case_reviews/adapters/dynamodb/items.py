"""The table's item models: each kind's keys and index keys. The domain object's own fields sit beside
them as the domain model dumps them (never listed again here), and `mapping` moves between the two."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict


class Item(BaseModel):
    """An item: its keys, then the fields of the domain object it holds (`model_extra`)."""

    model_config = ConfigDict(extra="allow")

    pk: str
    sk: str


class BoardItem(Item):
    created_at: datetime
    gsi1pk: str
    gsi1sk: str


class CredentialItem(Item):
    gsi1pk: str
    gsi1sk: str


class SubmissionItem(Item):
    gsi1pk: str
    gsi1sk: str


class RecordItem(Item):
    # Sparse index of copies still held, ordered by their last available day.
    expiry_pk: str | None = None
    expiry_sk: str | None = None
    # Deposits only, listed by when they were catalogued (the weekly digest reads a week of them).
    gsi1pk: str | None = None
    gsi1sk: str | None = None


class AuditItem(Item):
    """One audit entry, under its record's partition (sk `AUDIT#<UTC time>#<id>`): written once, never changed."""


class ImportClaimItem(Item):
    """A historic row's natural key, claimed once with the reference its record got (`case-reviews import`)."""

    natural_key: str
    reference: str
    imported_at: datetime
    # Staff-only remarks from the file's `notes` column: kept with the claim, never published.
    notes: str | None = None


class ContentClaimItem(Item):
    """A file's checksum, claimed by the record that holds it (a second deposit of it is a duplicate)."""

    reference: str


class SubscriberItem(Item):
    gsi1pk: str
    gsi1sk: str
