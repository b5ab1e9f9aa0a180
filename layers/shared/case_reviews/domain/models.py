"""The catalogue's domain models: boards, submissions and catalogue records."""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Annotated, Self

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints, model_validator

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
    removal_reason: str | None = None


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
