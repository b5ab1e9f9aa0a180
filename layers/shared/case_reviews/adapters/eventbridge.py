"""Domain events onto the EventBridge bus."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from case_reviews.domain.events import EVENT_SOURCE, DetailType


class EventPublishFailed(Exception):
    """EventBridge accepted the call but not the entry: the caller retries the whole step."""


class EventPublisher:
    """Publishes one event at a time on the repository's bus."""

    def __init__(self, client: Any, bus_name: str) -> None:
        self.client = client
        self.bus_name = bus_name

    def publish(self, detail_type: DetailType, detail: BaseModel) -> str:
        response = self.client.put_events(
            Entries=[
                {
                    "EventBusName": self.bus_name,
                    "Source": EVENT_SOURCE,
                    "DetailType": detail_type.value,
                    "Detail": detail.model_dump_json(),
                }
            ]
        )
        entry = response["Entries"][0]
        if response.get("FailedEntryCount") or "EventId" not in entry:
            raise EventPublishFailed(f"{entry.get('ErrorCode')}: {entry.get('ErrorMessage')}")
        return str(entry["EventId"])
