"""Alerts people sign up for themselves: sign-up with double opt-in, and what the links of its emails do.

The sign-up answers the same whatever the address already has (so it reveals no subscriber): every
outcome that depends on the address is told to the address itself, by one email (a confirmation, or a
note that it already has that alert or has reached the limit). It is rate-limited per address and per
client before anything is looked up or sent. The links confirm an alert, stop one, or stop them all.
The daily run is `daily_alerts`, what staff do with alerts `alert_administration`.
"""

from __future__ import annotations

import hashlib
import secrets

from pydantic import BaseModel, ConfigDict

from case_reviews.domain.alerts import (
    MAX_ALERTS_PER_ADDRESS,
    Alert,
    AlertAddress,
    AlertKind,
    TokenPurpose,
    describe_search,
)
from case_reviews.domain.email import one_click_unsubscribe
from case_reviews.domain.errors import NotFound, RateLimited, UndeliverableAddress
from case_reviews.domain.search import SearchQuery
from case_reviews.observability import logger
from case_reviews.ports import AlertStore, Clock, EmailRenderer, Mailer, RateLimiter
from case_reviews.services.digest import SubscriptionService

DIGEST_NAME = "New in the Library"
# Another sign-up racing this one for the same address: try again this many times before giving up.
_ATTEMPTS = 3


class SignUpLimits(BaseModel):
    """How many sign-ups one address, and one client, may ask for in a window (seconds)."""

    model_config = ConfigDict(frozen=True)

    per_address: int = 5
    address_window_s: int = 24 * 3600
    per_client: int = 20
    client_window_s: int = 3600


class StopTarget(BaseModel):
    """What an unsubscribe link stops: one alert (described), or every alert of the address."""

    model_config = ConfigDict(frozen=True)

    everything: bool
    description: str


def _hashed(email: str) -> str:
    # Counters never hold an address in clear, even for the day they live.
    return hashlib.sha256(email.encode()).hexdigest()[:32]


def what_it_sends(alert: Alert) -> str:
    """An alert in words, for its emails and pages."""
    if alert.kind is AlertKind.DIGEST:
        return f'"{DIGEST_NAME}", the weekly email of the case reviews added to the library'
    assert alert.query is not None
    return f"new case reviews matching your search: {describe_search(alert.query)}"


