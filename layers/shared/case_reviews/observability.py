"""Logging, tracing and metrics, made once for the whole layer (Powertools), and the handlers' entry.

Every module logs through `logger`; a handler's `lambda_handler` is made by `sqs_handler` (or, for the
HTTP API, wrapped by `api_entry`), which adds the Lambda context to the logs, traces the invocation,
flushes the metrics, and tells "once" which invocation it serves.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable
from contextvars import ContextVar
from typing import Any

from aws_lambda_powertools import Logger, Metrics
from aws_lambda_powertools.metrics import MetricUnit
from aws_lambda_powertools.utilities.typing import LambdaContext


class _NoTracing:
    """Stands in for Powertools' Tracer where tracing is switched off (the local stack, tests, the bench):
    the X-Ray SDK, a tenth of a second of every cold start, is then never imported."""

    @staticmethod
    def capture_lambda_handler(handler: Any) -> Any:
        return handler

    @staticmethod
    def capture_method(method: Any) -> Any:
        return method


def _tracer() -> Any:
    # Powertools' own switch, read as Powertools reads it; in AWS (Tracing: Active) the real Tracer.
    if os.environ.get("POWERTOOLS_TRACE_DISABLED", "").lower() in ("true", "1"):
        return _NoTracing()
    from aws_lambda_powertools import Tracer

    return Tracer()


logger = Logger()
tracer = _tracer()
metrics = Metrics()

# The invocation being served (per thread on the local stack, where functions share a process):
# idempotency reads its remaining time, so that a record left "in progress" by a timeout expires
# when the invocation would have ended.
current_invocation: ContextVar[LambdaContext | None] = ContextVar("current_invocation", default=None)

Handler = Callable[[dict[str, Any], LambdaContext], dict[str, Any]]


def count(name: str, value: int = 1) -> None:
    """Add to a metric of this invocation (published when the handler returns)."""
    metrics.add_metric(name=name, unit=MetricUnit.Count, value=value)


def _observed(handler: Handler, correlation_id_path: str | None = None) -> Handler:
    @logger.inject_lambda_context(correlation_id_path=correlation_id_path)
    @tracer.capture_lambda_handler
    @metrics.log_metrics
    @functools.wraps(handler)
    def entry(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        token = current_invocation.set(context)
        try:
            return handler(event, context)
        finally:
            current_invocation.reset(token)

    return entry


def sqs_handler(model: type[Any], record_handler: Callable[..., Any]) -> Handler:
    """The `lambda_handler` of a function fed by SQS: each record parsed into `model` (Powertools parser)
    and handled alone; a record that fails is reported back for redelivery (partial batch response)."""
    from aws_lambda_powertools.utilities.batch import BatchProcessor, EventType, process_partial_response

    processor = BatchProcessor(event_type=EventType.SQS, model=model)
    handle = tracer.capture_method(record_handler)

    def handler(event: dict[str, Any], context: LambdaContext) -> dict[str, Any]:
        return process_partial_response(event=event, record_handler=handle, processor=processor, context=context)

    return _observed(handler)


def api_entry(handler: Handler, correlation_id_path: str) -> Handler:
    """The HTTP API's `lambda_handler`, observed as the queue consumers are."""
    return _observed(handler, correlation_id_path)
