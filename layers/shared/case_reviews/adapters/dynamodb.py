"""The catalogue table: boards, credentials, submissions and catalogue records in one DynamoDB table.

The item models below are the table's shape; the domain models never leak into DynamoDB
directly, and every conversion is one explicit function.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError
from pydantic import BaseModel, ConfigDict

from case_reviews.adapters.aws import new_client
from case_reviews.domain.digest import Subscriber
from case_reviews.domain.models import (
    AuditEntry,
    Board,
    CatalogueRecord,
    ElectronicCopy,
    PublicationDate,
    ReportMetadata,
    Submission,
)
from case_reviews.domain.vocabulary import CopyStatus, SubmissionStatus

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()

COPY_EXPIRY_INDEX = "copy_expiry"
BOARDS_INDEX = "gsi1"
_AVAILABLE_COPIES = f"COPY#{CopyStatus.AVAILABLE.value}"
# A removal written but not yet announced to the index: the sparse index keeps it until it is.
_UNANNOUNCED_REMOVALS = "COPY#removed-unannounced"
# A copy under a legal hold: out of the partition the retention run reads, so a run never pays for it.
_HELD_COPIES = "COPY#held"
# gsi1 partitions: deposited records by when they were added, and the digest's subscribers.
_ADDED_DEPOSITS = "ADDED"
_SUBSCRIBERS = "SUBSCRIBERS"
_AUDIT_PREFIX = "AUDIT#"
# One small partition of markers, sk `<available_until>#<reference>`: the expiry warnings already announced.
_EXPIRY_WARNINGS = "EXPIRY_WARNINGS"
# A marker outlives its copy's last day by this much, then DynamoDB's TTL deletes it.
_EXPIRY_WARNING_KEPT_DAYS = 90
_OPEN_STATUSES = (SubmissionStatus.AWAITING_UPLOAD.value, SubmissionStatus.PROCESSING.value)


class DuplicateContent(Exception):
    """The same file is already catalogued under `reference`."""

    def __init__(self, reference: str) -> None:
        super().__init__(reference)
        self.reference = reference


# ---------------------------------------------------------------- item models


class _Item(BaseModel):
    model_config = ConfigDict(extra="ignore")

    pk: str
    sk: str


class BoardItem(_Item):
    board_id: str
    name: str
    active: bool
    created_at: datetime
    gsi1pk: str = "BOARDS"
    gsi1sk: str


class BoardKeyItem(_Item):
    board_id: str
    created_at: datetime
    revoked: bool = False
    revoked_at: datetime | None = None
    gsi1pk: str
    gsi1sk: str


class SubmissionItem(_Item):
    submission_id: str
    board_id: str
    metadata: dict[str, Any]
    status: str
    upload_key: str
    created_at: datetime
    updated_at: datetime
    reference: str | None = None
    reason: str | None = None
    gsi1pk: str
    gsi1sk: str


class CopyItem(BaseModel):
    status: str
    object_key: str | None = None
    text_key: str | None = None
    sha256: str
    size_bytes: int
    page_count: int
    available_until: date
    removed_on: date | None = None
    removal_reason: str | None = None
    held: bool = False
    hold_reason: str | None = None
    text_chars: int | None = None
    text_layer: bool = True
    metadata_stripped: bool = False


class AuditItem(_Item):
    """One audit entry, under its record's partition (sk `AUDIT#<UTC time>#<id>`): written once, never changed."""

    entry_id: str
    reference: str
    at: datetime
    actor: str
    action: str
    reason: str | None = None
    changes: dict[str, dict[str, Any]] = {}
    version: int


class RecordItem(_Item):
    reference: str
    title: str
    nation: str
    review_type: str
    document_type: str
    publication_date: date
    date_precision: str
    board_id: str | None = None
    board_name: str | None = None
    anonymous: bool = False
    commissioned_date: date | None = None
    themes: list[str] = []
    summary: str | None = None
    submission_id: str | None = None
    deposited_on: date | None = None
    electronic_copy: CopyItem | None = None
    created_at: datetime
    updated_at: datetime
    version: int
    # Sparse index of copies still held, ordered by their last available day.
    expiry_pk: str | None = None
    expiry_sk: str | None = None
    # Deposits only, listed by when they were catalogued (the weekly digest reads a week of them).
    gsi1pk: str | None = None
    gsi1sk: str | None = None


class ImportClaimItem(_Item):
    """A historic row's natural key, claimed once with the reference its record got (`case-reviews import`)."""

    natural_key: str
    reference: str
    imported_at: datetime
    # Staff-only remarks from the file's `notes` column: kept with the claim, never published.
    notes: str | None = None


