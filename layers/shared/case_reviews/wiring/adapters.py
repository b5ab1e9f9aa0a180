"""Part of bootstrap: the real adapters, each built on first use from the runtime's settings and clients.

`AdapterWiring` is the base of `bootstrap.Services`: it holds the settings, clients and clock, and makes
each adapter (DynamoDB stores, S3, OpenSearch, EventBridge, SES, SQS, "once", the PDF inspector) the
first time a service needs it, importing its module only then.
"""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from case_reviews.adapters.aws import Clients
    from case_reviews.adapters.dynamodb import (
        DynamoAlertStore,
        DynamoBoardStore,
        DynamoImportStore,
        DynamoRateLimiter,
        DynamoRecordStore,
        DynamoRetentionStore,
        DynamoSubmissionStore,
        DynamoSubscriberStore,
        Table,
    )
    from case_reviews.adapters.email import JinjaEmailRenderer
    from case_reviews.adapters.eventbridge import EventPublisher
    from case_reviews.adapters.idempotency import PowertoolsOnce
    from case_reviews.adapters.opensearch.index import OpenSearchIndex
    from case_reviews.adapters.opensearch.maintenance import OpenSearchMaintenance
    from case_reviews.adapters.pdf import IsolatedPdfInspector
    from case_reviews.adapters.s3 import S3FileStore
    from case_reviews.adapters.ses import Mailer
    from case_reviews.adapters.sqs import AlertRunQueue, RetentionRunQueue, SqsMessageQueues
    from case_reviews.config import Settings
    from case_reviews.ports import Clock

# Long enough to cover a dead-letter queue's 14 days, so a replayed message never emails twice.
IDEMPOTENCY_WINDOW_SECONDS = 15 * 24 * 3600


class AdapterWiring:
    """The runtime's settings, clients and clock, and each real adapter, made on first use."""

    def __init__(self, settings: Settings, clients: Clients, clock: Clock) -> None:
        self.settings = settings
        self.clients = clients
        self.clock = clock

    @cached_property
    def table(self) -> Table:
        from case_reviews.adapters.dynamodb import Table

        return Table(self.clients.aws("dynamodb"), self.settings.table.catalogue_table_name)

    @cached_property
    def boards_store(self) -> DynamoBoardStore:
        from case_reviews.adapters.dynamodb import DynamoBoardStore

        return DynamoBoardStore(self.table)

    @cached_property
    def submissions_store(self) -> DynamoSubmissionStore:
        from case_reviews.adapters.dynamodb import DynamoSubmissionStore

        return DynamoSubmissionStore(self.table)

    @cached_property
    def records_store(self) -> DynamoRecordStore:
        from case_reviews.adapters.dynamodb import DynamoRecordStore

        return DynamoRecordStore(self.table)

    @cached_property
    def retention_store(self) -> DynamoRetentionStore:
        from case_reviews.adapters.dynamodb import DynamoRetentionStore

        return DynamoRetentionStore(self.table)

    @cached_property
    def subscribers_store(self) -> DynamoSubscriberStore:
        from case_reviews.adapters.dynamodb import DynamoSubscriberStore

        return DynamoSubscriberStore(self.table)

    @cached_property
    def alerts_store(self) -> DynamoAlertStore:
        from case_reviews.adapters.dynamodb import DynamoAlertStore

        return DynamoAlertStore(self.table)

    @cached_property
    def rate_limiter(self) -> DynamoRateLimiter:
        from case_reviews.adapters.dynamodb import DynamoRateLimiter

        return DynamoRateLimiter(self.table)

    @cached_property
    def imports_store(self) -> DynamoImportStore:
        from case_reviews.adapters.dynamodb import DynamoImportStore

        return DynamoImportStore(self.table)

    @cached_property
    def files(self) -> S3FileStore:
        from case_reviews.adapters.s3 import S3FileStore

        return S3FileStore(self.clients.aws("s3"), self.settings.storage.reports_bucket_name)

    @cached_property
    def search_index(self) -> OpenSearchIndex:
        """The index as its writers use it (the index function, rebuilds, imports): patient, retrying."""
        from case_reviews.adapters.opensearch.index import OpenSearchIndex
        from case_reviews.resources import index_definition

        search = self.settings.search
        return OpenSearchIndex(self.clients.opensearch(search), search.opensearch_index, index_definition())

    @cached_property
    def public_search(self) -> OpenSearchIndex:
        """The index as the API's searches read it: a client that fails fast, behind a circuit breaker."""
        from case_reviews.adapters.breaker import CircuitBreaker
        from case_reviews.adapters.opensearch.index import OpenSearchIndex, search_is_down
        from case_reviews.resources import index_definition

        search = self.settings.search
        breaker = CircuitBreaker(
            self.clock,
            failures_to_open=search.search_breaker_failures,
            open_seconds=search.search_breaker_open_seconds,
            is_failure=search_is_down,
        )
        return OpenSearchIndex(
            self.clients.opensearch(search, request_path=True), search.opensearch_index, index_definition(), breaker
        )

    @cached_property
    def index_maintenance(self) -> OpenSearchMaintenance:
        from case_reviews.adapters.opensearch.maintenance import OpenSearchMaintenance
        from case_reviews.resources import index_definition

        search = self.settings.search
        return OpenSearchMaintenance(self.clients.opensearch(search), search.opensearch_index, index_definition())

    @cached_property
    def events(self) -> EventPublisher:
        from case_reviews.adapters.eventbridge import EventPublisher

        return EventPublisher(self.clients.aws("events"), self.settings.events.event_bus_name)

    @cached_property
    def mailer(self) -> Mailer:
        from case_reviews.adapters.ses import Mailer

        sender = self.settings.sender
        return Mailer(self.clients.aws("sesv2"), sender.sender_email, reply_to=sender.reply_to_email)

    @cached_property
    def renderer(self) -> JinjaEmailRenderer:
        from case_reviews.adapters.email import JinjaEmailRenderer

        return JinjaEmailRenderer()

    @cached_property
    def once(self) -> PowertoolsOnce:
        from case_reviews.adapters.idempotency import PowertoolsOnce

        return PowertoolsOnce(
            self.clients.aws("dynamodb"),
            self.settings.idempotency.idempotency_table_name,
            window_seconds=IDEMPOTENCY_WINDOW_SECONDS,
        )

    @cached_property
    def message_queues(self) -> SqsMessageQueues:
        from case_reviews.adapters.sqs import SqsMessageQueues

        return SqsMessageQueues(self.clients.aws("sqs"))

    @cached_property
    def retention_runs(self) -> RetentionRunQueue:
        from case_reviews.adapters.sqs import RetentionRunQueue

        return RetentionRunQueue(self.message_queues, self.settings.retention.retention_queue_url)

    @cached_property
    def alert_runs(self) -> AlertRunQueue:
        from case_reviews.adapters.sqs import AlertRunQueue

        queue_url = self.settings.alerts.alerts_queue_url
        if not queue_url:
            raise RuntimeError("ALERTS_QUEUE_URL is not set: only staff tools queue alert runs")
        return AlertRunQueue(self.message_queues, queue_url)

    @cached_property
    def pdf_inspector(self) -> IsolatedPdfInspector:
        from case_reviews.adapters.pdf import IsolatedPdfInspector, PdfLimits

        pdf = self.settings.pdf
        limits = PdfLimits(
            max_pages=pdf.pdf_max_pages,
            time_limit_s=pdf.pdf_time_limit_seconds,
            memory_limit_mb=pdf.pdf_memory_limit_mb,
        )
        return IsolatedPdfInspector(limits, max_files_per_worker=pdf.pdf_worker_max_files)
