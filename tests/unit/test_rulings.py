"""The pure rules of legal rulings and the audit trail: what each ruling does to a record, and what is audited."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest

from case_reviews.adapters.dynamodb.keys import audit_key
from case_reviews.adapters.dynamodb.mapping import audit_from, audit_to_item, record_to_item
from case_reviews.domain.audit import AuditAction, AuditEntry, TakeDownReason, changed_fields
from case_reviews.domain.errors import RulingRefused
from case_reviews.domain.events import DetailType
from case_reviews.domain.rules import is_due_for_removal
from case_reviews.messages import CatalogueChangeRecord
from tests.support.events import load_event
from tests.unit.factories import BOARD_ID, a_record, available_copy, removed_copy
from tests.unit.staff_cli import StaffCli

NOW = datetime(2027, 1, 4, 9, 15, tzinfo=UTC)


@pytest.mark.parametrize(
    ("held", "as_of", "due"),
    [
        (False, date(2031, 11, 26), False),
        (False, date(2031, 11, 27), True),
        (True, date(2031, 11, 27), False),
        (True, date(2040, 1, 1), False),
    ],
    ids=["last day", "day after", "held the day after", "held years later"],
)
def test_a_copy_is_due_after_its_last_day_unless_held(held: bool, as_of: date, due: bool) -> None:
    # Given a copy available until 26 November 2031, held or not
    # When the rule is applied on a day
    # Then it is due only after its last day, and never while held
    assert is_due_for_removal(date(2031, 11, 26), held, as_of) is due


def test_a_hold_keeps_the_copy_and_its_release_lifts_it() -> None:
    # Given a record with an available copy
    record = a_record()
    # When staff hold it, then release it
    held = record.with_hold("Litigation pending", NOW)
    released = held.with_hold_released(NOW + timedelta(hours=1))
    # Then the hold is on the copy with its reason, and gone after release; each bumps the version
    assert (held.electronic_copy.held, held.electronic_copy.hold_reason) == (True, "Litigation pending")
    assert (released.electronic_copy.held, released.electronic_copy.hold_reason) == (False, None)
    assert (record.version, held.version, released.version) == (1, 2, 3)
    assert released.updated_at == NOW + timedelta(hours=1)
    assert released.electronic_copy.available_until == record.electronic_copy.available_until


@pytest.mark.parametrize(
    ("ruling", "message"),
    [
        (lambda r: r.with_hold("Again", NOW).with_hold("Twice", NOW), "already on legal hold"),
        (lambda r: r.with_hold_released(NOW), "not on legal hold"),
        (lambda r: r.with_available_until(r.electronic_copy.available_until, NOW), "already available until"),
        (lambda r: r.with_hold("Keep", NOW).check_can_take_down(), "release it"),
        (lambda r: r.model_copy(update={"electronic_copy": removed_copy()}).with_hold("x", NOW), "no available"),
        (lambda r: r.model_copy(update={"electronic_copy": None}).with_available_until(date(2040, 1, 1), NOW), "no av"),
        (lambda r: r.model_copy(update={"electronic_copy": removed_copy()}).check_can_take_down(), "no available"),
    ],
    ids=["hold twice", "release unheld", "same date", "take down held", "hold removed", "extend none", "remove twice"],
)
def test_a_ruling_that_does_not_apply_is_refused(ruling, message: str) -> None:
    # Given a record, and a ruling that does not fit its state
    # When the ruling is applied
    # Then it is refused, saying why
    with pytest.raises(RulingRefused, match=message):
        ruling(a_record())


@pytest.mark.parametrize("until", [date(2040, 1, 1), date(2020, 1, 1)], ids=["later", "earlier"])
def test_extend_sets_the_last_available_day_either_way(until: date) -> None:
    # Given a record whose copy is available until 26 November 2031
    # When staff set another last day
    extended = a_record().with_available_until(until, NOW)
    # Then the copy is available until then (an earlier day makes it due at once)
    assert extended.electronic_copy.available_until == until
    assert is_due_for_removal(until, False, NOW.date()) is (until < NOW.date())


def test_an_audit_entry_records_only_the_fields_that_changed() -> None:
    # Given a record and its held version
    before = a_record()
    after = before.with_hold("Preserve", NOW)
    # When the change is audited
    entry = AuditEntry.for_change(before, after, actor="staff", action=AuditAction.HELD, reason="Preserve", now=NOW)
    # Then it names who, when, what, why and the version, and the before/after of the two changed fields only
    assert (entry.actor, entry.at, entry.action, entry.reason, entry.version) == (
        "staff",
        NOW,
        AuditAction.HELD,
        "Preserve",
        2,
    )
    assert {name: change.model_dump() for name, change in entry.changes.items()} == {
        "copy.held": {"before": False, "after": True},
        "copy.hold_reason": {"before": None, "after": "Preserve"},
    }


def test_a_removal_is_audited_with_its_public_reason_and_status() -> None:
    # Given a record whose copy is removed
    before = a_record()
    after = before.with_copy_removed(NOW.date(), "Withdrawn by the library.", NOW)
    # When the fields that changed are listed
    changes = changed_fields(before, after)
    # Then the status, the day and the public reason are among them; the checksum is not
    assert changes["copy.status"].model_dump() == {"before": "available", "after": "removed"}
    assert changes["copy.removed_on"].after == NOW.date().isoformat()
    assert changes["copy.removal_reason"].after == "Withdrawn by the library."
    assert set(changes) == {"copy.status", "copy.removed_on", "copy.removal_reason"}


def test_the_deposit_is_the_first_entry_and_names_the_board() -> None:
    # Given a catalogued record
    record = a_record()
    # When its deposit is audited
    entry = AuditEntry.for_deposit(record)
    # Then the board deposited it when the record was created, with its fields as they were
    assert (entry.entry_id, entry.actor, entry.at, entry.action, entry.version) == (
        "deposit",
        f"board:{BOARD_ID}",
        record.created_at,
        AuditAction.DEPOSITED,
        1,
    )
    assert entry.changes["title"].after == record.title
    assert entry.changes["copy.available_until"].after == "2031-11-26"


def test_a_held_copy_leaves_the_partition_the_retention_run_reads() -> None:
    # Given a record with an available copy, held and not held
    # When each is mapped to its table item
    free = record_to_item(a_record())
    held = record_to_item(a_record(electronic_copy=available_copy(held=True, hold_reason="Preserve")))
    # Then only the free one is in the "available" partition; the held one is in its own, with the same order
    assert (free.expiry_pk, held.expiry_pk) == ("COPY#available", "COPY#held")
    assert free.expiry_sk == held.expiry_sk == "2031-11-26#CR-2016-0001"
    assert held.model_extra["electronic_copy"]["held"] is True


def test_audit_entries_sort_by_time_and_survive_the_table() -> None:
    # Given two entries a second apart, the earlier written in a later-looking time zone
    record = a_record()
    later = AuditEntry.for_change(
        record, record.with_hold("x y z", NOW), actor="a", action=AuditAction.HELD, reason="x y z", now=NOW
    )
    earlier = AuditEntry.model_validate(
        {**later.model_dump(), "at": datetime.fromisoformat("2027-01-04T10:14:59+01:00")}
    )
    # When they are keyed and mapped to items and back
    keys = [audit_key(entry.reference, entry.at, entry.entry_id)["sk"] for entry in (later, earlier)]
    # Then the sort key orders them by UTC time, and an entry reads back as written
    assert keys[1] < keys[0]
    assert keys[0].startswith("AUDIT#2027-01-04T09:15:00.000000Z#")
    assert audit_from(audit_to_item(later).model_dump(mode="json")) == later


def test_the_index_queue_carries_a_record_changed_by_staff() -> None:
    # Given the index queue's sample of a record changed by a ruling
    record = CatalogueChangeRecord.model_validate(load_event("index/record_changed.json")["Records"][0])
    # When its body is read
    # Then it is a RecordChanged event naming the record and its version
    assert record.body.detail_type is DetailType.RECORD_CHANGED
    assert (record.body.detail.reference, record.body.detail.version) == ("CR-2016-0001", 3)


@pytest.mark.parametrize(
    ("arguments", "call"),
    [
        (("records", "hold", "CR-2016-0001", "--reason", "Litigation"), ("hold", ("Litigation",), {})),
        (("records", "release", "CR-2016-0001"), ("release", (), {"reason": None})),
        (
            ("records", "extend", "CR-2016-0001", "--until", "2033-01-31"),
            ("extend", (date(2033, 1, 31),), {"reason": None}),
        ),
        (
            ("records", "take-down", "CR-2016-0001", "--code", "court_order", "--note", "Order of 3 March"),
            ("take_down", (TakeDownReason.COURT_ORDER,), {"note": "Order of 3 March"}),
        ),
        (
            ("records", "take-down", "CR-2016-0001", "--reason", "court_order"),
            ("take_down", (TakeDownReason.COURT_ORDER,), {"note": None}),
        ),
    ],
    ids=["hold", "release", "extend", "take-down", "take-down with the older --reason"],
)
def test_the_ruling_commands_parse(
    staff_cli: StaffCli, arguments: tuple[str, ...], call: tuple[str, tuple[object, ...], dict[str, object]]
) -> None:
    # Given a ruling command as staff type it, on the local stack
    method, given, keywords = call
    getattr(staff_cli.services.rulings, method).return_value.model_dump.return_value = {"reference": "CR-2016-0001"}
    # When it runs
    ran = staff_cli(*arguments, "--local", "--json")
    # Then the ruling is asked for the reference, with its options read and the local staff member named
    assert ran.status == 0, ran.err
    called = getattr(staff_cli.services.rulings, method).call_args
    *arguments_given, actor = called.args
    assert (arguments_given, called.kwargs) == (["CR-2016-0001", *given], keywords)
    assert actor.startswith("local:")
    assert json.loads(ran.out) == {"reference": "CR-2016-0001"}


def test_the_audit_command_parses(staff_cli: StaffCli) -> None:
    # Given `records audit REF --json`
    staff_cli.services.rulings.audit.return_value = []
    # When it runs
    ran = staff_cli("records", "audit", "CR-2016-0001", "--json")
    # Then the trail of that record is printed as JSON
    staff_cli.services.rulings.audit.assert_called_once_with("CR-2016-0001")
    assert json.loads(ran.out) == []


@pytest.mark.parametrize(
    "arguments",
    [
        ("records", "take-down", "CR-2016-0001", "--reason", "because"),
        ("records", "take-down", "CR-2016-0001"),
        ("records", "hold", "CR-2016-0001"),
        ("records", "extend", "CR-2016-0001", "--until", "2033-02-30"),
    ],
    ids=["unknown code", "no code", "hold without reason", "no such day"],
)
def test_a_ruling_without_its_required_reason_or_with_a_bad_value_is_refused(
    staff_cli: StaffCli, arguments: tuple[str, ...]
) -> None:
    # Given a ruling command missing its reason, or with a code or date that is not allowed
    # When it runs
    ran = staff_cli(*arguments)
    # Then it is refused as a usage error (exit status 2, one line), before anything is touched
    assert ran.status == 2
    assert len(ran.err.strip().splitlines()) == 1
    assert staff_cli.connected == []
