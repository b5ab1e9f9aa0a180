"""The queues the functions consume, as staff tools see them."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

# The consumed queues, in template.yaml's order.
QUEUE_ROLES = ("catalogue", "index", "acknowledge", "retention", "digest", "alerts")


class QueueRoute(BaseModel):
    """A queue the functions consume and the dead-letter queue its redrive policy sends failures to."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    url: str
    dead_letter_url: str


class QueueDepth(BaseModel):
    """The queue's approximate counts."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    waiting: int = 0
    in_flight: int = 0
    delayed: int = 0


class QueuedMessage(BaseModel):
    """A received message: what is needed to send it elsewhere unchanged, and to delete it here."""

    model_config = ConfigDict(defer_build=True, frozen=True)

    message_id: str
    receipt_handle: str
    body: str
    # As SQS gives them (DataType, StringValue or BinaryValue), passed on untouched.
    attributes: dict[str, dict[str, str | bytes]] = {}
