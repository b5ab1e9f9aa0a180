""" "Once" through Powertools idempotency: an action's first result is kept in DynamoDB for its occasion."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel

from case_reviews.observability import current_invocation

if TYPE_CHECKING:
    from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

R = TypeVar("R")


class PowertoolsOnce:
    """Runs an action once per (scope, occasion) within `window_seconds`; a repeat gets the first result.

    The key is `<scope>#<hash of the occasion>`. A failed action leaves no record, so a redelivery runs
    it again. Each scope has its own persistence layer: Powertools configures one per function it wraps.
    """

    def __init__(self, client: Any, table_name: str, window_seconds: int) -> None:
        self.client = client
        self.table_name = table_name
        self.window_seconds = window_seconds
        self._stores: dict[str, DynamoDBPersistenceLayer] = {}
        self._lock = threading.Lock()

    def _store(self, scope: str) -> DynamoDBPersistenceLayer:
        from aws_lambda_powertools.utilities.idempotency import DynamoDBPersistenceLayer

        with self._lock:
            if scope not in self._stores:
                self._stores[scope] = DynamoDBPersistenceLayer(table_name=self.table_name, boto3_client=self.client)
            return self._stores[scope]

    def __call__(self, scope: str, occasion: BaseModel, action: Callable[[], R], returns: type[R]) -> R:
        from aws_lambda_powertools.utilities.idempotency import IdempotencyConfig, idempotent_function
        from aws_lambda_powertools.utilities.idempotency.serialization.pydantic import PydanticSerializer

        config = IdempotencyConfig(expires_after_seconds=self.window_seconds)
        invocation = current_invocation.get()
        if invocation is not None:
            config.register_lambda_context(invocation)

        def run_once(occasion: BaseModel) -> Any:
            return action()

        once = idempotent_function(
            data_keyword_argument="occasion",
            persistence_store=self._store(scope),
            config=config,
            key_prefix=scope,
            output_serializer=PydanticSerializer(returns) if issubclass(returns, BaseModel) else None,
        )(run_once)
        return once(occasion=occasion)  # type: ignore[no-any-return]
