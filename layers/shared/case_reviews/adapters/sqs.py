"""The stack's SQS queues as staff tools see them: depths, and moving messages between queues.

The functions never use this adapter (Lambda's event source mappings receive and delete for
them); it serves the staff CLI's `queues show` and `queues replay`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from case_reviews.config import QueueSettings
from case_reviews.domain.queues import QUEUE_ROLES, QueueDepth, QueuedMessage, QueueRoute
from case_reviews.messages import AlertsRun, RetentionRun

# What a message attribute is made of, as SQS sends and takes it.
_ATTRIBUTE_PARTS = ("DataType", "StringValue", "BinaryValue")
# SQS's limit for one receive, one send batch and one delete batch.
BATCH_LIMIT = 10


def queue_routes(settings: QueueSettings) -> dict[str, QueueRoute]:
    """Each consumed queue with its dead-letter queue, by role."""
    return {
        role: QueueRoute(
            url=getattr(settings, f"{role}_queue_url"),
            dead_letter_url=getattr(settings, f"{role}_dead_letter_queue_url"),
        )
        for role in QUEUE_ROLES
    }


class SqsMessageQueues:
    """Reads queue depths, and receives, sends and deletes messages in SQS's batches of ten."""

    def __init__(self, client: Any) -> None:
        self.client = client

    def depth(self, queue_url: str) -> QueueDepth:
        attributes = self.client.get_queue_attributes(
            QueueUrl=queue_url,
            AttributeNames=[
                "ApproximateNumberOfMessages",
                "ApproximateNumberOfMessagesNotVisible",
                "ApproximateNumberOfMessagesDelayed",
            ],
        )["Attributes"]
        return QueueDepth(
            waiting=int(attributes.get("ApproximateNumberOfMessages", 0)),
            in_flight=int(attributes.get("ApproximateNumberOfMessagesNotVisible", 0)),
            delayed=int(attributes.get("ApproximateNumberOfMessagesDelayed", 0)),
        )

    def receive(self, queue_url: str, max_messages: int, visibility_timeout_s: int) -> list[QueuedMessage]:
        """Up to `max_messages` (at most ten) messages, hidden from other consumers for `visibility_timeout_s`.

        A one-second long poll: a short poll samples only some SQS servers and may answer
        "empty" while messages remain.
        """
        response = self.client.receive_message(
            QueueUrl=queue_url,
            MaxNumberOfMessages=max(1, min(max_messages, BATCH_LIMIT)),
            MessageAttributeNames=["All"],
            VisibilityTimeout=visibility_timeout_s,
            WaitTimeSeconds=1,
        )
        return [
            QueuedMessage(
                message_id=message["MessageId"],
                receipt_handle=message["ReceiptHandle"],
                body=message["Body"],
                attributes={
                    name: {part: value for part, value in attribute.items() if part in _ATTRIBUTE_PARTS}
                    for name, attribute in message.get("MessageAttributes", {}).items()
                },
            )
            for message in response.get("Messages", [])
        ]

    def send_copies(self, queue_url: str, messages: Sequence[QueuedMessage]) -> list[QueuedMessage]:
        """Send each message's body and attributes to the queue; returns the messages SQS accepted."""
        if not messages:
            return []
        entries = [
            {
                "Id": str(position),
                "MessageBody": message.body,
                **({"MessageAttributes": message.attributes} if message.attributes else {}),
            }
            for position, message in enumerate(messages)
        ]
        response = self.client.send_message_batch(QueueUrl=queue_url, Entries=entries)
        return [messages[int(sent["Id"])] for sent in response.get("Successful", [])]

    def send(self, queue_url: str, body: str) -> str:
        """Queue one message; returns its id."""
        return str(self.client.send_message(QueueUrl=queue_url, MessageBody=body)["MessageId"])

    def delete(self, queue_url: str, messages: Sequence[QueuedMessage]) -> int:
        """Delete received messages; returns how many SQS deleted."""
        if not messages:
            return 0
        response = self.client.delete_message_batch(
            QueueUrl=queue_url,
            Entries=[
                {"Id": str(position), "ReceiptHandle": message.receipt_handle}
                for position, message in enumerate(messages)
            ],
        )
        return len(response.get("Successful", []))


class RetentionRunQueue:
    """Asks the retention function for a run: staff on demand, or a run that continues itself."""

    def __init__(self, queues: SqsMessageQueues, queue_url: str) -> None:
        self.queues = queues
        self.queue_url = queue_url

    def request(self, as_of: date | None, run_id: str | None = None) -> str:
        # The same message the schedule sends (with the run's id, if it has one to be followed by).
        return self.queues.send(
            self.queue_url,
            RetentionRun(task="retention", as_of=as_of, run_id=run_id).model_dump_json(exclude_none=True),
        )


class AlertRunQueue:
    """Asks the alerts function for a daily run now (staff on demand), followed by its run id."""

    def __init__(self, queues: SqsMessageQueues, queue_url: str) -> None:
        self.queues = queues
        self.queue_url = queue_url

    def request(self, as_of: date | None, run_id: str | None = None) -> str:
        # The same message the schedule sends, with the day and the run's id.
        return self.queues.send(
            self.queue_url, AlertsRun(task="alerts", as_of=as_of, run_id=run_id).model_dump_json(exclude_none=True)
        )
