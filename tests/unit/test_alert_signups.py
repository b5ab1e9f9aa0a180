"""Alerts with in-memory fakes: what each sign-up sends, the links, the limits and the daily run."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest

from case_reviews.adapters.clock import SetClock
from case_reviews.adapters.email import JinjaEmailRenderer
from case_reviews.api.search import saved_search
from case_reviews.domain.alerts import MAX_ALERTS_PER_ADDRESS, AlertKind
from case_reviews.domain.errors import NotFound, RateLimited
from case_reviews.messages import AlertsRunRecord
from case_reviews.services.alert_signup import AlertSignUp, SignUpLimits
from case_reviews.services.daily_alerts import DailyAlerts
from case_reviews.services.digest import SubscriptionService
from infra.local.stack import AlertsSchedule
from tests.support.events import load_event
from tests.unit.factories import a_hit
from tests.unit.fakes import (
    CountingRateLimiter,
    InMemoryAlertStore,
    InMemorySubscriberStore,
    MemoryOnce,
    RecordingMailer,
    ScriptedSearchIndex,
)

BASE = "https://reviews.example.org/v1"
READER = "reader@example.org"
NOW = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)


class World:
    """The alert services over fakes, sharing one store, one mailbox and one clock."""

    def __init__(self, limits: SignUpLimits | None = None, index: ScriptedSearchIndex | None = None) -> None:
        self.clock = SetClock(NOW)
        self.store = InMemoryAlertStore()
        self.subscribers = InMemorySubscriberStore()
        self.mailer = RecordingMailer()
        self.index = index or ScriptedSearchIndex()
        renderer = JinjaEmailRenderer()
        subscriptions = SubscriptionService(self.subscribers, self.clock)
        self.signups = AlertSignUp(
            self.store, subscriptions, CountingRateLimiter(), self.mailer, renderer, self.clock, limits
        )
        self.daily = DailyAlerts(self.store, self.index, self.mailer, renderer, MemoryOnce(), self.clock)

    def sign_up_search(self, search: str, email: str = READER) -> None:
        kept, query = saved_search(search)
        self.signups.sign_up(email, AlertKind.SEARCH, kept, query, BASE)

    def last_link(self, kind: str) -> str:
        _, _, text, _ = self.mailer.sent[-1]
        return re.findall(rf"{BASE}/alerts/{kind}/([A-Za-z0-9_-]+)", text)[0]


def test_a_sign_up_sends_one_confirmation_with_a_one_click_cancel_and_nothing_else() -> None:
    # Given nobody signed up yet
    world = World()
    # When a reader signs up for a saved search
    world.sign_up_search("q=neglect&theme=Neglect")
    # Then one email goes out: the confirmation, with a link to confirm and one (also a header) to cancel
    ((to, subject, text, _),) = world.mailer.sent
    assert to == READER and subject.startswith("Please confirm")
    assert '"neglect" · Theme: Neglect' in text and "/alerts/confirm/" in text
    cancel = f"{BASE}/alerts/unsubscribe/{world.last_link('unsubscribe')}"
    assert world.mailer.headers[-1] == {
        "List-Unsubscribe": f"<{cancel}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }
    assert not any(alert.confirmed for alert in world.store.alerts.values())


def test_signing_up_again_for_the_same_search_renews_the_link_instead_of_a_second_alert() -> None:
    world = World()
    world.sign_up_search("q=neglect&theme=Neglect")
    first = world.last_link("confirm")
    world.sign_up_search("theme=neglect&q=neglect&page_size=5")
    second = world.last_link("confirm")
    assert len(world.store.alerts) == 1
    assert first != second
    with pytest.raises(NotFound):
        world.signups.pending_confirmation(first)
    assert "neglect" in world.signups.pending_confirmation(second)


def test_a_confirmed_alert_asked_for_again_is_told_to_its_address_and_nothing_changes() -> None:
    world = World()
    world.sign_up_search("q=neglect")
    world.signups.confirm(world.last_link("confirm"))
    world.sign_up_search("q=neglect")
    _, subject, text, _ = world.mailer.sent[-1]
    assert subject.startswith("About your alert") and "already receives" in text
    assert len(world.store.alerts) == 1


def test_the_twenty_first_alert_is_refused_by_email_with_a_link_that_stops_them_all() -> None:
    world = World(SignUpLimits(per_address=100, per_client=100))
    for year in range(2000, 2000 + MAX_ALERTS_PER_ADDRESS + 1):
        world.sign_up_search(f"year={year}")
    assert len(world.store.alerts) == MAX_ALERTS_PER_ADDRESS
    _, _, text, _ = world.mailer.sent[-1]
    assert "already has 20 alerts" in text
    world.signups.stop(world.last_link("unsubscribe"))
    assert world.store.alerts == {}


def test_a_pending_alert_past_its_seven_days_no_longer_counts_and_its_link_has_expired() -> None:
    world = World(SignUpLimits(per_address=100, per_client=100))
    for year in range(2000, 2000 + MAX_ALERTS_PER_ADDRESS):
        world.sign_up_search(f"year={year}")
    stale = world.last_link("confirm")
    world.clock.set(NOW + timedelta(days=8))
    world.sign_up_search("year=2030")
    assert world.mailer.sent[-1][1].startswith("Please confirm")
    with pytest.raises(NotFound):
        world.signups.confirm(stale)


def test_the_rate_limits_count_per_address_and_per_client() -> None:
    world = World(SignUpLimits(per_address=2, per_client=2))
    world.signups.check_rate(READER, "192.0.2.1")
    world.signups.check_rate(READER, "192.0.2.1")
    with pytest.raises(RateLimited) as per_address:
        world.signups.check_rate(READER, "192.0.2.2")
    world.signups.check_rate("other@example.org", "192.0.2.3")
    with pytest.raises(RateLimited) as per_client:
        world.signups.check_rate("third@example.org", "192.0.2.1")
    assert 0 < per_address.value.retry_after_seconds <= 24 * 3600
    assert 0 < per_client.value.retry_after_seconds <= 3600


def test_a_confirmed_digest_sign_up_becomes_a_digest_subscriber() -> None:
    world = World()
    world.signups.sign_up(READER, AlertKind.DIGEST, None, None, BASE)
    world.signups.confirm(world.last_link("confirm"))
    assert list(world.subscribers.by_email) == [READER]
    assert world.store.alerts == {}


def test_the_daily_run_sends_one_email_per_address_of_its_matches_and_a_rerun_none() -> None:
    # Given yesterday's deposits (neglect twice, housing once) and one older, and two readers' saved searches
    yesterday = NOW - timedelta(days=1)
    index = ScriptedSearchIndex(
        (a_hit(reference="CR-2016-0001", themes=("neglect",)), yesterday),
        (a_hit(reference="CR-2016-0002", themes=("neglect",)), yesterday),
        (a_hit(reference="CR-2016-0003", themes=("housing",)), yesterday),
        (a_hit(reference="CR-2015-0009", themes=("neglect",)), yesterday - timedelta(days=3)),
    )
    world = World(index=index)
    for email, search in [(READER, "theme=neglect"), (READER, "theme=housing"), ("other@example.org", "theme=infants")]:
        world.sign_up_search(search, email)
        world.signups.confirm(world.last_link("confirm"))
    sent_before = len(world.mailer.sent)
    # When today's run happens, twice
    first = world.daily.run(BASE, as_of=NOW.date())
    second = world.daily.run(BASE, as_of=NOW.date())
    # Then the reader gets one email with both searches' matches of yesterday, the other reader none
    ((to, subject, text, _),) = world.mailer.sent[sent_before:]
    assert to == READER and "3 added on" in subject
    assert all(f"/reviews/CR-2016-000{n}" in text for n in (1, 2, 3)) and "CR-2015-0009" not in text
    assert world.mailer.headers[-1]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert (first.delivered, second.delivered, first.alerts, first.addresses) == (1, 0, 3, 1)
    assert all(query.added_from == datetime(2026, 11, 25, tzinfo=UTC) for query in index.queries)


def test_the_schedule_s_message_and_the_local_schedule_read_as_the_template_says() -> None:
    record = AlertsRunRecord.model_validate(load_event("alerts/on_demand_as_of.json")["Records"][0])
    assert record.body.as_of.isoformat() == "2026-11-27" and record.body.run_id == "staff-run-1"
    # 06:00 Europe/London: at 06:00 GMT in winter, at 05:00 UTC in summer
    assert AlertsSchedule.next_run(datetime(2026, 1, 10, 7, tzinfo=UTC)) == datetime(2026, 1, 11, 6, tzinfo=UTC)
    assert AlertsSchedule.next_run(datetime(2026, 7, 10, 4, tzinfo=UTC)) == datetime(2026, 7, 10, 5, tzinfo=UTC)
