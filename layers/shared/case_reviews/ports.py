"""The ports: what the services need from the world, as Protocols.

Services import these and `domain/`, never an adapter. Each adapter implements one port with the
AWS or OpenSearch client it is given; `bootstrap` wires them; unit tests give in-memory fakes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, TypeVar

# The ports only name the domain's types: a function loads the domain modules its services use, not all.
if TYPE_CHECKING:
    from pydantic import BaseModel

    from case_reviews.domain.alerts import Alert, AlertAddress, AlertRunOutcome, AlertToken
    from case_reviews.domain.audit import AuditEntry
    from case_reviews.domain.boards import Board, Credential, Submission
    from case_reviews.domain.digest import Subscriber
    from case_reviews.domain.email import RenderedEmail
    from case_reviews.domain.events import DetailType
    from case_reviews.domain.files import DownloadedObject, InspectedPdf, PresignedUpload
    from case_reviews.domain.historic import ImportClaim
    from case_reviews.domain.holds import ReviewHold
    from case_reviews.domain.queues import QueueDepth, QueuedMessage
    from case_reviews.domain.records import CatalogueRecord
    from case_reviews.domain.runs import RetentionRunPart
    from case_reviews.domain.search import AddedRecord, SearchHit, SearchPage, SearchQuery, YearListing
    from case_reviews.domain.statistics import Statistics, StatisticsQuery
    from case_reviews.domain.vocabulary import SubmissionStatus

R = TypeVar("R")


class Clock(Protocol):
    """Where every service and handler learns the time: the real one in Lambda, a set one in tests."""

    def now(self) -> datetime:
        """The current instant, timezone-aware (UTC)."""
        ...


# ---------------------------------------------------------------- the catalogue's stores


class BoardStore(Protocol):
    def save_board(self, board: Board, created_at: datetime) -> None: ...

    def update_board(self, board: Board) -> bool:
        """Write a registered board's details over the stored ones; False when there is no such board."""
        ...

    def get_board(self, board_id: str) -> Board | None: ...
    def list_boards(self) -> list[Board]: ...
    def save_credential(self, credential: Credential) -> None: ...
    def get_credential(self, key_hash: str) -> Credential | None: ...
    def revoke_credentials(self, board_id: str, revoked_at: datetime, key_hash: str | None = None) -> int: ...


class SubmissionStore(Protocol):
    def create_submission(self, submission: Submission) -> None: ...
    def get_submission(self, submission_id: str) -> Submission | None: ...

    def board_submissions(
        self, board_id: str, limit: int, after: dict[str, str] | None = None
    ) -> tuple[list[Submission], dict[str, str] | None]:
        """One page of a board's own submissions, newest first, and an opaque position to go on from."""
        ...

    def catalogued_references(self, board_id: str) -> list[str]:
        """The references of the board's catalogued submissions, newest first, each once."""
        ...

    def start_processing(self, submission_id: str, now: datetime) -> Submission:
        """Move an open submission to processing; a closed one comes back unchanged; LookupError if none."""
        ...

    def assign_reference(self, submission: Submission, year: int) -> str:
        """The submission's reference: the one it has (as the caller last read it), or else one allocated from
        the year's counter; of two concurrent allocations, the first written wins and is returned to both."""
        ...

    def close_submission(
        self,
        submission_id: str,
        status: SubmissionStatus,
        now: datetime,
        reason: str | None = None,
        reference: str | None = None,
        hold: ReviewHold | None = None,
    ) -> Submission: ...
    def submissions_in_review(self) -> list[Submission]:
        """Every submission held for the library's check, oldest first."""
        ...


class RecordStore(Protocol):
    def get_record(self, reference: str) -> CatalogueRecord | None: ...
    def get_records(self, references: Sequence[str]) -> list[CatalogueRecord]: ...
    def reference_for_content(self, sha256: str) -> str | None: ...

    def commit_catalogued(self, record: CatalogueRecord, now: datetime) -> None:
        """The record, its content claim, its submission closed and its first audit entry, all or nothing.
        DuplicateContent when the same file was catalogued first under another reference."""
        ...

    def add_record(self, record: CatalogueRecord) -> bool: ...

    def put_new_records(self, records: Sequence[CatalogueRecord]) -> None:
        """Write records whose references the caller has just claimed (nobody else writes them)."""
        ...

    def save_copy_attached(self, changed: CatalogueRecord, entry: AuditEntry) -> bool:
        """The record with its first copy over the version before, its checksum claim and its audit entry, all
        or nothing (False if the record changed meanwhile; DuplicateContent if the file is claimed)."""
        ...

    def save_change(self, changed: CatalogueRecord, entry: AuditEntry) -> bool:
        """The record over the version before it, with its audit entry; False if it changed meanwhile."""
        ...

    def all_records(self) -> Iterator[CatalogueRecord]: ...
    def records_added(self, start: datetime, end: datetime) -> Iterator[CatalogueRecord]: ...