class SubscriberItem(_Item):
    email: str
    token: str
    subscribed_at: datetime
    gsi1pk: str = _SUBSCRIBERS
    gsi1sk: str


def board_key(board_id: str) -> dict[str, str]:
    return {"pk": f"BOARD#{board_id}", "sk": "BOARD"}


def credential_key(key_hash: str) -> dict[str, str]:
    return {"pk": f"KEY#{key_hash}", "sk": "KEY"}


def submission_key(submission_id: str) -> dict[str, str]:
    return {"pk": f"SUBMISSION#{submission_id}", "sk": "SUBMISSION"}


def subscriber_key(email: str) -> dict[str, str]:
    return {"pk": f"SUBSCRIBER#{email}", "sk": "SUBSCRIBER"}


def unsubscribe_key(token: str) -> dict[str, str]:
    return {"pk": f"UNSUBSCRIBE#{token}", "sk": "UNSUBSCRIBE"}


def record_key(reference: str) -> dict[str, str]:
    return {"pk": f"REVIEW#{reference}", "sk": "REVIEW"}


def audit_key(entry: AuditEntry) -> dict[str, str]:
    # A fixed-width UTC time first, so the partition's sort order is the trail's order.
    at = entry.at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return {"pk": record_key(entry.reference)["pk"], "sk": f"{_AUDIT_PREFIX}{at}#{entry.entry_id}"}


def content_key(sha256: str) -> dict[str, str]:
    return {"pk": f"CONTENT#{sha256}", "sk": "CONTENT"}


def counter_key(year: int) -> dict[str, str]:
    return {"pk": f"COUNTER#REFERENCE#{year:04d}", "sk": "COUNTER"}


def import_claim_key(natural_key: str) -> dict[str, str]:
    return {"pk": f"IMPORT#{natural_key}", "sk": "IMPORT"}


# ---------------------------------------------------------------- mapping


def board_to_item(board: Board, created_at: datetime) -> BoardItem:
    return BoardItem(
        **board_key(board.board_id),
        board_id=board.board_id,
        name=board.name,
        active=board.active,
        created_at=created_at,
        gsi1sk=board.name.lower(),
    )


def board_from_item(item: BoardItem) -> Board:
    return Board(board_id=item.board_id, name=item.name, active=item.active)


def submission_to_item(submission: Submission) -> SubmissionItem:
    return SubmissionItem(
        **submission_key(submission.submission_id),
        submission_id=submission.submission_id,
        board_id=submission.board_id,
        metadata=submission.metadata.model_dump(mode="json"),
        status=submission.status.value,
        upload_key=submission.upload_key,
        created_at=submission.created_at,
        updated_at=submission.updated_at,
        reference=submission.reference,
        reason=submission.reason,
        gsi1pk=f"BOARD#{submission.board_id}",
        gsi1sk=f"SUBMISSION#{submission.created_at.isoformat()}",
    )


def submission_from_item(item: SubmissionItem) -> Submission:
    return Submission(
        submission_id=item.submission_id,
        board_id=item.board_id,
        metadata=ReportMetadata.model_validate(item.metadata),
        status=SubmissionStatus(item.status),
        upload_key=item.upload_key,
        created_at=item.created_at,
        updated_at=item.updated_at,
        reference=item.reference,
        reason=item.reason,
    )


def record_to_item(record: CatalogueRecord) -> RecordItem:
    copy = record.electronic_copy
    holds_copy = copy is not None and copy.status is CopyStatus.AVAILABLE
    return RecordItem(
        **record_key(record.reference),
        reference=record.reference,
        title=record.title,
        nation=record.nation.value,
        review_type=record.review_type.value,
        document_type=record.document_type.value,
        publication_date=record.publication_date.value,
        date_precision=record.publication_date.precision.value,
        board_id=record.board_id,
        board_name=record.board_name,
        anonymous=record.anonymous,
        commissioned_date=record.commissioned_date,
        themes=list(record.themes),
        summary=record.summary,
        submission_id=record.submission_id,
        deposited_on=record.deposited_on,
        electronic_copy=CopyItem.model_validate(copy.model_dump(mode="json")) if copy else None,
        created_at=record.created_at,
        updated_at=record.updated_at,
        version=record.version,
        expiry_pk=(_HELD_COPIES if copy and copy.held else _AVAILABLE_COPIES) if holds_copy else None,
        expiry_sk=f"{copy.available_until.isoformat()}#{record.reference}" if holds_copy and copy else None,
        gsi1pk=_ADDED_DEPOSITS if record.submission_id else None,
        gsi1sk=f"{_sortable_time(record.created_at)}#{record.reference}" if record.submission_id else None,
    )


