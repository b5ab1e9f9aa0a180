"""The one place where real adapters are built and wired into services.

Everything is built on first use (never at import) from the settings of that moment, and
kept for the life of the Lambda container. Tests call `reset()` to start again.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import TYPE_CHECKING, Any

# Each factory imports its adapters itself: a function pays at cold start only for the
# clients it uses (the retention function never loads OpenSearch or PDFium, for example).
if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer, IdempotencyConfig

    from case_reviews.adapters.dynamodb import CatalogueRepository
    from case_reviews.adapters.eventbridge import EventPublisher
    from case_reviews.adapters.opensearch import SearchIndex
    from case_reviews.adapters.s3 import ReportStore
    from case_reviews.adapters.sqs import MessageQueues
    from case_reviews.services.acknowledgement import AcknowledgementService
    from case_reviews.services.boards import BoardService
    from case_reviews.services.catalogue import CatalogueService
    from case_reviews.services.digest import DigestService, SubscriptionService
    from case_reviews.services.health import HealthService
    from case_reviews.services.historic_import import HistoricImport
    from case_reviews.services.indexing import IndexingService
    from case_reviews.services.operations import IndexMaintenance, QueueOperations, RecordInspection
    from case_reviews.services.removal import CopyRemoval
    from case_reviews.services.retention import RetentionService
    from case_reviews.services.rulings import LegalRulings
    from case_reviews.services.search import SearchService
    from case_reviews.services.submissions import SubmissionService

from case_reviews.ports import Clock

_clock: Clock | None = None


def clock() -> Clock:
    """The clock every handler reads the time from: the real one unless `use_clock` set another."""
    global _clock
    if _clock is None:
        from case_reviews.adapters.clock import SystemClock

        _clock = SystemClock()
    return _clock


def use_clock(chosen: Clock | None) -> None:
    """Wire `chosen` as the clock (tests, the local stack on a chosen day); None: the real one again."""
    global _clock
    _clock = chosen


# Long enough to cover a dead-letter queue's 14 days, so a replayed message never emails twice.
IDEMPOTENCY_WINDOW_SECONDS = 15 * 24 * 3600


@cache
def repository() -> CatalogueRepository:
    from case_reviews.adapters.dynamodb import CatalogueRepository
    from case_reviews.config import TableSettings

    return CatalogueRepository(TableSettings.from_environment().catalogue_table_name)


@cache
def report_store() -> ReportStore:
    from case_reviews.adapters.s3 import ReportStore
    from case_reviews.config import StorageSettings

    return ReportStore(StorageSettings.from_environment().reports_bucket_name)


@cache
def search_index() -> SearchIndex:
    from case_reviews.adapters.opensearch import SearchIndex, build_client
    from case_reviews.config import SearchSettings
    from case_reviews.resources import index_definition

    settings = SearchSettings.from_environment()
    return SearchIndex(
        alias=settings.opensearch_index,
        definition=index_definition(),
        client_factory=lambda: build_client(
            str(settings.opensearch_url).rstrip("/"), settings.opensearch_auth, settings.aws_region
        ),
    )


@cache
def board_service() -> BoardService:
    from case_reviews.services.boards import BoardService

    return BoardService(repository())


@cache
def submission_service() -> SubmissionService:
    from case_reviews.config import StorageSettings
    from case_reviews.services.submissions import SubmissionService

    storage = StorageSettings.from_environment()
    return SubmissionService(repository(), report_store(), storage.max_upload_bytes, storage.upload_url_ttl_seconds)


@cache
def catalogue_service() -> CatalogueService:
    from case_reviews.adapters.eventbridge import EventPublisher
    from case_reviews.adapters.pdf import IsolatedPdfInspector, PdfLimits
    from case_reviews.config import EventSettings, PdfSettings, StorageSettings
    from case_reviews.services.catalogue import CatalogueService

    pdf = PdfSettings.from_environment()
    limits = PdfLimits(
        max_pages=pdf.pdf_max_pages,
        time_limit_s=pdf.pdf_time_limit_seconds,
        memory_limit_mb=pdf.pdf_memory_limit_mb,
    )
    return CatalogueService(
        repository=repository(),
        store=report_store(),
        inspector=IsolatedPdfInspector(limits),
        events=EventPublisher(EventSettings.from_environment().event_bus_name),
        max_bytes=StorageSettings.from_environment().max_upload_bytes,
    )


@cache
def indexing_service() -> IndexingService:
    from case_reviews.services.indexing import IndexingService

    return IndexingService(repository(), report_store(), search_index())


@cache
def acknowledgement_service() -> AcknowledgementService:
    from case_reviews.adapters.ses import Mailer
    from case_reviews.config import MailSettings
    from case_reviews.services.acknowledgement import AcknowledgementService

    mail = MailSettings.from_environment()
    return AcknowledgementService(
        repository(),
        Mailer(mail.sender_email, reply_to=mail.reply_to_email),
        str(mail.public_base_url),
        staff_email=mail.staff_email,
    )


@cache
def digest_service() -> DigestService:
    from case_reviews.adapters.ses import Mailer
    from case_reviews.config import MailSettings
    from case_reviews.services.digest import DigestService

    mail = MailSettings.from_environment()
    return DigestService(
        repository(), Mailer(mail.sender_email, reply_to=mail.reply_to_email), str(mail.public_base_url)
    )


@cache
def subscription_service() -> SubscriptionService:
    from case_reviews.services.digest import SubscriptionService

    return SubscriptionService(repository())


@cache
def retention_service() -> RetentionService:
    from case_reviews.adapters.sqs import RetentionRunQueue
    from case_reviews.config import RetentionSettings
    from case_reviews.services.retention import RetentionService

    return RetentionService(
        repository(),
        copy_removal(),
        RetentionRunQueue(message_queues(), RetentionSettings.from_environment().retention_queue_url),
    )


@cache
def event_publisher() -> EventPublisher:
    from case_reviews.adapters.eventbridge import EventPublisher
    from case_reviews.config import EventSettings

    return EventPublisher(EventSettings.from_environment().event_bus_name)


@cache
def copy_removal() -> CopyRemoval:
    from case_reviews.services.removal import CopyRemoval

    return CopyRemoval(repository(), report_store(), event_publisher())


@cache
def legal_rulings() -> LegalRulings:
    from case_reviews.services.rulings import LegalRulings

    return LegalRulings(repository(), copy_removal(), event_publisher())


@cache
def search_service() -> SearchService:
    from case_reviews.config import StorageSettings
    from case_reviews.services.search import SearchService

    storage = StorageSettings.from_environment()
    return SearchService(repository(), search_index(), report_store(), storage.download_url_ttl_seconds)


@cache
def health_service() -> HealthService:
    from case_reviews.services.health import HealthService

    return HealthService({"catalogue": repository().ping, "search": search_index().ping})


@cache
def message_queues() -> MessageQueues:
    from case_reviews.adapters.sqs import MessageQueues

    return MessageQueues()


@cache
def record_inspection() -> RecordInspection:
    from case_reviews.services.operations import RecordInspection

    return RecordInspection(repository())


@cache
def queue_operations() -> QueueOperations:
    from case_reviews.adapters.sqs import queue_routes
    from case_reviews.config import QueueSettings
    from case_reviews.services.operations import QueueOperations

    return QueueOperations(message_queues(), queue_routes(QueueSettings.from_environment()))


@cache
def index_maintenance() -> IndexMaintenance:
    from case_reviews.services.operations import IndexMaintenance

    return IndexMaintenance(repository(), report_store(), search_index())


@cache
def historic_import() -> HistoricImport:
    from case_reviews.services.historic_import import HistoricImport

    return HistoricImport(repository(), search_index())


@cache
def idempotency_config() -> IdempotencyConfig:
    from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig

    return IdempotencyConfig(expires_after_seconds=IDEMPOTENCY_WINDOW_SECONDS)


@cache
def _idempotency_store() -> DynamoDBPersistenceLayer:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

    from case_reviews.adapters.aws import new_client
    from case_reviews.config import IdempotencySettings

    return DynamoDBPersistenceLayer(
        table_name=IdempotencySettings.from_environment().idempotency_table_name,
        boto3_client=new_client("dynamodb"),
    )


@cache
def once[F: Callable[..., Any]](function: F, *, payload: str) -> F:
    """`function` made idempotent on its keyword argument `payload` (Powertools idempotency, DynamoDB).

    Wrapped once per container, not once per record.
    """
    from aws_lambda_powertools.utilities.idempotency import idempotent_function

    return idempotent_function(  # type: ignore[no-any-return]
        data_keyword_argument=payload,
        persistence_store=_idempotency_store(),
        config=idempotency_config(),
    )(function)


def reset() -> None:
    """Forget every built adapter and service (tests change the environment between cases)."""
    for factory in (
        repository,
        report_store,
        search_index,
        board_service,
        submission_service,
        catalogue_service,
        indexing_service,
        acknowledgement_service,
        digest_service,
        subscription_service,
        retention_service,
        event_publisher,
        copy_removal,
        legal_rulings,
        search_service,
        health_service,
        message_queues,
        record_inspection,
        queue_operations,
        index_maintenance,
        historic_import,
        idempotency_config,
        _idempotency_store,
        once,
    ):
        factory.cache_clear()
