"""What staff do with the alerts people signed up for: list them, remove one, ask for the daily run now."""

from __future__ import annotations

from datetime import date

from case_reviews.domain.alerts import Alert, AlertRunOutcome
from case_reviews.domain.errors import NotFound
from case_reviews.ports import AlertStore, Clock, RunQueue


class AlertAdministration:
    """What staff do with alerts: list them, remove one, and ask for the daily run now."""

    def __init__(self, store: AlertStore, clock: Clock, runs: RunQueue | None = None) -> None:
        self.store = store
        self.clock = clock
        self.runs = runs

    def alerts(self) -> list[Alert]:
        """Every alert, pending or confirmed (pending ones past their 7 days are left out: they are going)."""
        now = self.clock.now()
        return [alert for alert in self.store.all_alerts() if alert.confirmed or now <= alert.confirm_by]

    def remove(self, alert_id: str) -> Alert:
        alert = self.store.get_alert(alert_id)
        if alert is None:
            raise NotFound(f"No alert {alert_id}.")
        self.store.remove_alert(alert)
        return alert

    def request_run(self, as_of: date | None, run_id: str | None = None) -> str:
        """Queue a daily run now, as the schedule does (the alerts function does it, with its own role)."""
        if self.runs is None:
            raise RuntimeError("no alerts queue is configured")
        return self.runs.request(as_of, run_id=run_id)

    def run_outcome(self, run_id: str) -> AlertRunOutcome | None:
        return self.store.run_outcome(run_id)
