"""The five-year rule: which electronic copies have reached the end of their time."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel

from case_reviews.adapters.dynamodb import CatalogueRepository


class DueCopy(BaseModel):
    reference: str
    available_until: date


class RetentionService:
    """Lists the copies past their last available day (removal comes with the retention work)."""

    def __init__(self, repository: CatalogueRepository) -> None:
        self.repository = repository

    def copies_due(self, as_of: date) -> list[DueCopy]:
        return [
            DueCopy(reference=record.reference, available_until=record.electronic_copy.available_until)
            for record in self.repository.records_with_copy_due(as_of)
            if record.electronic_copy is not None
        ]
