"""Self-service alerts in the catalogue table: each alert, its links' tokens, its address, and rate counters.

Items (keys.py): `ALERT#<id>` (listed in gsi1's ALERTS partition by address), `ALERTTOKEN#<token>` (what
a link does), `ALERTADDRESS#<email>` (the address's alert ids, as a string set, and its stop-everything
token), `ALERTRUN#<run id>` (a followed daily run) and `RATE#<subject>` (one counter per window). A pending
alert and its tokens carry `ttl`: an alert nobody confirms goes by itself after 7 days; confirming removes it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, datetime, time, timedelta
from typing import Any

from case_reviews.adapters.dynamodb import keys
from case_reviews.adapters.dynamodb.table import Table, to_attributes
from case_reviews.domain.alerts import Alert, AlertAddress, AlertRunOutcome, AlertToken, TokenPurpose

# A followed run's outcome is kept this long for staff waiting on it.
RUN_KEPT = timedelta(days=3)
_KEYS = ("pk", "sk", "gsi1pk", "gsi1sk", "ttl")


def _epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def _fields(found: dict[str, Any]) -> dict[str, Any]:
    return {name: value for name, value in found.items() if name not in _KEYS}


def alert_item(alert: Alert) -> dict[str, Any]:
    item = {
        **keys.alert_key(alert.alert_id),
        **alert.model_dump(mode="json", exclude_none=True),
        "gsi1pk": keys.ALERTS,
        "gsi1sk": f"{alert.email}#{alert.alert_id}",
    }
    if not alert.confirmed:
        item["ttl"] = _epoch(alert.confirm_by)
    return item


def token_item(token: AlertToken, expires: datetime | None) -> dict[str, Any]:
    item = {**keys.alert_token_key(token.token), **token.model_dump(mode="json", exclude_none=True)}
    if expires is not None:
        item["ttl"] = _epoch(expires)
    return item


def _put_new(item: dict[str, Any]) -> dict[str, Any]:
    return {"Put": {"Item": to_attributes(item), "ConditionExpression": "attribute_not_exists(pk)"}}


class DynamoAlertStore:
    """The AlertStore port: an alert, its tokens and its address change together (one transaction)."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def get_address(self, email: str) -> AlertAddress | None:
        found = self.table.get(keys.alert_address_key(email))
        if not found:
            return None
        return AlertAddress(
            email=found["email"], alert_ids=frozenset(found.get("alert_ids", ())), stop_token=found["stop_token"]
        )

    def get_alerts(self, alert_ids: Iterable[str]) -> list[Alert]:
        found = self.table.batch_get([keys.alert_key(alert_id) for alert_id in dict.fromkeys(alert_ids)])
        return [Alert.model_validate(_fields(item)) for item in found]

    def get_alert(self, alert_id: str) -> Alert | None:
        found = self.table.get(keys.alert_key(alert_id))
        return Alert.model_validate(_fields(found)) if found else None

    def get_token(self, token: str) -> AlertToken | None:
        found = self.table.get(keys.alert_token_key(token))
        return AlertToken.model_validate(_fields(found)) if found else None

    def add_alert(
        self, alert: Alert, read: AlertAddress | None, live: frozenset[str], limit: int, stop_all_token: str
    ) -> bool:
        """The pending alert, its two tokens and the address listing it, all or nothing.

        The address is written over the version `read` (None: there is none yet, and it is created with
        `stop_all_token`), listing the `live` alerts (those of `read` that still exist) and this one:
        False if another sign-up changed it meanwhile, or it would hold more than `limit`.
        """
        ids = set(live) | {alert.alert_id}
        if len(ids) > limit:
            return False
        confirm = AlertToken(
            token=alert.confirm_token,
            purpose=TokenPurpose.CONFIRM,
            alert_id=alert.alert_id,
            expires_at=alert.confirm_by,
        )
        stop = AlertToken(token=alert.stop_token, purpose=TokenPurpose.STOP, alert_id=alert.alert_id)
        items = [
            _put_new(alert_item(alert)),
            _put_new(token_item(confirm, alert.confirm_by)),
            # Until confirmed, the stop link (which cancels the sign-up) goes with the alert.
            _put_new(token_item(stop, alert.confirm_by)),
        ]
        key = to_attributes(keys.alert_address_key(alert.email))
        values: dict[str, Any] = {":ids": {"SS": sorted(ids)}}
        if read is None:
            everything = AlertToken(token=stop_all_token, purpose=TokenPurpose.STOP_ALL, email=alert.email)
            update = "SET email = :email, stop_token = :stop, alert_ids = :ids"
            condition = "attribute_not_exists(pk)"
            values |= {":email": {"S": alert.email}, ":stop": {"S": stop_all_token}}
        elif read.alert_ids:
            update, condition = "SET alert_ids = :ids", "alert_ids = :seen"
            values[":seen"] = {"SS": sorted(read.alert_ids)}
        else:
            update, condition = "SET alert_ids = :ids", "attribute_exists(pk) AND attribute_not_exists(alert_ids)"
        items.append(
            {
                "Update": {
                    "Key": key,
                    "UpdateExpression": update,
                    "ConditionExpression": condition,
                    "ExpressionAttributeValues": values,
                }
            }
        )
        if read is None:
            items.append(_put_new(token_item(everything, None)))
        cancelled = self.table.transact(*items)
        if cancelled is None:
            return True
        if "ConditionalCheckFailed" in cancelled.reasons[3:]:
            return False
        raise cancelled.error

    def renew_confirmation(self, alert: Alert, token: str) -> Alert:
        """A new confirmation link for a pending alert (a sign-up asked again); the old link stops working."""
        renewed = alert.model_copy(update={"confirm_token": token})
        confirm = AlertToken(
            token=token, purpose=TokenPurpose.CONFIRM, alert_id=alert.alert_id, expires_at=renewed.confirm_by
        )
        cancelled = self.table.transact(
            {
                "Update": {
                    "Key": to_attributes(keys.alert_key(alert.alert_id)),
                    "UpdateExpression": "SET confirm_token = :token",
                    "ConditionExpression": "attribute_exists(pk) AND attribute_not_exists(confirmed_at)",
                    "ExpressionAttributeValues": {":token": {"S": token}},
                }
            },
            _put_new(token_item(confirm, renewed.confirm_by)),
            {"Delete": {"Key": to_attributes(keys.alert_token_key(alert.confirm_token))}},
        )
        if cancelled is not None:
            raise cancelled.error
        return renewed

    def confirm(self, token: AlertToken, now: datetime) -> bool:
        """The confirmation token used, its alert confirmed and kept for good (no `ttl`), with its stop link."""
        assert token.alert_id is not None
        alert = self.get_alert(token.alert_id)
        if alert is None:
            return False
        cancelled = self.table.transact(
            {
                "Update": {
                    "Key": to_attributes(keys.alert_token_key(token.token)),
                    "UpdateExpression": "SET used_at = :now",
                    "ConditionExpression": "attribute_exists(pk) AND attribute_not_exists(used_at)",
                    "ExpressionAttributeValues": {":now": {"S": now.isoformat()}},
                }
            },
            {
                "Update": {
                    "Key": to_attributes(keys.alert_key(token.alert_id)),
                    "UpdateExpression": "SET confirmed_at = :now REMOVE #ttl",
                    "ConditionExpression": "attribute_exists(pk)",
                    "ExpressionAttributeNames": {"#ttl": "ttl"},
                    "ExpressionAttributeValues": {":now": {"S": now.isoformat()}},
                }
            },
            {
                "Update": {
                    "Key": to_attributes(keys.alert_token_key(alert.stop_token)),
                    "UpdateExpression": "REMOVE #ttl",
                    "ConditionExpression": "attribute_exists(pk)",
                    "ExpressionAttributeNames": {"#ttl": "ttl"},
                }
            },
        )
        if cancelled is None:
            return True
        if "ConditionalCheckFailed" in cancelled.reasons:
            return False
        raise cancelled.error

    def remove_alert(self, alert: Alert, keep_confirmation: bool = False) -> None:
        """The alert and its tokens (`keep_confirmation`: not its used confirmation link, which then still
        answers "confirmed" until it expires), then its id from its address (one already without it is left)."""
        tokens = [alert.stop_token] if keep_confirmation else [alert.stop_token, alert.confirm_token]
        cancelled = self.table.transact(
            {"Delete": {"Key": to_attributes(keys.alert_key(alert.alert_id))}},
            *({"Delete": {"Key": to_attributes(keys.alert_token_key(token))}} for token in tokens),
        )
        if cancelled is not None:
            raise cancelled.error
        self.table.update(
            keys.alert_address_key(alert.email),
            UpdateExpression="DELETE alert_ids :id",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":id": {alert.alert_id}},
        )

    def all_alerts(self) -> Iterator[Alert]:
        for found in self.table.query("gsi1pk", keys.ALERTS, index=keys.BOARDS_INDEX):
            yield Alert.model_validate(_fields(found))

    def record_run(self, run_id: str, outcome: AlertRunOutcome) -> None:
        kept_until = datetime.combine(outcome.as_of, time(0), tzinfo=UTC) + RUN_KEPT
        self.table.put(
            {
                **keys.alert_run_key(run_id),
                "outcome": outcome.model_dump_json(),
                "ttl": _epoch(kept_until),
            }
        )

    def run_outcome(self, run_id: str) -> AlertRunOutcome | None:
        found = self.table.get(keys.alert_run_key(run_id))
        return AlertRunOutcome.model_validate_json(found["outcome"]) if found else None


class DynamoRateLimiter:
    """The RateLimiter port: one counter item per subject and window, gone (ttl) once its window has passed."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def hit(self, subject: str, window_seconds: int, now: datetime) -> int:
        start = _epoch(now) // window_seconds * window_seconds
        counted = self.table.update(
            keys.rate_key(subject, start),
            UpdateExpression="ADD hits :one SET #ttl = :expires",
            ExpressionAttributeNames={"#ttl": "ttl"},
            ExpressionAttributeValues={":one": 1, ":expires": start + 2 * window_seconds},
            ReturnValues="UPDATED_NEW",
        )
        return int((counted or {}).get("hits", 1))
