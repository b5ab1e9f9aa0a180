"""A deposit held for the library's check before publication (`in_review`): why, and the checked copy."""

from __future__ import annotations

from enum import StrEnum

from pydantic import BaseModel, ConfigDict

from case_reviews.domain.files import InspectedPdf


class ReviewReason(StrEnum):
    NAMES_BOARD = "names_board"
    NO_TEXT_LAYER = "no_text_layer"
    UNUSUAL_TYPE_DATE = "unusual_type_date"
    REVIEW_EVERY_DEPOSIT = "review_every_deposit"


class _Frozen(BaseModel):
    model_config = ConfigDict(defer_build=True, frozen=True, extra="forbid")


class Finding(_Frozen):
    """Why a deposit waits: in words for the board (`detail`), with the lines that matched for staff."""

    reason: ReviewReason
    detail: str
    lines: tuple[str, ...] = ()


class CheckedCopy(_Frozen):
    """A file that passed its checks, as the copy made of it will describe it (and while a held deposit
    waits: its files are already stored under the deposit's reference)."""

    sha256: str
    size_bytes: int
    page_count: int
    text_chars: int
    text_layer: bool
    metadata_stripped: bool


def checked_copy(inspected: InspectedPdf, sha256: str) -> CheckedCopy:
    """The facts of an inspected file: the upload's checksum (which finds duplicates), the stored copy's size."""
    return CheckedCopy(
        sha256=sha256,
        # The size of what the public downloads (the rewritten, and for an anonymous report stripped, copy).
        size_bytes=inspected.stored_path.stat().st_size,
        page_count=inspected.page_count,
        text_chars=inspected.text_chars,
        text_layer=inspected.text_layer,
        metadata_stripped=inspected.metadata_stripped,
    )


class ReviewHold(_Frozen):
    """A deposit held for staff: why, and the copy that is published if they approve it."""

    findings: tuple[Finding, ...]
    checked: CheckedCopy

    @property
    def reason(self) -> str:
        """What the board reads on its status route: every finding's words, in one sentence each."""
        return " ".join(f"{finding.detail[:1].upper()}{finding.detail[1:]}." for finding in self.findings)
