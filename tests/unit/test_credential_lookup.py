"""A board's key is looked up with a strongly consistent read, so a key revoked a moment ago is refused.

moto answers every read consistently, so it cannot show the difference; this checks the request the
store sends DynamoDB instead (botocore's Stubber refuses any request other than the one expected).
"""

from __future__ import annotations

import boto3
from botocore.stub import Stubber

from case_reviews.adapters.dynamodb import DynamoBoardStore, Table, keys
from case_reviews.adapters.dynamodb.table import to_attributes


def test_a_key_is_looked_up_with_a_strongly_consistent_read() -> None:
    # Given the board store on a DynamoDB client that expects one GetItem of the key's item
    client = boto3.client("dynamodb", region_name="eu-west-2")
    stubber = Stubber(client)
    expected = {"TableName": "catalogue", "Key": to_attributes(keys.credential_key("a1b2c3")), "ConsistentRead": True}
    stubber.add_response("get_item", {}, expected_params=expected)
    # When a key is looked up
    with stubber:
        found = DynamoBoardStore(Table(client, "catalogue")).get_credential("a1b2c3")
    # Then the read asked for strong consistency (an eventually consistent read may still return the
    # key as it was before its revocation) and found nothing here
    stubber.assert_no_pending_responses()
    assert found is None
