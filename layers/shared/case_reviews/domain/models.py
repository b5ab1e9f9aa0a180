"""The catalogue's domain models: boards, submissions and catalogue records."""

from __future__ import annotations

import re
import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Annotated, Any, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

from case_reviews.domain.errors import RulingRefused
from case_reviews.domain.rules import check_dates_in_order
from case_reviews.domain.vocabulary import (
    CopyStatus,
    DatePrecision,
    DocumentType,
    Nation,
    ReviewType,
    SubmissionStatus,
)

ANONYMOUS_PUBLISHER = "Anonymous"

# A pragmatic address check: the SES send is the real test, this only stops obvious typos
# (and, with no whitespace or control characters allowed, any header injection).
EmailAddress = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        to_lower=True,
        max_length=254,
        pattern=r"^[^@\s\x00-\x1f\x7f]+@[^@\s\x00-\x1f\x7f]+\.[^@\s\x00-\x1f\x7f]+$",
    ),
]
# Control characters other than tab and line breaks: never part of a title or a summary.
_CONTROL_CHARACTERS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _no_control_characters(value: str) -> str:
    if _CONTROL_CHARACTERS.search(value):
        raise ValueError("must not contain control characters")
    return value


def normalise_theme(value: str) -> str:
    """One spelling per theme: "Multi-agency  working" and "multi_agency_working" are the same theme."""
    return re.sub(r"[\s_-]+", "_", value.strip().lower())


def _single_line(value: str) -> str:
    # Titles go into email subjects and yearly lists: line breaks and runs of spaces become one space.
    return " ".join(value.split())


Theme = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=2, max_length=60, pattern=r"^[A-Za-z0-9][A-Za-z0-9 _-]*$"),
    AfterValidator(normalise_theme),
]
Title = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=3, max_length=300),
    AfterValidator(_no_control_characters),
    AfterValidator(_single_line),
]
Summary = Annotated[
    str, StringConstraints(strip_whitespace=True, max_length=5000), AfterValidator(_no_control_characters)
]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ReportMetadata(_Frozen):
    """What a board declares about a report when it asks to deposit it."""

    title: Title
    nation: Nation
    review_type: ReviewType
    document_type: DocumentType
    publication_date: date
    contact_email: EmailAddress
    anonymous: bool = False
    commissioned_date: date | None = None
    themes: tuple[Theme, ...] = Field(default=(), max_length=20)
    summary: Summary | None = None

    @model_validator(mode="after")
    def _dates_in_order(self) -> Self:
        check_dates_in_order(self.commissioned_date, self.publication_date)
        return self


class Board(_Frozen):
    """A local safeguarding board (or partnership): the copyright holder of what it deposits."""

    board_id: str
    name: str
    active: bool = True


class Submission(_Frozen):
    """One board's request to deposit one file, from presigned upload to its outcome."""

    submission_id: str
    board_id: str
    metadata: ReportMetadata
    status: SubmissionStatus
    upload_key: str
    created_at: datetime
    updated_at: datetime
    reference: str | None = None
    reason: str | None = None


