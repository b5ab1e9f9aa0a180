"""The catalogue table: one DynamoDB table, one store per aggregate (each a port's adapter)."""

from __future__ import annotations

from case_reviews.adapters.dynamodb.alerts import DynamoAlertStore, DynamoRateLimiter
from case_reviews.adapters.dynamodb.boards import DynamoBoardStore
from case_reviews.adapters.dynamodb.imports import DynamoImportStore
from case_reviews.adapters.dynamodb.records import DynamoRecordStore
from case_reviews.adapters.dynamodb.retention import DynamoRetentionStore
from case_reviews.adapters.dynamodb.submissions import DynamoSubmissionStore
from case_reviews.adapters.dynamodb.subscribers import DynamoSubscriberStore
from case_reviews.adapters.dynamodb.table import Table

__all__ = [
    "DynamoAlertStore",
    "DynamoBoardStore",
    "DynamoImportStore",
    "DynamoRateLimiter",
    "DynamoRecordStore",
    "DynamoRetentionStore",
    "DynamoSubmissionStore",
    "DynamoSubscriberStore",
    "Table",
]
