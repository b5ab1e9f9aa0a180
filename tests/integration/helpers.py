"""Steps the integration tests share: calling the API function, depositing, reading queues."""

from __future__ import annotations

import json
from typing import Any

import requests

from functions.api import app as api
from infra.local.api_gateway import proxy_event
from infra.local.lambda_runtime import LocalContext
from infra.local.pollers import sqs_event
from tests.integration.conftest import client
from tests.support.events import load_event


def call_api(
    method: str,
    target: str,
    key: str | None = None,
    body: Any = None,
    raw_body: str | bytes | None = None,
    content_type: str = "application/json",
) -> tuple[int, Any, dict[str, Any]]:
    """One request through the API function (a JSON `body`, or `raw_body` as sent); returns status,
    parsed body and headers."""
    sent = json.dumps(body) if body is not None else raw_body
    headers = {"Content-Type": content_type} if sent is not None else {}
    if key:
        headers["Authorization"] = f"Bearer {key}"
    response = api.lambda_handler(proxy_event(method, target, headers, sent), LocalContext(function_name="api"))
    content_type = next(
        (values[-1] for name, values in (response.get("multiValueHeaders") or {}).items() if name == "Content-Type"),
        "",
    )
    body = response.get("body")
    payload = (json.loads(body) if "json" in content_type else body) if body else None
    flat_headers = {name: values[-1] for name, values in (response.get("multiValueHeaders") or {}).items()}
    return response["statusCode"], payload, flat_headers


def sample_metadata(**changes: Any) -> dict[str, Any]:
    return {**json.loads(load_event("api/post_submission.json")["body"]), **changes}


def open_submission(key: str, **metadata: Any) -> dict[str, Any]:
    status, created, _ = call_api("POST", "/submissions", key, sample_metadata(**metadata))
    assert status == 201, created
    return created


def upload(created: dict[str, Any], data: bytes) -> None:
    """The board's browser or curl: the file goes straight to S3 with the presigned POST."""
    form = created["upload"]
    response = requests.post(form["url"], data=form["fields"], files={"file": ("report.pdf", data, "application/pdf")})
    assert response.status_code in (200, 201, 204), response.text


def deposit(key: str, data: bytes, **metadata: Any) -> str:
    created = open_submission(key, **metadata)
    upload(created, data)
    return created["submission_id"]


def submission_status(key: str, submission_id: str) -> dict[str, Any]:
    status, body, _ = call_api("GET", f"/submissions/{submission_id}", key)
    assert status == 200, body
    return body


def take_batch(queue_url: str) -> dict[str, Any]:
    """Receive every visible message of a queue as one SQS event (the messages stay in flight)."""
    sqs = client("sqs")
    messages = sqs.receive_message(QueueUrl=queue_url, MaxNumberOfMessages=10, AttributeNames=["All"]).get(
        "Messages", []
    )
    arn = sqs.get_queue_attributes(QueueUrl=queue_url, AttributeNames=["QueueArn"])["Attributes"]["QueueArn"]
    return sqs_event(messages, arn, "eu-west-2")


def queue_depth(queue_url: str) -> int:
    attributes = client("sqs").get_queue_attributes(
        QueueUrl=queue_url,
        AttributeNames=["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
    )["Attributes"]
    return int(attributes["ApproximateNumberOfMessages"]) + int(attributes["ApproximateNumberOfMessagesNotVisible"])
