"""The daily run of the saved-search alerts: each address gets one email a day of its searches' new matches.

A run is idempotent per address and day ("once"): a repeated or redelivered run sends nothing more. A
saved search that can no longer be run is skipped (and logged), the others go on. Sign-up and the links of
the emails are `alert_signup`.
"""

from __future__ import annotations

from datetime import date, timedelta

from case_reviews.domain.alerts import (
    MAX_RECORDS_PER_ALERT,
    Alert,
    AlertDay,
    AlertDelivery,
    AlertKind,
    AlertRunOutcome,
    describe_search,
)
from case_reviews.domain.email import one_click_unsubscribe
from case_reviews.domain.exports import record_link
from case_reviews.domain.review_types import label_of
from case_reviews.domain.search import SearchHit, SortOrder
from case_reviews.observability import logger
from case_reviews.ports import AlertStore, Clock, EmailRenderer, Mailer, Once, SearchIndex


class DailyAlerts:
    """The daily run: each address's new matches of its confirmed saved searches, in one email a day."""

    def __init__(
        self, store: AlertStore, index: SearchIndex, mailer: Mailer, renderer: EmailRenderer, once: Once, clock: Clock
    ) -> None:
        self.store = store
        self.index = index
        self.mailer = mailer
        self.renderer = renderer
        self.once = once
        self.clock = clock

    def run(self, public_base_url: str, as_of: date | None = None, run_id: str | None = None) -> AlertRunOutcome:
        """Email each address with confirmed saved searches the deposits catalogued the day before `as_of`
        (default today) that match them: one email per address and day, however often the run is
        delivered or repeated; nothing to an address whose searches found nothing."""
        day = AlertDay(as_of=as_of or self.clock.now().date())
        base = public_base_url.rstrip("/")
        found: dict[str, tuple[tuple[SearchHit, ...], int] | None] = {}
        by_address: dict[str, list[Alert]] = {}
        skipped: list[str] = []
        searches = [alert for alert in self.store.all_alerts() if alert.kind is AlertKind.SEARCH and alert.confirmed]
        for alert in searches:
            if self._found(alert, day, found) is None:
                skipped.append(alert.alert_id)
                continue
            by_address.setdefault(alert.email, []).append(alert)
        with_news = {
            email: alerts
            for email, alerts in by_address.items()
            if any(self._found(a, day, found)[1] for a in alerts)  # type: ignore[index]
        }
        sent: list[str] = []

        def deliver(delivery: AlertDelivery) -> str:
            message_id = self._deliver(delivery, base, found)
            if message_id:
                sent.append(delivery.email)
            return message_id

        for email in with_news:
            delivery = AlertDelivery(email=email, day=day.covered)
            # A repeat of the day's run gets the first run's answer, and sends nothing.
            self.once("alerts.delivery", delivery, lambda delivery=delivery: deliver(delivery), returns=str)
        outcome = AlertRunOutcome(
            as_of=day.as_of,
            covered=day.covered,
            alerts=len(searches),
            addresses=len(with_news),
            delivered=len(sent),
            records=len({hit.reference for result in found.values() if result for hit in result[0]}),
            skipped=skipped,
        )
        if run_id:
            self.store.record_run(run_id, outcome)
        return outcome

    def _found(
        self, alert: Alert, day: AlertDay, found: dict[str, tuple[tuple[SearchHit, ...], int] | None]
    ) -> tuple[tuple[SearchHit, ...], int] | None:
        """The day's new records matching the alert's search (and how many), once per search; None if the
        saved search can no longer be run (it is skipped and logged, the others go on)."""
        assert alert.query is not None
        key = alert.query.model_dump_json()
        if key not in found:
            query = alert.query.model_copy(
                update={
                    "added_from": day.start,
                    "added_before": day.end,
                    "hits_only": True,
                    "page_size": MAX_RECORDS_PER_ALERT,
                    "sort": SortOrder.NEWEST,
                    "search_after": None,
                }
            )
            try:
                page = self.index.search(query) if not query.empty_period else None
                found[key] = (page.hits, page.total) if page else ((), 0)
            except Exception:
                logger.exception("A saved search could not be run", extra={"alert_id": alert.alert_id})
                found[key] = None
        return found[key]

    def _deliver(
        self, delivery: AlertDelivery, base: str, found: dict[str, tuple[tuple[SearchHit, ...], int] | None]
    ) -> str:
        """Render and send one address's email of the day (its alerts read again: one stopped meanwhile is
        left out); the SES message id, or "" when nothing is left to send."""
        address = self.store.get_address(delivery.email)
        if address is None:
            return ""
        day = AlertDay(as_of=delivery.day + timedelta(days=1))
        sections = []
        for alert in sorted(self.store.get_alerts(address.alert_ids), key=lambda a: a.created_at):
            if alert.kind is not AlertKind.SEARCH or not alert.confirmed:
                continue
            result = self._found(alert, day, found)
            if not result or not result[1]:
                continue
            hits, total = result
            assert alert.query is not None
            sections.append(
                {
                    "description": describe_search(alert.query),
                    "search_url": f"{base}/search?{alert.search}" if alert.search else f"{base}/search",
                    "total": total,
                    "more": max(0, total - len(hits)),
                    "entries": [
                        {
                            "reference": hit.reference,
                            "title": hit.title,
                            "publisher": hit.publisher,
                            "review_type": label_of(hit.review_type),
                            "year": hit.publication_date.value.year,
                            "url": record_link(base, hit.reference),
                        }
                        for hit in hits
                    ],
                    "stop_url": f"{base}/alerts/unsubscribe/{alert.stop_token}",
                }
            )
        if not sections:
            return ""
        stop_all = f"{base}/alerts/unsubscribe/{address.stop_token}"
        email = self.renderer.render(
            "daily_alert",
            {
                "day": f"{delivery.day:%-d %B %Y}",
                "sections": sections,
                "records": sum(section["total"] for section in sections),
                "stop_all_url": stop_all,
            },
        )
        return self.mailer.send(
            delivery.email, email.subject, email.text, email.html, headers=one_click_unsubscribe(stop_all)
        )
