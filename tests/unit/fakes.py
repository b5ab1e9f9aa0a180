"""In-memory fakes of the ports, for unit tests of the services (pure logic, no AWS, no OpenSearch)."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from case_reviews.domain.alerts import Alert, AlertAddress, AlertRunOutcome, AlertToken, TokenPurpose
from case_reviews.domain.audit import AuditEntry
from case_reviews.domain.boards import Board, Credential, Submission
from case_reviews.domain.digest import Subscriber
from case_reviews.domain.errors import ChangedMeanwhile, DuplicateContent, UploadRejected
from case_reviews.domain.events import DetailType
from case_reviews.domain.files import DownloadedObject, InspectedPdf, PresignedUpload
from case_reviews.domain.historic import ImportClaim, ImportInProgress
from case_reviews.domain.holds import ReviewHold
from case_reviews.domain.queues import QueueDepth, QueuedMessage
from case_reviews.domain.records import CatalogueRecord
from case_reviews.domain.rules import format_reference
from case_reviews.domain.runs import RetentionRunPart
from case_reviews.domain.search import SearchHit, SearchPage, SearchQuery
from case_reviews.domain.vocabulary import CopyStatus, SubmissionStatus

R = TypeVar("R")


class InMemoryBoardStore:
    """The BoardStore port over dictionaries; `credentials` is what a leaked table would show."""

    def __init__(self) -> None:
        self.boards: dict[str, Board] = {}
        self.credentials: dict[str, Credential] = {}

    def save_board(self, board: Board, created_at: datetime) -> None:
        self.boards[board.board_id] = board

    def update_board(self, board: Board) -> bool:
        if board.board_id not in self.boards:
            return False
        self.boards[board.board_id] = board
        return True

    def get_board(self, board_id: str) -> Board | None:
        return self.boards.get(board_id)

    def list_boards(self) -> list[Board]:
        return list(self.boards.values())

    def save_credential(self, credential: Credential) -> None:
        self.credentials[credential.key_hash] = credential

    def get_credential(self, key_hash: str) -> Credential | None:
        return self.credentials.get(key_hash)

    def revoke_credentials(self, board_id: str, revoked_at: datetime, key_hash: str | None = None) -> int:
        live = [c for c in self.credentials.values() if c.board_id == board_id and not c.revoked]
        chosen = [c for c in live if key_hash is None or c.key_hash == key_hash]
        for credential in chosen:
            self.credentials[credential.key_hash] = credential.model_copy(
                update={"revoked": True, "revoked_at": revoked_at}
            )
        return len(chosen)


class InMemorySubmissionStore:
    """The SubmissionStore port over a dictionary."""

    def __init__(self) -> None:
        self.submissions: dict[str, Submission] = {}

    def create_submission(self, submission: Submission) -> None:
        assert submission.submission_id not in self.submissions
        self.submissions[submission.submission_id] = submission

    def get_submission(self, submission_id: str) -> Submission | None:
        return self.submissions.get(submission_id)

    def board_submissions(
        self, board_id: str, limit: int, after: dict[str, str] | None = None
    ) -> tuple[list[Submission], dict[str, str] | None]:
        """Newest first, `limit` at a time; the position is the index to go on from."""
        own = sorted(
            (s for s in self.submissions.values() if s.board_id == board_id), key=lambda s: s.created_at, reverse=True
        )
        start = int(after["next"]) if after else 0
        following = start + limit
        return own[start:following], {"next": str(following)} if following < len(own) else None

    def catalogued_references(self, board_id: str) -> list[str]:
        own = sorted(
            (s for s in self.submissions.values() if s.board_id == board_id), key=lambda s: s.created_at, reverse=True
        )
        catalogued = (s.reference for s in own if s.status is SubmissionStatus.CATALOGUED and s.reference)
        return list(dict.fromkeys(catalogued))

    def start_processing(self, submission_id: str, now: datetime) -> Submission:
        current = self.submissions.get(submission_id)
        if current is None:
            raise LookupError(submission_id)
        if current.status.is_final or current.status is SubmissionStatus.IN_REVIEW:
            return current
        moved = current.model_copy(update={"status": SubmissionStatus.PROCESSING, "updated_at": now})
        self.submissions[submission_id] = moved
        return moved

    def assign_reference(self, submission: Submission, year: int) -> str:
        submission_id = submission.submission_id
        current = self.submissions[submission_id]
        if current.reference is None:
            taken = sum(1 for s in self.submissions.values() if s.reference and s.reference[3:7] == f"{year:04d}")
            current = current.model_copy(update={"reference": f"CR-{year:04d}-{taken + 1:04d}"})
            self.submissions[submission_id] = current
        assert current.reference is not None
        return current.reference

    def close_submission(
        self,
        submission_id: str,
        status: SubmissionStatus,
        now: datetime,
        reason: str | None = None,
        reference: str | None = None,
        hold: ReviewHold | None = None,
    ) -> Submission:
        current = self.submissions[submission_id]
        if not current.status.is_final:
            changes = {"status": status, "updated_at": now, "reason": reason or current.reason}
            changes |= {"reference": reference or current.reference, "hold": hold or current.hold}
            current = current.model_copy(update=changes)
            self.submissions[submission_id] = current
        return current

    def submissions_in_review(self) -> list[Submission]:
        held = (s for s in self.submissions.values() if s.status is SubmissionStatus.IN_REVIEW)
        return sorted(held, key=lambda submission: submission.created_at)


class InMemoryRecordStore:
    """The RecordStore and AuditStore ports over dictionaries, with the table's conditions: a write over a
    version fails if the record changed, a checksum is claimed once, and the audit trail only grows.

    `submissions`, when given, is the store `commit_catalogued` closes a deposit's submission in (one
    transaction in the table). `before_write`, when set, runs before each conditional write: what another
    writer does meanwhile (a staff ruling during a removal, a second delivery)."""

    def __init__(self, *records: CatalogueRecord, submissions: InMemorySubmissionStore | None = None) -> None:
        self.records = {record.reference: record for record in records}
        self.claims: dict[str, str] = {
            record.electronic_copy.sha256: record.reference
            for record in records
            if record.electronic_copy is not None and record.electronic_copy.sha256
        }
        self.audit: list[AuditEntry] = []
        self.submissions = submissions
        self.before_write: Callable[[], None] | None = None

    def _meanwhile(self) -> None:
        if self.before_write is not None:
            self.before_write()

    def get_record(self, reference: str) -> CatalogueRecord | None:
        return self.records.get(reference)

    def get_records(self, references: Sequence[str]) -> list[CatalogueRecord]:
        return [self.records[reference] for reference in dict.fromkeys(references) if reference in self.records]

    def reference_for_content(self, sha256: str) -> str | None:
        return self.claims.get(sha256)

    def commit_catalogued(self, record: CatalogueRecord, now: datetime) -> None:
        assert record.electronic_copy is not None and record.submission_id is not None
        self._meanwhile()
        if record.reference in self.records:
            return  # another delivery committed this very submission first
        claimed = self.claims.get(record.electronic_copy.sha256)
        if claimed is not None and claimed != record.reference:
            raise DuplicateContent(claimed)
        if self.submissions is not None:
            submission = self.submissions.submissions[record.submission_id]
            if submission.status not in _UNDECIDED:
                raise ChangedMeanwhile(f"Submission {record.submission_id} was decided meanwhile.")
            self.submissions.submissions[record.submission_id] = submission.model_copy(
                update={
                    "status": SubmissionStatus.CATALOGUED,
                    "reference": record.reference,
                    "updated_at": now,
                    "hold": None,
                }
            )
        self.records[record.reference] = record
        self.claims[record.electronic_copy.sha256] = record.reference
        self.audit.append(AuditEntry.for_deposit(record))

    def add_record(self, record: CatalogueRecord) -> bool:
        if record.reference in self.records:
            return False
        self.records[record.reference] = record
        return True

    def put_new_records(self, records: Sequence[CatalogueRecord]) -> None:
        self.records |= {record.reference: record for record in records}

    def save_copy_attached(self, changed: CatalogueRecord, entry: AuditEntry) -> bool:
        assert changed.electronic_copy is not None
        self._meanwhile()
        if not self._is_next_version(changed):
            return False
        claimed = self.claims.get(changed.electronic_copy.sha256)
        if claimed is not None:
            raise DuplicateContent(claimed)
        self.claims[changed.electronic_copy.sha256] = changed.reference
        self._write(changed, entry)
        return True

    def save_change(self, changed: CatalogueRecord, entry: AuditEntry) -> bool:
        self._meanwhile()
        if not self._is_next_version(changed):
            return False
        self._write(changed, entry)
        return True

    def audit_trail(self, reference: str) -> list[AuditEntry]:
        return sorted((entry for entry in self.audit if entry.reference == reference), key=lambda entry: entry.at)

    def all_records(self) -> Iterator[CatalogueRecord]:
        yield from sorted(self.records.values(), key=lambda record: record.reference)

    def records_added(self, start: datetime, end: datetime) -> Iterator[CatalogueRecord]:
        added = [r for r in self.records.values() if r.submission_id and start <= r.created_at < end]
        yield from sorted(added, key=lambda record: record.created_at)

    def _is_next_version(self, changed: CatalogueRecord) -> bool:
        stored = self.records.get(changed.reference)
        return stored is not None and stored.version == changed.version - 1

    def _write(self, changed: CatalogueRecord, entry: AuditEntry) -> None:
        self.records[changed.reference] = changed
        self.audit.append(entry)


# A submission is undecided (a deposit may still publish it) while open or held for review.
_UNDECIDED = {SubmissionStatus.AWAITING_UPLOAD, SubmissionStatus.PROCESSING, SubmissionStatus.IN_REVIEW}


class InMemoryRetentionStore:
    """The RetentionStore port over the records of an InMemoryRecordStore (one table): the copies by their
    last day as the sparse expiry index lists them (held ones apart), warnings, unannounced removals, run parts."""

    def __init__(self, records: InMemoryRecordStore) -> None:
        self.catalogue = records
        self.warnings: dict[tuple[str, date], datetime] = {}
        self.unannounced: set[str] = set()
        self.parts: list[RetentionRunPart] = []

    def _listed(self, held: bool) -> list[CatalogueRecord]:
        listed = [
            record
            for record in self.catalogue.records.values()
            if record.electronic_copy is not None
            and record.electronic_copy.status is CopyStatus.AVAILABLE
            and record.electronic_copy.held is held
        ]
        return sorted(listed, key=lambda record: (record.electronic_copy.available_until, record.reference))  # type: ignore[union-attr]

    def records_with_copy_due(self, as_of: date) -> Iterator[CatalogueRecord]:
        yield from (r for r in self._listed(held=False) if r.electronic_copy.available_until < as_of)  # type: ignore[union-attr]

    def copies_expiring(self, first_day: date, last_day: date) -> Iterator[CatalogueRecord]:
        yield from (r for r in self._listed(held=False) if first_day <= r.electronic_copy.available_until <= last_day)  # type: ignore[union-attr]

    def held_copies_due(self, as_of: date) -> Iterator[CatalogueRecord]:
        yield from (r for r in self._listed(held=True) if r.electronic_copy.available_until < as_of)  # type: ignore[union-attr]

    def expiry_warnings_recorded(self, first_day: date, last_day: date) -> set[tuple[str, date]]:
        return {(reference, day) for reference, day in self.warnings if first_day <= day <= last_day}

    def record_expiry_warning(self, reference: str, available_until: date, now: datetime) -> None:
        self.warnings[(reference, available_until)] = now

    def save_copy_removed(self, removed: CatalogueRecord, entry: AuditEntry) -> bool:
        self.catalogue._meanwhile()
        if not self.catalogue._is_next_version(removed):
            return False
        self.catalogue._write(removed, entry)
        self.unannounced.add(removed.reference)
        return True

    def removals_unannounced(self) -> Iterator[CatalogueRecord]:
        yield from (self.catalogue.records[reference] for reference in sorted(self.unannounced))

    def mark_removal_announced(self, reference: str) -> None:
        self.unannounced.discard(reference)

    def record_run_part(self, part: RetentionRunPart) -> None:
        self.parts.append(part)

    def run_parts(self, run_id: str) -> list[RetentionRunPart]:
        return sorted((part for part in self.parts if part.run_id == run_id), key=lambda part: part.recorded_at)


class InMemoryImportStore:
    """The ImportStore port: claims by natural key, yearly reference counters, and the one import lock."""

    def __init__(self) -> None:
        self.claims: dict[str, ImportClaim] = {}
        self.counters: dict[int, int] = {}
        # (run, until) of the lock's holder, as the lock item keeps it after it is let go.
        self.lock: tuple[str, datetime] | None = None

    def import_claims(self, natural_keys: Sequence[str]) -> dict[str, str]:
        return {key: self.claims[key].reference for key in natural_keys if key in self.claims}

    def allocate_references(self, year: int, count: int) -> list[str]:
        first = self.counters.get(year, 0) + 1
        self.counters[year] = first + count - 1
        return [format_reference(year, number) for number in range(first, first + count)]

    def put_claims(self, claims: Sequence[ImportClaim]) -> None:
        self.claims |= {claim.natural_key: claim for claim in claims}

    def begin_import(self, run: str, now: datetime, until: datetime) -> None:
        if self.lock is not None and self.lock[1] > now:
            raise ImportInProgress(f"another import is running (until {self.lock[1].isoformat()})")
        self.lock = (run, until)

    def renew_import(self, run: str, now: datetime, until: datetime) -> None:
        if self.lock is None or self.lock[0] != run:
            raise ImportInProgress("another import took the lock")
        self.lock = (run, until)

    def end_import(self, run: str, now: datetime) -> None:
        if self.lock is not None and self.lock[0] == run:
            self.lock = (run, now)

    def held_at(self, now: datetime) -> bool:
        """Whether some import holds the lock at `now`."""
        return self.lock is not None and self.lock[1] > now


class InMemorySubscriberStore:
    def __init__(self, *subscribers: Subscriber) -> None:
        self.by_email = {subscriber.email: subscriber for subscriber in subscribers}

    def add_subscriber(self, subscriber: Subscriber) -> bool:
        return self.by_email.setdefault(subscriber.email, subscriber) is subscriber

    def remove_subscriber(self, email: str) -> bool:
        return self.by_email.pop(email, None) is not None

    def get_subscriber(self, email: str) -> Subscriber | None:
        return self.by_email.get(email)

    def subscriber_for_token(self, token: str) -> str | None:
        return next((s.email for s in self.by_email.values() if s.token == token), None)

    def subscribers(self) -> Iterator[Subscriber]:
        yield from sorted(self.by_email.values(), key=lambda subscriber: subscriber.email)


class RecordingEventBus:
    """The EventBus port: what was published, in order."""

    def __init__(self) -> None:
        self.published: list[tuple[DetailType, BaseModel]] = []

    def publish(self, detail_type: DetailType, detail: BaseModel) -> str:
        self.published.append((detail_type, detail))
        return f"event-{len(self.published)}"


class RecordingMailer:
    """The Mailer port: every message sent, as (to, subject, text, html); `to` as given (one or several);
    `headers` the extra header fields of each, in the same order."""

    def __init__(self) -> None:
        self.sent: list[tuple[str | Sequence[str], str, str, str | None]] = []
        self.headers: list[dict[str, str]] = []

    def send(
        self,
        to: str | Sequence[str],
        subject: str,
        text: str,
        html: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> str:
        self.sent.append((to, subject, text, html))
        self.headers.append(dict(headers or {}))
        return f"message-{len(self.sent)}"


class MemoryOnce:
    """The Once port: each (scope, occasion) runs once; a failed action leaves nothing, so it runs again."""

    def __init__(self) -> None:
        self.results: dict[tuple[str, str], Any] = {}

    def __call__(self, scope: str, occasion: BaseModel, action: Callable[[], R], returns: type[R]) -> R:
        key = (scope, occasion.model_dump_json())
        if key not in self.results:
            self.results[key] = action()
        return self.results[key]  # type: ignore[no-any-return]


class RecordingUploads:
    """The FileStore port's signing of uploads: one presigned form per key asked for."""

    def __init__(self) -> None:
        self.signed: list[str] = []

    def presign_upload(
        self, key: str, max_bytes: int, ttl_seconds: int, now: datetime, redirect_to: str | None = None
    ) -> PresignedUpload:
        self.signed.append(key)
        fields = {"key": key, **({"success_action_redirect": redirect_to} if redirect_to else {})}
        return PresignedUpload(url="https://bucket.example/", fields=fields, expires_at=now, max_bytes=max_bytes)


