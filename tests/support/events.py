"""The sample events in events/, loaded and adapted for a test."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

EVENTS = Path(__file__).resolve().parents[2] / "events"


def load_event(relative: str) -> dict[str, Any]:
    return copy.deepcopy(json.loads((EVENTS / relative).read_text(encoding="utf-8")))


def sqs_event(bodies: list[str], queue_arn: str = "arn:aws:sqs:eu-west-2:123456789012:test") -> dict[str, Any]:
    """An SQS batch as Lambda's event source mapping delivers it, built on the sample record's shape."""
    template = load_event("catalogue/s3_object_created.json")["Records"][0]
    records = []
    for number, body in enumerate(bodies):
        record = copy.deepcopy(template)
        record.update(
            messageId=f"message-{number}", receiptHandle=f"handle-{number}", body=body, eventSourceARN=queue_arn
        )
        records.append(record)
    return {"Records": records}