class PublicationDate(_Frozen):
    """A publication date known to a year, a month or a day (`value` is the first day of the period)."""

    value: date
    precision: DatePrecision = DatePrecision.DAY

    @classmethod
    def parse(cls, text: str) -> PublicationDate:
        """Read `1973`, `1973-05` or `1973-05-14`."""
        text = text.strip()
        match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text)
        if not match:
            raise ValueError(f"{text!r} is not a year (YYYY), a month (YYYY-MM) or a day (YYYY-MM-DD)")
        year, month, day = match.groups()
        precision = DatePrecision.DAY if day else DatePrecision.MONTH if month else DatePrecision.YEAR
        return cls(value=date(int(year), int(month or 1), int(day or 1)), precision=precision)

    def last_day(self) -> date:
        """The last day of the period (the year, the month or the day itself)."""
        match self.precision:
            case DatePrecision.YEAR:
                return date(self.value.year, 12, 31)
            case DatePrecision.MONTH:
                following = date(self.value.year + self.value.month // 12, self.value.month % 12 + 1, 1)
                return date.fromordinal(following.toordinal() - 1)
            case _:
                return self.value

    def __str__(self) -> str:
        match self.precision:
            case DatePrecision.YEAR:
                return f"{self.value.year:04d}"
            case DatePrecision.MONTH:
                return f"{self.value.year:04d}-{self.value.month:02d}"
            case _:
                return self.value.isoformat()


class ElectronicCopy(_Frozen):
    """The deposited PDF and its extracted text, while the library holds them."""

    status: CopyStatus
    object_key: str | None
    text_key: str | None
    sha256: str
    size_bytes: int
    page_count: int
    available_until: date
    removed_on: date | None = None
    # The public, neutral reason (a take-down's code is in the audit trail, for staff only).
    removal_reason: str | None = None
    # A legal hold keeps the copy past its available_until until released; its reason is staff-only.
    held: bool = False
    hold_reason: str | None = None
    # Characters of extracted text (capped); None for records catalogued before it was counted.
    text_chars: int | None = None
    # False for a scanned report without text: staff may want to ask the board for an accessible copy.
    text_layer: bool = True
    # True when the stored copy lost its document information and XMP (an anonymous report).
    metadata_stripped: bool = False


class CatalogueRecord(_Frozen):
    """A catalogue entry: it outlives the electronic copy, and may never have had one (historic records)."""

    reference: str
    title: str
    nation: Nation
    review_type: ReviewType
    document_type: DocumentType
    publication_date: PublicationDate
    board_id: str | None
    board_name: str | None
    anonymous: bool = False
    commissioned_date: date | None = None
    themes: tuple[str, ...] = ()
    summary: str | None = None
    submission_id: str | None = None
    deposited_on: date | None = None
    electronic_copy: ElectronicCopy | None = None
    created_at: datetime
    updated_at: datetime
    # Bumped on every change; the search index uses it to ignore stale writes.
    version: int = 1

    @property
    def publisher(self) -> str:
        """The name shown to the public: an anonymous report never names its board."""
        if self.anonymous or not self.board_name:
            return ANONYMOUS_PUBLISHER
        return self.board_name

    @property
    def has_copy(self) -> bool:
        return self.electronic_copy is not None and self.electronic_copy.status is CopyStatus.AVAILABLE

    def with_copy_removed(self, removed_on: date, reason: str, now: datetime) -> CatalogueRecord:
        """The record once its file is gone: the copy's facts (checksum, size, pages) and the record stay."""
        assert self.electronic_copy is not None, "a record without a copy has nothing to remove"
        copy = self.electronic_copy.model_copy(
            update={
                "status": CopyStatus.REMOVED,
                "object_key": None,
                "text_key": None,
                "removed_on": removed_on,
                "removal_reason": reason,
            }
        )
        return self.model_copy(update={"electronic_copy": copy, "updated_at": now, "version": self.version + 1})

    # ---- staff corrections to the metadata

    def with_metadata(self, correction: MetadataCorrection, now: datetime) -> CatalogueRecord:
        """The record with staff's corrections; the reference never changes (it is cited)."""
        changes = correction.changes()
        published = changes.get("publication_date", self.publication_date)
        commissioned = changes.get("commissioned_date", self.commissioned_date)
        try:
            check_dates_in_order(commissioned, published.value)
        except ValueError as error:
            raise RulingRefused(f"{self.reference}: {error}.") from error
        if all(getattr(self, name) == value for name, value in changes.items()):
            raise RulingRefused(f"{self.reference} already reads like that: nothing to change.")
        return self.model_copy(update={**changes, "updated_at": now, "version": self.version + 1})

    # ---- legal rulings: each checks it applies, and returns the next version of the record

    def _available_copy(self, ruling: str) -> ElectronicCopy:
        if not self.has_copy or self.electronic_copy is None:
            raise RulingRefused(f"{self.reference} has no available electronic copy to {ruling}.")
        return self.electronic_copy

    def _with_copy(self, now: datetime, **changes: Any) -> CatalogueRecord:
        copy = self._available_copy("change").model_copy(update=changes)
        return self.model_copy(update={"electronic_copy": copy, "updated_at": now, "version": self.version + 1})

    def with_hold(self, reason: str, now: datetime) -> CatalogueRecord:
        """The record under a legal hold: its copy stays past its last available day until released."""
        if self._available_copy("hold").held:
            raise RulingRefused(f"{self.reference} is already on legal hold.")
        return self._with_copy(now, held=True, hold_reason=reason)

    def with_hold_released(self, now: datetime) -> CatalogueRecord:
        """The hold lifted: the five-year rule (or the extended date) applies again."""
        if not self._available_copy("release").held:
            raise RulingRefused(f"{self.reference} is not on legal hold.")
        return self._with_copy(now, held=False, hold_reason=None)

    def with_available_until(self, until: date, now: datetime) -> CatalogueRecord:
        """The copy available until `until` (later or earlier; a past day makes it due at the next run)."""
        copy = self._available_copy("extend")
        if until == copy.available_until:
            raise RulingRefused(f"{self.reference} is already available until {until.isoformat()}.")
        return self._with_copy(now, available_until=until)

    def check_can_take_down(self) -> None:
        """A take-down needs a copy, and a hold is a ruling to keep it: release it first."""
        if self._available_copy("take down").held:
            raise RulingRefused(f"{self.reference} is on legal hold: release it before taking the copy down.")


class MetadataCorrection(_Frozen):
    """What staff correct in a record's metadata: only the fields given change (an empty summary clears it)."""

    title: Title | None = None
    summary: Summary | None = None
    themes: tuple[Theme, ...] | None = Field(default=None, max_length=20)
    nation: Nation | None = None
    review_type: ReviewType | None = None
    document_type: DocumentType | None = None
    publication_date: PublicationDate | None = None
    commissioned_date: date | None = None

    @model_validator(mode="after")
    def _something(self) -> Self:
        if not self.model_fields_set:
            raise ValueError("give at least one field to correct")
        for required in ("title", "nation", "review_type", "document_type", "publication_date"):
            if required in self.model_fields_set and getattr(self, required) is None:
                raise ValueError(f"{required} cannot be cleared")
        return self

    def changes(self) -> dict[str, Any]:
        """The fields given, as the record holds them."""
        given = {name: getattr(self, name) for name in self.model_fields_set}
        if "summary" in given:
            given["summary"] = given["summary"] or None
        if "themes" in given:
            given["themes"] = tuple(dict.fromkeys(given["themes"] or ()))
        return given


# ---------------------------------------------------------------- the audit trail


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


# Who the audit trail names for the daily run of the five-year rule.
RETENTION_ACTOR = "retention-schedule"

RulingReason = Annotated[
    str, StringConstraints(strip_whitespace=True, min_length=3, max_length=500), AfterValidator(_no_control_characters)
]
Actor = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=2048)]
JsonValue = str | int | bool | list[str] | None


