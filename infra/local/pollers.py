"""Lambda's SQS event source mapping, reproduced: batches, partial batch failures, visibility, redrive.

A poller receives up to `batch_size` messages, hands them to the function as one SQS event,
deletes the messages the function did not report as failed, and leaves the failed ones to
reappear after the queue's visibility timeout. The queue's redrive policy (applied by the
embedded SQS on receive) moves a message to its dead-letter queue after maxReceiveCount.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from aws_lambda_powertools import Logger

from infra.local.lambda_runtime import Handler, invoke

logger = Logger(service="local-stack")


def _message_attributes(raw: dict[str, Any]) -> dict[str, Any]:
    return {
        name: {
            "stringValue": value.get("StringValue"),
            "binaryValue": value.get("BinaryValue"),
            "stringListValues": [],
            "binaryListValues": [],
            "dataType": value["DataType"],
        }
        for name, value in raw.items()
    }


def sqs_event(messages: list[dict[str, Any]], queue_arn: str, region: str) -> dict[str, Any]:
    """The event Lambda builds from received messages."""
    return {
        "Records": [
            {
                "messageId": message["MessageId"],
                "receiptHandle": message["ReceiptHandle"],
                "body": message["Body"],
                "attributes": message.get("Attributes", {}),
                "messageAttributes": _message_attributes(message.get("MessageAttributes", {})),
                "md5OfBody": message["MD5OfBody"],
                "eventSource": "aws:sqs",
                "eventSourceARN": queue_arn,
                "awsRegion": region,
            }
            for message in messages
        ]
    }


@dataclass
class PollResult:
    received: int
    failed: int


class QueuePoller:
    """Feeds one queue to one function, the way an SQS event source mapping does."""

    def __init__(
        self,
        sqs: Any,
        queue_url: str,
        handler: Handler,
        function_name: str,
        batch_size: int = 10,
        timeout_s: float = 30.0,
    ) -> None:
        self.sqs = sqs
        self.queue_url = queue_url
        self.handler = handler
        self.function_name = function_name
        self.batch_size = batch_size
        self.timeout_s = timeout_s
        self.queue_arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"][
            "QueueArn"
        ]
        self.region = sqs.meta.region_name

    def poll_once(self, wait_seconds: int = 0) -> PollResult:
        messages = self.sqs.receive_message(
            QueueUrl=self.queue_url,
            MaxNumberOfMessages=self.batch_size,
            WaitTimeSeconds=wait_seconds,
            AttributeNames=["All"],
            MessageAttributeNames=["All"],
        ).get("Messages", [])
        if not messages:
            return PollResult(received=0, failed=0)
        event = sqs_event(messages, self.queue_arn, self.region)
        try:
            response = invoke(self.handler, event, self.function_name, self.timeout_s) or {}
            failed_ids = {failure["itemIdentifier"] for failure in response.get("batchItemFailures", [])}
        except Exception:
            # A function error fails the whole batch: every message comes back after the visibility timeout.
            logger.exception("Function failed", extra={"function": self.function_name})
            failed_ids = {message["MessageId"] for message in messages}
        done = [m for m in messages if m["MessageId"] not in failed_ids]
        if done:
            self.sqs.delete_message_batch(
                QueueUrl=self.queue_url,
                Entries=[{"Id": str(n), "ReceiptHandle": m["ReceiptHandle"]} for n, m in enumerate(done)],
            )
        return PollResult(received=len(messages), failed=len(failed_ids))

    def run(self, stop: threading.Event, wait_seconds: int = 1) -> None:
        """Poll until `stop` is set (long polling keeps an idle poller cheap)."""
        while not stop.is_set():
            try:
                self.poll_once(wait_seconds=wait_seconds)
            except Exception:
                if stop.is_set():
                    return
                logger.exception("Polling failed", extra={"function": self.function_name})
                stop.wait(1.0)
