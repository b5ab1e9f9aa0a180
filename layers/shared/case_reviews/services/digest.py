"""The weekly "New in the Library" digest, and the people who subscribe to it."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import datetime

from aws_lambda_powertools import Logger
from pydantic import BaseModel

from case_reviews.adapters.dynamodb import CatalogueRepository
from case_reviews.adapters.ses import Mailer
from case_reviews.domain.digest import DigestPeriod, Subscriber, previous_week, week_labelled
from case_reviews.domain.errors import NotFound
from case_reviews.services.acknowledgement import render

logger = Logger(child=True)


class DigestEntry(BaseModel):
    """One line of the digest; `publisher` is "Anonymous" for a report published anonymously."""

    reference: str
    title: str
    publisher: str
    review_type: str
    year: int
    url: str


class DigestDelivery(BaseModel):
    """One subscriber's digest for one week: the unit that is sent exactly once."""

    email: str
    week: str


class DigestOutcome(BaseModel):
    week: str
    entries: int
    delivered: int = 0


# Called as deliver(delivery=...): the keyword is what the idempotency key is made of.
Deliver = Callable[..., str]


class SubscriptionService:
    """Who gets the digest: staff add and remove addresses; a reader leaves through the link in any digest."""

    def __init__(self, repository: CatalogueRepository) -> None:
        self.repository = repository

    def subscribe(self, email: str, now: datetime) -> Subscriber:
        """Add a subscriber; adding an address twice keeps the first subscription (and its link)."""
        subscriber = Subscriber(email=email, token=secrets.token_urlsafe(24), subscribed_at=now)
        if self.repository.add_subscriber(subscriber):
            return subscriber
        existing = self.repository.get_subscriber(subscriber.email)
        assert existing is not None, "a subscription refused as existing has gone"
        return existing

    def unsubscribe(self, email: str) -> None:
        """Staff remove an address."""
        if not self.repository.remove_subscriber(email.strip().lower()):
            raise NotFound(f"{email} is not subscribed.")

    def is_subscribed(self, token: str) -> bool:
        """Whether an unsubscribe link still belongs to a subscriber."""
        return self.repository.subscriber_for_token(token) is not None

    def unsubscribe_by_token(self, token: str) -> bool:
        """The unsubscribe link, which works without logging in; False when the token is unknown
        (never issued, or already used: the address is gone either way)."""
        email = self.repository.subscriber_for_token(token)
        if email is None:
            return False
        self.repository.remove_subscriber(email)
        return True

    def subscribers(self) -> list[Subscriber]:
        return list(self.repository.subscribers())


class DigestService:
    """Sends each subscriber one digest a week of the reports added the week before (none when nothing was)."""

    def __init__(self, repository: CatalogueRepository, mailer: Mailer, public_base_url: str) -> None:
        self.repository = repository
        self.mailer = mailer
        self.public_base_url = public_base_url.rstrip("/")
        self._entries: dict[str, list[DigestEntry]] = {}

    def send_weekly(self, now: datetime, deliver: Deliver) -> DigestOutcome:
        """Send last week's digest to every subscriber through `deliver` (which sends each one once)."""
        period = previous_week(now)
        entries = self._entries_for(period)
        outcome = DigestOutcome(week=period.label, entries=len(entries))
        if not entries:
            return outcome
        for subscriber in self.repository.subscribers():
            deliver(delivery=DigestDelivery(email=subscriber.email, week=period.label))
            outcome.delivered += 1
        return outcome

    def deliver(self, delivery: DigestDelivery) -> str:
        """Render and send one subscriber's digest for the week it names; returns the SES message id."""
        period = week_labelled(delivery.week)
        subscriber = self.repository.get_subscriber(delivery.email)
        if subscriber is None:
            logger.info("Unsubscribed before the digest went out", extra={"week": delivery.week})
            return ""
        entries = self._entries_for(period)
        email = render(
            "weekly_digest",
            {
                "entries": [entry.model_dump() for entry in entries],
                "week_of": f"{period.start.day} {period.start:%B %Y}",
                "unsubscribe_url": f"{self.public_base_url}/subscriptions/{subscriber.token}",
            },
        )
        return self.mailer.send(subscriber.email, email.subject, email.text, email.html)

    def _entries_for(self, period: DigestPeriod) -> list[DigestEntry]:
        if period.label not in self._entries:
            self._entries[period.label] = [
                DigestEntry(
                    reference=record.reference,
                    title=record.title,
                    publisher=record.publisher,
                    review_type=record.review_type.value.replace("_", " "),
                    year=record.publication_date.value.year,
                    url=f"{self.public_base_url}/reviews/{record.reference}",
                )
                for record in self.repository.records_added(period.start, period.end)
            ]
        return self._entries[period.label]
