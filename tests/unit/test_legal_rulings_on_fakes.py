"""Staff rulings on fakes (services/rulings.py): hold, release, extend, take down and edit a record, each
written with its audit entry over the version read, and announced so the index follows."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from pydantic import ValidationError

from case_reviews.adapters.clock import SetClock
from case_reviews.domain.audit import AuditAction, TakeDownReason
from case_reviews.domain.description import MetadataCorrection
from case_reviews.domain.errors import ChangedMeanwhile, NotFound, RulingRefused
from case_reviews.domain.events import DetailType
from case_reviews.domain.rules import TAKE_DOWN_PUBLIC_REASON
from case_reviews.domain.vocabulary import CopyStatus
from case_reviews.services.retention import RetentionService
from case_reviews.services.rulings import LegalRulings
from tests.unit.catalogue_on_fakes import Catalogue
from tests.unit.fakes import RecordingRunQueue

STAFF = "arn:aws:iam::123456789012:user/librarian"
REFERENCE = "CR-2016-0001"


@pytest.fixture
def today(now: datetime) -> date:
    return now.date()


@pytest.fixture
def catalogue(today: date) -> Catalogue:
    catalogue = Catalogue()
    catalogue.with_copy(1, until=today + timedelta(days=100))
    return catalogue


@pytest.fixture
def rulings(catalogue: Catalogue, clock: SetClock) -> LegalRulings:
    return LegalRulings(catalogue.records, catalogue.records, catalogue.removal, catalogue.events, clock)


def changed_events(catalogue: Catalogue) -> list[dict[str, object]]:
    return [detail for kind, detail in catalogue.announced() if kind == DetailType.RECORD_CHANGED]


def test_a_hold_is_written_with_its_audit_entry_and_announced(catalogue, rulings, now) -> None:
    # Given a record with an available copy
    # When staff hold it
    outcome = rulings.hold(REFERENCE, "  Litigation pending  ", actor=STAFF)
    # Then the stored copy is held with the reason, at the next version
    stored = catalogue.record(REFERENCE)
    assert (stored.version, stored.electronic_copy.held, stored.electronic_copy.hold_reason) == (
        2,
        True,
        "Litigation pending",
    )
    assert (outcome.action, outcome.version, outcome.electronic_copy) == (AuditAction.HELD, 2, stored.electronic_copy)
    # And the audit trail says who, what, why and what changed; the index is told of the new version
    [entry] = catalogue.records.audit_trail(REFERENCE)
    assert (entry.actor, entry.action, entry.reason, entry.version) == (
        STAFF,
        AuditAction.HELD,
        "Litigation pending",
        2,
    )
    assert entry.changes["copy.held"].model_dump() == {"before": False, "after": True}
    assert entry == outcome.audit and entry.at >= now
    assert changed_events(catalogue) == [{"reference": REFERENCE, "version": 2}]


def test_a_held_copy_past_its_day_is_kept_until_released_then_removed_by_the_next_run(
    catalogue, rulings, clock, today
) -> None:
    # Given a held copy whose last day is brought into the past
    rulings.hold(REFERENCE, "Court order", actor=STAFF)
    rulings.extend(REFERENCE, today - timedelta(days=1), actor=STAFF, reason="Brought forward")
    run = RetentionService(catalogue.retention, catalogue.removal, RecordingRunQueue(), clock)
    # When the day's run goes, then staff release the hold and the run goes again
    kept = run.apply(None, lambda: True)
    rulings.release(REFERENCE, actor=STAFF)
    removed = run.apply(None, lambda: True)
    # Then the first run keeps it (held), the second removes it
    assert (kept.removed, kept.held) == ([], [REFERENCE])
    assert (removed.removed, removed.held) == ([REFERENCE], [])
    actions = [entry.action for entry in catalogue.records.audit_trail(REFERENCE)]
    assert actions == [AuditAction.HELD, AuditAction.EXTENDED, AuditAction.RELEASED, AuditAction.REMOVED_BY_RETENTION]


def test_extending_sets_the_last_day_and_the_audit_keeps_both_days(catalogue, rulings, today) -> None:
    # Given a copy available for 100 more days
    later = today + timedelta(days=900)
    # When staff extend it
    outcome = rulings.extend(REFERENCE, later, actor=STAFF, reason="Board asked for longer")
    # Then the copy is available until then, and the audit entry holds the day before and after
    assert (
        outcome.electronic_copy.available_until == later == catalogue.record(REFERENCE).electronic_copy.available_until
    )
    change = outcome.audit.changes["copy.available_until"]
    assert (change.before, change.after) == ((today + timedelta(days=100)).isoformat(), later.isoformat())


def test_a_take_down_removes_the_copy_at_once_with_a_neutral_public_reason(catalogue, rulings, today) -> None:
    # Given a record with an available copy
    # When staff take it down on a court order, with a note
    outcome = rulings.take_down(REFERENCE, TakeDownReason.COURT_ORDER, actor=STAFF, note="Order 2026/17")
    # Then the files are gone; the public sees a neutral sentence, the audit trail the code and the note
    copy = catalogue.record(REFERENCE).electronic_copy
    assert catalogue.files.objects == {}
    assert (copy.status, copy.removed_on, copy.removal_reason) == (CopyStatus.REMOVED, today, TAKE_DOWN_PUBLIC_REASON)
    assert (outcome.action, outcome.audit.reason, outcome.audit.note) == (
        AuditAction.TAKEN_DOWN,
        "court_order",
        "Order 2026/17",
    )
    # And the removal is announced (the index drops the text and link)
    assert [kind for kind, _ in catalogue.announced()] == [DetailType.COPY_REMOVED]


def test_a_held_copy_cannot_be_taken_down_until_released(catalogue, rulings) -> None:
    # Given a held copy
    rulings.hold(REFERENCE, "Litigation pending", actor=STAFF)
    # When staff try to take it down
    with pytest.raises(RulingRefused, match="release it"):
        rulings.take_down(REFERENCE, TakeDownReason.ERROR, actor=STAFF)
    # Then the copy stays
    assert catalogue.record(REFERENCE).has_copy and catalogue.files.objects


def test_a_hold_placed_while_a_take_down_runs_wins(catalogue, rulings, now) -> None:
    # Given staff holding the copy after the take-down checked the record, before the removal reads it again
    reads = []
    read = catalogue.records.get_record

    def get_record(reference: str):
        reads.append(reference)
        if len(reads) == 2:
            catalogue.records.records[reference] = read(reference).with_hold("Court order", now)
        return read(reference)

    catalogue.records.get_record = get_record  # type: ignore[method-assign]
    # When the take-down goes on
    with pytest.raises(RulingRefused, match="release it"):
        rulings.take_down(REFERENCE, TakeDownReason.BOARD_REQUEST, actor=STAFF)
    # Then the copy is still there, held, and nothing was announced
    assert catalogue.record(REFERENCE).electronic_copy.held and catalogue.files.objects
    assert catalogue.announced() == []


def test_a_ruling_over_a_record_changed_meanwhile_writes_nothing(catalogue, rulings, now) -> None:
    # Given another ruling written between this one's read and its write
    def edit_meanwhile() -> None:
        catalogue.records.before_write = None
        current = catalogue.record(REFERENCE)
        catalogue.records.records[REFERENCE] = current.model_copy(update={"version": current.version + 1})

    catalogue.records.before_write = edit_meanwhile
    # When staff hold the copy
    with pytest.raises(ChangedMeanwhile):
        rulings.hold(REFERENCE, "Litigation pending", actor=STAFF)
    # Then nothing of it is written, audited or announced
    assert not catalogue.record(REFERENCE).electronic_copy.held
    assert (catalogue.records.audit, catalogue.announced()) == ([], [])


def test_an_edit_corrects_the_description_and_audits_the_fields_changed(catalogue, rulings) -> None:
    # Given a record titled as deposited
    correction = MetadataCorrection.model_validate({"title": "Child K: Overview Report (corrected)"})
    # When staff correct its title
    outcome = rulings.edit(REFERENCE, correction, actor=STAFF, reason="Typo in the title")
    # Then the record reads the new title, the reference stays, and only the title is in the entry's changes
    assert catalogue.record(REFERENCE).title == "Child K: Overview Report (corrected)"
    assert (outcome.reference, outcome.action, list(outcome.audit.changes)) == (
        REFERENCE,
        AuditAction.EDITED,
        ["title"],
    )
    assert changed_events(catalogue) == [{"reference": REFERENCE, "version": 2}]


@pytest.mark.parametrize("reason", ["", "no", "x" * 501, "bad\x07bell"], ids=["empty", "short", "long", "control"])
def test_a_hold_needs_a_readable_reason(catalogue, rulings, reason: str) -> None:
    # Given a reason too short, too long or with a control character
    # When staff hold the copy with it
    with pytest.raises(ValidationError):
        rulings.hold(REFERENCE, reason, actor=STAFF)
    # Then nothing changed
    assert (catalogue.record(REFERENCE).version, catalogue.records.audit) == (1, [])


def test_a_ruling_on_an_unknown_record_says_so(rulings) -> None:
    # Given no record CR-2016-0999
    # When staff rule on it, or ask for its trail
    # Then each says there is no such record
    for ruling in (
        lambda: rulings.hold("CR-2016-0999", "Court order", actor=STAFF),
        lambda: rulings.take_down("CR-2016-0999", TakeDownReason.ERROR, actor=STAFF),
        lambda: rulings.audit("CR-2016-0999"),
    ):
        with pytest.raises(NotFound, match="No record CR-2016-0999"):
            ruling()


def test_the_audit_trail_lists_every_ruling_oldest_first(rulings, clock, today) -> None:
    # Given a hold, its release and an extension, one after another
    rulings.hold(REFERENCE, "Court order", actor=STAFF)
    clock.advance(timedelta(minutes=1))
    rulings.release(REFERENCE, actor=STAFF, reason="Order lifted")
    clock.advance(timedelta(minutes=1))
    rulings.extend(REFERENCE, today + timedelta(days=500), actor=STAFF)
    # When staff read the trail
    trail = rulings.audit(REFERENCE)
    # Then it lists the three, oldest first, each at the version it made
    assert [(entry.action, entry.version) for entry in trail] == [
        (AuditAction.HELD, 2),
        (AuditAction.RELEASED, 3),
        (AuditAction.EXTENDED, 4),
    ]
