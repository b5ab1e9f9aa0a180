"""The paging cursors the API hands out (a search's, a board's deposits'): opaque to the caller, a search's
good only for the search that made it; anything else is a 400 on `query.cursor`."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from case_reviews.api.models.common import Wire
from case_reviews.domain.errors import InvalidRequest
from case_reviews.domain.search import SearchQuery, SortOrder


class BadCursor(InvalidRequest):
    def __init__(self, message: str) -> None:
        super().__init__(message, location="query.cursor")


def _packed(cursor: BaseModel) -> str:
    """A cursor as the API hands it out: its JSON, base64url without padding."""
    return base64.urlsafe_b64encode(cursor.model_dump_json().encode()).decode().rstrip("=")


def _unpacked[Cursor: BaseModel](cursor: str, model: type[Cursor]) -> Cursor:
    """A cursor the API handed out, read back; anything else is a 400 on `query.cursor`."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        return model.model_validate(json.loads(raw))
    except (binascii.Error, ValueError, ValidationError, UnicodeDecodeError) as error:
        raise BadCursor("The cursor is not one this API issued.") from error


class _DepositCursor(Wire):
    model_config = ConfigDict(extra="forbid")

    position: dict[str, Annotated[str, StringConstraints(max_length=300)]] = Field(max_length=4)


def deposit_cursor(position: dict[str, str]) -> str:
    """The cursor of the page of deposits that starts at `position`."""
    return _packed(_DepositCursor(position=position))


def deposit_position(cursor: str) -> dict[str, str]:
    """Where a page of deposits starts, from the cursor the previous page gave."""
    return _unpacked(cursor, _DepositCursor).position


class _SearchCursor(Wire):
    model_config = ConfigDict(extra="forbid")

    after: list[str | int | float] = Field(min_length=1, max_length=4)
    sort: SortOrder
    # Which search the position belongs to: a position only means something within the same search.
    search: str = Field(pattern=r"^[0-9a-f]{16}$")


def search_fingerprint(query: SearchQuery) -> str:
    """Identifies a search (its words, filters and order), whatever page of it is asked for."""
    shape = query.model_dump(mode="json", exclude={"search_after", "page_size"})
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:16]


def encode_cursor(search_after: tuple[Any, ...], query: SearchQuery) -> str:
    return _packed(_SearchCursor(after=list(search_after), sort=query.sort, search=search_fingerprint(query)))


def decode_cursor(cursor: str, query: SearchQuery) -> tuple[Any, ...]:
    """The position a cursor encodes; it is only valid for the search that made it."""
    decoded = _unpacked(cursor, _SearchCursor)
    if decoded.sort is not query.sort:
        raise BadCursor("The cursor was made for another sort order; start again without it.")
    if decoded.search != search_fingerprint(query):
        raise BadCursor("The cursor was made for another search (other words or filters); start again without it.")
    return tuple(decoded.after)
