"""Settings: named variables (the environment, in Lambda), read group by group when first needed.

Each service reads only the groups it needs, so a function is not forced to carry variables it
has no use for (the retention function has no bucket, for example). Lambda's are the
environment; the CLI, the local stack and the tests pass their own mapping to `Settings`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from typing import Literal, Self

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, PositiveInt, field_validator


class _EnvironmentSettings(BaseModel):
    # Built when first read: a function reads a handful of the groups, so a cold start builds only those.
    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True, defer_build=True)

    @classmethod
    def from_variables(cls, variables: Mapping[str, str]) -> Self:
        """Validate the variables of this group; a missing or bad one names itself in the error."""
        return cls.model_validate(dict(variables))


class TableSettings(_EnvironmentSettings):
    catalogue_table_name: str = Field(alias="CATALOGUE_TABLE_NAME", min_length=3)


class IdempotencySettings(_EnvironmentSettings):
    idempotency_table_name: str = Field(alias="IDEMPOTENCY_TABLE_NAME", min_length=3)


class StorageSettings(_EnvironmentSettings):
    reports_bucket_name: str = Field(alias="REPORTS_BUCKET_NAME", min_length=3)
    max_upload_bytes: PositiveInt = Field(alias="MAX_UPLOAD_BYTES", default=50 * 1024 * 1024)
    upload_url_ttl_seconds: PositiveInt = Field(alias="UPLOAD_URL_TTL_SECONDS", default=900, le=3600)
    download_url_ttl_seconds: PositiveInt = Field(alias="DOWNLOAD_URL_TTL_SECONDS", default=300, le=3600)


class PdfSettings(_EnvironmentSettings):
    """What one upload may cost the parser (its process): pages, seconds, memory; and how long a worker lives."""

    pdf_max_pages: PositiveInt = Field(alias="PDF_MAX_PAGES", default=2000)
    # Well inside the catalogue function's timeout, so a slow file is a rejection, not a retried batch.
    pdf_time_limit_seconds: PositiveInt = Field(alias="PDF_TIME_LIMIT_SECONDS", default=30, le=600)
    pdf_memory_limit_mb: PositiveInt = Field(alias="PDF_MEMORY_LIMIT_MB", default=640, ge=128)
    # Files one warm parser worker serves before it is replaced (1: a new worker for every file).
    pdf_worker_max_files: PositiveInt = Field(alias="PDF_WORKER_MAX_FILES", default=100, le=10_000)


class ReviewSettings(_EnvironmentSettings):
    """The library's check before publication: whether staff check every deposit (every board's)."""

    review_every_deposit: bool = Field(alias="REVIEW_EVERY_DEPOSIT", default=False)


class EventSettings(_EnvironmentSettings):
    event_bus_name: str = Field(alias="EVENT_BUS_NAME", min_length=1)


class SearchSettings(_EnvironmentSettings):
    opensearch_url: HttpUrl = Field(alias="OPENSEARCH_URL")
    # AWS signs with SigV4 (the domain only admits the function roles); the local server has no auth.
    opensearch_auth: Literal["sigv4", "none"] = Field(alias="OPENSEARCH_AUTH", default="sigv4")
    opensearch_index: str = Field(alias="OPENSEARCH_INDEX", default="reviews", pattern=r"^[a-z][a-z0-9_-]*$")
    aws_region: str = Field(alias="AWS_REGION", default="eu-west-2")
    # Writers (the index function, staff's rebuild and import) wait and retry: their queue retries them again.
    opensearch_timeout_seconds: float = Field(alias="OPENSEARCH_TIMEOUT_SECONDS", default=10.0, gt=0, le=60)
    opensearch_max_retries: int = Field(alias="OPENSEARCH_MAX_RETRIES", default=3, ge=0, le=10)
    # A searcher's request fails fast instead: one try, this long, so that a hanging search domain is a
    # 503 within seconds (docs/interface.md) rather than a gateway timeout.
    opensearch_request_timeout_seconds: float = Field(
        alias="OPENSEARCH_REQUEST_TIMEOUT_SECONDS", default=2.0, gt=0, le=10
    )
    # Once that many requests in a row found the domain down, searches are refused at once for this long;
    # then one request tries again.
    search_breaker_failures: int = Field(alias="SEARCH_BREAKER_FAILURES", default=2, ge=1, le=100)
    search_breaker_open_seconds: float = Field(alias="SEARCH_BREAKER_OPEN_SECONDS", default=10.0, gt=0, le=600)


class SenderSettings(_EnvironmentSettings):
    """Who the library's email comes from, and where replies go: all the mailer needs."""

    sender_email: str = Field(alias="SENDER_EMAIL", min_length=3)
    # Where boards' replies go (the library's enquiries mailbox); empty: to the sender.
    reply_to_email: str | None = Field(alias="REPLY_TO_EMAIL", default=None)

    @field_validator("reply_to_email", mode="before")
    @classmethod
    def _no_reply_to(cls, value: str | None) -> str | None:
        return value or None


class MailSettings(SenderSettings):
    public_base_url: HttpUrl = Field(alias="PUBLIC_BASE_URL")
    # Library staff's mailbox for the daily list of copies about to be removed; empty: no list is sent.
    staff_email: str | None = Field(alias="STAFF_EMAIL", default=None)
    # The page where a board deposits a report, linked from the acknowledgement; empty: PUBLIC_BASE_URL/deposit.
    deposit_page_url: HttpUrl | None = Field(alias="DEPOSIT_PAGE_URL", default=None)

    @field_validator("staff_email", "deposit_page_url", mode="before")
    @classmethod
    def _empty_is_none(cls, value: str | None) -> str | None:
        return value or None

    @property
    def library_contact_email(self) -> str:
        """The address boards are told to write to: the enquiries mailbox, or else the sender."""
        return self.reply_to_email or self.sender_email

    @property
    def deposit_page(self) -> str:
        """The deposit page's address (DEPOSIT_PAGE_URL, or the deposit page under PUBLIC_BASE_URL)."""
        if self.deposit_page_url is not None:
            return str(self.deposit_page_url)
        return f"{str(self.public_base_url).rstrip('/')}/deposit"