def _sortable_time(moment: datetime) -> str:
    """A UTC time that sorts as text: 2026-11-26T09:30:00Z."""
    return f"{moment.astimezone(UTC):%Y-%m-%dT%H:%M:%SZ}"


def record_from_item(item: RecordItem) -> CatalogueRecord:
    return CatalogueRecord(
        reference=item.reference,
        title=item.title,
        nation=item.nation,  # type: ignore[arg-type]
        review_type=item.review_type,  # type: ignore[arg-type]
        document_type=item.document_type,  # type: ignore[arg-type]
        publication_date=PublicationDate(value=item.publication_date, precision=item.date_precision),  # type: ignore[arg-type]
        board_id=item.board_id,
        board_name=item.board_name,
        anonymous=item.anonymous,
        commissioned_date=item.commissioned_date,
        themes=tuple(item.themes),
        summary=item.summary,
        submission_id=item.submission_id,
        deposited_on=item.deposited_on,
        electronic_copy=ElectronicCopy.model_validate(item.electronic_copy.model_dump())
        if item.electronic_copy
        else None,
        created_at=item.created_at,
        updated_at=item.updated_at,
        version=item.version,
    )


def audit_to_item(entry: AuditEntry) -> AuditItem:
    return AuditItem(
        **audit_key(entry),
        entry_id=entry.entry_id,
        reference=entry.reference,
        at=entry.at,
        actor=entry.actor,
        action=entry.action.value,
        reason=entry.reason,
        changes={name: change.model_dump(mode="json") for name, change in entry.changes.items()},
        version=entry.version,
    )


def audit_from_item(item: AuditItem) -> AuditEntry:
    return AuditEntry(
        entry_id=item.entry_id,
        reference=item.reference,
        at=item.at,
        actor=item.actor,
        action=item.action,  # type: ignore[arg-type]
        reason=item.reason,
        changes=item.changes,  # type: ignore[arg-type]
        version=item.version,
    )


def _to_attributes(item: BaseModel | dict[str, Any]) -> dict[str, Any]:
    plain = item.model_dump(mode="json", exclude_none=True) if isinstance(item, BaseModel) else item
    return {name: _serializer.serialize(value) for name, value in plain.items()}


def _from_attributes(attributes: dict[str, Any]) -> dict[str, Any]:
    return {name: _deserializer.deserialize(value) for name, value in attributes.items()}


