"""The stack's SQS queues as staff tools see them: depths, and moving messages between queues.

The functions never use this adapter (Lambda's event source mappings receive and delete for
them); it serves the staff CLI's `queues show` and `queues replay`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from case_reviews.adapters.aws import new_client
from case_reviews.config import QueueSettings
from case_reviews.messages import RetentionRun

QUEUE_ROLES = ("catalogue", "index", "acknowledge", "retention", "digest")
# SQS's limit for one receive, one send batch and one delete batch.
BATCH_LIMIT = 10


class QueueRoute(BaseModel):
    """A queue the functions consume and the dead-letter queue its redrive policy sends failures to."""

    model_config = ConfigDict(frozen=True)

    url: str
    dead_letter_url: str


def queue_routes(settings: QueueSettings) -> dict[str, QueueRoute]:
    """Each consumed queue with its dead-letter queue, by role."""
    return {
        role: QueueRoute(
            url=getattr(settings, f"{role}_queue_url"),
            dead_letter_url=getattr(settings, f"{role}_dead_letter_queue_url"),
        )
        for role in QUEUE_ROLES
    }


class QueueDepth(BaseModel):
    """SQS's approximate counts for one queue."""

    model_config = ConfigDict(populate_by_name=True, extra="ignore")

    waiting: int = Field(alias="ApproximateNumberOfMessages", default=0)
    in_flight: int = Field(alias="ApproximateNumberOfMessagesNotVisible", default=0)
    delayed: int = Field(alias="ApproximateNumberOfMessagesDelayed", default=0)


class MessageAttribute(BaseModel):
    model_config = ConfigDict(extra="ignore")

    DataType: str
    StringValue: str | None = None
    BinaryValue: bytes | None = None


class QueuedMessage(BaseModel):
    """A received message: what is needed to send it elsewhere unchanged, and to delete it here."""

    model_config = ConfigDict(extra="ignore")

    MessageId: str
    ReceiptHandle: str
    Body: str
    MessageAttributes: dict[str, MessageAttribute] = {}


class MessageQueues:
    """Reads queue depths, and receives, sends and deletes messages in SQS's batches of ten."""

    def __init__(self, client: Any | None = None) -> None:
        self._client = client

    @property
    def client(self) -> Any:
        if self._client is None:
            self._client = new_client("sqs")
        return self._client

    def depth(self, queue_url: str) -> QueueDepth:
        attributes = self.client.get_queue_attributes(
            QueueUrl=queue_url,
            AttributeNames=[
                "ApproximateNumberOfMessages",
                "ApproximateNumberOfMessagesNotVisible",
                "ApproximateNumberOfMessagesDelayed",
            ],
        )["Attributes"]
        return QueueDepth.model_validate(attributes)

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
        return [QueuedMessage.model_validate(message) for message in response.get("Messages", [])]

    def send_copies(self, queue_url: str, messages: Sequence[QueuedMessage]) -> list[QueuedMessage]:
        """Send each message's body and attributes to the queue; returns the messages SQS accepted."""
        if not messages:
            return []
        entries = [
            {
                "Id": str(position),
                "MessageBody": message.Body,
                **(
                    {
                        "MessageAttributes": {
                            name: attribute.model_dump(exclude_none=True)
                            for name, attribute in message.MessageAttributes.items()
                        }
                    }
                    if message.MessageAttributes
                    else {}
                ),
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
                {"Id": str(position), "ReceiptHandle": message.ReceiptHandle}
                for position, message in enumerate(messages)
            ],
        )
        return len(response.get("Successful", []))


class RetentionRunQueue:
    """Asks the retention function for a run: staff on demand, or a run that continues itself."""

    def __init__(self, queues: MessageQueues, queue_url: str) -> None:
        self.queues = queues
        self.queue_url = queue_url

    def request(self, as_of: date | None) -> str:
        # The same message the schedule sends, so the function cannot tell them apart.
        return self.queues.send(
            self.queue_url, RetentionRun(task="retention", as_of=as_of).model_dump_json(exclude_none=True)
        )