class AuditStore(Protocol):
    def audit_trail(self, reference: str) -> list[AuditEntry]: ...


class RetentionStore(Protocol):
    """The copies by their last available day (a sparse index), and the warnings already given."""

    def records_with_copy_due(self, as_of: date) -> Iterator[CatalogueRecord]: ...
    def copies_expiring(self, first_day: date, last_day: date) -> Iterator[CatalogueRecord]: ...
    def held_copies_due(self, as_of: date) -> Iterator[CatalogueRecord]: ...
    def expiry_warnings_recorded(self, first_day: date, last_day: date) -> set[tuple[str, date]]: ...
    def record_expiry_warning(self, reference: str, available_until: date, now: datetime) -> None: ...

    def save_copy_removed(self, removed: CatalogueRecord, entry: AuditEntry) -> bool:
        """The removed record and its entry over the version before (False if it changed), kept listed
        as unannounced until `mark_removal_announced`."""
        ...

    def removals_unannounced(self) -> Iterator[CatalogueRecord]: ...
    def mark_removal_announced(self, reference: str) -> None: ...

    def record_run_part(self, part: RetentionRunPart) -> None:
        """What one invocation of a followed run did (kept a few days, for staff waiting on the run)."""
        ...

    def run_parts(self, run_id: str) -> list[RetentionRunPart]:
        """The parts recorded so far for the run, oldest first."""
        ...


class SubscriberStore(Protocol):
    def add_subscriber(self, subscriber: Subscriber) -> bool: ...
    def remove_subscriber(self, email: str) -> bool: ...
    def get_subscriber(self, email: str) -> Subscriber | None: ...
    def subscriber_for_token(self, token: str) -> str | None: ...
    def subscribers(self) -> Iterator[Subscriber]: ...


class AlertStore(Protocol):
    """Self-service alerts, their addresses and the tokens of their links."""

    def get_address(self, email: str) -> AlertAddress | None: ...
    def get_alerts(self, alert_ids: Iterable[str]) -> list[Alert]: ...
    def get_alert(self, alert_id: str) -> Alert | None: ...

    def add_alert(
        self, alert: Alert, read: AlertAddress | None, live: frozenset[str], limit: int, stop_all_token: str
    ) -> bool:
        """Write a pending alert with its links' tokens and list it, with the `live` ids, in its address as
        `read` (None: create the address with its stop-everything token), all or nothing; False if the
        address changed meanwhile or would hold more than `limit` alerts."""
        ...

    def renew_confirmation(self, alert: Alert, token: str) -> Alert:
        """The pending alert with a new confirmation token (the old one stops working)."""
        ...

    def get_token(self, token: str) -> AlertToken | None: ...

    def confirm(self, token: AlertToken, now: datetime) -> bool:
        """Use the confirmation token and confirm its alert, together; False if it was used or has expired."""
        ...

    def remove_alert(self, alert: Alert, keep_confirmation: bool = False) -> None:
        """The alert, its tokens (but a used confirmation's, with `keep_confirmation`) and its place in its
        address go (nothing happens if it is gone already)."""
        ...

    def all_alerts(self) -> Iterator[Alert]:
        """Every alert, pending or confirmed, by address."""
        ...

    def record_run(self, run_id: str, outcome: AlertRunOutcome) -> None:
        """What a followed daily run did (kept a few days, for staff waiting on it)."""
        ...

    def run_outcome(self, run_id: str) -> AlertRunOutcome | None: ...


class RateLimiter(Protocol):
    """Counts attempts per subject in fixed windows (a store-based counter, kept only as long as its window)."""

    def hit(self, subject: str, window_seconds: int, now: datetime) -> int:
        """Count one attempt of `subject` in the window `now` falls in; how many there were, this one included."""
        ...


class ImportStore(Protocol):
    """Historic imports: each row's claim, and the lock that lets one import run at a time."""

    def import_claims(self, natural_keys: Sequence[str]) -> dict[str, str]: ...
    def allocate_references(self, year: int, count: int) -> list[str]: ...
    def put_claims(self, claims: Sequence[ImportClaim]) -> None:
        """Write the claims as they are (unconditionally): only while holding the import lock."""
        ...

    def begin_import(self, run: str, now: datetime, until: datetime) -> None:
        """Hold the import lock for `run` until `until`; ImportInProgress if another run holds it now."""
        ...

    def renew_import(self, run: str, now: datetime, until: datetime) -> None:
        """Hold the lock on, until `until`; ImportInProgress if it lapsed and another run took it."""
        ...

    def end_import(self, run: str, now: datetime) -> None:
        """Let the lock go (if `run` still holds it)."""
        ...


