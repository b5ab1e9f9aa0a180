"""Domain objects to table items and back: the item is the object's own dump beside its keys."""

from __future__ import annotations

from datetime import datetime
from typing import Any, TypeVar

from pydantic import BaseModel

from case_reviews.adapters.dynamodb import keys
from case_reviews.adapters.dynamodb.items import (
    AuditItem,
    BoardItem,
    CredentialItem,
    Item,
    RecordItem,
    SubmissionItem,
    SubscriberItem,
)
from case_reviews.domain.audit import AuditEntry
from case_reviews.domain.boards import Board, Credential, Submission
from case_reviews.domain.digest import Subscriber
from case_reviews.domain.records import CatalogueRecord
from case_reviews.domain.vocabulary import CopyStatus

Domain = TypeVar("Domain", bound=BaseModel)


def _fields(model: BaseModel) -> dict[str, Any]:
    return model.model_dump(mode="json", exclude_none=True)


def domain_of[Domain: BaseModel](found: dict[str, Any], item_type: type[Item], model: type[Domain]) -> Domain:
    """The domain object an item holds: its fields, without the item's own keys."""
    item = item_type.model_validate(found)
    held = item.model_extra or {}
    return model.model_validate({name: held[name] for name in model.model_fields if name in held})


def board_to_item(board: Board, created_at: datetime) -> BoardItem:
    return BoardItem(
        **keys.board_key(board.board_id),
        **_fields(board),
        created_at=created_at,
        gsi1pk=keys.BOARDS,
        gsi1sk=board.name.lower(),
    )


def board_update(board: Board) -> dict[str, Any]:
    """The UpdateItem request that writes a board's own fields (and its place in the listing by name) over
    its stored item, keeping the rest (when it was created); only if the board is there."""
    fields = {name: value for name, value in _fields(board).items() if name != "board_id"}
    fields["gsi1sk"] = board.name.lower()
    return {
        "UpdateExpression": "SET " + ", ".join(f"#{name} = :{name}" for name in fields),
        "ConditionExpression": "attribute_exists(pk)",
        "ExpressionAttributeNames": {f"#{name}": name for name in fields},
        "ExpressionAttributeValues": {f":{name}": value for name, value in fields.items()},
    }


def credential_to_item(credential: Credential) -> CredentialItem:
    return CredentialItem(
        **keys.credential_key(credential.key_hash),
        **_fields(credential),
        gsi1pk=keys.board_partition(credential.board_id),
        gsi1sk=f"KEY#{credential.created_at.isoformat()}",
    )


def submission_to_item(submission: Submission) -> SubmissionItem:
    return SubmissionItem(
        **keys.submission_key(submission.submission_id),
        **_fields(submission),
        gsi1pk=keys.board_partition(submission.board_id),
        gsi1sk=f"SUBMISSION#{submission.created_at.isoformat()}",
    )


def record_to_item(record: CatalogueRecord) -> RecordItem:
    copy = record.electronic_copy
    listed = copy if copy is not None and copy.status is CopyStatus.AVAILABLE else None
    return RecordItem(
        **keys.record_key(record.reference),
        **_fields(record),
        # Copies still held are listed by their last day: held ones apart, so a retention run never reads them.
        expiry_pk=(keys.HELD_COPIES if listed.held else keys.AVAILABLE_COPIES) if listed else None,
        expiry_sk=f"{listed.available_until.isoformat()}#{record.reference}" if listed else None,
        gsi1pk=keys.ADDED_DEPOSITS if record.submission_id else None,
        gsi1sk=f"{keys.sortable_time(record.created_at)}#{record.reference}" if record.submission_id else None,
    )


def removed_record_to_item(record: CatalogueRecord) -> RecordItem:
    """A record whose copy was just removed: listed as unannounced until the removal reaches the bus."""
    copy = record.electronic_copy
    assert copy is not None and copy.removed_on is not None
    return record_to_item(record).model_copy(
        update={
            "expiry_pk": keys.UNANNOUNCED_REMOVALS,
            "expiry_sk": f"{copy.removed_on.isoformat()}#{record.reference}",
        }
    )


def audit_to_item(entry: AuditEntry) -> AuditItem:
    return AuditItem(**keys.audit_key(entry.reference, entry.at, entry.entry_id), **_fields(entry))


def subscriber_to_item(subscriber: Subscriber) -> SubscriberItem:
    return SubscriberItem(
        **keys.subscriber_key(subscriber.email),
        **_fields(subscriber),
        gsi1pk=keys.SUBSCRIBERS,
        gsi1sk=subscriber.email,
    )


def record_from(found: dict[str, Any]) -> CatalogueRecord:
    return domain_of(found, RecordItem, CatalogueRecord)


def submission_from(found: dict[str, Any]) -> Submission:
    return domain_of(found, SubmissionItem, Submission)


def board_from(found: dict[str, Any]) -> Board:
    return domain_of(found, BoardItem, Board)


def credential_from(found: dict[str, Any]) -> Credential:
    return domain_of(found, CredentialItem, Credential)


def audit_from(found: dict[str, Any]) -> AuditEntry:
    return domain_of(found, AuditItem, AuditEntry)


def subscriber_from(found: dict[str, Any]) -> Subscriber:
    return domain_of(found, SubscriberItem, Subscriber)
