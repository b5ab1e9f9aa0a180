"""Boards (the local safeguarding partnerships that deposit), their keys, and their submissions: a
board's request to deposit one file, from its upload to its outcome."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import ConfigDict, TypeAdapter, ValidationError

from case_reviews.domain.base import Frozen
from case_reviews.domain.description import ReportMetadata
from case_reviews.domain.errors import InvalidRequest
from case_reviews.domain.fields import BoardAliases, Contacts, EmailAddress
from case_reviews.domain.holds import ReviewHold
from case_reviews.domain.vocabulary import SubmissionStatus


class Board(Frozen):
    """A local safeguarding board (or partnership): the copyright holder of what it deposits.

    Staff keep its `contacts` (who the library writes to about the board's copies, whoever deposited
    them) and its `aliases` (the other names its reports may use for it).
    """

    board_id: str
    name: str
    active: bool = True
    contacts: Contacts = ()
    aliases: BoardAliases = ()
    # Staff check every deposit of this board before it is published (the library's cataloguing step).
    review_every_deposit: bool = False

    def with_contacts(self, addresses: Sequence[str]) -> Board:
        """The board with these contact addresses instead of its own: at least one, each an email address."""
        if not addresses:
            raise InvalidRequest(f"Give {self.board_id} at least one contact address.", location="contacts")
        for address in addresses:
            try:
                _EMAIL_ADDRESS.validate_python(address)
            except ValidationError:
                raise InvalidRequest(
                    f"{address!r} is not an email address (one @, a dot in the domain, no spaces).",
                    location="contacts",
                ) from None
        return self._with(contacts=tuple(addresses))

    def with_aliases(self, aliases: Sequence[str]) -> Board:
        """The board with these aliases instead of its own (none clears them); each once, whatever its case."""
        return self._with(aliases=tuple(aliases))

    def with_review_policy(self, review_every_deposit: bool) -> Board:
        """The board whose every deposit staff check first, or (False) only those the checks hold."""
        return self._with(review_every_deposit=review_every_deposit)

    def _with(self, **changes: Any) -> Board:
        try:
            return Board.model_validate({**self.model_dump(), **changes})
        except ValidationError as error:
            reasons = "; ".join(f"{item['input']!r}: {item['msg']}" for item in error.errors())
            raise InvalidRequest(f"{self.board_id}: {reasons}.", location=", ".join(changes)) from error


_EMAIL_ADDRESS: TypeAdapter[str] = TypeAdapter(EmailAddress, config=ConfigDict(defer_build=True))


class Credential(Frozen):
    """A board's key, known only by its hash; a key is good while it is live and its board active."""

    key_hash: str
    board_id: str
    created_at: datetime
    revoked: bool = False
    revoked_at: datetime | None = None

    def admits(self, board: Board | None) -> bool:
        """Whether this key lets `board` in: not revoked, and the board it belongs to still active."""
        return not self.revoked and board is not None and board.board_id == self.board_id and board.active


class Submission(Frozen):
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
    # While `in_review`: why it waits, and the checked copy staff may publish.
    hold: ReviewHold | None = None
