"""Part of bootstrap: the services of the people who asked to hear of new reviews.

The weekly digest and its subscriptions, and the saved-search alerts: sign-up and its links, the daily
run, and staff's administration of them.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from case_reviews.wiring.adapters import AdapterWiring

if TYPE_CHECKING:
    from case_reviews.services.alert_administration import AlertAdministration
    from case_reviews.services.alert_signup import AlertSignUp
    from case_reviews.services.daily_alerts import DailyAlerts
    from case_reviews.services.digest import DigestService, SubscriptionService


class SubscriberWiring(AdapterWiring):
    """The digest and alert services of `bootstrap.Services`, each made on first use."""

    @cached_property
    def subscriptions(self) -> SubscriptionService:
        from case_reviews.services.digest import SubscriptionService

        return SubscriptionService(self.subscribers_store, self.clock)

    @cached_property
    def digest(self) -> DigestService:
        from case_reviews.services.digest import DigestService

        return DigestService(
            records=self.records_store,
            subscribers=self.subscribers_store,
            mailer=self.mailer,
            renderer=self.renderer,
            once=self.once,
            clock=self.clock,
            public_base_url=str(self.settings.mail.public_base_url),
        )

    @cached_property
    def alert_signup(self) -> AlertSignUp:
        from case_reviews.services.alert_signup import AlertSignUp, SignUpLimits

        alerts = self.settings.alerts
        return AlertSignUp(
            store=self.alerts_store,
            subscriptions=self.subscriptions,
            limiter=self.rate_limiter,
            mailer=self.mailer,
            renderer=self.renderer,
            clock=self.clock,
            limits=SignUpLimits(
                per_address=alerts.alert_signups_per_address, per_client=alerts.alert_signups_per_client
            ),
        )

    @cached_property
    def daily_alerts(self) -> DailyAlerts:
        from case_reviews.services.daily_alerts import DailyAlerts

        return DailyAlerts(self.alerts_store, self.search_index, self.mailer, self.renderer, self.once, self.clock)

    @cached_property
    def alert_admin(self) -> AlertAdministration:
        from case_reviews.services.alert_administration import AlertAdministration

        queued = self.settings.alerts.alerts_queue_url is not None
        return AlertAdministration(self.alerts_store, self.clock, self.alert_runs if queued else None)
