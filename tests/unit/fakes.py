"""In-memory fakes of the ports, for unit tests of the services (pure logic, no AWS, no OpenSearch)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel

from case_reviews.domain.alerts import Alert, AlertAddress, AlertRunOutcome, AlertToken, TokenPurpose
from case_reviews.domain.boards import Board, Credential, Submission
from case_reviews.domain.digest import Subscriber
from case_reviews.domain.events import DetailType
from case_reviews.domain.files import PresignedUpload
from case_reviews.domain.holds import ReviewHold
from case_reviews.domain.records import CatalogueRecord
from case_reviews.domain.search import SearchHit, SearchPage, SearchQuery
from case_reviews.domain.vocabulary import SubmissionStatus

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
        # How many pages of a board's submissions were read (listing them costs one query a page).
        self.pages_read = 0

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
        self.pages_read += 1
        return own[start:following], {"next": str(following)} if following < len(own) else None

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
    """The parts of the RecordStore port the services under test read."""

    def __init__(self, *records: CatalogueRecord) -> None:
        self.records = {record.reference: record for record in records}

    def get_record(self, reference: str) -> CatalogueRecord | None:
        return self.records.get(reference)

    def get_records(self, references: Sequence[str]) -> list[CatalogueRecord]:
        return [self.records[reference] for reference in references if reference in self.records]

    def records_added(self, start: datetime, end: datetime) -> Iterator[CatalogueRecord]:
        added = [r for r in self.records.values() if r.submission_id and start <= r.created_at < end]
        yield from sorted(added, key=lambda record: record.created_at)


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
