"""The catalogue table as every store reaches it: attribute (de)serialisation, reads, queries, batches.

botocore retries throttled and failed calls (adapters never retry those by hand). What it cannot
retry is the part of a batch DynamoDB accepted but did not process: `until_processed` sends that
part again, with backoff, for BatchWriteItem and BatchGetItem alike.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError
from pydantic import BaseModel

_serializer = TypeSerializer()
_deserializer = TypeDeserializer()
# Throttled batch parts are sent again up to this many times, waiting longer each time (full jitter).
_BATCH_ATTEMPTS = 8
_BATCH_BACKOFF_S = 0.05
_BATCH_BACKOFF_CAP_S = 1.0
# Batch requests in flight at once, for a large batch (an import): each request's time is mostly the round
# trip and the service's, so a few at a time multiply the throughput (boto3 clients are thread-safe, and
# keep up to 10 connections a host).
BATCH_REQUESTS_IN_FLIGHT = 8


def to_attributes(item: BaseModel | Mapping[str, Any]) -> dict[str, Any]:
    plain = item.model_dump(mode="json", exclude_none=True) if isinstance(item, BaseModel) else item
    return {name: _serializer.serialize(value) for name, value in plain.items()}


def from_attributes(attributes: Mapping[str, Any]) -> dict[str, Any]:
    return {name: _deserializer.deserialize(value) for name, value in attributes.items()}


def condition_failed(error: ClientError) -> bool:
    return error.response.get("Error", {}).get("Code") == "ConditionalCheckFailedException"


@dataclass(frozen=True)
class Cancelled:
    """A cancelled transaction: why each item failed (in the order given), and DynamoDB's error itself."""

    reasons: list[str | None]
    error: ClientError

    def first_condition_failed(self) -> bool:
        """The first item's condition failed (the others may not even have been checked)."""
        return self.reasons[:1] == ["ConditionalCheckFailed"]


def until_processed(send: Callable[[dict[str, Any]], dict[str, Any]], request: dict[str, Any], left: str) -> None:
    """Call `send(request)` until the response's `left` part (UnprocessedItems, UnprocessedKeys) is empty."""
    for attempt in range(_BATCH_ATTEMPTS):
        request = send(request).get(left) or {}
        if not request:
            return
        time.sleep(random.uniform(0, min(_BATCH_BACKOFF_CAP_S, _BATCH_BACKOFF_S * 2**attempt)))
    raise RuntimeError(f"DynamoDB left part of a batch unprocessed after {_BATCH_ATTEMPTS} attempts: {left}")


