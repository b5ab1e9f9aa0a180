"""Provision, on the embedded AWS (moto), the resources template.yaml defines.

The names differ from AWS (no stack prefixes); the shapes match: the bucket and its
S3 → SQS notification, the queues with their dead-letter queues, the table and its
indexes, the idempotency table, the bus with its rules, and the SES sender identity.
Tests call `provision()` inside `mock_aws`; the local stack calls it against moto's server.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from case_reviews.adapters.aws import Clients
from case_reviews.domain.events import EVENT_SOURCE, ROUTES

REGION = "eu-west-2"
MAX_RECEIVE_COUNT = 5
# Seconds, per queue, as template.yaml sets them (function timeouts: catalogue and alerts 60, retention 120,
# others 30).
VISIBILITY_TIMEOUT_S = {
    "catalogue": 390,
    "index": 210,
    "acknowledge": 210,
    "retention": 750,
    "digest": 210,
    "alerts": 390,
}


@dataclass(frozen=True)
class QueueNames:
    """The queues the functions consume, in template.yaml's order."""

    catalogue: str = "case-reviews-catalogue"
    index: str = "case-reviews-index"
    acknowledge: str = "case-reviews-acknowledge"
    retention: str = "case-reviews-retention"
    digest: str = "case-reviews-digest"
    alerts: str = "case-reviews-alerts"

    def all(self) -> dict[str, str]:
        return {
            "catalogue": self.catalogue,
            "index": self.index,
            "acknowledge": self.acknowledge,
            "retention": self.retention,
            "digest": self.digest,
            "alerts": self.alerts,
        }


@dataclass(frozen=True)
class StackNames:
    bucket: str = "case-reviews-reports-local"
    catalogue_table: str = "case-reviews-catalogue"
    idempotency_table: str = "case-reviews-idempotency"
    event_bus: str = "case-reviews"
    sender_email: str = "case-reviews@library.example.org"
    # template.yaml's StaffEmail: where the daily list of copies about to be removed goes.
    staff_email: str = "case-reviews-staff@library.example.org"
    region: str = REGION
    queues: QueueNames = field(default_factory=QueueNames)
    # template.yaml's QuarantineRetentionDays: how long a rejected upload stays under quarantine/.
    quarantine_days: int = 30

    def function_environment(self, opensearch_url: str, public_base_url: str) -> dict[str, str]:
        """The environment every function gets locally, as the template's Globals give it in AWS."""
        return {
            "AWS_REGION": self.region,
            "AWS_DEFAULT_REGION": self.region,
            "CATALOGUE_TABLE_NAME": self.catalogue_table,
            "IDEMPOTENCY_TABLE_NAME": self.idempotency_table,
            "REPORTS_BUCKET_NAME": self.bucket,
            "EVENT_BUS_NAME": self.event_bus,
            "OPENSEARCH_URL": opensearch_url,
            "OPENSEARCH_AUTH": "none",
            "OPENSEARCH_INDEX": "reviews",
            "SENDER_EMAIL": self.sender_email,
            "STAFF_EMAIL": self.staff_email,
            "PUBLIC_BASE_URL": public_base_url,
            "POWERTOOLS_SERVICE_NAME": "case-reviews",
            "POWERTOOLS_METRICS_NAMESPACE": "CaseReviews",
            "POWERTOOLS_TRACE_DISABLED": "true",
            "POWERTOOLS_METRICS_DISABLED": "true",
        }


@dataclass(frozen=True)
class Provisioned:
    names: StackNames
    queue_urls: dict[str, str]
    dead_letter_queue_urls: dict[str, str]

    def function_environment(self, opensearch_url: str, public_base_url: str) -> dict[str, str]:
        """The names' environment, and what only exists once provisioned (as template.yaml's !Ref gives it)."""
        return self.names.function_environment(opensearch_url, public_base_url) | {
            "RETENTION_QUEUE_URL": self.queue_urls["retention"]
        }