class AlertSignUp:
    """Sign-ups, and what the links of their emails do: confirm an alert, stop one, or stop them all."""

    def __init__(
        self,
        store: AlertStore,
        subscriptions: SubscriptionService,
        limiter: RateLimiter,
        mailer: Mailer,
        renderer: EmailRenderer,
        clock: Clock,
        limits: SignUpLimits | None = None,
    ) -> None:
        self.store = store
        self.subscriptions = subscriptions
        self.limiter = limiter
        self.mailer = mailer
        self.renderer = renderer
        self.clock = clock
        self.limits = limits or SignUpLimits()

    def check_rate(self, email: str, client: str) -> None:
        """RateLimited when the address or the client has asked too often in its window (both are counted)."""
        now = self.clock.now()
        limits = self.limits
        by_address = self.limiter.hit(f"alerts-address#{_hashed(email)}", limits.address_window_s, now)
        by_client = self.limiter.hit(f"alerts-client#{client}", limits.client_window_s, now)
        if by_address > limits.per_address or by_client > limits.per_client:
            window = limits.address_window_s if by_address > limits.per_address else limits.client_window_s
            elapsed = int(now.timestamp()) % window
            raise RateLimited(
                "Too many sign-ups from here or for this address; please try again later.", window - elapsed
            )

    def sign_up(
        self, email: str, kind: AlertKind, search: str | None, query: SearchQuery | None, public_base_url: str
    ) -> None:
        """Send the address one email: a confirmation of the new alert, or a note saying why none is needed.

        `search` is the /search page query string, already read into `query` (the same rules as GET /reviews).
        """
        base = public_base_url.rstrip("/")
        for _ in range(_ATTEMPTS):
            read = self.store.get_address(email)
            alerts = self.store.get_alerts(read.alert_ids) if read else []
            now = self.clock.now()
            live = [alert for alert in alerts if alert.confirmed or now <= alert.confirm_by]
            same = next((alert for alert in live if alert.same_as(kind, query)), None)
            if kind is AlertKind.DIGEST and self.subscriptions.store.get_subscriber(email) is not None:
                self._send_notice(email, "already_digest", base, None, read)
                return
            if same is not None and same.confirmed:
                self._send_notice(email, "already", base, same, read)
                return
            if same is not None:
                renewed = self.store.renew_confirmation(same, secrets.token_urlsafe(24))
                self._send_confirmation(renewed, base)
                return
            if len(live) >= MAX_ALERTS_PER_ADDRESS:
                self._send_notice(email, "limit", base, None, read)
                return
            alert = Alert(
                alert_id=secrets.token_hex(6),
                email=email,
                kind=kind,
                search=search,
                query=query,
                created_at=now,
                confirm_token=secrets.token_urlsafe(24),
                stop_token=secrets.token_urlsafe(24),
            )
            stop_all = read.stop_token if read else secrets.token_urlsafe(24)
            live_ids = frozenset(alert.alert_id for alert in live)
            if self.store.add_alert(alert, read, live_ids, MAX_ALERTS_PER_ADDRESS, stop_all):
                self._send_confirmation(alert, base)
                return
        raise RuntimeError(f"the alerts of an address kept changing during {_ATTEMPTS} sign-up attempts")

    def _what(self, alert: Alert) -> str:
        return what_it_sends(alert)

    def _mail(self, to: str, subject: str, text: str, html: str | None, headers: dict[str, str]) -> None:
        """Send a sign-up's email; an address the mail service refuses outright is only logged, so the
        answer stays the same whatever the address (and the pending alert simply expires)."""
        try:
            self.mailer.send(to, subject, text, html, headers=headers)
        except UndeliverableAddress:
            logger.warning("A sign-up's address was refused by the mail service")

    def _send_confirmation(self, alert: Alert, base: str) -> None:
        cancel = f"{base}/alerts/unsubscribe/{alert.stop_token}"
        email = self.renderer.render(
            "alert_confirmation",
            {
                "what": self._what(alert),
                "confirm_url": f"{base}/alerts/confirm/{alert.confirm_token}",
                "valid_until": f"{alert.confirm_by:%-d %B %Y}",
                "cancel_url": cancel,
            },
        )
        self._mail(alert.email, email.subject, email.text, email.html, one_click_unsubscribe(cancel))

    def _send_notice(self, email: str, reason: str, base: str, alert: Alert | None, read: AlertAddress | None) -> None:
        if reason == "already_digest":
            subscriber = self.subscriptions.store.get_subscriber(email)
            assert subscriber is not None
            stop = f"{base}/subscriptions/{subscriber.token}"
            what = f'"{DIGEST_NAME}"'
        elif reason == "already":
            assert alert is not None
            stop = f"{base}/alerts/unsubscribe/{alert.stop_token}"
            what = self._what(alert)
        else:
            assert read is not None
            stop = f"{base}/alerts/unsubscribe/{read.stop_token}"
            what = ""
        rendered = self.renderer.render(
            "alert_notice",
            {
                "reason": "limit" if reason == "limit" else "already",
                "what": what,
                "limit": MAX_ALERTS_PER_ADDRESS,
                "stop_url": stop,
            },
        )
        self._mail(email, rendered.subject, rendered.text, rendered.html, one_click_unsubscribe(stop))

    # ---------------------------------------------------------------- the links

    def pending_confirmation(self, token: str) -> str:
        """What a confirmation link confirms (for the page that asks); NotFound if it cannot be used."""
        found = self.store.get_token(token)
        if found is None or found.purpose is not TokenPurpose.CONFIRM or not found.usable(self.clock.now()):
            raise NotFound("This confirmation link is not valid: it was used already, or it has expired.")
        alert = self.store.get_alert(found.alert_id or "")
        if alert is None:
            raise NotFound("This confirmation link is not valid: the sign-up was cancelled or has expired.")
        return self._what(alert)

    def confirm(self, token: str) -> str:
        """Confirm the alert of a confirmation link (a used link confirms nothing more); what it confirmed.

        A digest sign-up joins the digest's subscribers; a saved search is run from the next day on.
        """
        now = self.clock.now()
        found = self.store.get_token(token)
        if found is None or found.purpose is not TokenPurpose.CONFIRM:
            raise NotFound("This confirmation link is not valid.")
        alert = self.store.get_alert(found.alert_id or "")
        if found.used_at is not None:
            return self._what(alert) if alert else "your alert"
        if alert is None or not found.usable(now):
            raise NotFound("This confirmation link has expired (links work for 7 days); please sign up again.")
        if alert.kind is AlertKind.DIGEST:
            self.subscriptions.subscribe(alert.email)
        self.store.confirm(found, now)
        if alert.kind is AlertKind.DIGEST:
            # It lives on as a digest subscription, stopped by the link in every digest.
            self.store.remove_alert(alert, keep_confirmation=True)
        return self._what(alert)

    def stop_target(self, token: str) -> StopTarget:
        """What an unsubscribe link would stop (for the page that asks); NotFound if nothing."""
        found = self.store.get_token(token)
        if found is None or found.purpose is TokenPurpose.CONFIRM:
            raise NotFound("This unsubscribe link is not valid (perhaps it was used already).")
        if found.purpose is TokenPurpose.STOP_ALL:
            return StopTarget(everything=True, description="every alert sent to this address")
        alert = self.store.get_alert(found.alert_id or "")
        if alert is None:
            raise NotFound("This unsubscribe link is not valid (perhaps it was used already).")
        return StopTarget(everything=False, description=self._what(alert))

    def stop(self, token: str) -> None:
        """Stop the link's alert, or every alert of its address; nothing when there is nothing left to stop."""
        found = self.store.get_token(token)
        if found is None or found.purpose is TokenPurpose.CONFIRM:
            return
        if found.purpose is TokenPurpose.STOP_ALL:
            address = self.store.get_address(found.email or "")
            for alert in self.store.get_alerts(address.alert_ids if address else ()):
                self.store.remove_alert(alert)
            return
        alert = self.store.get_alert(found.alert_id or "")
        if alert is not None:
            self.store.remove_alert(alert)
