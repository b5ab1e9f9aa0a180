"""The catalogue table's keys: every kind of item, its partition and sort key, and the index partitions."""

from __future__ import annotations

from datetime import UTC, datetime

from case_reviews.domain.vocabulary import CopyStatus, SubmissionStatus

COPY_EXPIRY_INDEX = "copy_expiry"
BOARDS_INDEX = "gsi1"
# copy_expiry partitions: available copies by last day, and copies under a legal hold (out of the
# partition the retention run reads, so a run never pays for them).
AVAILABLE_COPIES = f"COPY#{CopyStatus.AVAILABLE.value}"
HELD_COPIES = "COPY#held"
# A removal written but not yet announced to the index: the sparse index keeps it until it is.
UNANNOUNCED_REMOVALS = "COPY#removed-unannounced"
# gsi1 partitions: the boards, deposited records by when they were added, the digest's subscribers, and
# the self-service alerts (sk `<email>#<alert id>`).
BOARDS = "BOARDS"
ADDED_DEPOSITS = "ADDED"
SUBSCRIBERS = "SUBSCRIBERS"
ALERTS = "ALERTS"
AUDIT_PREFIX = "AUDIT#"
# One small partition of markers, sk `<available_until>#<reference>`: the expiry warnings already announced.
EXPIRY_WARNINGS = "EXPIRY_WARNINGS"
# One small partition per followed retention run, sk `PART#<UTC time>#<id>`: what each invocation did.
RETENTION_RUN_PREFIX = "RETENTION_RUN#"
RUN_PART_PREFIX = "PART#"
# A submission is open (an upload may still change it) in these statuses.
OPEN_STATUSES = (SubmissionStatus.AWAITING_UPLOAD.value, SubmissionStatus.PROCESSING.value)
# Not yet decided: open, or held for the library's check (staff approve or reject it); as a condition
# on `#status` (its names and values, for an update or a transaction item).
UNDECIDED_STATUSES = (*OPEN_STATUSES, SubmissionStatus.IN_REVIEW.value)
IS_UNDECIDED = "#status IN (:awaiting, :processing, :in_review)"
UNDECIDED_VALUES = dict(zip((":awaiting", ":processing", ":in_review"), UNDECIDED_STATUSES, strict=True))

Key = dict[str, str]


def board_key(board_id: str) -> Key:
    return {"pk": f"BOARD#{board_id}", "sk": "BOARD"}


def board_partition(board_id: str) -> str:
    """gsi1's partition of one board: its credentials and its submissions."""
    return f"BOARD#{board_id}"


def credential_key(key_hash: str) -> Key:
    return {"pk": f"KEY#{key_hash}", "sk": "KEY"}


def submission_key(submission_id: str) -> Key:
    return {"pk": f"SUBMISSION#{submission_id}", "sk": "SUBMISSION"}


def subscriber_key(email: str) -> Key:
    return {"pk": f"SUBSCRIBER#{email}", "sk": "SUBSCRIBER"}


def unsubscribe_key(token: str) -> Key:
    return {"pk": f"UNSUBSCRIBE#{token}", "sk": "UNSUBSCRIBE"}


def alert_key(alert_id: str) -> Key:
    return {"pk": f"ALERT#{alert_id}", "sk": "ALERT"}


def alert_token_key(token: str) -> Key:
    """A link of an alert email: confirm an alert, stop one, or stop every alert of an address."""
    return {"pk": f"ALERTTOKEN#{token}", "sk": "ALERTTOKEN"}


def alert_address_key(email: str) -> Key:
    """An address with alerts: their ids and its stop-everything token."""
    return {"pk": f"ALERTADDRESS#{email}", "sk": "ALERTADDRESS"}


def alert_run_key(run_id: str) -> Key:
    """What a daily alerts run that staff follow did (kept a few days)."""
    return {"pk": f"ALERTRUN#{run_id}", "sk": "ALERTRUN"}


def rate_key(subject: str, window_start: int) -> Key:
    """A rate limit's counter: one subject's attempts in the window starting at `window_start` (epoch seconds)."""
    return {"pk": f"RATE#{subject}", "sk": f"WINDOW#{window_start}"}


def record_key(reference: str) -> Key:
    return {"pk": f"REVIEW#{reference}", "sk": "REVIEW"}


def audit_key(reference: str, at: datetime, entry_id: str) -> Key:
    # A fixed-width UTC time first, so the partition's sort order is the trail's order.
    moment = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return {"pk": record_key(reference)["pk"], "sk": f"{AUDIT_PREFIX}{moment}#{entry_id}"}


def content_key(sha256: str) -> Key:
    return {"pk": f"CONTENT#{sha256}", "sk": "CONTENT"}


def counter_key(year: int) -> Key:
    return {"pk": f"COUNTER#REFERENCE#{year:04d}", "sk": "COUNTER"}


def import_claim_key(natural_key: str) -> Key:
    return {"pk": f"IMPORT#{natural_key}", "sk": "IMPORT"}


def import_lock_key() -> Key:
    """The one item that lets a single historic import run at a time."""
    return {"pk": "IMPORT_LOCK", "sk": "IMPORT_LOCK"}


def retention_run_partition(run_id: str) -> str:
    return f"{RETENTION_RUN_PREFIX}{run_id}"


def run_part_key(run_id: str, at: datetime, part_id: str) -> Key:
    # A fixed-width UTC time first, so the partition's sort order is the order the parts were recorded in.
    moment = at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return {"pk": retention_run_partition(run_id), "sk": f"{RUN_PART_PREFIX}{moment}#{part_id}"}


def sortable_time(moment: datetime) -> str:
    """A UTC time that sorts as text: 2026-11-26T09:30:00Z."""
    return f"{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"
