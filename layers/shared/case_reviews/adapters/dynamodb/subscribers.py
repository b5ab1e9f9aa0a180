"""The weekly digest's subscribers, and the tokens of their unsubscribe links."""

from __future__ import annotations

from collections.abc import Iterator

from case_reviews.adapters.dynamodb import keys
from case_reviews.adapters.dynamodb.mapping import subscriber_from, subscriber_to_item
from case_reviews.adapters.dynamodb.table import Table, to_attributes
from case_reviews.domain.digest import Subscriber


class DynamoSubscriberStore:
    """A subscriber and the token that ends the subscription are written and removed together."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def add_subscriber(self, subscriber: Subscriber) -> bool:
        """Subscribe; False if the address already is (its first token stays valid)."""
        token = {**keys.unsubscribe_key(subscriber.token), "email": subscriber.email}
        cancelled = self.table.transact(
            {
                "Put": {
                    "Item": to_attributes(subscriber_to_item(subscriber)),
                    "ConditionExpression": "attribute_not_exists(pk)",
                }
            },
            {"Put": {"Item": to_attributes(token), "ConditionExpression": "attribute_not_exists(pk)"}},
        )
        return cancelled is None

    def remove_subscriber(self, email: str) -> bool:
        """Unsubscribe an address; False if it was not subscribed."""
        subscriber = self.get_subscriber(email)
        if subscriber is None:
            return False
        self.table.transact(
            {"Delete": {"Key": to_attributes(keys.subscriber_key(email))}},
            {"Delete": {"Key": to_attributes(keys.unsubscribe_key(subscriber.token))}},
        )
        return True

    def get_subscriber(self, email: str) -> Subscriber | None:
        found = self.table.get(keys.subscriber_key(email))
        return subscriber_from(found) if found else None

    def subscriber_for_token(self, token: str) -> str | None:
        """The address an unsubscribe token belongs to, if it is still subscribed."""
        found = self.table.get(keys.unsubscribe_key(token))
        return str(found["email"]) if found else None

    def subscribers(self) -> Iterator[Subscriber]:
        """Every subscriber, by address."""
        for found in self.table.query("gsi1pk", keys.SUBSCRIBERS, index=keys.BOARDS_INDEX):
            yield subscriber_from(found)
