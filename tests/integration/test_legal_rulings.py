"""Legal rulings (hold, release, extend, take-down) and the audit trail, on the embedded AWS and a real OpenSearch."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

import pytest
from botocore.exceptions import ClientError

from case_reviews import bootstrap
from case_reviews.adapters.dynamodb.mapping import audit_to_item
from case_reviews.adapters.dynamodb.table import to_attributes
from case_reviews.domain import audit
from case_reviews.domain.audit import AuditAction, AuditEntry, TakeDownReason
from case_reviews.domain.errors import ChangedMeanwhile, RulingRefused
from case_reviews.domain.vocabulary import CopyStatus
from tests.integration.conftest import client
from tests.integration.helpers import call_api
from tests.integration.test_retention import day_after_last, deposited_today, run_retention, stored_versions

__all__ = ["deposited_today"]  # the fixture, shared with the retention tests

STAFF = "arn:aws:sts::123456789012:assumed-role/library-staff/j.smith"


def now() -> datetime:
    return bootstrap.services().clock.now()


def record(reference: str):
    return bootstrap.services().records_store.get_record(reference)


def trail(reference: str) -> list[tuple[str, str, str | None]]:
    return [(e.action.value, e.actor, e.reason) for e in bootstrap.services().rulings.audit(reference)]


def test_a_held_copy_survives_its_expiry_run_and_goes_at_the_first_run_after_release(deposited_today, pipeline):
    # Given a copy on legal hold
    reference = deposited_today
    as_of = day_after_last(reference)
    rulings = bootstrap.services().rulings
    rulings.hold(reference, "Litigation pending: preserve", STAFF)
    pipeline.drain()

    # When the retention run comes the day after its last available day, then staff release it and a run comes again
    preview_held = bootstrap.services().retention.copies_due(as_of)
    held_run = bootstrap.services().retention.apply(as_of, has_time=lambda: True)
    kept = record(reference).electronic_copy
    files_kept = stored_versions(f"reports/{reference}")
    rulings.release(reference, STAFF)
    preview_released = [copy.reference for copy in bootstrap.services().retention.copies_due(as_of)]
    released_run = run_retention(as_of)
    pipeline.drain()

    # Then the held copy was neither listed nor removed (the run only counted it as held past its date);
    # after release it was due, and the first run removed it
    assert preview_held == []
    assert (held_run.removed, held_run.failed, held_run.held) == ([], [], [reference])
    assert (kept.status, kept.held, kept.hold_reason) == (CopyStatus.AVAILABLE, True, "Litigation pending: preserve")
    assert files_kept != []
    assert preview_released == [reference]
    assert released_run == {"batchItemFailures": []}
    assert record(reference).electronic_copy.status is CopyStatus.REMOVED
    assert stored_versions(f"reports/{reference}") == stored_versions(f"text/{reference}") == []
    # ... and the trail names staff for the rulings and the schedule for the removal
    assert [(action, actor) for action, actor, _ in trail(reference)][1:] == [
        ("held", STAFF),
        ("released", STAFF),
        ("removed_by_retention", "retention-schedule"),
    ]


def test_extending_later_keeps_the_copy_and_earlier_makes_it_due(deposited_today, pipeline):
    # Given a copy due the day after its last available day
    reference = deposited_today
    as_of = day_after_last(reference)
    later = as_of + timedelta(days=30)
    today = now().date()
    rulings = bootstrap.services().rulings

    # When staff extend it by thirty days and the run comes on the old date; then they set it to yesterday
    rulings.extend(reference, later, STAFF)
    pipeline.drain()
    searched = call_api("GET", "/reviews?q=Child%20K")[1]["items"][0]["electronic_copy"]
    due_on_old_date = bootstrap.services().retention.copies_due(as_of)
    run_retention(as_of)
    kept = record(reference).electronic_copy.status
    rulings.extend(reference, today - timedelta(days=1), STAFF, reason="Board asked for early removal")
    due_today = [copy.reference for copy in bootstrap.services().retention.copies_due(today)]
    run_retention(today)
    pipeline.drain()

    # Then the later date kept it (and search shows the new date); the earlier date made it due at the next run
    assert searched["available_until"] == later.isoformat()
    assert due_on_old_date == []
    assert kept is CopyStatus.AVAILABLE
    assert due_today == [reference]
    assert record(reference).electronic_copy.status is CopyStatus.REMOVED
    extended = [e for e in bootstrap.services().rulings.audit(reference) if e.action is AuditAction.EXTENDED]
    assert [e.changes["copy.available_until"].after for e in extended] == [
        later.isoformat(),
        (today - timedelta(days=1)).isoformat(),
    ]
    assert extended[1].reason == "Board asked for early removal"
    # ... and the index caught up with every change
    assert bootstrap.services().index_upkeep.check().in_sync


def test_a_take_down_removes_the_copy_at_once_and_the_trail_says_who_when_what_and_why(
    deposited_today, pipeline, board_key
):
    # Given a deposited copy that staff held, then released
    reference = deposited_today
    rulings = bootstrap.services().rulings
    before = now()
    rulings.hold(reference, "Court order expected", STAFF)
    with pytest.raises(RulingRefused) as refused_while_held:
        rulings.take_down(reference, TakeDownReason.COURT_ORDER, STAFF)
    rulings.release(reference, STAFF)

    # When staff take it down under a court order, with a note of their own
    outcome = rulings.take_down(reference, TakeDownReason.COURT_ORDER, STAFF, note="Order of 3 March, Family Court")
    pipeline.drain()

    # Then every version of the file and its text is gone, and the record says it was withdrawn, neutrally
    assert "release it" in str(refused_while_held.value)
    assert outcome.electronic_copy.status is CopyStatus.REMOVED
    assert stored_versions(f"reports/{reference}") == stored_versions(f"text/{reference}") == []
    status, public, _ = call_api("GET", f"/reviews/{reference}")
    assert status == 200
    assert public["electronic_copy"] == {
        "status": "removed",
        "removed_on": now().date().isoformat(),
        "reason": "Withdrawn by the library.",
    }
    assert "court_order" not in str(public) and "Family Court" not in str(public)
    # ... the download is gone, search by metadata still finds the record, and its text no longer matches
    assert call_api("GET", f"/reviews/{reference}/download")[0] == 410
    by_title = call_api("GET", "/reviews?q=Child%20K")[1]["items"]
    assert [(item["reference"], item["electronic_copy"]["status"]) for item in by_title] == [(reference, "removed")]
    assert call_api("GET", "/reviews?q=quarrelsome")[1]["total"] == 0
    # ... and the audit trail holds every step, in order, with who, when, what and why (the code, for staff)
    entries = rulings.audit(reference)
    board_id, _ = board_key
    assert [(e.action.value, e.actor, e.reason) for e in entries] == [
        ("deposited", f"board:{board_id}", f"submission {record(reference).submission_id}"),
        ("held", STAFF, "Court order expected"),
        ("released", STAFF, None),
        ("taken_down", STAFF, "court_order"),
    ]
    assert [e.version for e in entries] == [1, 2, 3, 4]
    assert all(before <= e.at <= now() for e in entries[1:])
    assert entries[1].changes["copy.held"].model_dump() == {"before": False, "after": True}
    assert entries[3].changes["copy.status"].model_dump() == {"before": "available", "after": "removed"}
    assert entries[3].changes["copy.removal_reason"].after == "Withdrawn by the library."
    assert entries[3].note == "Order of 3 March, Family Court"


def test_rulings_that_do_not_apply_are_refused_and_change_nothing(deposited_today):
    # Given a held copy, and a copy taken down
    rulings = bootstrap.services().rulings
    rulings.hold(deposited_today, "Preserve for the inquiry", STAFF)
    version = record(deposited_today).version

    # When staff hold it again, and extend it to its own date
    with pytest.raises(RulingRefused, match="already on legal hold"):
        rulings.hold(deposited_today, "Again", STAFF)
    with pytest.raises(RulingRefused, match="already available until"):
        rulings.extend(deposited_today, record(deposited_today).electronic_copy.available_until, STAFF)
    rulings.release(deposited_today, STAFF)
    rulings.take_down(deposited_today, TakeDownReason.ERROR, STAFF)

    # Then nothing was written for the refusals; and a copy already gone cannot be extended or held
    assert record(deposited_today).version == version + 2
    for ruling in (
        lambda: rulings.extend(deposited_today, now().date(), STAFF),
        lambda: rulings.hold(deposited_today, "Too late", STAFF),
    ):
        with pytest.raises(RulingRefused, match="no available electronic copy"):
            ruling()
    assert [action for action, _, _ in trail(deposited_today)] == ["deposited", "held", "released", "taken_down"]


def test_a_ruling_over_a_record_changed_meanwhile_writes_neither_the_change_nor_its_entry(deposited_today, monkeypatch):
    # Given staff read the record, and someone else extends it before their hold is written
    reference = deposited_today
    repository = bootstrap.services().records_store
    stale = repository.get_record(reference)
    bootstrap.services().rulings.extend(reference, stale.electronic_copy.available_until + timedelta(days=9), "other")
    monkeypatch.setattr(repository, "get_record", lambda _reference: stale)

    # When the hold is written over the version they read
    with pytest.raises(ChangedMeanwhile):
        bootstrap.services().rulings.hold(reference, "Preserve", STAFF)
    monkeypatch.undo()

    # Then the transaction wrote nothing: the record is not held, and the trail has no hold
    assert record(reference).electronic_copy.held is False
    assert [action for action, _, _ in trail(reference)] == ["deposited", "extended"]


def test_an_audit_entry_that_cannot_be_written_leaves_the_record_unchanged(deposited_today, monkeypatch):
    # Given the audit item the hold would write already exists (the transaction's second write will fail)
    reference = deposited_today
    fixed = uuid.UUID(int=42)
    monkeypatch.setattr(audit.uuid, "uuid4", lambda: fixed)
    at = now()
    blocking = AuditEntry(
        entry_id=fixed.hex, reference=reference, at=at, actor="x", action=AuditAction.HELD, version=99
    )
    client("dynamodb").put_item(
        TableName=bootstrap.services().settings.table.catalogue_table_name,
        Item=to_attributes(audit_to_item(blocking)),
    )
    version = record(reference).version

    # When staff hold the record at that very moment
    monkeypatch.setattr(bootstrap.services().clock, "now", lambda: at)
    with pytest.raises(ClientError, match="TransactionCanceled"):
        bootstrap.services().rulings.hold(reference, "Preserve", STAFF)

    # Then the record's change was cancelled with it: same version, not held
    current = record(reference)
    assert (current.version, current.electronic_copy.held) == (version, False)


def test_an_unknown_record_is_not_found(aws):
    # Given no record CR-1900-9999
    # When staff ask for its audit trail or hold it
    # Then each is a NotFound naming it
    from case_reviews.domain.errors import NotFound

    for ruling in (
        lambda: bootstrap.services().rulings.audit("CR-1900-9999"),
        lambda: bootstrap.services().rulings.hold("CR-1900-9999", "Preserve", STAFF),
    ):
        with pytest.raises(NotFound, match="No record CR-1900-9999"):
            ruling()
