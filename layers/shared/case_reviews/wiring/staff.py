"""Part of bootstrap: the services of a record's life after deposit and of the staff tools.

Removing a copy, the five-year retention run, legal rulings, record inspection, queue operations, index
upkeep and the historic import.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from case_reviews.wiring.adapters import AdapterWiring

if TYPE_CHECKING:
    from case_reviews.services.historic_import import HistoricImport
    from case_reviews.services.operations import IndexUpkeep, QueueOperations, RecordInspection
    from case_reviews.services.removal import CopyRemoval
    from case_reviews.services.retention import RetentionService
    from case_reviews.services.rulings import LegalRulings


class StaffWiring(AdapterWiring):
    """The record-keeping and staff services of `bootstrap.Services`, each made on first use."""

    @cached_property
    def copy_removal(self) -> CopyRemoval:
        from case_reviews.services.removal import CopyRemoval

        return CopyRemoval(self.records_store, self.retention_store, self.files, self.events)

    @cached_property
    def retention(self) -> RetentionService:
        from case_reviews.services.retention import RetentionService

        return RetentionService(self.retention_store, self.copy_removal, self.retention_runs, self.clock)

    @cached_property
    def rulings(self) -> LegalRulings:
        from case_reviews.services.rulings import LegalRulings

        return LegalRulings(self.records_store, self.records_store, self.copy_removal, self.events, self.clock)

    @cached_property
    def records(self) -> RecordInspection:
        from case_reviews.services.operations import RecordInspection

        return RecordInspection(self.records_store)

    @cached_property
    def queues(self) -> QueueOperations:
        from case_reviews.adapters.sqs import queue_routes
        from case_reviews.services.operations import QueueOperations

        return QueueOperations(self.message_queues, queue_routes(self.settings.queues))

    @cached_property
    def index_upkeep(self) -> IndexUpkeep:
        from case_reviews.services.operations import IndexUpkeep

        return IndexUpkeep(self.records_store, self.files, self.search_index, self.index_maintenance, self.clock)

    @cached_property
    def historic_import(self) -> HistoricImport:
        from case_reviews.services.historic_import import HistoricImport

        return HistoricImport(self.records_store, self.imports_store, self.search_index, self.clock)
