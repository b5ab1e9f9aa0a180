"""Catalogue records: the entry that outlives its electronic copy, the copy itself, what the public may
know of both (with the rights statement it reads), and the record a deposit becomes.

A record's descriptive fields are `Description`'s (domain/description.py); here are only what a record
adds to them: its reference, its publisher, its copy, its versions, and the rulings that change them.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any

from pydantic import ValidationError

from case_reviews.domain.base import Frozen
from case_reviews.domain.boards import Board, Submission
from case_reviews.domain.description import Description, MetadataCorrection, description_of
from case_reviews.domain.errors import RulingRefused
from case_reviews.domain.files import report_key, text_key
from case_reviews.domain.holds import CheckedCopy
from case_reviews.domain.rules import available_until
from case_reviews.domain.vocabulary import CopyStatus

ANONYMOUS_PUBLISHER = "Anonymous"


class PublicCopy(Frozen):
    """What the public may know of an electronic copy: whether it is there, until when, or when it went."""

    status: CopyStatus
    available_until: date | None = None
    removed_on: date | None = None
    # The public, neutral reason (a take-down's code is in the audit trail, for staff only).
    removal_reason: str | None = None


class ElectronicCopy(PublicCopy):
    """The deposited PDF and its extracted text, while the library holds them."""

    # Where the file and its text are while the library holds them (None once removed).
    object_key: str | None = None
    text_key: str | None = None
    sha256: str
    size_bytes: int
    page_count: int
    available_until: date
    # A legal hold keeps the copy past its available_until until released; its reason is staff-only.
    held: bool = False
    hold_reason: str | None = None
    # Characters of extracted text (capped); None for records catalogued before it was counted.
    text_chars: int | None = None
    # False for a scanned report without text: staff may want to ask the board for an accessible copy.
    text_layer: bool = True
    # True when the stored copy lost its metadata, annotations, form, outline and page labels (an anonymous
    # report; domain/pdf_policy.py lists every place).
    metadata_stripped: bool = False


def new_copy(reference: str, checked: CheckedCopy, deposited_on: date) -> ElectronicCopy:
    """The electronic copy of a file that passed its checks, available for five years from `deposited_on`."""
    return ElectronicCopy(
        status=CopyStatus.AVAILABLE,
        object_key=report_key(reference),
        text_key=text_key(reference),
        available_until=available_until(deposited_on),
        **checked.model_dump(),
    )


class PublicRecord(Description):
    """What the public may know of a record: its description, its publisher (never an anonymous
    report's board) and its copy's state. Search hits, index documents and API views build on it."""

    reference: str
    publisher: str
    anonymous: bool = False
    electronic_copy: PublicCopy | None = None


_SHARING_THE_LEARNING = "The library holds a copy to share the learning from it."
ANONYMOUS_RIGHTS_STATEMENT = (
    f"Published anonymously on behalf of a safeguarding board, which keeps its copyright. {_SHARING_THE_LEARNING}"
)
UNNAMED_RIGHTS_STATEMENT = f"The catalogue does not name the copyright holder. {_SHARING_THE_LEARNING}"
# A holder that is already a copyright notice ("Crown copyright", "© …", "Copyright …") is stated as it is:
# "Copyright remains with Crown copyright" would say copyright twice.
_COPYRIGHT_NOTICE = re.compile(r"©|(?:crown )?copyright\b", re.IGNORECASE)


def rights_statement(record: PublicRecord) -> str:
    """Whose the copyright is, in words for the public; an anonymous report's names no board."""
    holder = record.rights_holder
    if record.anonymous:
        return ANONYMOUS_RIGHTS_STATEMENT
    if not holder:
        return UNNAMED_RIGHTS_STATEMENT
    if _COPYRIGHT_NOTICE.match(holder):
        return f"{holder.rstrip('.')}. {_SHARING_THE_LEARNING}"
    return f"Copyright remains with {holder}. {_SHARING_THE_LEARNING}"


class CatalogueRecord(Description):
    """A catalogue entry: it outlives the electronic copy, and may never have had one (historic records)."""

    reference: str
    # The depositing board; a historic record has only the publisher's name (board_name), or neither.
    board_id: str | None = None
    board_name: str | None = None
    anonymous: bool = False
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

    def public(self) -> PublicRecord:
        """The record as the public may see it (read by name: the copy keeps only its public fields).

        An anonymous report names no board anywhere public: not as publisher, not as rights holder,
        and not by its area (local authority and region are withheld too).
        """
        view = PublicRecord.model_validate(self, from_attributes=True)
        if self.anonymous:
            # `related` too: it would tie the record to the same board's named ones.
            withheld = {"rights_holder": ANONYMOUS_PUBLISHER, "local_authority": None, "region": None, "related": ()}
            return view.model_copy(update=withheld)
        return view.model_copy(update={"rights_holder": self.rights_holder or self.board_name})

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

    def check_can_attach(self) -> None:
        """Only a catalogue-only record is given a copy: one whose copy was removed does not get another
        (the five-year rule, or a take-down, ended it)."""
        if self.electronic_copy is not None:
            state = "has an electronic copy" if self.has_copy else "had its electronic copy removed"
            raise RulingRefused(f"{self.reference} already {state}; only a catalogue-only record is given one.")

    def with_copy_attached(self, copy: ElectronicCopy, now: datetime) -> CatalogueRecord:
        """A catalogue-only record given its first electronic copy (staff attach a file to a historic record)."""
        self.check_can_attach()
        return self.model_copy(
            update={"electronic_copy": copy, "deposited_on": now.date(), "updated_at": now, "version": self.version + 1}
        )

    # ---- staff corrections to the metadata

    def with_metadata(self, correction: MetadataCorrection, now: datetime) -> CatalogueRecord:
        """The record with staff's corrections; the reference never changes (it is cited)."""
        changes = correction.changes()
        try:
            corrected = CatalogueRecord.model_validate({**self.model_dump(), **changes})
        except ValidationError as error:
            reasons = "; ".join(item["msg"].removeprefix("Value error, ") for item in error.errors())
            raise RulingRefused(f"{self.reference}: {reasons}.") from error
        if all(getattr(corrected, name) == getattr(self, name) for name in changes):
            raise RulingRefused(f"{self.reference} already reads like that: nothing to change.")
        try:
            corrected.check_review_type()
        except ValueError as error:
            raise RulingRefused(f"{self.reference}: {error}.") from error
        return corrected.model_copy(update={"updated_at": now, "version": self.version + 1})

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


def deposited_record(
    submission: Submission, reference: str, board: Board | None, checked: CheckedCopy, now: datetime
) -> CatalogueRecord:
    """The record a board's deposit becomes, published `now` (at once, or when staff approve a held one):
    copyright stays with the board unless it names another holder; the copy is available five years."""
    metadata = submission.metadata
    board_name = board.name if board else None
    deposited_on = now.date()
    return CatalogueRecord(
        **{**description_of(metadata), "rights_holder": metadata.rights_holder or board_name},
        reference=reference,
        board_id=submission.board_id,
        board_name=board_name,
        anonymous=metadata.anonymous,
        submission_id=submission.submission_id,
        deposited_on=deposited_on,
        electronic_copy=new_copy(reference, checked, deposited_on),
        created_at=now,
        updated_at=now,
    )
