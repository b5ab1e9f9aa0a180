"""Staff give a catalogue-only record its electronic copy: the file passes the checks a deposit passes."""

from __future__ import annotations

import hashlib
import tempfile
from pathlib import Path

from case_reviews.domain.audit import AuditAction, AuditEntry
from case_reviews.domain.errors import ChangedMeanwhile, DuplicateContent, NotFound, RulingRefused, UploadRejected
from case_reviews.domain.events import DetailType, RecordChanged
from case_reviews.domain.files import DownloadedObject
from case_reviews.domain.holds import checked_copy
from case_reviews.domain.records import new_copy
from case_reviews.domain.review import board_mentions
from case_reviews.observability import logger
from case_reviews.ports import Clock, EventBus, FileStore, PdfInspector, RecordStore
from case_reviews.services.catalogue import checked_inspection
from case_reviews.services.rulings import RulingOutcome

_HEAD_BYTES = 1024
_CHUNK = 1024 * 1024


def local_file(path: Path, limit_bytes: int) -> DownloadedObject:
    """A file on disk as a download is described: its size, checksum and first bytes (reading stops past the
    limit, as a download does, so an oversize file is refused without being read whole)."""
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as source:
        head = source.read(_HEAD_BYTES)
        digest.update(head)
        size = len(head)
        while size <= limit_bytes and (chunk := source.read(_CHUNK)):
            digest.update(chunk)
            size += len(chunk)
    return DownloadedObject(path=path, size_bytes=size, sha256=digest.hexdigest(), head=head)


class CopyAttachmentService:
    """Attaches a file to a record that has never had a copy (`case-reviews records attach REF FILE`).

    The file is checked and inspected as a deposit is (an anonymous record's copy is stripped), a file
    already in the library is refused by the reference that holds it, and the record, its checksum
    claim and its audit entry are written together; the index then follows (RecordChanged).
    """

    def __init__(
        self,
        records: RecordStore,
        store: FileStore,
        inspector: PdfInspector,
        events: EventBus,
        clock: Clock,
        max_bytes: int,
    ) -> None:
        self.records = records
        self.store = store
        self.inspector = inspector
        self.events = events
        self.clock = clock
        self.max_bytes = max_bytes

    def attach(self, reference: str, path: Path, actor: str, despite_mentions: bool = False) -> RulingOutcome:
        """Attach `path` as the record's copy; an anonymous record's copy that names its publisher is refused
        (with where) unless staff say they have checked it (`despite_mentions`)."""
        now = self.clock.now()
        record = self.records.get_record(reference)
        if record is None:
            raise NotFound(f"No record {reference}.")
        # Refused before the file is read: a record with (or past) a copy is not given another.
        record.check_can_attach()
        file = local_file(path, self.max_bytes)
        existing = self.records.reference_for_content(file.sha256)
        if existing:
            raise RulingRefused(f"This file is already in the library as {existing}.")
        with tempfile.TemporaryDirectory(prefix="attach-") as workdir:
            try:
                inspected = checked_inspection(self.inspector, file, Path(workdir), self.max_bytes, record.anonymous)
            except UploadRejected as rejection:
                raise RulingRefused(f"{path.name} cannot be attached: {rejection}") from None
            if record.anonymous and record.board_name and not despite_mentions:
                text = inspected.text_path.read_text(encoding="utf-8")
                mentions = board_mentions([record.board_name], [], text)
                if mentions:
                    where = ", ".join(dict.fromkeys(place for place, _ in mentions))
                    raise RulingRefused(
                        f"{reference} is anonymous, but {where} of {path.name} names {record.board_name}; "
                        "attach a copy without the name, or give --despite-mentions once you have checked it."
                    )
            checked = checked_copy(inspected, file.sha256)
            changed = record.with_copy_attached(new_copy(reference, checked, now.date()), now)
            copy = changed.electronic_copy
            assert copy is not None and copy.object_key and copy.text_key
            self.store.write_copy(copy.object_key, inspected.stored_path, copy.text_key, inspected.text_path)
        entry = AuditEntry.for_change(record, changed, actor=actor, action=AuditAction.ATTACHED, reason=None, now=now)
        try:
            saved = self.records.save_copy_attached(changed, entry)
        except DuplicateContent as duplicate:  # the same file was deposited meanwhile
            saved, existing = False, duplicate.reference
        if not saved:
            # Nothing of the record changed: the files written for it go again, unless another attach won
            # meanwhile and its record now points at them.
            current = self.records.get_record(reference)
            if current is None or current.electronic_copy is None:
                self.store.delete(copy.object_key)
                self.store.delete(copy.text_key)
            if existing:
                raise RulingRefused(f"This file is already in the library as {existing}.")
            raise ChangedMeanwhile(f"{reference} changed while the copy was being attached; nothing was changed.")
        self.events.publish(DetailType.RECORD_CHANGED, RecordChanged(reference=reference, version=changed.version))
        logger.info("Copy attached", extra={"reference": reference, "version": changed.version})
        return RulingOutcome(
            reference=reference,
            action=AuditAction.ATTACHED,
            version=changed.version,
            electronic_copy=changed.electronic_copy,
            audit=entry,
        )
