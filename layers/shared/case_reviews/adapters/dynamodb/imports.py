"""Historic imports' claims: each row's natural key, claimed once with the reference its record got."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from case_reviews.adapters.dynamodb import keys
from case_reviews.adapters.dynamodb.items import ImportClaimItem
from case_reviews.adapters.dynamodb.submissions import allocate
from case_reviews.adapters.dynamodb.table import Table


class DynamoImportStore:
    """Claims by conditional put, so that a row is imported once, whoever imports it and however often."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def import_claims(self, natural_keys: Sequence[str]) -> dict[str, str]:
        """The references already claimed by these natural keys; an unclaimed key is absent."""
        found = self.table.batch_get(
            [keys.import_claim_key(natural_key) for natural_key in dict.fromkeys(natural_keys)]
        )
        claims = (ImportClaimItem.model_validate(item) for item in found)
        return {claim.natural_key: claim.reference for claim in claims}

    def allocate_references(self, year: int, count: int) -> list[str]:
        """`count` fresh references of `year`, from the same counter as deposits, in one write.

        A number allocated but never used (a run that stops, a row another import claimed first)
        stays unused: references may have gaps, never repeats.
        """
        return allocate(self.table, year, count)

    def claim_import(self, natural_key: str, reference: str, imported_at: datetime, notes: str | None) -> str:
        """Claim a historic row's natural key for `reference`; returns the reference the key holds.

        A conditional put: if the key was claimed first (an earlier or concurrent import), nothing
        is written and the claimed reference comes back instead.
        """
        claim = ImportClaimItem(
            **keys.import_claim_key(natural_key),
            natural_key=natural_key,
            reference=reference,
            imported_at=imported_at,
            notes=notes,
        )
        if self.table.put(claim, condition="attribute_not_exists(pk)"):
            return reference
        claimed = self.import_claims([natural_key]).get(natural_key)
        assert claimed is not None, "an import claim vanished"
        return claimed
