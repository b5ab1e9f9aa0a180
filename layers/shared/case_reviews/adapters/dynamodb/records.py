"""Catalogue records, their content claims and their audit trail, in the catalogue table."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from case_reviews.adapters.dynamodb import keys
from case_reviews.adapters.dynamodb.items import ContentClaimItem, RecordItem
from case_reviews.adapters.dynamodb.mapping import audit_from, audit_to_item, record_from, record_to_item
from case_reviews.adapters.dynamodb.table import BATCH_REQUESTS_IN_FLIGHT, Table, to_attributes
from case_reviews.domain.audit import AuditEntry
from case_reviews.domain.errors import ChangedMeanwhile, DuplicateContent
from case_reviews.domain.records import CatalogueRecord
from case_reviews.domain.vocabulary import SubmissionStatus


def audit_put(entry: AuditEntry) -> dict[str, Any]:
    """The transaction item that appends an audit entry: only ever created, never overwritten."""
    return {"Put": {"Item": to_attributes(audit_to_item(entry)), "ConditionExpression": "attribute_not_exists(pk)"}}


def put_over_version(table: Table, item: RecordItem, entry: AuditEntry) -> bool:
    """The record over the version before it, and its audit entry, in one transaction; False if the
    record changed meanwhile (then neither is written)."""
    version = int((item.model_extra or {})["version"])
    cancelled = table.transact(
        {
            "Put": {
                "Item": to_attributes(item),
                "ConditionExpression": "attribute_exists(pk) AND version = :before",
                "ExpressionAttributeValues": to_attributes({":before": version - 1}),
            }
        },
        audit_put(entry),
    )
    if cancelled is None:
        return True
    if cancelled.first_condition_failed():
        return False
    raise cancelled.error


class DynamoRecordStore:
    """Records (one item each), the checksum claims that make a second deposit of a file a duplicate,
    and the append-only audit entries under each record's partition."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def get_record(self, reference: str) -> CatalogueRecord | None:
        found = self.table.get(keys.record_key(reference))
        return record_from(found) if found else None

    def get_records(self, references: Sequence[str]) -> list[CatalogueRecord]:
        """The records with these references that exist (in no particular order)."""
        found = self.table.batch_get([keys.record_key(reference) for reference in dict.fromkeys(references)])
        return [record_from(item) for item in found]

    def reference_for_content(self, sha256: str) -> str | None:
        found = self.table.get(keys.content_key(sha256))
        return str(found["reference"]) if found else None

    def commit_catalogued(self, record: CatalogueRecord, now: datetime) -> None:
        """Write the record, claim its content hash and close the submission, all or nothing.

        Raises DuplicateContent when the same file was catalogued first under another reference.
        """
        assert record.electronic_copy and record.submission_id
        claim = ContentClaimItem(**keys.content_key(record.electronic_copy.sha256), reference=record.reference)
        cancelled = self.table.transact(
            {"Put": {"Item": to_attributes(record_to_item(record)), "ConditionExpression": "attribute_not_exists(pk)"}},
            {"Put": {"Item": to_attributes(claim), "ConditionExpression": "attribute_not_exists(pk)"}},
            {
                "Update": {
                    "Key": to_attributes(keys.submission_key(record.submission_id)),
                    # A deposit held for review is published the same way, once staff approve it.
                    "UpdateExpression": "SET #status = :catalogued, #reference = :reference, updated_at = :now "
                    "REMOVE #hold",
                    "ConditionExpression": keys.IS_UNDECIDED,
                    "ExpressionAttributeNames": {"#status": "status", "#reference": "reference", "#hold": "hold"},
                    "ExpressionAttributeValues": to_attributes(
                        {
                            ":catalogued": SubmissionStatus.CATALOGUED.value,
                            ":reference": record.reference,
                            ":now": now.isoformat(),
                            **keys.UNDECIDED_VALUES,
                        }
                    ),
                }
            },
            # The audit trail's first entry, with the record it describes (last: the reasons above keep
            # their positions).
            audit_put(AuditEntry.for_deposit(record)),
        )
        if cancelled is None:
            return
        reasons = cancelled.reasons
        if len(reasons) > 1 and reasons[1] == "ConditionalCheckFailed" and reasons[0] != "ConditionalCheckFailed":
            existing = self.reference_for_content(record.electronic_copy.sha256)
            if existing and existing != record.reference:
                raise DuplicateContent(existing)
        if reasons[0] != "ConditionalCheckFailed" and len(reasons) > 2 and reasons[2] == "ConditionalCheckFailed":
            # No record, and the submission is no longer undecided: staff rejected it meanwhile.
            raise ChangedMeanwhile(f"Submission {record.submission_id} was decided meanwhile; nothing was published.")
        # Otherwise another delivery committed this very submission first: nothing left to do.

    def add_record(self, record: CatalogueRecord) -> bool:
        """Add a record that came without a submission (a historic entry); False if the reference exists."""
        return self.table.put(record_to_item(record), condition="attribute_not_exists(pk)")

    def put_new_records(self, records: Sequence[CatalogueRecord]) -> None:
        """Write records in batches, without conditions.

        Only for records whose reference the caller has just claimed (an import's claim) and that
        do not exist yet: nobody else writes a claimed reference, so no condition is needed.
        """
        self.table.batch_put([record_to_item(record) for record in records], in_flight=BATCH_REQUESTS_IN_FLIGHT)

    def save_copy_attached(self, changed: CatalogueRecord, entry: AuditEntry) -> bool:
        """Write a record's first copy over the version it came from, claim the file's checksum and append
        the audit entry, all or nothing: False if the record changed meanwhile, DuplicateContent if the
        same file was catalogued meanwhile (then nothing is written)."""
        assert changed.electronic_copy is not None
        item = record_to_item(changed)
        claim = ContentClaimItem(**keys.content_key(changed.electronic_copy.sha256), reference=changed.reference)
        cancelled = self.table.transact(
            {
                "Put": {
                    "Item": to_attributes(item),
                    "ConditionExpression": "attribute_exists(pk) AND version = :before",
                    "ExpressionAttributeValues": to_attributes({":before": changed.version - 1}),
                }
            },
            {"Put": {"Item": to_attributes(claim), "ConditionExpression": "attribute_not_exists(pk)"}},
            audit_put(entry),
        )
        if cancelled is None:
            return True
        if cancelled.first_condition_failed():
            return False
        if len(cancelled.reasons) > 1 and cancelled.reasons[1] == "ConditionalCheckFailed":
            raise DuplicateContent(self.reference_for_content(changed.electronic_copy.sha256) or "another record")
        raise cancelled.error

    def save_change(self, changed: CatalogueRecord, entry: AuditEntry) -> bool:
        """Write a staff change to a record and its audit entry, all or nothing, over the version it came
        from (False if that changed meanwhile: then neither is written)."""
        return put_over_version(self.table, record_to_item(changed), entry)

    def audit_trail(self, reference: str) -> list[AuditEntry]:
        """The record's audit entries, oldest first."""
        partition = keys.record_key(reference)["pk"]
        return [audit_from(found) for found in self.table.query("pk", partition, prefix=keys.AUDIT_PREFIX)]

    def all_records(self) -> Iterator[CatalogueRecord]:
        """Every catalogue record, page by page (for staff tools: index check and rebuild).

        No index lists the records (gsi1 holds boards, keys and submissions; copy_expiry only
        records still holding a copy), so this is a paginated Scan that keeps the record items.
        Scanning the whole table is fine for a staff command over a catalogue of some hundreds
        to thousands of records; no request path may call it.
        """
        for found in self.table.scan("begins_with(pk, :prefix) AND sk = :sk", {":prefix": "REVIEW#", ":sk": "REVIEW"}):
            yield record_from(found)

    def records_added(self, start: datetime, end: datetime) -> Iterator[CatalogueRecord]:
        """Deposited records catalogued from `start` up to (not including) `end`, oldest first."""
        bounds = (keys.sortable_time(start), keys.sortable_time(end))
        for found in self.table.query(
            "gsi1pk", keys.ADDED_DEPOSITS, index=keys.BOARDS_INDEX, sort_name="gsi1sk", between=bounds
        ):
            yield record_from(found)
