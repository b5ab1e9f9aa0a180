"""A deposit held for the library's check before publication (`in_review`): why, and the checked copy."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict


class ReviewReason(StrEnum):
    NAMES_BOARD = "names_board"
    NO_TEXT_LAYER = "no_text_layer"
    UNUSUAL_TYPE_DATE = "unusual_type_date"
    REVIEW_EVERY_DEPOSIT = "review_every_deposit"


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Finding(_Frozen):
    """Why a deposit waits: in words for the board (`detail`), with the lines that matched for staff."""

    reason: ReviewReason
    detail: str
    lines: tuple[str, ...] = ()


class HeldCopy(_Frozen):
    """The checked file's facts while the deposit waits (its files are stored under its reference)."""

    sha256: str
    size_bytes: int
    page_count: int
    text_chars: int
    text_layer: bool
    metadata_stripped: bool


class ReviewHold(_Frozen):
    """A deposit held for staff: why, and the copy that is published if they approve it."""

    findings: tuple[Finding, ...]
    copy: HeldCopy

    @property
    def reason(self) -> str:
        """What the board reads on its status route: every finding's words, in one sentence each."""
        return " ".join(f"{finding.detail[:1].upper()}{finding.detail[1:]}." for finding in self.findings)