class InMemoryAlertStore:
    """The AlertStore port over dictionaries (one address's changes are atomic, as the table's transaction)."""

    def __init__(self) -> None:
        self.alerts: dict[str, Alert] = {}
        self.tokens: dict[str, AlertToken] = {}
        self.addresses: dict[str, AlertAddress] = {}
        self.runs: dict[str, AlertRunOutcome] = {}

    def get_address(self, email: str) -> AlertAddress | None:
        return self.addresses.get(email)

    def get_alerts(self, alert_ids: Iterable[str]) -> list[Alert]:
        return [self.alerts[alert_id] for alert_id in alert_ids if alert_id in self.alerts]

    def get_alert(self, alert_id: str) -> Alert | None:
        return self.alerts.get(alert_id)

    def get_token(self, token: str) -> AlertToken | None:
        return self.tokens.get(token)

    def add_alert(
        self, alert: Alert, read: AlertAddress | None, live: frozenset[str], limit: int, stop_all_token: str
    ) -> bool:
        if self.addresses.get(alert.email) != read or len(live) + 1 > limit:
            return False
        self.alerts[alert.alert_id] = alert
        self.tokens[alert.confirm_token] = AlertToken(
            token=alert.confirm_token,
            purpose=TokenPurpose.CONFIRM,
            alert_id=alert.alert_id,
            expires_at=alert.confirm_by,
        )
        self.tokens[alert.stop_token] = AlertToken(
            token=alert.stop_token, purpose=TokenPurpose.STOP, alert_id=alert.alert_id
        )
        stop = read.stop_token if read else stop_all_token
        if read is None:
            self.tokens[stop] = AlertToken(token=stop, purpose=TokenPurpose.STOP_ALL, email=alert.email)
        self.addresses[alert.email] = AlertAddress(
            email=alert.email, alert_ids=live | {alert.alert_id}, stop_token=stop
        )
        return True

    def renew_confirmation(self, alert: Alert, token: str) -> Alert:
        renewed = alert.model_copy(update={"confirm_token": token})
        self.tokens.pop(alert.confirm_token, None)
        self.tokens[token] = AlertToken(
            token=token, purpose=TokenPurpose.CONFIRM, alert_id=alert.alert_id, expires_at=renewed.confirm_by
        )
        self.alerts[alert.alert_id] = renewed
        return renewed

    def confirm(self, token: AlertToken, now: datetime) -> bool:
        stored = self.tokens.get(token.token)
        if stored is None or stored.used_at is not None or token.alert_id not in self.alerts:
            return False
        self.tokens[token.token] = stored.model_copy(update={"used_at": now})
        alert = self.alerts[token.alert_id]
        self.alerts[alert.alert_id] = alert.model_copy(update={"confirmed_at": now})
        return True

    def remove_alert(self, alert: Alert, keep_confirmation: bool = False) -> None:
        self.alerts.pop(alert.alert_id, None)
        if not keep_confirmation:
            self.tokens.pop(alert.confirm_token, None)
        self.tokens.pop(alert.stop_token, None)
        address = self.addresses.get(alert.email)
        if address is not None:
            self.addresses[alert.email] = address.model_copy(update={"alert_ids": address.alert_ids - {alert.alert_id}})

    def all_alerts(self) -> Iterator[Alert]:
        yield from sorted(self.alerts.values(), key=lambda alert: (alert.email, alert.alert_id))

    def record_run(self, run_id: str, outcome: AlertRunOutcome) -> None:
        self.runs[run_id] = outcome

    def run_outcome(self, run_id: str) -> AlertRunOutcome | None:
        return self.runs.get(run_id)