class Table:
    """One DynamoDB table through an injected client."""

    def __init__(self, client: Any, name: str) -> None:
        self.client = client
        self.name = name

    def ping(self) -> bool:
        """A read of a key that never exists: proves the table answers, with the caller's own permission."""
        self.get({"pk": "HEALTH", "sk": "HEALTH"}, consistent=False)
        return True

    def get(self, key: Mapping[str, str], consistent: bool = True) -> dict[str, Any] | None:
        response = self.client.get_item(TableName=self.name, Key=to_attributes(key), ConsistentRead=consistent)
        return from_attributes(response["Item"]) if "Item" in response else None

    def put(self, item: BaseModel | Mapping[str, Any], condition: str | None = None) -> bool:
        """Write an item; with a condition, False when it does not hold (nothing is written)."""
        try:
            self.client.put_item(
                TableName=self.name,
                Item=to_attributes(item),
                **({"ConditionExpression": condition} if condition else {}),
            )
        except ClientError as error:
            if condition and condition_failed(error):
                return False
            raise
        return True

    def update(self, key: Mapping[str, str], **request: Any) -> dict[str, Any] | None:
        """An UpdateItem; None when its condition does not hold, else the attributes it returns."""
        if "ExpressionAttributeValues" in request:
            request["ExpressionAttributeValues"] = to_attributes(request["ExpressionAttributeValues"])
        try:
            response = self.client.update_item(TableName=self.name, Key=to_attributes(key), **request)
        except ClientError as error:
            if "ConditionExpression" in request and condition_failed(error):
                return None
            raise
        return from_attributes(response.get("Attributes", {}))

    def transact(self, *items: dict[str, Any]) -> Cancelled | None:
        """A transaction of Put/Update/Delete items (each without TableName): None when it commits, what
        cancelled it otherwise (any other error is raised)."""
        try:
            self.client.transact_write_items(
                TransactItems=[
                    {kind: {"TableName": self.name, **body}} for item in items for kind, body in item.items()
                ]
            )
        except ClientError as error:
            if error.response.get("Error", {}).get("Code") != "TransactionCanceledException":
                raise
            return Cancelled([reason.get("Code") for reason in error.response.get("CancellationReasons", [])], error)
        return None

    def query(
        self,
        key_name: str,
        key_value: str,
        *,
        index: str | None = None,
        sort_name: str = "sk",
        below: str | None = None,
        prefix: str | None = None,
        between: tuple[str, str] | None = None,
        projection: str | None = None,
    ) -> Iterator[dict[str, Any]]:
        """Every item of a partition (of the table or an index), page by page, optionally by sort key."""
        condition = "#key = :key"
        values: dict[str, Any] = {":key": key_value}
        if between is not None:
            condition += " AND #sort BETWEEN :low AND :high"
            values[":low"], values[":high"] = between
        elif below is not None:
            condition += " AND #sort < :below"
            values[":below"] = below
        elif prefix is not None:
            condition += " AND begins_with(#sort, :prefix)"
            values[":prefix"] = prefix
        names = {"#key": key_name} | ({"#sort": sort_name} if len(values) > 1 else {})
        request: dict[str, Any] = {
            "TableName": self.name,
            "KeyConditionExpression": condition,
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": to_attributes(values),
        }
        if index:
            request["IndexName"] = index
        else:
            request["ConsistentRead"] = True
        if projection:
            request["ProjectionExpression"] = projection
        for page in self.client.get_paginator("query").paginate(**request):
            for attributes in page["Items"]:
                yield from_attributes(attributes)

    def query_page(
        self,
        index: str,
        key_name: str,
        key_value: str,
        *,
        sort_name: str,
        prefix: str,
        limit: int,
        after: Mapping[str, Any] | None = None,
        newest_first: bool = True,
        attributes: Sequence[str] = (),
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        """One page of an index partition's items whose sort key has `prefix`, and the key to go on from
        (None after the last page). `attributes`: only these of each item (all when empty)."""
        names = {"#key": key_name, "#sort": sort_name}
        request: dict[str, Any] = {
            "TableName": self.name,
            "IndexName": index,
            "KeyConditionExpression": "#key = :key AND begins_with(#sort, :prefix)",
            "ExpressionAttributeValues": to_attributes({":key": key_value, ":prefix": prefix}),
            "ScanIndexForward": not newest_first,
            "Limit": limit,
        }
        if attributes:
            # Every name through a placeholder: several attribute names (status, reference) are reserved words.
            projected = {f"#projected{number}": name for number, name in enumerate(attributes)}
            names |= projected
            request["ProjectionExpression"] = ", ".join(projected)
        request["ExpressionAttributeNames"] = names
        if after:
            request["ExclusiveStartKey"] = to_attributes(after)
        response = self.client.query(**request)
        last = response.get("LastEvaluatedKey")
        return [from_attributes(item) for item in response["Items"]], from_attributes(last) if last else None

    def scan(
        self, filter_expression: str, values: Mapping[str, Any], names: Mapping[str, str] | None = None
    ) -> Iterator[dict[str, Any]]:
        """Every item that passes the filter (staff tools only: it reads the whole table)."""
        for page in self.client.get_paginator("scan").paginate(
            TableName=self.name,
            FilterExpression=filter_expression,
            ExpressionAttributeValues=to_attributes(values),
            **({"ExpressionAttributeNames": dict(names)} if names else {}),
            ConsistentRead=True,
        ):
            for attributes in page["Items"]:
                yield from_attributes(attributes)

    def batch_get(self, keys: Sequence[Mapping[str, str]], in_flight: int = 1) -> Iterator[dict[str, Any]]:
        """The items with these keys that exist, 100 keys per BatchGetItem (`in_flight` at once), consistent reads."""
        chunks = [keys[start : start + 100] for start in range(0, len(keys), 100)]
        for found in _each(self._batch_get_chunk, chunks, in_flight):
            yield from (from_attributes(attributes) for attributes in found)

    def _batch_get_chunk(self, keys: Sequence[Mapping[str, str]]) -> list[dict[str, Any]]:
        found: list[dict[str, Any]] = []

        def send(request: dict[str, Any]) -> dict[str, Any]:
            response = self.client.batch_get_item(RequestItems=request)
            found.extend(response["Responses"].get(self.name, []))
            return response  # type: ignore[no-any-return]

        request = {self.name: {"Keys": [to_attributes(key) for key in keys], "ConsistentRead": True}}
        until_processed(send, request, "UnprocessedKeys")
        return found

    def batch_put(self, items: Sequence[BaseModel | Mapping[str, Any]], in_flight: int = 1) -> None:
        """Write items 25 per BatchWriteItem (`in_flight` at once), without conditions."""
        chunks = [items[start : start + 25] for start in range(0, len(items), 25)]
        for _ in _each(self._batch_put_chunk, chunks, in_flight):
            pass

    def _batch_put_chunk(self, items: Sequence[BaseModel | Mapping[str, Any]]) -> None:
        def send(request: dict[str, Any]) -> dict[str, Any]:
            return self.client.batch_write_item(RequestItems=request)  # type: ignore[no-any-return]

        until_processed(
            send, {self.name: [{"PutRequest": {"Item": to_attributes(item)}} for item in items]}, "UnprocessedItems"
        )


def _each[T, R](call: Callable[[T], R], chunks: list[T], in_flight: int) -> Iterator[R]:
    """`call` on every chunk, in order; up to `in_flight` at once (a failure is raised once the others ended)."""
    if in_flight <= 1 or len(chunks) <= 1:
        yield from map(call, chunks)
        return
    with ThreadPoolExecutor(max_workers=min(in_flight, len(chunks))) as pool:
        yield from pool.map(call, chunks)
