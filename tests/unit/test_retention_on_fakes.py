"""The five-year rule on fakes (services/retention.py, services/removal.py): which copies a run removes,
which it keeps, what it announces, and how a run that stopped half-way is finished."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from case_reviews.adapters.clock import SetClock
from case_reviews.domain.audit import RETENTION_ACTOR, AuditAction
from case_reviews.domain.events import DetailType
from case_reviews.domain.rules import RETENTION_REMOVAL_REASON
from case_reviews.domain.vocabulary import CopyStatus
from case_reviews.services.removal import Removal
from case_reviews.services.retention import RetentionService
from tests.unit.catalogue_on_fakes import Catalogue
from tests.unit.fakes import RecordingRunQueue


def always() -> bool:
    return True


class Budget:
    """`has_time` for a run that may do `steps` things before it must stop."""

    def __init__(self, steps: int) -> None:
        self.left = steps

    def __call__(self) -> bool:
        self.left -= 1
        return self.left >= 0


@pytest.fixture
def catalogue() -> Catalogue:
    return Catalogue()


@pytest.fixture
def runs() -> RecordingRunQueue:
    return RecordingRunQueue()


@pytest.fixture
def retention(catalogue: Catalogue, runs: RecordingRunQueue, clock: SetClock) -> RetentionService:
    return RetentionService(catalogue.retention, catalogue.removal, runs, clock)


@pytest.fixture
def today(now: datetime) -> date:
    return now.date()


def test_a_run_removes_the_copies_past_their_last_day_and_keeps_the_rest(catalogue, retention, today) -> None:
    # Given a copy whose last day was yesterday, one whose last day is today, and one held past its day
    catalogue.with_copy(1, until=today - timedelta(days=1))
    catalogue.with_copy(2, until=today)
    catalogue.with_copy(3, until=today - timedelta(days=400), held=True)
    # When the day's run goes
    outcome = retention.apply(None, always)
    # Then only the first is removed, the held one is reported as held, and nothing is left overdue
    assert (outcome.as_of, outcome.removed, outcome.held, outcome.failed) == (
        today,
        ["CR-2016-0001"],
        ["CR-2016-0003"],
        [],
    )
    assert (outcome.overdue, outcome.continued) == (0, False)
    assert [catalogue.record(f"CR-2016-000{n}").has_copy for n in (1, 2, 3)] == [False, True, True]


def test_a_removed_copy_loses_every_version_of_its_file_and_its_text_but_the_record_stays(
    catalogue, retention, today, now
) -> None:
    # Given a copy past its last day, its PDF stored in two versions, and its text
    catalogue.with_copy(1, until=today - timedelta(days=1))
    # When the run removes it
    retention.apply(None, always)
    # Then no version of either file is left; the record says when and why, and keeps the file's facts
    assert catalogue.files.objects == {}
    record = catalogue.record("CR-2016-0001")
    copy = record.electronic_copy
    assert (copy.status, copy.removed_on, copy.removal_reason) == (CopyStatus.REMOVED, today, RETENTION_REMOVAL_REASON)
    assert (copy.object_key, copy.text_key, copy.sha256, record.version) == (None, None, copy.sha256, 2)
    # And the audit trail names the schedule and the rule
    [entry] = catalogue.records.audit_trail("CR-2016-0001")
    assert (entry.actor, entry.action, entry.reason) == (
        RETENTION_ACTOR,
        AuditAction.REMOVED_BY_RETENTION,
        RETENTION_REMOVAL_REASON,
    )


def test_each_removal_is_announced_once_so_the_index_drops_the_text_and_link(catalogue, retention, today) -> None:
    # Given a copy past its last day
    catalogue.with_copy(1, until=today - timedelta(days=1))
    # When the run goes twice
    retention.apply(None, always)
    again = retention.apply(None, always)
    # Then ElectronicCopyRemoved was published once, and the second run found nothing to do
    removals = [detail for kind, detail in catalogue.announced() if kind == DetailType.COPY_REMOVED]
    assert removals == [{"reference": "CR-2016-0001", "removed_on": today.isoformat()}]
    assert (again.removed, again.announced) == ([], [])


def test_a_removal_saved_but_not_announced_is_announced_by_the_next_run(catalogue, retention, today) -> None:
    # Given a copy past its last day, and a bus that does not answer during the run
    catalogue.with_copy(1, until=today - timedelta(days=1))
    catalogue.events.publish = _fails  # type: ignore[method-assign]
    first = retention.apply(None, always)
    # (the run saved the removal, could not announce it, and says so)
    assert (first.removed, first.failed, catalogue.record("CR-2016-0001").has_copy) == ([], ["CR-2016-0001"], False)
    del catalogue.events.publish
    # When the next run goes
    outcome = retention.apply(None, always)
    # Then it announces the removal it found unannounced, and removes nothing twice
    assert (outcome.announced, outcome.removed, outcome.failed) == (["CR-2016-0001"], [], [])
    assert [kind for kind, _ in catalogue.announced()] == [DetailType.COPY_REMOVED]
    assert list(catalogue.retention.removals_unannounced()) == []
    assert len(catalogue.records.audit_trail("CR-2016-0001")) == 1


def _fails(*_arguments: object) -> str:
    raise ConnectionError("EventBridge did not answer")


def test_a_hold_placed_after_the_run_listed_the_copy_wins(catalogue, retention, today, now, monkeypatch) -> None:
    # Given a copy past its last day, listed by the (eventually consistent) expiry index before staff held it
    catalogue.with_copy(1, until=today - timedelta(days=1))
    listed = list(catalogue.retention.records_with_copy_due(today))
    catalogue.records.records["CR-2016-0001"] = listed[0].with_hold("Court order", now)
    monkeypatch.setattr(catalogue.retention, "records_with_copy_due", lambda _as_of: iter(listed))
    # When the run goes
    outcome = retention.apply(None, always)
    # Then the fresh read of the record sees the hold: nothing is removed, and the copy is reported held
    assert (outcome.removed, outcome.failed, outcome.held) == ([], [], ["CR-2016-0001"])
    assert catalogue.record("CR-2016-0001").has_copy and "reports/CR-2016-0001.pdf" in catalogue.files.objects


def test_a_record_changed_during_the_removal_is_left_to_whoever_changed_it(catalogue, today, now) -> None:
    # Given a copy past its last day, and staff extending it between the removal's read and its write
    catalogue.with_copy(1, until=today - timedelta(days=1))

    def staff_extend() -> None:
        current = catalogue.record("CR-2016-0001")
        catalogue.records.records[current.reference] = current.with_available_until(today + timedelta(days=90), now)

    catalogue.records.before_write = staff_extend
    removal = Removal(
        public_reason="r", actor=RETENTION_ACTOR, action=AuditAction.REMOVED_BY_RETENTION, audit_reason="r"
    )
    # When the removal is written
    removed = catalogue.removal.remove("CR-2016-0001", removal, now)
    # Then it is not: the extension stands, nothing is announced, nothing is audited
    assert removed is None
    assert catalogue.record("CR-2016-0001").electronic_copy.available_until == today + timedelta(days=90)
    assert (catalogue.announced(), catalogue.records.audit) == ([], [])


def test_one_copy_that_cannot_be_removed_does_not_hold_up_the_others(catalogue, retention, today) -> None:
    # Given two copies past their last day, the first of whose files the store refuses to delete
    catalogue.with_copy(1, until=today - timedelta(days=2))
    catalogue.with_copy(2, until=today - timedelta(days=1))
    catalogue.files.failing.add("reports/CR-2016-0001.pdf")
    # When the run goes
    outcome = retention.apply(None, always)
    # Then the second is removed, the first reported failed and still available (and so overdue)
    assert (outcome.removed, outcome.failed, outcome.overdue) == (["CR-2016-0002"], ["CR-2016-0001"], 1)
    assert catalogue.record("CR-2016-0001").has_copy


def test_a_run_out_of_time_queues_the_rest_of_itself_with_its_run_id(catalogue, retention, runs, today) -> None:
    # Given three copies past their last day, and a run with time for two
    for number in (1, 2, 3):
        catalogue.with_copy(number, until=today - timedelta(days=4 - number))
    # When a followed run goes
    outcome = retention.apply(today, Budget(2), run_id="run-7")
    # Then it removed two, queued the rest of the same run, and recorded its part first
    assert (outcome.removed, outcome.continued) == (["CR-2016-0001", "CR-2016-0002"], True)
    assert runs.requested == [(today, "run-7")]
    # And the successor removes the third; the run's report is then finished and whole
    retention.apply(today, always, run_id="run-7")
    report = retention.run_report("run-7")
    assert (report.finished, report.invocations, report.removed) == (
        True,
        2,
        ["CR-2016-0001", "CR-2016-0002", "CR-2016-0003"],
    )


def test_copies_ending_within_thirty_days_are_warned_of_once_and_staff_asked_for_the_day_s_list(
    catalogue, retention, today
) -> None:
    # Given copies ending today, in 30 days and in 31 days, and one held that ends in a week
    catalogue.with_copy(1, until=today)
    catalogue.with_copy(2, until=today + timedelta(days=30))
    catalogue.with_copy(3, until=today + timedelta(days=31))
    catalogue.with_copy(4, until=today + timedelta(days=7), held=True)
    # When the day's run goes, and goes again
    first = retention.apply(None, always)
    second = retention.apply(None, always)
    # Then the two in the window are warned of once each; each run asks for staff's summary of the window
    assert (first.expiring, first.warned, first.summary_requested) == (2, ["CR-2016-0001", "CR-2016-0002"], True)
    assert (second.warned, second.summary_requested) == ([], True)
    kinds = [kind for kind, _ in catalogue.announced()]
    assert kinds.count(DetailType.EXPIRY_APPROACHING) == 2 and kinds.count(DetailType.EXPIRY_SUMMARY_DUE) == 2
    summary = next(detail for kind, detail in catalogue.announced() if kind == DetailType.EXPIRY_SUMMARY_DUE)
    assert summary == {"as_of": today.isoformat(), "until": (today + timedelta(days=30)).isoformat()}


def test_a_copy_given_a_new_last_day_is_warned_of_again_for_that_day(catalogue, retention, today, now) -> None:
    # Given a copy already warned of for its last day in ten days, then given a last day in twenty
    catalogue.with_copy(1, until=today + timedelta(days=10))
    retention.apply(None, always)
    current = catalogue.record("CR-2016-0001")
    catalogue.records.records[current.reference] = current.with_available_until(today + timedelta(days=20), now)
    # When the next run goes
    outcome = retention.apply(None, always)
    # Then the board is warned again, of the new day
    assert outcome.warned == ["CR-2016-0001"]
    approaching = [detail for kind, detail in catalogue.announced() if kind == DetailType.EXPIRY_APPROACHING]
    assert [detail["available_until"] for detail in approaching] == [
        (today + timedelta(days=10)).isoformat(),
        (today + timedelta(days=20)).isoformat(),
    ]


def test_a_run_with_nothing_expiring_asks_for_no_summary(catalogue, retention, today) -> None:
    # Given only a copy ending in a year
    catalogue.with_copy(1, until=today + timedelta(days=365))
    # When the run goes
    outcome = retention.apply(None, always)
    # Then nothing is announced
    assert (outcome.expiring, outcome.summary_requested, catalogue.announced()) == (0, False, [])


def test_a_run_for_a_later_day_removes_what_is_due_by_then(catalogue, retention, today) -> None:
    # Given a copy ending in ten days
    catalogue.with_copy(1, until=today + timedelta(days=10))
    # When staff ask for a run as of eleven days on, and list what is due by then
    due = retention.copies_due(today + timedelta(days=11))
    outcome = retention.apply(today + timedelta(days=11), always)
    # Then the copy was due, and is removed
    assert [copy.reference for copy in due] == ["CR-2016-0001"]
    assert outcome.removed == ["CR-2016-0001"]


def test_staff_asking_for_a_run_queues_it(retention, runs, today) -> None:
    # Given staff asking for a followed run as of a day
    # When the run is requested
    message = retention.request_run(today, run_id="run-9")
    # Then one run is queued, for that day and id
    assert (runs.requested, bool(message)) == ([(today, "run-9")], True)
