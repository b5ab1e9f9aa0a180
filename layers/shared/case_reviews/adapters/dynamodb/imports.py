"""Historic imports' claims (each row's natural key, with the reference its record got) and their lock."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from case_reviews.adapters.dynamodb import keys
from case_reviews.adapters.dynamodb.items import ImportClaimItem
from case_reviews.adapters.dynamodb.submissions import allocate
from case_reviews.adapters.dynamodb.table import BATCH_REQUESTS_IN_FLIGHT, Table
from case_reviews.domain.historic import ImportClaim, ImportInProgress


class DynamoImportStore:
    """Claims in batches (BatchWriteItem, several in flight), made safe by one lock for all imports.

    Claims are written without conditions, so two imports at once could each claim a row for a
    reference of its own and catalogue it twice. The lock (one item, taken by a conditional write
    and held on by each batch) keeps a second import out while one runs; a lock whose holder
    stopped without letting it go lapses at its `until`.
    """

    def __init__(self, table: Table) -> None:
        self.table = table

    def import_claims(self, natural_keys: Sequence[str]) -> dict[str, str]:
        """The references already claimed by these natural keys; an unclaimed key is absent."""
        found = self.table.batch_get(
            [keys.import_claim_key(natural_key) for natural_key in dict.fromkeys(natural_keys)],
            in_flight=BATCH_REQUESTS_IN_FLIGHT,
        )
        claims = (ImportClaimItem.model_validate(item) for item in found)
        return {claim.natural_key: claim.reference for claim in claims}

    def allocate_references(self, year: int, count: int) -> list[str]:
        """`count` fresh references of `year`, from the same counter as deposits, in one write.

        A number allocated but never used (a run that stops, a row another import claimed first)
        stays unused: references may have gaps, never repeats.
        """
        return allocate(self.table, year, count)

    def put_claims(self, claims: Sequence[ImportClaim]) -> None:
        """Write the claims, 25 a request: only while holding the import lock (nothing else writes claims)."""
        items = [
            ImportClaimItem(
                **keys.import_claim_key(claim.natural_key),
                natural_key=claim.natural_key,
                reference=claim.reference,
                imported_at=claim.imported_at,
                notes=claim.notes,
            )
            for claim in claims
        ]
        self.table.batch_put(items, in_flight=BATCH_REQUESTS_IN_FLIGHT)

    def begin_import(self, run: str, now: datetime, until: datetime) -> None:
        """Take the lock for `run` if nobody holds it or its holder's time is up; else ImportInProgress."""
        taken = self.table.update(
            keys.import_lock_key(),
            UpdateExpression="SET #run = :run, started_at = :now, #until = :until",
            ConditionExpression="attribute_not_exists(pk) OR #until <= :now",
            ExpressionAttributeNames={"#run": "run", "#until": "until"},
            ExpressionAttributeValues={
                ":run": run,
                ":now": keys.sortable_time(now),
                ":until": keys.sortable_time(until),
            },
        )
        if taken is None:
            held = self.table.get(keys.import_lock_key()) or {}
            raise ImportInProgress(
                f"another import is running (since {held.get('started_at', '?')}); imports run one at a time, "
                f"so that no row is catalogued twice. Run this one when it has finished; if it stopped without "
                f"finishing, its hold lapses at {held.get('until', '?')}."
            )

    def renew_import(self, run: str, now: datetime, until: datetime) -> None:
        """Hold the lock on until `until`; ImportInProgress if another run took it (this one's lapsed)."""
        held = self.table.update(
            keys.import_lock_key(),
            UpdateExpression="SET #until = :until",
            ConditionExpression="#run = :run",
            ExpressionAttributeNames={"#run": "run", "#until": "until"},
            ExpressionAttributeValues={":run": run, ":until": keys.sortable_time(until)},
        )
        if held is None:
            raise ImportInProgress(
                f"this import stopped for longer than its hold on the import lock ({keys.sortable_time(now)}) and "
                "another import took it; run the file again once that one has finished (nothing is imported twice)"
            )

    def end_import(self, run: str, now: datetime) -> None:
        """Let the lock go (its time is up now), if `run` still holds it."""
        self.table.update(
            keys.import_lock_key(),
            UpdateExpression="SET #until = :now",
            ConditionExpression="#run = :run",
            ExpressionAttributeNames={"#run": "run", "#until": "until"},
            ExpressionAttributeValues={":run": run, ":now": keys.sortable_time(now)},
        )