class FieldChange(_Frozen):
    before: JsonValue = None
    after: JsonValue = None


class AuditEntry(_Frozen):
    """One entry of a record's append-only audit trail: who did what, when, why, and what changed."""

    entry_id: str = Field(default_factory=lambda: uuid.uuid4().hex)
    reference: str
    at: datetime
    actor: Actor
    action: AuditAction
    reason: str | None = None
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
    ) -> AuditEntry:
        return cls(
            reference=after.reference,
            at=now,
            actor=actor,
            action=action,
            reason=reason,
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
                name: FieldChange(after=value) for name, value in _audited_fields(record).items() if value is not None
            },
            version=record.version,
        )


def _audited_fields(record: CatalogueRecord) -> dict[str, JsonValue]:
    """What an audit entry compares: the metadata and the copy's state (not its checksum or keys)."""
    copy = record.electronic_copy
    fields: dict[str, JsonValue] = {
        "title": record.title,
        "summary": record.summary,
        "themes": list(record.themes),
        "nation": record.nation.value,
        "review_type": record.review_type.value,
        "document_type": record.document_type.value,
        "publication_date": str(record.publication_date),
        "commissioned_date": record.commissioned_date.isoformat() if record.commissioned_date else None,
        "anonymous": record.anonymous,
    }
    if copy is not None:
        fields |= {
            "copy.status": copy.status.value,
            "copy.available_until": copy.available_until.isoformat(),
            "copy.held": copy.held,
            "copy.hold_reason": copy.hold_reason,
            "copy.removed_on": copy.removed_on.isoformat() if copy.removed_on else None,
            "copy.removal_reason": copy.removal_reason,
        }
    return fields


def changed_fields(before: CatalogueRecord, after: CatalogueRecord) -> dict[str, FieldChange]:
    """The audited fields whose value differs between two versions of a record, before and after."""
    old, new = _audited_fields(before), _audited_fields(after)
    return {
        name: FieldChange(before=old.get(name), after=new.get(name))
        for name in [*old, *(name for name in new if name not in old)]
        if old.get(name) != new.get(name)
    }