class ApiSettings(_EnvironmentSettings):
    # Swagger UI at /swagger: only the local stack switches it on (template.yaml never sets it).
    enable_swagger_ui: bool = Field(alias="ENABLE_SWAGGER_UI", default=False)
    # The base of the links the API gives (citations, exports, the feed, alert emails). Empty: the base the
    # request came in on (API Gateway's host and stage): the API function cannot be told its own
    # execute-api URL by the template without a dependency cycle.
    public_base_url: HttpUrl | None = Field(alias="PUBLIC_BASE_URL", default=None)

    @field_validator("public_base_url", mode="before")
    @classmethod
    def _empty_is_none(cls, value: str | None) -> str | None:
        return value or None


class AlertSettings(_EnvironmentSettings):
    """Self-service alerts: how often an address and a client may sign up, and the daily run's queue."""

    # Sign-ups per address a day, and per client (IP address) an hour.
    alert_signups_per_address: PositiveInt = Field(alias="ALERT_SIGNUPS_PER_ADDRESS", default=5)
    alert_signups_per_client: PositiveInt = Field(alias="ALERT_SIGNUPS_PER_CLIENT", default=20)
    # Staff tools queue a run here (the CLI sets it from the stack); the functions never need it.
    alerts_queue_url: str | None = Field(alias="ALERTS_QUEUE_URL", default=None)


class SiteSettings(_EnvironmentSettings):
    """The pages for people: where they are published (their links, and where S3 sends a browser back to)."""

    # The base URL people open (a custom domain, perhaps with a path); empty: the address of each request
    # (the execute-api host and its stage), as template.yaml cannot name the API to its own site function.
    public_base_url: HttpUrl | None = Field(alias="PUBLIC_BASE_URL", default=None)

    @field_validator("public_base_url", mode="before")
    @classmethod
    def _empty_is_none(cls, value: str | None) -> str | None:
        return value or None


class QueueSettings(_EnvironmentSettings):
    """Each consumed queue's URL and its dead-letter queue's (staff tools: set by the CLI from the stack)."""

    catalogue_queue_url: str = Field(alias="CATALOGUE_QUEUE_URL", min_length=1)
    catalogue_dead_letter_queue_url: str = Field(alias="CATALOGUE_DEAD_LETTER_QUEUE_URL", min_length=1)
    index_queue_url: str = Field(alias="INDEX_QUEUE_URL", min_length=1)
    index_dead_letter_queue_url: str = Field(alias="INDEX_DEAD_LETTER_QUEUE_URL", min_length=1)
    acknowledge_queue_url: str = Field(alias="ACKNOWLEDGE_QUEUE_URL", min_length=1)
    acknowledge_dead_letter_queue_url: str = Field(alias="ACKNOWLEDGE_DEAD_LETTER_QUEUE_URL", min_length=1)
    retention_queue_url: str = Field(alias="RETENTION_QUEUE_URL", min_length=1)
    retention_dead_letter_queue_url: str = Field(alias="RETENTION_DEAD_LETTER_QUEUE_URL", min_length=1)
    digest_queue_url: str = Field(alias="DIGEST_QUEUE_URL", min_length=1)
    digest_dead_letter_queue_url: str = Field(alias="DIGEST_DEAD_LETTER_QUEUE_URL", min_length=1)
    alerts_queue_url: str = Field(alias="ALERTS_QUEUE_URL", min_length=1)
    alerts_dead_letter_queue_url: str = Field(alias="ALERTS_DEAD_LETTER_QUEUE_URL", min_length=1)


class RetentionSettings(_EnvironmentSettings):
    """The retention function's own queue (a long run continues through it) and its batch bound."""

    retention_queue_url: str = Field(alias="RETENTION_QUEUE_URL", min_length=1)
    # Stop and queue the rest when less than this is left of the invocation.
    retention_reserve_ms: PositiveInt = Field(alias="RETENTION_RESERVE_MS", default=15_000)


class _Group[Group: _EnvironmentSettings]:
    """A settings group of `Settings`: validated from its variables the first time it is read, then kept."""

    def __init__(self, group: type[Group]) -> None:
        self.group = group

    def __set_name__(self, owner: type, name: str) -> None:
        self.name = name

    def __get__(self, settings: Settings, owner: type | None = None) -> Group:
        if self.name not in settings.__dict__:
            settings.__dict__[self.name] = self.group.from_variables(settings.variables)
        return settings.__dict__[self.name]  # type: ignore[no-any-return]


class Settings:
    """Every settings group, each validated from `variables` the first time it is read."""

    def __init__(self, variables: Mapping[str, str]) -> None:
        self.variables = variables

    @classmethod
    def from_environment(cls) -> Settings:
        """Lambda's settings: its environment variables, as the template sets them."""
        return cls(os.environ)

    table = _Group(TableSettings)
    idempotency = _Group(IdempotencySettings)
    storage = _Group(StorageSettings)
    pdf = _Group(PdfSettings)
    events = _Group(EventSettings)
    review = _Group(ReviewSettings)
    search = _Group(SearchSettings)
    sender = _Group(SenderSettings)
    mail = _Group(MailSettings)
    api = _Group(ApiSettings)
    alerts = _Group(AlertSettings)
    site = _Group(SiteSettings)
    queues = _Group(QueueSettings)
    retention = _Group(RetentionSettings)