def provision(
    names: StackNames | None = None, clients: Clients | None = None, site_origin: str | None = None
) -> Provisioned:
    """Create every resource (idempotently: creating what exists is a no-op in moto and AWS alike).

    `site_origin`: where the site's pages are, whose script may post uploads to the bucket (its CORS rule).
    """
    names = names or StackNames()
    clients = clients or Clients(region=names.region)
    sqs, s3, dynamodb, events, ses = (clients.aws(s) for s in ("sqs", "s3", "dynamodb", "events", "sesv2"))

    queue_urls: dict[str, str] = {}
    dead_letter_urls: dict[str, str] = {}
    queue_arns: dict[str, str] = {}
    for role, queue_name in names.queues.all().items():
        dlq_url = sqs.create_queue(QueueName=f"{queue_name}-dlq", Attributes={"MessageRetentionPeriod": "1209600"})[
            "QueueUrl"
        ]
        dlq_arn = _queue_arn(sqs, dlq_url)
        url = sqs.create_queue(
            QueueName=queue_name,
            Attributes={
                # As in template.yaml: six times the function's timeout, and a little more.
                "VisibilityTimeout": str(VISIBILITY_TIMEOUT_S[role]),
                "RedrivePolicy": json.dumps(
                    {"deadLetterTargetArn": dlq_arn, "maxReceiveCount": str(MAX_RECEIVE_COUNT)}
                ),
            },
        )["QueueUrl"]
        queue_urls[role], dead_letter_urls[role], queue_arns[role] = url, dlq_url, _queue_arn(sqs, url)

    s3.create_bucket(Bucket=names.bucket, CreateBucketConfiguration={"LocationConstraint": names.region})
    s3.put_public_access_block(
        Bucket=names.bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_versioning(Bucket=names.bucket, VersioningConfiguration={"Status": "Enabled"})
    s3.put_bucket_lifecycle_configuration(Bucket=names.bucket, LifecycleConfiguration=bucket_lifecycle(names))
    if site_origin:
        s3.put_bucket_cors(Bucket=names.bucket, CORSConfiguration=bucket_cors(site_origin))
    s3.put_bucket_notification_configuration(
        Bucket=names.bucket,
        NotificationConfiguration={
            "QueueConfigurations": [
                {
                    "QueueArn": queue_arns["catalogue"],
                    "Events": ["s3:ObjectCreated:*"],
                    "Filter": {"Key": {"FilterRules": [{"Name": "prefix", "Value": "incoming/"}]}},
                }
            ]
        },
    )

    _create_table(
        dynamodb,
        TableName=names.catalogue_table,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[
            {"AttributeName": name, "AttributeType": "S"}
            for name in ("pk", "sk", "gsi1pk", "gsi1sk", "expiry_pk", "expiry_sk")
        ],
        KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}],
        GlobalSecondaryIndexes=[
            {
                "IndexName": index,
                "KeySchema": [
                    {"AttributeName": hash_key, "KeyType": "HASH"},
                    {"AttributeName": range_key, "KeyType": "RANGE"},
                ],
                "Projection": {"ProjectionType": "ALL"},
            }
            for index, hash_key, range_key in (("gsi1", "gsi1pk", "gsi1sk"), ("copy_expiry", "expiry_pk", "expiry_sk"))
        ],
    )
    _create_table(
        dynamodb,
        TableName=names.idempotency_table,
        BillingMode="PAY_PER_REQUEST",
        AttributeDefinitions=[{"AttributeName": "id", "AttributeType": "S"}],
        KeySchema=[{"AttributeName": "id", "KeyType": "HASH"}],
    )
    for table, attribute in ((names.catalogue_table, "ttl"), (names.idempotency_table, "expiration")):
        dynamodb.update_time_to_live(
            TableName=table, TimeToLiveSpecification={"Enabled": True, "AttributeName": attribute}
        )

    if names.event_bus not in {bus["Name"] for bus in events.list_event_buses()["EventBuses"]}:
        events.create_event_bus(Name=names.event_bus)
    # One rule per consumer, as the routing table says (template.yaml's rules are checked against it too).
    for target, detail_types in ROUTES.items():
        rule = f"events-to-{target}"
        events.put_rule(
            Name=rule,
            EventBusName=names.event_bus,
            EventPattern=json.dumps({"source": [EVENT_SOURCE], "detail-type": [str(d) for d in detail_types]}),
        )
        events.put_targets(Rule=rule, EventBusName=names.event_bus, Targets=[{"Id": target, "Arn": queue_arns[target]}])

    ses.create_email_identity(EmailIdentity=names.sender_email)
    return Provisioned(names=names, queue_urls=queue_urls, dead_letter_queue_urls=dead_letter_urls)


def bucket_lifecycle(names: StackNames) -> dict[str, Any]:
    """The bucket's lifecycle rules, as template.yaml's ReportsBucket has them."""
    return {
        "Rules": [
            {
                "ID": "expire-unprocessed-uploads",
                "Status": "Enabled",
                "Filter": {"Prefix": "incoming/"},
                "Expiration": {"Days": 7},
                "NoncurrentVersionExpiration": {"NoncurrentDays": 1},
            },
            {
                "ID": "expire-quarantined-uploads",
                "Status": "Enabled",
                "Filter": {"Prefix": "quarantine/"},
                "Expiration": {"Days": names.quarantine_days},
                "NoncurrentVersionExpiration": {"NoncurrentDays": 1},
            },
            {
                "ID": "expire-noncurrent-versions",
                "Status": "Enabled",
                "Filter": {"Prefix": ""},
                "NoncurrentVersionExpiration": {"NoncurrentDays": 30},
                "Expiration": {"ExpiredObjectDeleteMarker": True},
            },
            {
                "ID": "abort-incomplete-multipart-uploads",
                "Status": "Enabled",
                "Filter": {"Prefix": ""},
                "AbortIncompleteMultipartUpload": {"DaysAfterInitiation": 1},
            },
        ]
    }


def bucket_cors(site_origin: str) -> dict[str, Any]:
    """The bucket's CORS rule, as template.yaml's ReportsBucket has it: the site's upload page may post a
    file with its script (for the progress bar) and read S3's answer; nothing else, from nowhere else."""
    return {
        "CORSRules": [
            {
                "ID": "site-uploads",
                "AllowedOrigins": [site_origin],
                "AllowedMethods": ["POST"],
                "AllowedHeaders": ["*"],
                "ExposeHeaders": ["Location", "ETag"],
                "MaxAgeSeconds": 600,
            }
        ]
    }


def _queue_arn(sqs: Any, url: str) -> str:
    return str(sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"])


def _create_table(dynamodb: Any, **definition: Any) -> None:
    try:
        dynamodb.create_table(**definition)
    except dynamodb.exceptions.ResourceInUseException:
        return
    dynamodb.get_waiter("table_exists").wait(TableName=definition["TableName"])
