"""The local SQS event source mapping: received messages become the event Lambda would build."""

from __future__ import annotations

from typing import Any

from aws_lambda_powertools.utilities.parser.models import SqsModel

from infra.local.pollers import sqs_event

QUEUE_ARN = "arn:aws:sqs:eu-west-2:123456789012:case-reviews-retention"


def received(number: int, **changes: Any) -> dict[str, Any]:
    """A message as SQS ReceiveMessage returns it."""
    return {
        "MessageId": f"id-{number}",
        "ReceiptHandle": f"handle-{number}",
        "MD5OfBody": f"md5-{number}",
        "Body": f'{{"task": "retention", "n": {number}}}',
        **changes,
    }


def test_each_received_message_becomes_a_lambda_sqs_record_in_order() -> None:
    # Given two messages with their attributes
    messages = [
        received(1, Attributes={"ApproximateReceiveCount": "2", "SentTimestamp": "1795693452919"}),
        received(2),
    ]
    # When the Lambda event is built
    event = sqs_event(messages, QUEUE_ARN, "eu-west-2")
    # Then each becomes a record with Lambda's camelCase names, the queue's ARN and region
    assert event == {
        "Records": [
            {
                "messageId": "id-1",
                "receiptHandle": "handle-1",
                "body": '{"task": "retention", "n": 1}',
                "attributes": {"ApproximateReceiveCount": "2", "SentTimestamp": "1795693452919"},
                "messageAttributes": {},
                "md5OfBody": "md5-1",
                "eventSource": "aws:sqs",
                "eventSourceARN": QUEUE_ARN,
                "awsRegion": "eu-west-2",
            },
            {
                "messageId": "id-2",
                "receiptHandle": "handle-2",
                "body": '{"task": "retention", "n": 2}',
                "attributes": {},
                "messageAttributes": {},
                "md5OfBody": "md5-2",
                "eventSource": "aws:sqs",
                "eventSourceARN": QUEUE_ARN,
                "awsRegion": "eu-west-2",
            },
        ]
    }


def test_message_attributes_take_lambdas_lower_camel_case_shape() -> None:
    # Given a message with a string and a binary message attribute
    message = received(
        1,
        MessageAttributes={
            "origin": {"StringValue": "schedule", "DataType": "String"},
            "blob": {"BinaryValue": b"\x00\x01", "DataType": "Binary"},
        },
    )
    # When the Lambda event is built
    (record,) = sqs_event([message], QUEUE_ARN, "eu-west-2")["Records"]
    # Then each attribute has Lambda's keys, including the empty list values
    assert record["messageAttributes"] == {
        "origin": {
            "stringValue": "schedule",
            "binaryValue": None,
            "stringListValues": [],
            "binaryListValues": [],
            "dataType": "String",
        },
        "blob": {
            "stringValue": None,
            "binaryValue": b"\x00\x01",
            "stringListValues": [],
            "binaryListValues": [],
            "dataType": "Binary",
        },
    }


def test_no_messages_make_an_event_with_no_records() -> None:
    # Given nothing received
    # When the Lambda event is built
    # Then it has an empty list of records
    assert sqs_event([], QUEUE_ARN, "eu-west-2") == {"Records": []}


def test_the_built_event_parses_as_an_sqs_event_for_powertools() -> None:
    # Given received messages with attributes
    messages = [
        received(
            1,
            Attributes={
                "ApproximateReceiveCount": "1",
                "SentTimestamp": "1795693452919",
                "SenderId": "A",
                "ApproximateFirstReceiveTimestamp": "1795693452935",
            },
        ),
        received(
            2,
            Attributes={
                "ApproximateReceiveCount": "3",
                "SentTimestamp": "1795693452919",
                "SenderId": "A",
                "ApproximateFirstReceiveTimestamp": "1795693452935",
            },
        ),
    ]
    # When the Lambda event is built and parsed with Powertools' SQS model
    parsed = SqsModel.model_validate(sqs_event(messages, QUEUE_ARN, "eu-west-2"))
    # Then the records are what the functions' batch processors expect
    assert [record.messageId for record in parsed.Records] == ["id-1", "id-2"]
    assert [record.attributes.ApproximateReceiveCount for record in parsed.Records] == ["1", "3"]