def _condition_failed(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


# ---------------------------------------------------------------- repository


class CatalogueRepository:
    """All reads and writes of the catalogue table; conditional writes keep every step idempotent."""

    def __init__(self, table_name: str, client: Any | None = None) -> None:
        self.table_name = table_name
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = new_client("dynamodb")
        return self._client

    def _get(self, key: dict[str, str], consistent: bool = True) -> dict[str, Any] | None:
        response = self.client.get_item(TableName=self.table_name, Key=_to_attributes(key), ConsistentRead=consistent)
        return _from_attributes(response["Item"]) if "Item" in response else None

    def ping(self) -> bool:
        """A read of a key that never exists: proves the table answers, with the function's own permission."""
        self._get({"pk": "HEALTH", "sk": "HEALTH"}, consistent=False)
        return True

    # ---- boards and their credentials

    def save_board(self, board: Board, created_at: datetime) -> None:
        self.client.put_item(TableName=self.table_name, Item=_to_attributes(board_to_item(board, created_at)))

    def get_board(self, board_id: str) -> Board | None:
        found = self._get(board_key(board_id))
        return board_from_item(BoardItem.model_validate(found)) if found else None

    def list_boards(self) -> list[Board]:
        return [
            board_from_item(BoardItem.model_validate(item))
            for item in self._query_index(BOARDS_INDEX, "gsi1pk", "BOARDS")
        ]

    def save_credential(self, key_hash: str, board_id: str, created_at: datetime) -> None:
        item = BoardKeyItem(
            **credential_key(key_hash),
            board_id=board_id,
            created_at=created_at,
            gsi1pk=f"BOARD#{board_id}",
            gsi1sk=f"KEY#{created_at.isoformat()}",
        )
        self.client.put_item(
            TableName=self.table_name,
            Item=_to_attributes(item),
            ConditionExpression="attribute_not_exists(pk)",
        )

    def board_for_credential(self, key_hash: str) -> Board | None:
        """The active board that holds this (hashed) credential, if the credential is live."""
        found = self._get(credential_key(key_hash), consistent=False)
        if not found:
            return None
        credential = BoardKeyItem.model_validate(found)
        if credential.revoked:
            return None
        board = self.get_board(credential.board_id)
        return board if board and board.active else None

    def revoke_credentials(self, board_id: str, revoked_at: datetime, key_hash: str | None = None) -> int:
        """Revoke the board's live credentials (or only the one with this hash); returns how many."""
        revoked = 0
        for found in self._query_index(BOARDS_INDEX, "gsi1pk", f"BOARD#{board_id}", sort_prefix="KEY#"):
            credential = BoardKeyItem.model_validate(found)
            if credential.revoked or (key_hash is not None and found["pk"] != credential_key(key_hash)["pk"]):
                continue
            try:
                self.client.update_item(
                    TableName=self.table_name,
                    Key=_to_attributes({"pk": found["pk"], "sk": found["sk"]}),
                    UpdateExpression="SET revoked = :true, revoked_at = :at",
                    # Only a live credential: a concurrent revoke is not counted twice.
                    ConditionExpression="attribute_exists(pk) AND revoked = :false",
                    ExpressionAttributeValues=_to_attributes(
                        {":true": True, ":false": False, ":at": revoked_at.isoformat()}
                    ),
                )
            except ClientError as error:
                if _condition_failed(error):
                    continue
                raise
            revoked += 1
        return revoked

    # ---- submissions

    def create_submission(self, submission: Submission) -> None:
        self.client.put_item(
            TableName=self.table_name,
            Item=_to_attributes(submission_to_item(submission)),
            ConditionExpression="attribute_not_exists(pk)",
        )

    def get_submission(self, submission_id: str) -> Submission | None:
        found = self._get(submission_key(submission_id))
        return submission_from_item(SubmissionItem.model_validate(found)) if found else None

    def start_processing(self, submission_id: str, now: datetime) -> Submission:
        """Move an open submission to `processing`; a final one comes back unchanged (a redelivery)."""
        try:
            response = self.client.update_item(
                TableName=self.table_name,
                Key=_to_attributes(submission_key(submission_id)),
                UpdateExpression="SET #status = :processing, updated_at = :now",
                ConditionExpression="attribute_exists(pk) AND #status IN (:awaiting, :processing)",
                ExpressionAttributeNames={"#status": "status"},
                ExpressionAttributeValues=_to_attributes(
                    {
                        ":processing": SubmissionStatus.PROCESSING.value,
                        ":awaiting": SubmissionStatus.AWAITING_UPLOAD.value,
                        ":now": now.isoformat(),
                    }
                ),
                ReturnValues="ALL_NEW",
            )
        except ClientError as error:
            if not _condition_failed(error):
                raise
            current = self.get_submission(submission_id)
            if current is None:
                raise LookupError(submission_id) from error
            return current
        return submission_from_item(SubmissionItem.model_validate(_from_attributes(response["Attributes"])))

    def assign_reference(self, submission_id: str, year: int, format_reference: Any) -> str:
        """The submission's reference: allocated once from the year's counter, then always the same."""
        current = self.get_submission(submission_id)
        if current and current.reference:
            return current.reference
        counter = self.client.update_item(
            TableName=self.table_name,
            Key=_to_attributes(counter_key(year)),
            UpdateExpression="ADD #value :one",
            ExpressionAttributeNames={"#value": "value"},
            ExpressionAttributeValues=_to_attributes({":one": 1}),
            ReturnValues="UPDATED_NEW",
        )
        reference = format_reference(year, int(_from_attributes(counter["Attributes"])["value"]))
        try:
            self.client.update_item(
                TableName=self.table_name,
                Key=_to_attributes(submission_key(submission_id)),
                UpdateExpression="SET #reference = :reference",
                ConditionExpression="attribute_exists(pk) AND attribute_not_exists(#reference)",
                ExpressionAttributeNames={"#reference": "reference"},
                ExpressionAttributeValues=_to_attributes({":reference": reference}),
            )
        except ClientError as error:
            if not _condition_failed(error):
                raise
            # A concurrent delivery got there first: its reference wins, this number stays unused.
            winner = self.get_submission(submission_id)
            assert winner and winner.reference, "a submission lost its reference"
            return winner.reference
        return reference

    def reference_for_content(self, sha256: str) -> str | None:
        found = self._get(content_key(sha256))
        return str(found["reference"]) if found else None

    def commit_catalogued(self, record: CatalogueRecord, now: datetime) -> None:
        """Write the record, claim its content hash and close the submission, all or nothing.

        Raises DuplicateContent when the same file was catalogued first under another reference.
        """
        assert record.electronic_copy and record.submission_id
        try:
            self.client.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self.table_name,
                            "Item": _to_attributes(record_to_item(record)),
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                    {
                        "Put": {
                            "TableName": self.table_name,
                            "Item": _to_attributes(
                                {**content_key(record.electronic_copy.sha256), "reference": record.reference}
                            ),
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                    {
                        "Update": {
                            "TableName": self.table_name,
                            "Key": _to_attributes(submission_key(record.submission_id)),
                            "UpdateExpression": "SET #status = :catalogued, #reference = :reference, updated_at = :now",
                            "ConditionExpression": "#status IN (:awaiting, :processing)",
                            "ExpressionAttributeNames": {"#status": "status", "#reference": "reference"},
                            "ExpressionAttributeValues": _to_attributes(
                                {
                                    ":catalogued": SubmissionStatus.CATALOGUED.value,
                                    ":reference": record.reference,
                                    ":now": now.isoformat(),
                                    ":awaiting": SubmissionStatus.AWAITING_UPLOAD.value,
                                    ":processing": SubmissionStatus.PROCESSING.value,
                                }
                            ),
                        }
                    },
                    # The audit trail's first entry, with the record it describes (last: the reasons above keep
                    # their positions).
                    self._audit_put(AuditEntry.for_deposit(record)),
                ]
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                raise
            reasons = [reason.get("Code") for reason in error.response.get("CancellationReasons", [])]
            if len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed" and reasons[0] != "ConditionalCheckFailed":
                existing = self.reference_for_content(record.electronic_copy.sha256)
                if existing and existing != record.reference:
                    raise DuplicateContent(existing) from error
            # Otherwise another delivery committed this very submission first: nothing left to do.

    def close_submission(
        self,
        submission_id: str,
        status: SubmissionStatus,
        now: datetime,
        reason: str | None = None,
        reference: str | None = None,
    ) -> Submission:
        """Record a final outcome (rejected or duplicate) unless another delivery already closed it."""
        names = {"#status": "status"}
        values: dict[str, Any] = {
            ":status": status.value,
            ":now": now.isoformat(),
            ":awaiting": SubmissionStatus.AWAITING_UPLOAD.value,
            ":processing": SubmissionStatus.PROCESSING.value,
        }
        assignments = ["#status = :status", "updated_at = :now"]
        if reason is not None:
            assignments.append("#reason = :reason")
            names["#reason"] = "reason"
            values[":reason"] = reason
        if reference is not None:
            assignments.append("#reference = :reference")
            names["#reference"] = "reference"
            values[":reference"] = reference
        try:
            self.client.update_item(
                TableName=self.table_name,
                Key=_to_attributes(submission_key(submission_id)),
                UpdateExpression="SET " + ", ".join(assignments),
                ConditionExpression="#status IN (:awaiting, :processing)",
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=_to_attributes(values),
            )
        except ClientError as error:
            if not _condition_failed(error):
                raise
        closed = self.get_submission(submission_id)
        assert closed is not None
        return closed

    # ---- catalogue records

    def add_record(self, record: CatalogueRecord) -> bool:
        """Add a record that came without a submission (a historic entry); False if the reference exists."""
        try:
            self.client.put_item(
                TableName=self.table_name,
                Item=_to_attributes(record_to_item(record)),
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ClientError as error:
            if not _condition_failed(error):
                raise
            return False
        return True

    # ---- historic imports (`case-reviews import`)

    def import_claims(self, natural_keys: list[str]) -> dict[str, str]:
        """The references already claimed by these natural keys; an unclaimed key is absent."""
        found = self._batch_get([import_claim_key(natural_key) for natural_key in dict.fromkeys(natural_keys)])
        claims = (ImportClaimItem.model_validate(item) for item in found)
        return {claim.natural_key: claim.reference for claim in claims}

    def get_records(self, references: list[str]) -> list[CatalogueRecord]:
        """The records with these references that exist (in no particular order)."""
        found = self._batch_get([record_key(reference) for reference in dict.fromkeys(references)])
        return [record_from_item(RecordItem.model_validate(item)) for item in found]

    def allocate_references(self, year: int, count: int, format_reference: Any) -> list[str]:
        """`count` fresh references of `year`, from the same counter as deposits, in one write.

        A number allocated but never used (a run that stops, a row another import claimed first)
        stays unused: references may have gaps, never repeats.
        """
        counter = self.client.update_item(
            TableName=self.table_name,
            Key=_to_attributes(counter_key(year)),
            UpdateExpression="ADD #value :count",
            ExpressionAttributeNames={"#value": "value"},
            ExpressionAttributeValues=_to_attributes({":count": count}),
            ReturnValues="UPDATED_NEW",
        )
        last = int(_from_attributes(counter["Attributes"])["value"])
        return [format_reference(year, number) for number in range(last - count + 1, last + 1)]

    def claim_import(self, natural_key: str, reference: str, imported_at: datetime, notes: str | None = None) -> str:
        """Claim a historic row's natural key for `reference`; returns the reference the key holds.

        A conditional put: if the key was claimed first (an earlier or concurrent import), nothing
        is written and the claimed reference comes back instead.
        """
        claim = ImportClaimItem(
            **import_claim_key(natural_key),
            natural_key=natural_key,
            reference=reference,
            imported_at=imported_at,
            notes=notes,
        )
        try:
            self.client.put_item(
                TableName=self.table_name,
                Item=_to_attributes(claim),
                ConditionExpression="attribute_not_exists(pk)",
            )
        except ClientError as error:
            if not _condition_failed(error):
                raise
            claimed = self.import_claims([natural_key]).get(natural_key)
            assert claimed is not None, "an import claim vanished"
            return claimed
        return reference

    def put_records(self, records: list[CatalogueRecord]) -> None:
        """Write records in batches of 25, without conditions.

        Only for records whose reference the caller has just claimed (`claim_import`) and that
        do not exist yet: nobody else writes a claimed reference, so no condition is needed.
        """
        for start in range(0, len(records), 25):
            writes = [{"PutRequest": {"Item": _to_attributes(record_to_item(r))}} for r in records[start : start + 25]]
            request: dict[str, Any] = {self.table_name: writes}
            for attempt in range(8):
                request = self.client.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}
                if not request:
                    break
                # Throttled writes come back unprocessed rather than as an error: back off, then send them again.
                time.sleep(min(0.05 * 2**attempt, 1.0))
            else:
                raise RuntimeError(f"DynamoDB left {len(request[self.table_name])} record(s) unwritten")

    def _batch_get(self, keys: list[dict[str, str]]) -> Iterator[dict[str, Any]]:
        """The items with these keys that exist, 100 keys per BatchGetItem, consistent reads."""
        for start in range(0, len(keys), 100):
            chunk = [_to_attributes(key) for key in keys[start : start + 100]]
            request: dict[str, Any] = {self.table_name: {"Keys": chunk, "ConsistentRead": True}}
            for attempt in range(8):
                response = self.client.batch_get_item(RequestItems=request)
                for attributes in response["Responses"].get(self.table_name, []):
                    yield _from_attributes(attributes)
                request = response.get("UnprocessedKeys") or {}
                if not request:
                    break
                # Throttled keys come back unprocessed rather than as an error: back off, then ask again.
                time.sleep(min(0.05 * 2**attempt, 1.0))
            else:
                raise RuntimeError(f"DynamoDB left {len(request[self.table_name]['Keys'])} key(s) unread")

    def get_record(self, reference: str) -> CatalogueRecord | None:
        found = self._get(record_key(reference))
        return record_from_item(RecordItem.model_validate(found)) if found else None

    def records_with_copy_due(self, as_of: date) -> Iterator[CatalogueRecord]:
        """Records whose electronic copy is still held although its last available day is before `as_of`."""
        for item in self._query_index(COPY_EXPIRY_INDEX, "expiry_pk", _AVAILABLE_COPIES, sort_below=as_of.isoformat()):
            yield record_from_item(RecordItem.model_validate(item))

    def copies_expiring(self, first_day: date, last_day: date) -> Iterator[CatalogueRecord]:
        """Records whose copy is available (not held) with a last available day from `first_day` to `last_day`
        (both included), by that day: one read of the sparse index, costing what is in the range."""
        # expiry_sk is `<day>#<reference>`: a bare day sorts before every key of that day.
        bounds = (first_day.isoformat(), (last_day + timedelta(days=1)).isoformat())
        for item in self._query_index(COPY_EXPIRY_INDEX, "expiry_pk", _AVAILABLE_COPIES, sort_between=bounds):
            yield record_from_item(RecordItem.model_validate(item))

    def expiry_warnings_recorded(self, first_day: date, last_day: date) -> set[tuple[str, date]]:
        """The (reference, last available day) pairs already warned of, for days `first_day` to `last_day`."""
        bounds = (first_day.isoformat(), (last_day + timedelta(days=1)).isoformat())
        paginator = self.client.get_paginator("query")
        warned: set[tuple[str, date]] = set()
        for page in paginator.paginate(
            TableName=self.table_name,
            KeyConditionExpression="pk = :pk AND sk BETWEEN :low AND :high",
            ExpressionAttributeValues=_to_attributes({":pk": _EXPIRY_WARNINGS, ":low": bounds[0], ":high": bounds[1]}),
            ProjectionExpression="sk",
            ConsistentRead=True,
        ):
            for attributes in page["Items"]:
                day, _, reference = str(_from_attributes(attributes)["sk"]).partition("#")
                warned.add((reference, date.fromisoformat(day)))
        return warned

    def record_expiry_warning(self, reference: str, available_until: date, now: datetime) -> None:
        """Note that the warning for this copy and date is announced (removed by TTL after the date)."""
        kept_until = available_until + timedelta(days=_EXPIRY_WARNING_KEPT_DAYS)
        expires = datetime.combine(kept_until, datetime.min.time(), UTC)
        self.client.put_item(
            TableName=self.table_name,
            Item=_to_attributes(
                {
                    "pk": _EXPIRY_WARNINGS,
                    "sk": f"{available_until.isoformat()}#{reference}",
                    "announced_at": now.isoformat(),
                    "ttl": int(expires.timestamp()),
                }
            ),
        )

    def save_copy_removed(self, removed: CatalogueRecord, entry: AuditEntry) -> bool:
        """Write a record whose copy was removed, and its audit entry, over the version it came from
        (False if that changed: then neither is written).

        The record stays in the sparse expiry index, under "unannounced", until the removal has been
        announced (`mark_removal_announced`): a run that stops in between finds it and finishes.
        """
        copy = removed.electronic_copy
        assert copy is not None and copy.removed_on is not None
        item = record_to_item(removed).model_copy(
            update={
                "expiry_pk": _UNANNOUNCED_REMOVALS,
                "expiry_sk": f"{copy.removed_on.isoformat()}#{removed.reference}",
            }
        )
        return self._put_with_audit(item, entry)

    def save_change(self, changed: CatalogueRecord, entry: AuditEntry) -> bool:
        """Write a staff change to a record and its audit entry, all or nothing, over the version it came
        from (False if that changed meanwhile: then neither is written)."""
        return self._put_with_audit(record_to_item(changed), entry)

    def audit_trail(self, reference: str) -> list[AuditEntry]:
        """The record's audit entries, oldest first."""
        paginator = self.client.get_paginator("query")
        entries = []
        for page in paginator.paginate(
            TableName=self.table_name,
            KeyConditionExpression="pk = :pk AND begins_with(sk, :prefix)",
            ExpressionAttributeValues=_to_attributes({":pk": record_key(reference)["pk"], ":prefix": _AUDIT_PREFIX}),
            ConsistentRead=True,
        ):
            entries += [audit_from_item(AuditItem.model_validate(_from_attributes(item))) for item in page["Items"]]
        return entries

    def held_copies_due(self, as_of: date) -> Iterator[CatalogueRecord]:
        """Copies on legal hold whose last available day is before `as_of` (kept only by their hold)."""
        for item in self._query_index(COPY_EXPIRY_INDEX, "expiry_pk", _HELD_COPIES, sort_below=as_of.isoformat()):
            yield record_from_item(RecordItem.model_validate(item))

    def _audit_put(self, entry: AuditEntry) -> dict[str, Any]:
        # Append-only: an entry is only ever created, never overwritten (nor updated or deleted anywhere).
        return {
            "Put": {
                "TableName": self.table_name,
                "Item": _to_attributes(audit_to_item(entry)),
                "ConditionExpression": "attribute_not_exists(pk)",
            }
        }

    def _put_with_audit(self, item: RecordItem, entry: AuditEntry) -> bool:
        """The record over the version before it, and its audit entry, in one transaction."""
        try:
            self.client.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self.table_name,
                            "Item": _to_attributes(item),
                            "ConditionExpression": "attribute_exists(pk) AND version = :before",
                            "ExpressionAttributeValues": _to_attributes({":before": item.version - 1}),
                        }
                    },
                    self._audit_put(entry),
                ]
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                raise
            reasons = [reason.get("Code") for reason in error.response.get("CancellationReasons", [])]
            if reasons[:1] == ["ConditionalCheckFailed"]:
                return False
            raise
        return True

    def removals_unannounced(self) -> Iterator[CatalogueRecord]:
        """Records whose copy was removed by a run that stopped before announcing it."""
        for item in self._query_index(COPY_EXPIRY_INDEX, "expiry_pk", _UNANNOUNCED_REMOVALS):
            yield record_from_item(RecordItem.model_validate(item))

    def mark_removal_announced(self, reference: str) -> None:
        """The removal reached the bus: the record leaves the sparse expiry index for good."""
        try:
            self.client.update_item(
                TableName=self.table_name,
                Key=_to_attributes(record_key(reference)),
                UpdateExpression="REMOVE expiry_pk, expiry_sk",
                ConditionExpression="expiry_pk = :unannounced",
                ExpressionAttributeValues=_to_attributes({":unannounced": _UNANNOUNCED_REMOVALS}),
            )
        except ClientError as error:
            if not _condition_failed(error):  # already marked: a rerun
                raise

    def all_records(self) -> Iterator[CatalogueRecord]:
        """Every catalogue record, page by page (for staff tools: index check and rebuild).

        No index lists the records (gsi1 holds boards, keys and submissions; copy_expiry only
        records still holding a copy), so this is a paginated Scan that keeps the record items.
        Scanning the whole table is fine for a staff command over a catalogue of some hundreds
        to thousands of records; no request path may call it.
        """
        paginator = self.client.get_paginator("scan")
        for page in paginator.paginate(
            TableName=self.table_name,
            FilterExpression="begins_with(pk, :prefix) AND sk = :sk",
            ExpressionAttributeValues=_to_attributes({":prefix": "REVIEW#", ":sk": "REVIEW"}),
            # The staff tools compare versions: a just-written record must not look stale.
            ConsistentRead=True,
        ):
            for attributes in page["Items"]:
                yield record_from_item(RecordItem.model_validate(_from_attributes(attributes)))

    # ---- the weekly digest

    def records_added(self, start: datetime, end: datetime) -> Iterator[CatalogueRecord]:
        """Deposited records catalogued from `start` up to (not including) `end`, oldest first."""
        for item in self._query_index(
            BOARDS_INDEX, "gsi1pk", _ADDED_DEPOSITS, sort_between=(_sortable_time(start), _sortable_time(end))
        ):
            yield record_from_item(RecordItem.model_validate(item))

    def add_subscriber(self, subscriber: Subscriber) -> bool:
        """Subscribe; False if the address already is (its first token stays valid)."""
        item = SubscriberItem(
            **subscriber_key(subscriber.email),
            email=subscriber.email,
            token=subscriber.token,
            subscribed_at=subscriber.subscribed_at,
            gsi1sk=subscriber.email,
        )
        try:
            # The subscription and the token that ends it are written together, or not at all.
            self.client.transact_write_items(
                TransactItems=[
                    {
                        "Put": {
                            "TableName": self.table_name,
                            "Item": _to_attributes(item),
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                    {
                        "Put": {
                            "TableName": self.table_name,
                            "Item": _to_attributes({**unsubscribe_key(subscriber.token), "email": subscriber.email}),
                            "ConditionExpression": "attribute_not_exists(pk)",
                        }
                    },
                ]
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                raise
            return False
        return True

    def remove_subscriber(self, email: str) -> bool:
        """Unsubscribe an address; False if it was not subscribed."""
        found = self._get(subscriber_key(email))
        if not found:
            return False
        subscriber = SubscriberItem.model_validate(found)
        self.client.transact_write_items(
            TransactItems=[
                {"Delete": {"TableName": self.table_name, "Key": _to_attributes(subscriber_key(email))}},
                {"Delete": {"TableName": self.table_name, "Key": _to_attributes(unsubscribe_key(subscriber.token))}},
            ]
        )
        return True

    def get_subscriber(self, email: str) -> Subscriber | None:
        found = self._get(subscriber_key(email))
        if not found:
            return None
        item = SubscriberItem.model_validate(found)
        return Subscriber(email=item.email, token=item.token, subscribed_at=item.subscribed_at)

    def subscriber_for_token(self, token: str) -> str | None:
        """The address an unsubscribe token belongs to, if it is still subscribed."""
        found = self._get(unsubscribe_key(token))
        return str(found["email"]) if found else None

    def subscribers(self) -> Iterator[Subscriber]:
        """Every subscriber, by address."""
        for found in self._query_index(BOARDS_INDEX, "gsi1pk", _SUBSCRIBERS):
            item = SubscriberItem.model_validate(found)
            yield Subscriber(email=item.email, token=item.token, subscribed_at=item.subscribed_at)

    def _query_index(
        self,
        index: str,
        key_name: str,
        key_value: str,
        sort_below: str | None = None,
        sort_prefix: str | None = None,
        sort_between: tuple[str, str] | None = None,
    ) -> Iterator[dict[str, Any]]:
        sort_name = "gsi1sk" if index == BOARDS_INDEX else "expiry_sk"
        condition = "#key = :key"
        values: dict[str, Any] = {":key": key_value}
        if sort_between is not None:
            condition += " AND #sort BETWEEN :low AND :high"
            values[":low"], values[":high"] = sort_between
        elif sort_below is not None:
            condition += " AND #sort < :below"
            values[":below"] = sort_below
        elif sort_prefix is not None:
            condition += " AND begins_with(#sort, :prefix)"
            values[":prefix"] = sort_prefix
        names = {"#key": key_name} | ({"#sort": sort_name} if len(values) > 1 else {})
        paginator = self.client.get_paginator("query")
        for page in paginator.paginate(
            TableName=self.table_name,
            IndexName=index,
            KeyConditionExpression=condition,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=_to_attributes(values),
        ):
            for attributes in page["Items"]:
                yield _from_attributes(attributes)
