"""The one place where real adapters are built and wired into services.

`build(settings, clients, clock)` wires a runtime explicitly: Lambda's from its environment (on
the first call of `services()`), the local stack's, the CLI's and each test's from what they pass.
Each adapter and service is made on first use, never at import, so a function pays at cold start
only for the clients it uses (the retention function never loads OpenSearch or PDFium).
"""

from __future__ import annotations

import threading
from functools import cached_property
from typing import TYPE_CHECKING

from case_reviews.adapters.aws import Clients
from case_reviews.config import Settings
from case_reviews.ports import Clock

if TYPE_CHECKING:
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
    from case_reviews.services.acknowledgement import AcknowledgementService
    from case_reviews.services.alerts import AlertAdministration, AlertSignUp, DailyAlerts
    from case_reviews.services.attachment import CopyAttachmentService
    from case_reviews.services.boards import BoardService
    from case_reviews.services.catalogue import CatalogueService
    from case_reviews.services.digest import DigestService, SubscriptionService
    from case_reviews.services.health import HealthService
    from case_reviews.services.historic_import import HistoricImport
    from case_reviews.services.indexing import IndexingService
    from case_reviews.services.learning import LearningService
    from case_reviews.services.operations import IndexUpkeep, QueueOperations, RecordInspection
    from case_reviews.services.publication import DepositPublication
    from case_reviews.services.removal import CopyRemoval
    from case_reviews.services.retention import RetentionService
    from case_reviews.services.review import LibraryReview
    from case_reviews.services.rulings import LegalRulings
    from case_reviews.services.search import SearchService
    from case_reviews.services.submissions import SubmissionService

# Long enough to cover a dead-letter queue's 14 days, so a replayed message never emails twice.
IDEMPOTENCY_WINDOW_SECONDS = 15 * 24 * 3600


