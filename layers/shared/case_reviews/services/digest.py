"""The weekly "New in the Library" digest, and the people who subscribe to it."""

from __future__ import annotations

import secrets

from pydantic import BaseModel

from case_reviews.domain.digest import DigestPeriod, Subscriber, previous_week, week_labelled
from case_reviews.domain.email import one_click_unsubscribe
from case_reviews.domain.errors import NotFound
from case_reviews.observability import logger
from case_reviews.ports import Clock, EmailRenderer, Mailer, Once, RecordStore, SubscriberStore


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


class SubscriptionService:
    """Who gets the digest: staff add and remove addresses; a reader leaves through the link in any digest."""

    def __init__(self, store: SubscriberStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def subscribe(self, email: str) -> Subscriber:
        """Add a subscriber; adding an address twice keeps the first subscription (and its link)."""
        subscriber = Subscriber(email=email, token=secrets.token_urlsafe(24), subscribed_at=self.clock.now())
        if self.store.add_subscriber(subscriber):
            return subscriber
        existing = self.store.get_subscriber(subscriber.email)
        assert existing is not None, "a subscription refused as existing has gone"
        return existing

    def unsubscribe(self, email: str) -> None:
        """Staff remove an address."""
        if not self.store.remove_subscriber(email.strip().lower()):
            raise NotFound(f"{email} is not subscribed.")

    def is_subscribed(self, token: str) -> bool:
        """Whether an unsubscribe link still belongs to a subscriber."""
        return self.store.subscriber_for_token(token) is not None

    def unsubscribe_by_token(self, token: str) -> bool:
        """The unsubscribe link, which works without logging in; False when the token is unknown
        (never issued, or already used: the address is gone either way)."""
        email = self.store.subscriber_for_token(token)
        if email is None:
            return False
        self.store.remove_subscriber(email)
        return True

    def subscribers(self) -> list[Subscriber]:
        return list(self.store.subscribers())


class DigestService:
    """Sends each subscriber one digest a week of the reports added the week before (none when nothing was)."""

    def __init__(
        self,
        records: RecordStore,
        subscribers: SubscriberStore,
        mailer: Mailer,
        renderer: EmailRenderer,
        once: Once,
        clock: Clock,
        public_base_url: str,
    ) -> None:
        self.records = records
        self.subscribers = subscribers
        self.mailer = mailer
        self.renderer = renderer
        self.once = once
        self.clock = clock
        self.public_base_url = public_base_url.rstrip("/")
        self._entries: dict[str, list[DigestEntry]] = {}

    def send_weekly(self) -> DigestOutcome:
        """Send last week's digest to every subscriber, each once (per address and week), however often
        the run is delivered or retried after a crash; nothing when nothing was added."""
        period = previous_week(self.clock.now())
        entries = self._entries_for(period)
        outcome = DigestOutcome(week=period.label, entries=len(entries))
        if not entries:
            return outcome
        for subscriber in self.subscribers.subscribers():
            delivery = DigestDelivery(email=subscriber.email, week=period.label)
            self.once("digest.delivery", delivery, lambda delivery=delivery: self._deliver(delivery), returns=str)
            outcome.delivered += 1
        return outcome

    def _deliver(self, delivery: DigestDelivery) -> str:
        """Render and send one subscriber's digest for the week it names; returns the SES message id."""
        period = week_labelled(delivery.week)
        subscriber = self.subscribers.get_subscriber(delivery.email)
        if subscriber is None:
            logger.info("Unsubscribed before the digest went out", extra={"week": delivery.week})
            return ""
        entries = self._entries_for(period)
        unsubscribe_url = f"{self.public_base_url}/subscriptions/{subscriber.token}"
        email = self.renderer.render(
            "weekly_digest",
            {
                "entries": [entry.model_dump() for entry in entries],
                "week_of": f"{period.start.day} {period.start:%B %Y}",
                "unsubscribe_url": unsubscribe_url,
            },
        )
        # One click in the mail client unsubscribes (RFC 8058): it POSTs to the page's own address.
        return self.mailer.send(
            subscriber.email, email.subject, email.text, email.html, headers=one_click_unsubscribe(unsubscribe_url)
        )

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
                for record in self.records.records_added(period.start, period.end)
            ]
        return self._entries[period.label]
