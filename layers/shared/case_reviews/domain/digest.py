"""The weekly "New in the Library" digest: who gets it, and which week it covers."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from pydantic import BaseModel, ConfigDict

from case_reviews.domain.fields import EmailAddress


class Subscriber(BaseModel):
    """Someone who asked for the weekly digest; `token` is the secret in their unsubscribe link."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    email: EmailAddress
    token: str
    subscribed_at: datetime


class DigestPeriod(BaseModel):
    """One ISO week, Monday 00:00 to the next Monday 00:00 (UTC): what a digest lists."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    start: datetime
    end: datetime

    @property
    def label(self) -> str:
        year, week, _ = self.start.isocalendar()
        return f"{year}-W{week:02d}"

    @property
    def last_day(self) -> date:
        return (self.end - timedelta(days=1)).date()


def previous_week(now: datetime) -> DigestPeriod:
    """The ISO week before the one `now` falls in: the same period whichever day of this week the run
    happens (or is retried), so a rerun never lists another week or sends a second digest for it."""
    today = now.astimezone(UTC).date()
    this_monday = datetime.combine(today - timedelta(days=today.weekday()), time(0), tzinfo=UTC)
    return DigestPeriod(start=this_monday - timedelta(days=7), end=this_monday)


def week_labelled(label: str) -> DigestPeriod:
    """The period of an ISO week label such as 2026-W47 (ValueError for anything else)."""
    year, _, week = label.partition("-W")
    start = datetime.fromisocalendar(int(year), int(week), 1).replace(tzinfo=UTC)
    return DigestPeriod(start=start, end=start + timedelta(days=7))
