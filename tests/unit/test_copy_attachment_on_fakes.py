"""Staff attaching a copy to a catalogue-only record on fakes (services/attachment.py): the file passes a
deposit's checks, an anonymous record's copy must not name its publisher, a file is in the library once."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from case_reviews.adapters.clock import SetClock
from case_reviews.domain.audit import AuditAction
from case_reviews.domain.errors import ChangedMeanwhile, NotFound, RulingRefused
from case_reviews.domain.events import DetailType
from case_reviews.domain.vocabulary import CopyStatus
from case_reviews.services.attachment import CopyAttachmentService
from tests.unit.factories import a_record, available_copy
from tests.unit.fakes import InMemoryFileStore, InMemoryRecordStore, RecordingEventBus, ScriptedInspector

REFERENCE = "CR-1998-0001"
STAFF = "librarian"


class Attaching:
    def __init__(self, clock: SetClock, **record: object) -> None:
        fields = {"reference": REFERENCE, "board_id": None, "board_name": "Northshire ACPC", "submission_id": None}
        self.records = InMemoryRecordStore(a_record(**{**fields, "electronic_copy": None, **record}))
        self.files = InMemoryFileStore()
        self.inspector = ScriptedInspector()
        self.events = RecordingEventBus()
        self.service = CopyAttachmentService(
            self.records, self.files, self.inspector, self.events, clock, max_bytes=10_000
        )


@pytest.fixture
def attaching(clock: SetClock) -> Attaching:
    return Attaching(clock)


@pytest.fixture
def pdf(tmp_path: Path) -> Path:
    path = tmp_path / "child-a.pdf"
    path.write_bytes(b"%PDF-1.7 the scanned 1998 report")
    return path


def test_an_attached_file_becomes_the_record_s_copy_with_its_audit_entry(attaching, pdf, now) -> None:
    # Given a catalogue-only record and a PDF
    # When staff attach it
    outcome = attaching.service.attach(REFERENCE, pdf, actor=STAFF)
    # Then the record holds an available copy from today, its files stored, at the next version
    record = attaching.records.get_record(REFERENCE)
    copy = record.electronic_copy
    assert (copy.status, record.deposited_on, record.version) == (CopyStatus.AVAILABLE, now.date(), 2)
    assert set(attaching.files.objects) == {copy.object_key, copy.text_key}
    # And the audit trail says who attached it; the index is told of the new version
    assert (outcome.action, outcome.audit.actor) == (AuditAction.ATTACHED, STAFF)
    assert attaching.records.audit_trail(REFERENCE) == [outcome.audit]
    assert [(kind, detail.model_dump()) for kind, detail in attaching.events.published] == [
        (DetailType.RECORD_CHANGED, {"reference": REFERENCE, "version": 2})
    ]


def test_a_record_that_has_or_had_a_copy_is_not_given_another(clock, pdf) -> None:
    # Given a record with a copy
    attaching = Attaching(clock, electronic_copy=available_copy())
    # When staff attach a file to it
    with pytest.raises(RulingRefused, match="already has an electronic copy"):
        attaching.service.attach(REFERENCE, pdf, actor=STAFF)
    # Then the file is not even inspected
    assert attaching.inspector.inspected == []


def test_a_file_already_in_the_library_is_refused_by_the_record_holding_it(attaching, pdf) -> None:
    # Given the same file catalogued as another record
    attaching.service.attach(REFERENCE, pdf, actor=STAFF)
    attaching.records.records["CR-1998-0002"] = a_record(reference="CR-1998-0002", electronic_copy=None)
    # When staff attach it to a second record
    # Then it is refused, naming the first
    with pytest.raises(RulingRefused, match=f"already in the library as {REFERENCE}"):
        attaching.service.attach("CR-1998-0002", pdf, actor=STAFF)


def test_a_file_that_fails_a_deposit_s_checks_is_refused_with_the_reason(attaching, tmp_path) -> None:
    # Given a file that is not a PDF
    path = tmp_path / "report.docx"
    path.write_bytes(b"PK\x03\x04 a word file")
    # When staff attach it
    # Then they are told why, and nothing is written
    with pytest.raises(RulingRefused, match=re.escape("report.docx cannot be attached: The file is not a PDF")):
        attaching.service.attach(REFERENCE, path, actor=STAFF)
    assert (attaching.files.objects, attaching.records.get_record(REFERENCE).version) == ({}, 1)


def test_an_anonymous_record_s_copy_that_names_its_publisher_needs_staff_s_word(clock, pdf) -> None:
    # Given an anonymous record, and a file whose second page names its publisher
    attaching = Attaching(clock, anonymous=True)
    attaching.inspector.text = "Child A\fwritten for North-\nshire ACPC"
    # When staff attach it
    with pytest.raises(RulingRefused, match=re.escape("page 2 of child-a.pdf names Northshire ACPC")):
        attaching.service.attach(REFERENCE, pdf, actor=STAFF)
    # Then nothing is written; with --despite-mentions the stripped copy is attached
    assert attaching.files.objects == {}
    outcome = attaching.service.attach(REFERENCE, pdf, actor=STAFF, despite_mentions=True)
    assert outcome.electronic_copy.metadata_stripped and attaching.inspector.inspected == [True, True]


def test_a_record_changed_while_the_copy_was_attached_keeps_nothing_of_it(attaching, pdf) -> None:
    # Given staff editing the record while the file is attached
    def edited_meanwhile() -> None:
        current = attaching.records.get_record(REFERENCE)
        attaching.records.records[REFERENCE] = current.model_copy(update={"version": current.version + 1})

    attaching.records.before_write = edited_meanwhile
    # When the attachment is written
    with pytest.raises(ChangedMeanwhile):
        attaching.service.attach(REFERENCE, pdf, actor=STAFF)
    # Then the files written for it are gone again, and the record has no copy
    assert attaching.files.objects == {} and attaching.records.get_record(REFERENCE).electronic_copy is None
    assert attaching.events.published == []


def test_attaching_to_an_unknown_record_says_so(attaching, pdf) -> None:
    # Given no record CR-1998-0099
    # When staff attach a file to it
    # Then it is not found
    with pytest.raises(NotFound, match="No record CR-1998-0099"):
        attaching.service.attach("CR-1998-0099", pdf, actor=STAFF)