class Services:
    """Every service of one runtime, wired from its settings, clients and clock; each made on first use."""

    def __init__(self, settings: Settings, clients: Clients, clock: Clock) -> None:
        self.settings = settings
        self.clients = clients
        self.clock = clock

    # ---------------------------------------------------------------- adapters

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

    # ---------------------------------------------------------------- services

    @cached_property
    def boards(self) -> BoardService:
        from case_reviews.services.boards import BoardService

        return BoardService(self.boards_store, self.clock)

    @cached_property
    def submissions(self) -> SubmissionService:
        from case_reviews.services.submissions import SubmissionService

        storage = self.settings.storage
        return SubmissionService(
            self.submissions_store,
            self.files,
            self.clock,
            storage.max_upload_bytes,
            storage.upload_url_ttl_seconds,
            records=self.records_store,
        )

    @cached_property
    def catalogue(self) -> CatalogueService:
        from case_reviews.services.catalogue import CatalogueService

        return CatalogueService(
            submissions=self.submissions_store,
            records=self.records_store,
            boards=self.boards_store,
            store=self.files,
            inspector=self.pdf_inspector,
            events=self.events,
            once=self.once,
            clock=self.clock,
            max_bytes=self.settings.storage.max_upload_bytes,
            publication=self.publication,
            review_every_deposit=self.settings.review.review_every_deposit,
        )

    @cached_property
    def publication(self) -> DepositPublication:
        from case_reviews.services.publication import DepositPublication

        return DepositPublication(self.records_store, self.boards_store, self.files, self.events)

    @cached_property
    def review(self) -> LibraryReview:
        from case_reviews.services.review import LibraryReview

        return LibraryReview(self.submissions_store, self.files, self.events, self.clock, self.publication)

    @cached_property
    def attachment(self) -> CopyAttachmentService:
        from case_reviews.services.attachment import CopyAttachmentService

        return CopyAttachmentService(
            records=self.records_store,
            store=self.files,
            inspector=self.pdf_inspector,
            events=self.events,
            clock=self.clock,
            max_bytes=self.settings.storage.max_upload_bytes,
        )

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

    @cached_property
    def indexing(self) -> IndexingService:
        from case_reviews.services.indexing import IndexingService

        return IndexingService(self.records_store, self.files, self.search_index)

    @cached_property
    def acknowledgements(self) -> AcknowledgementService:
        from case_reviews.services.acknowledgement import AcknowledgementService

        mail = self.settings.mail
        return AcknowledgementService(
            submissions=self.submissions_store,
            records=self.records_store,
            retention=self.retention_store,
            boards=self.boards_store,
            search=self.search_index,
            mailer=self.mailer,
            renderer=self.renderer,
            once=self.once,
            public_base_url=str(mail.public_base_url),
            deposit_page_url=mail.deposit_page,
            library_email=mail.library_contact_email,
            staff_email=mail.staff_email,
        )

    @cached_property
    def digest(self) -> DigestService:
        from case_reviews.services.digest import DigestService

        return DigestService(
            records=self.records_store,
            subscribers=self.subscribers_store,
            mailer=self.mailer,
            renderer=self.renderer,
            once=self.once,
            clock=self.clock,
            public_base_url=str(self.settings.mail.public_base_url),
        )

    @cached_property
    def subscriptions(self) -> SubscriptionService:
        from case_reviews.services.digest import SubscriptionService

        return SubscriptionService(self.subscribers_store, self.clock)

    @cached_property
    def learning(self) -> LearningService:
        from case_reviews.services.learning import LearningService

        # The API's and the site's reads: the fail-fast client behind the breaker, as searches.
        return LearningService(self.records_store, self.public_search, self.clock)

    @cached_property
    def alert_signup(self) -> AlertSignUp:
        from case_reviews.services.alerts import AlertSignUp, SignUpLimits

        alerts = self.settings.alerts
        return AlertSignUp(
            store=self.alerts_store,
            subscriptions=self.subscriptions,
            limiter=self.rate_limiter,
            mailer=self.mailer,
            renderer=self.renderer,
            clock=self.clock,
            limits=SignUpLimits(
                per_address=alerts.alert_signups_per_address, per_client=alerts.alert_signups_per_client
            ),
        )

    @cached_property
    def daily_alerts(self) -> DailyAlerts:
        from case_reviews.services.alerts import DailyAlerts

        return DailyAlerts(self.alerts_store, self.search_index, self.mailer, self.renderer, self.once, self.clock)

    @cached_property
    def alert_admin(self) -> AlertAdministration:
        from case_reviews.services.alerts import AlertAdministration

        queued = self.settings.alerts.alerts_queue_url is not None
        return AlertAdministration(self.alerts_store, self.clock, self.alert_runs if queued else None)

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
    def search(self) -> SearchService:
        from case_reviews.services.search import SearchService

        return SearchService(
            self.records_store,
            self.public_search,
            self.files,
            self.clock,
            self.settings.storage.download_url_ttl_seconds,
        )

    @cached_property
    def health(self) -> HealthService:
        from case_reviews.services.health import HealthService

        return HealthService({"catalogue": self.table.ping, "search": self.public_search.ping})

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


def build(settings: Settings, clients: Clients | None = None, clock: Clock | None = None) -> Services:
    """The services of a runtime: its settings, its clients (default: AWS in the settings' region)
    and its clock (default: the real one)."""
    if clock is None:
        from case_reviews.adapters.clock import SystemClock

        clock = SystemClock()
    return Services(settings, clients or Clients(), clock)


_installed: Services | None = None
_lock = threading.Lock()


def services() -> Services:
    """The runtime's services: what `install` put in place, or (in Lambda) built from the environment."""
    global _installed
    with _lock:
        if _installed is None:
            _installed = build(Settings.from_environment())
        return _installed


def install(chosen: Services | None) -> None:
    """Make `chosen` the services the handlers use (the local stack, the CLI, each test); None: forget them."""
    global _installed
    with _lock:
        _installed = chosen
