"""Alerts people sign up for themselves: "New in the Library" (the weekly digest) or a saved search.

An alert is pending until its address confirms it through the single-use link of its confirmation
email (valid for 7 days); nothing else is sent before. A confirmed saved search is run every day
over the deposits catalogued the day before; a confirmed digest sign-up joins the digest's subscribers.
Every alert email carries a link that stops it, and one that stops every alert of the address.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from case_reviews.domain.fields import EmailAddress
from case_reviews.domain.search import SearchQuery

# An address may hold at most this many alerts, pending ones included (a confirmed digest sign-up is a
# digest subscription, not an alert).
MAX_ALERTS_PER_ADDRESS = 20
CONFIRMATION_VALID_FOR = timedelta(days=7)
# A daily email lists at most this many new records per saved search (with a link to the rest).
MAX_RECORDS_PER_ALERT = 50
# The longest saved search accepted: a /search page's query string.
MAX_SEARCH_LENGTH = 2000
# Its shape: name=value pairs joined by & (each value is then checked as GET /reviews checks that parameter).
SAVED_SEARCH_PATTERN = r"^\??[A-Za-z_]+=[^&#]*(&[A-Za-z_]+=[^&#]*)*$"
# Tokens are URL-safe (secrets.token_urlsafe(24) is 32 characters).
TOKEN_PATTERN = r"^[A-Za-z0-9_-]{16,64}$"


class AlertKind(StrEnum):
    DIGEST = "digest"
    SEARCH = "search"


class TokenPurpose(StrEnum):
    """What a link's token does: confirm an alert, stop one alert, or stop every alert of an address."""

    CONFIRM = "confirm"
    STOP = "stop"
    STOP_ALL = "stop_all"


class Alert(BaseModel):
    """One alert of one address: the digest, or a saved search (its query string and the search it asks)."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    alert_id: str
    email: EmailAddress
    kind: AlertKind
    # The /search page query string as given (shown in emails, and linked to), and the search it is.
    search: str | None = None
    query: SearchQuery | None = None
    created_at: datetime
    confirmed_at: datetime | None = None
    confirm_token: str
    stop_token: str

    @property
    def confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def confirm_by(self) -> datetime:
        """The last moment its confirmation link works."""
        return self.created_at + CONFIRMATION_VALID_FOR

    def same_as(self, kind: AlertKind, query: SearchQuery | None) -> bool:
        """Whether this alert already is what a new sign-up asks for."""
        if kind is not self.kind:
            return False
        return kind is AlertKind.DIGEST or criteria_key(query) == criteria_key(self.query)


class AlertToken(BaseModel):
    """A link's token: which alert (or address) it is for, what it does, and whether it was used."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    token: str
    purpose: TokenPurpose
    alert_id: str | None = None
    email: EmailAddress | None = None
    expires_at: datetime | None = None
    used_at: datetime | None = None

    def usable(self, now: datetime) -> bool:
        return self.used_at is None and (self.expires_at is None or now <= self.expires_at)


class AlertAddress(BaseModel):
    """An address with alerts: their ids (at most MAX_ALERTS_PER_ADDRESS) and its stop-everything token."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    email: EmailAddress
    alert_ids: frozenset[str] = frozenset()
    stop_token: str


def criteria_key(query: SearchQuery | None) -> str:
    """Identifies what a saved search asks for, whatever its order or paging."""
    shape: dict[str, Any] = query.criteria() if query is not None else {}
    return hashlib.sha256(json.dumps(shape, sort_keys=True).encode()).hexdigest()[:16]


class AlertDay(BaseModel):
    """The deposits a daily run on `as_of` lists: those catalogued on the day before (UTC)."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    as_of: date

    @property
    def start(self) -> datetime:
        return datetime.combine(self.as_of - timedelta(days=1), time(0), tzinfo=UTC)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.as_of, time(0), tzinfo=UTC)

    @property
    def covered(self) -> date:
        """The day whose deposits it lists."""
        return self.as_of - timedelta(days=1)


class AlertDelivery(BaseModel):
    """One address's email of one day: the unit that is sent once, however often the run is repeated."""

    email: str
    day: date


class AlertRunOutcome(BaseModel):
    """What a daily run did: the day it covered, the saved searches it ran, the addresses with news, the
    emails it sent (a repeat of the day sends none: each address had its email already)."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    as_of: date
    covered: date
    alerts: int = 0
    addresses: int = 0
    delivered: int = 0
    records: int = 0
    skipped: list[str] = Field(default_factory=list)


# The filters a saved search is described by in emails, with the facet whose labels (and heading) they read as.
_DESCRIBED = (
    ("nations", "nation"),
    ("review_types", "review_type"),
    ("document_types", "document_type"),
    ("themes", "theme"),
    ("outcomes", "outcome"),
    ("age_bands", "age_band"),
    ("review_models", "review_model"),
    ("regions", "region"),
    ("languages", "language"),
)


def describe_search(query: SearchQuery) -> str:
    """A saved search in words, for the emails: "neglect" · Theme: Neglect · Published from 2016-01-01."""
    from case_reviews.domain.headings import FACET_HEADINGS
    from case_reviews.domain.search import facet_label

    parts = [f'"{query.text}"'] if query.text else []
    for field, facet in _DESCRIBED:
        values = getattr(query, field)
        if values:
            parts.append(f"{FACET_HEADINGS[facet]}: " + " or ".join(facet_label(facet, str(value)) for value in values))
    if query.published_from:
        parts.append(f"Published from {query.published_from.isoformat()}")
    if query.published_to:
        parts.append(f"Published until {query.published_to.isoformat()}")
    if query.board:
        parts.append(f"Publisher: {query.board}")
    if query.has_copy is not None:
        parts.append("With an electronic copy" if query.has_copy else "Catalogue records only")
    return " · ".join(parts) or "Every new record"