class CountingRateLimiter:
    """The RateLimiter port: attempts per (subject, window start)."""

    def __init__(self) -> None:
        self.hits: dict[tuple[str, int], int] = {}

    def hit(self, subject: str, window_seconds: int, now: datetime) -> int:
        key = (subject, int(now.timestamp()) // window_seconds)
        self.hits[key] = self.hits.get(key, 0) + 1
        return self.hits[key]


class ScriptedSearchIndex:
    """The SearchIndex port's searches, answered from a list of hits each query filters by its themes and
    added window (what the daily alerts need); every query asked is kept."""

    def __init__(self, *hits: tuple[SearchHit, datetime]) -> None:
        self.hits = list(hits)
        self.queries: list[SearchQuery] = []

    def search(self, query: SearchQuery) -> SearchPage:
        self.queries.append(query)
        found = [
            hit
            for hit, added in self.hits
            if (not query.themes or set(query.themes) & set(hit.themes))
            and (query.added_from is None or added >= query.added_from)
            and (query.added_before is None or added < query.added_before)
        ]
        return SearchPage(total=len(found), hits=tuple(found[: query.page_size]), facets={})


class InMemoryFileStore:
    """The FileStore port over a dictionary of keys to each version's bytes; `failing` keys cannot be deleted
    (a bucket that refuses, for a run that must go on with the other copies)."""

    def __init__(self) -> None:
        self.objects: dict[str, list[bytes]] = {}
        self.quarantined: dict[str, str] = {}
        self.failing: set[str] = set()

    def put(self, key: str, body: bytes) -> None:
        self.objects.setdefault(key, []).append(body)

    def presign_upload(
        self, key: str, max_bytes: int, ttl_seconds: int, now: datetime, redirect_to: str | None = None
    ) -> PresignedUpload:
        return PresignedUpload(url="https://bucket.example/", fields={"key": key}, expires_at=now, max_bytes=max_bytes)

    def presign_download(self, key: str, filename: str, ttl_seconds: int) -> str:
        return f"https://bucket.example/{key}?filename={filename}&expires={ttl_seconds}"

    def download(self, key: str, path: Path, limit_bytes: int) -> DownloadedObject | None:
        if not self.objects.get(key):
            return None
        body = self.objects[key][-1]
        path.write_bytes(body[: limit_bytes + 1])
        return DownloadedObject(
            path=path,
            size_bytes=min(len(body), limit_bytes + 1),
            sha256=hashlib.sha256(body).hexdigest(),
            head=body[:1024],
        )

    def quarantine(self, key: str, submission_id: str) -> bool:
        versions = self.objects.pop(key, None)
        if versions is None:
            return False
        self.quarantined[key] = submission_id
        return True

    def read_text(self, key: str) -> str:
        return self.objects[key][-1].decode("utf-8")

    def write_pdf_file(self, key: str, path: Path) -> None:
        self.put(key, path.read_bytes())

    def write_copy(self, pdf_key: str, pdf_path: Path, text_key: str, text_path: Path) -> None:
        self.put(pdf_key, pdf_path.read_bytes())
        self.put(text_key, text_path.read_bytes())

    def delete(self, key: str) -> None:
        if key in self.failing:
            raise OSError(f"cannot delete {key}")
        self.objects.pop(key, None)

    def delete_every_version(self, key: str) -> int:
        if key in self.failing:
            raise OSError(f"cannot delete {key}")
        return len(self.objects.pop(key, []))


class RecordingRunQueue:
    """The RunQueue port: every run asked for, as (as_of, run_id)."""

    def __init__(self) -> None:
        self.requested: list[tuple[date | None, str | None]] = []

    def request(self, as_of: date | None, run_id: str | None = None) -> str:
        self.requested.append((as_of, run_id))
        return f"run-message-{len(self.requested)}"


class InMemorySearchIndex:
    """The SearchIndex port's writes and ping: documents (record, text) by reference behind the alias of an
    InMemoryIndexMaintenance; an older version is refused, as the versioned upsert does."""

    def __init__(self) -> None:
        self.indices: dict[str, dict[str, tuple[CatalogueRecord, str | None]]] = {"reviews-1": {}}
        self.alias = "reviews-1"
        self.up = True

    @property
    def documents(self) -> dict[str, tuple[CatalogueRecord, str | None]]:
        """The documents searches see (those of the index the alias points at)."""
        return self.indices[self.alias]

    def write(self, index: str, record: CatalogueRecord, body: str | None) -> bool:
        held = self.indices[index].get(record.reference)
        if held is not None and held[0].version > record.version:
            return False
        self.indices[index][record.reference] = (record, body)
        return True

    def put(self, record: CatalogueRecord, body: str | None) -> bool:
        return self.write(self.alias, record, body)

    def put_many(self, records: Iterable[tuple[CatalogueRecord, str | None]]) -> tuple[int, int]:
        written = [self.put(record, body) for record, body in records]
        return sum(written), len(written) - sum(written)

    def ping(self) -> bool:
        return self.up


class InMemoryIndexMaintenance:
    """The IndexMaintenance port over an InMemorySearchIndex's concrete indices and its alias."""

    def __init__(self, index: InMemorySearchIndex, schema_current: bool = True) -> None:
        self.index = index
        self.current = schema_current
        # Set to fail a rebuild's load half-way (after that many records).
        self.fail_after: int | None = None

    def indexed_versions(self) -> dict[str, int]:
        return {reference: record.version for reference, (record, _) in self.index.documents.items()}

    def schema_current(self) -> bool:
        return self.current

    def fresh_index_name(self, now: datetime) -> str:
        return f"reviews-{now:%Y%m%d%H%M%S%f}"

    def create_concrete_index(self, name: str) -> None:
        assert name not in self.index.indices
        self.index.indices[name] = {}

    def load(self, index: str, records: Iterable[tuple[CatalogueRecord, str | None]]) -> int:
        loaded = 0
        for record, body in records:
            if self.fail_after is not None and loaded >= self.fail_after:
                raise ConnectionError("the index stopped answering")
            loaded += self.index.write(index, record, body)
        return loaded

    def move_alias(self, to_index: str) -> list[str]:
        before, self.index.alias = self.index.alias, to_index
        return [before] if before != to_index else []

    def delete_indices(self, names: Iterable[str]) -> None:
        for name in names:
            self.index.indices.pop(name, None)


class InMemoryMessageQueues:
    """The MessageQueues port: each queue's waiting messages, and those received and hidden (in flight);
    `refusing` queues accept no message sent to them."""

    def __init__(self) -> None:
        self.waiting: dict[str, list[QueuedMessage]] = {}
        self.in_flight: dict[str, list[QueuedMessage]] = {}
        self.refusing: set[str] = set()
        self._sent = 0

    def add(self, queue_url: str, *bodies: str) -> None:
        for body in bodies:
            self._sent += 1
            message = QueuedMessage(message_id=f"m-{self._sent}", receipt_handle=f"r-{self._sent}", body=body)
            self.waiting.setdefault(queue_url, []).append(message)

    def bodies(self, queue_url: str) -> list[str]:
        return [message.body for message in self.waiting.get(queue_url, [])]

    def depth(self, queue_url: str) -> QueueDepth:
        return QueueDepth(
            waiting=len(self.waiting.get(queue_url, [])), in_flight=len(self.in_flight.get(queue_url, []))
        )

    def receive(self, queue_url: str, max_messages: int, visibility_timeout_s: int) -> list[QueuedMessage]:
        waiting = self.waiting.get(queue_url, [])
        taken, self.waiting[queue_url] = waiting[: min(max_messages, 10)], waiting[min(max_messages, 10) :]
        self.in_flight.setdefault(queue_url, []).extend(taken)
        return taken

    def send_copies(self, queue_url: str, messages: Sequence[QueuedMessage]) -> list[QueuedMessage]:
        if queue_url in self.refusing:
            return []
        for message in messages:
            self._sent += 1
            copy = message.model_copy(update={"message_id": f"m-{self._sent}", "receipt_handle": f"r-{self._sent}"})
            self.waiting.setdefault(queue_url, []).append(copy)
        return list(messages)

    def delete(self, queue_url: str, messages: Sequence[QueuedMessage]) -> int:
        hidden = self.in_flight.get(queue_url, [])
        handles = {message.receipt_handle for message in messages}
        self.in_flight[queue_url] = [message for message in hidden if message.receipt_handle not in handles]
        return len(hidden) - len(self.in_flight[queue_url])


class ScriptedInspector:
    """The PdfInspector port: accepts every file as it is (its words `text`, with a text layer or not), or
    refuses each with `rejection`; the files it was asked to inspect, anonymous or not, are kept."""

    def __init__(self, text: str = "words of the report", text_layer: bool = True) -> None:
        self.text = text
        self.text_layer = text_layer
        self.rejection: str | None = None
        self.inspected: list[bool] = []

    def inspect(self, source: Path, workdir: Path, anonymous: bool) -> InspectedPdf:
        self.inspected.append(anonymous)
        if self.rejection is not None:
            raise UploadRejected(self.rejection)
        stored, text = workdir / "stored.pdf", workdir / "text.txt"
        stored.write_bytes(source.read_bytes() + (b"%stripped" if anonymous else b""))
        text.write_text(self.text, encoding="utf-8")
        return InspectedPdf(
            page_count=self.text.count("\f") + 1,
            text_chars=len(self.text),
            text_layer=self.text_layer,
            text_path=text,
            stored_path=stored,
            metadata_stripped=anonymous,
        )