# ---------------------------------------------------------------- files, search, messages, mail


class FileStore(Protocol):
    """The private reports bucket."""

    def presign_upload(
        self, key: str, max_bytes: int, ttl_seconds: int, now: datetime, redirect_to: str | None = None
    ) -> PresignedUpload: ...
    def presign_download(self, key: str, filename: str, ttl_seconds: int) -> str: ...
    def download(self, key: str, path: Path, limit_bytes: int) -> DownloadedObject | None: ...
    def quarantine(self, key: str, submission_id: str) -> bool: ...
    def read_text(self, key: str) -> str: ...
    def write_pdf_file(self, key: str, path: Path) -> None: ...
    def write_copy(self, pdf_key: str, pdf_path: Path, text_key: str, text_path: Path) -> None: ...
    def delete(self, key: str) -> None: ...
    def delete_every_version(self, key: str) -> int: ...


class PdfInspector(Protocol):
    def inspect(self, source: Path, workdir: Path, anonymous: bool) -> InspectedPdf:
        """The file's findings, or UploadRejected with a reason the board can act on."""
        ...


class SearchIndex(Protocol):
    """The public search index: one document per record, written from the record (and its text)."""

    def put(self, record: CatalogueRecord, body: str | None) -> bool:
        """Index the record; False when a newer version is already indexed."""
        ...

    def put_many(self, records: Iterable[tuple[CatalogueRecord, str | None]]) -> tuple[int, int]: ...
    def search(self, query: SearchQuery) -> SearchPage: ...
    def published_in(self, year: int) -> YearListing: ...
    def ping(self) -> bool: ...

    def similar(
        self, record: CatalogueRecord, exclude_boards: tuple[str, ...] = (), limit: int = 10
    ) -> tuple[SearchHit, ...]:
        """Records like `record`, most alike first: never itself, nor a record of `exclude_boards`."""
        ...

    def statistics(self, query: StatisticsQuery) -> Statistics: ...

    def recently_added(self, limit: int) -> tuple[AddedRecord, ...]:
        """The last `limit` deposits, newest first."""
        ...


class IndexMaintenance(Protocol):
    """Staff upkeep of the concrete indices behind the search alias."""

    def indexed_versions(self) -> dict[str, int]: ...
    def schema_current(self) -> bool:
        """Whether the alias serves an index built from the current definition (schema version)."""
        ...

    def fresh_index_name(self, now: datetime) -> str: ...
    def create_concrete_index(self, name: str) -> None: ...
    def load(self, index: str, records: Iterable[tuple[CatalogueRecord, str | None]]) -> int: ...
    def move_alias(self, to_index: str) -> list[str]: ...
    def delete_indices(self, names: Iterable[str]) -> None: ...


class EventBus(Protocol):
    def publish(self, detail_type: DetailType, detail: BaseModel) -> str: ...


class RunQueue(Protocol):
    """Asks a scheduled function for a run now (staff on demand, or a run that continues itself);
    a run with a `run_id` records each invocation's part under it."""

    def request(self, as_of: date | None, run_id: str | None = None) -> str: ...


class MessageQueues(Protocol):
    def depth(self, queue_url: str) -> QueueDepth: ...
    def receive(self, queue_url: str, max_messages: int, visibility_timeout_s: int) -> list[QueuedMessage]: ...
    def send_copies(self, queue_url: str, messages: Sequence[QueuedMessage]) -> list[QueuedMessage]: ...
    def delete(self, queue_url: str, messages: Sequence[QueuedMessage]) -> int: ...


class Mailer(Protocol):
    def send(
        self,
        to: str | Sequence[str],
        subject: str,
        text: str,
        html: str | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> str:
        """Send one message (to one address, or to several together), with extra header fields (such as
        List-Unsubscribe); the provider's message id."""
        ...


class EmailRenderer(Protocol):
    def render(self, kind: str, values: Mapping[str, Any]) -> RenderedEmail: ...


class Once(Protocol):
    """Runs `action` once per (`scope`, `occasion`), however often it is asked: a repeat gets the first
    result (delivery is at least once; each email, record and document must happen once)."""

    def __call__(self, scope: str, occasion: BaseModel, action: Callable[[], R], returns: type[R]) -> R: ...
