"""The audit trail: who did what to a record, when, why, and what changed."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from case_reviews.domain.description import DESCRIPTION_FIELDS
from case_reviews.domain.fields import no_control_characters
from case_reviews.domain.records import CatalogueRecord


class TakeDownReason(StrEnum):
    """Why staff take a copy down at once; staff see the code, the public a neutral sentence."""

    COURT_ORDER = "court_order"
    BOARD_REQUEST = "board_request"
    DATA_PROTECTION = "data_protection"
    ERROR = "error"


class AuditAction(StrEnum):
    DEPOSITED = "deposited"
    HELD = "held"
    RELEASED = "released"
    EXTENDED = "extended"
    TAKEN_DOWN = "taken_down"
    REMOVED_BY_RETENTION = "removed_by_retention"
    EDITED = "edited"
    ATTACHED = "attached"


# Who the audit trail names for the daily run of the five-year rule.
RETENTION_ACTOR = "retention-schedule"

RulingReason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500), AfterValidator(no_control_characters)
]
Actor = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2048)]
JsonValue = str | int | bool | list[str] | None

# What an entry compares: the description, whether it is anonymous, and the copy's state (not its
# checksum or keys), each copy field prefixed "copy.".
_AUDITED_RECORD_FIELDS = DESCRIPTION_FIELDS | {"anonymous"}
_AUDITED_COPY_FIELDS = ("status", "available_until", "held", "hold_reason", "removed_on", "removal_reason")


class FieldChange(BaseModel):
    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    before: JsonValue = None
    after: JsonValue = None


class AuditEntry(BaseModel):
    """One entry of a record's append-only audit trail: who did what, when, why, and what changed."""

    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")

    entry_id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    reference: str
    at: datetime
    actor: Actor
    action: AuditAction
    reason: str | None = None
    # Staff's own words with a ruling's code (a take-down's note): staff-only, like the code.
    note: str | None = None
    changes: dict[str, FieldChange] = {}
    # The record's version this change produced.
    version: int

    @classmethod
    def for_change(
        cls,
        before: CatalogueRecord,
        after: CatalogueRecord,
        *,
        actor: str,
        action: AuditAction,
        reason: str | None,
        now: datetime,
        note: str | None = None,
    ) -> AuditEntry:
        return cls(
            reference=after.reference,
            at=now,
            actor=actor,
            action=action,
            reason=reason,
            note=note,
            changes=changed_fields(before, after),
            version=after.version,
        )

    @classmethod
    def for_deposit(cls, record: CatalogueRecord) -> AuditEntry:
        """The first entry: the board deposited the report (one per record, so its id is fixed)."""
        return cls(
            entry_id="deposit",
            reference=record.reference,
            at=record.created_at,
            actor=f"board:{record.board_id}",
            action=AuditAction.DEPOSITED,
            reason=f"submission {record.submission_id}" if record.submission_id else None,
            changes={
                name: FieldChange(after=value) for name, value in audited_fields(record).items() if value is not None
            },
            version=record.version,
        )


def audited_fields(record: CatalogueRecord) -> dict[str, JsonValue]:
    """The values an audit entry compares, as JSON."""
    fields: dict[str, JsonValue] = record.model_dump(mode="json", include=set(_AUDITED_RECORD_FIELDS))
    if record.electronic_copy is not None:
        copy = record.electronic_copy.model_dump(mode="json", include=set(_AUDITED_COPY_FIELDS))
        fields |= {f"copy.{name}": copy[name] for name in _AUDITED_COPY_FIELDS}
    return fields


def changed_fields(before: CatalogueRecord, after: CatalogueRecord) -> dict[str, FieldChange]:
    """The audited fields whose value differs between two versions of a record, before and after."""
    old, new = audited_fields(before), audited_fields(after)
    return {
        name: FieldChange(before=old.get(name), after=new.get(name))
        for name in [*old, *(name for name in new if name not in old)]
        if old.get(name) != new.get(name)
    }
