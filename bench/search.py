"""Search latency at 100,000 indexed records: the API function in process against the bare OpenSearch query.

The corpus: 100,000 generated records (bench/corpus.py: varied titles, summaries, years 1945–2026,
nations, review types, themes, boards; 40 % with an available copy and a short body of text), turned
into index documents by the product's `document_from_record` and bulk-loaded (`OpenSearchMaintenance.load`:
helpers.streaming_bulk) into a concrete index of the product's definition behind the bench's own alias,
`bench-reviews`, on the stack's OpenSearch. The concrete index's name carries the corpus version and
size; when the alias already points at it with every document, it is reused rather than rebuilt.

The query (`QUERY`): two words, a nation filter, a date range, and as every search the six facets and,
having words, the highlights. Each round calls `functions.api.app.lambda_handler` with the proxy event
API Gateway would send (`infra.local.api_gateway.proxy_event`) and a fresh context, with the function's
services (installed by the caller) wired to the bench alias as OPENSEARCH_INDEX; and sends the very body the API sent
(captured once, from the function's own client) straight to OpenSearch with an opensearch-py client
built as the function builds its own. The two alternate (which goes first alternates too), after a warm-up.
"""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from bench.common import p95

if TYPE_CHECKING:
    from case_reviews.bootstrap import Services
    from case_reviews.domain.records import CatalogueRecord

BENCH_ALIAS = "bench-reviews"
# Bump when the generated corpus changes: a stale corpus is then rebuilt, never reused.
CORPUS_VERSION = 3
RECORDS = 100_000
SEED = 20261126
COPY_SHARE = 0.4
QUERY = "/reviews?q=neglect+escalation&nation=england&from=2000"
WARMUP = 10
QUERIES = 100


def corpus_records(count: int) -> Iterator[tuple[CatalogueRecord, str | None]]:
    """(record, body) pairs, as the product indexes them (the body only while a copy is held)."""
    from bench.corpus import catalogue_record, prose

    rng = random.Random(SEED)
    now = datetime.now(UTC)
    today = now.date()
    for number in range(count):
        has_copy = rng.random() < COPY_SHARE
        until = today + timedelta(days=rng.randint(1, 5 * 365)) if has_copy else None
        record = catalogue_record(rng, number, now, copy_until=until)
        yield record, prose(rng, rng.randint(4, 9)) if has_copy else None


def concrete_index_name(schema_version: int, count: int) -> str:
    return f"{BENCH_ALIAS}-v{schema_version}-c{CORPUS_VERSION}-n{count}"


def ensure_corpus(opensearch_url: str, region: str, count: int = RECORDS) -> tuple[bool, float]:
    """The bench alias with `count` documents: reused when already there, else (re)built. (reused, seconds)."""
    from case_reviews.adapters.opensearch.client import build_client
    from case_reviews.adapters.opensearch.maintenance import OpenSearchMaintenance
    from case_reviews.resources import index_definition

    started = time.perf_counter()
    definition = index_definition()
    client = build_client(
        opensearch_url.rstrip("/"), credentials=None, region=region, timeout_seconds=30, max_retries=3
    )
    index = OpenSearchMaintenance(client, BENCH_ALIAS, definition)
    name = concrete_index_name(definition["schema_version"], count)
    if index.indices_behind_alias() == [name] and client.count(index=BENCH_ALIAS)["count"] == count:
        return True, time.perf_counter() - started

    stale = sorted(client.indices.get(index=f"{BENCH_ALIAS}-*", ignore_unavailable=True))
    index.delete_indices(stale)
    index.create_concrete_index(name)
    # No refreshes while loading (the index is not searched yet), then the definition's own interval again.
    client.indices.put_settings(index=name, body={"index": {"refresh_interval": "-1"}})
    loaded = index.load(name, corpus_records(count))
    refresh = definition["settings"]["index"]["refresh_interval"]
    client.indices.put_settings(index=name, body={"index": {"refresh_interval": refresh}})
    client.indices.refresh(index=name)
    index.move_alias(name)
    if loaded != count or client.count(index=BENCH_ALIAS)["count"] != count:
        raise RuntimeError(f"the bench corpus has {client.count(index=BENCH_ALIAS)['count']} of {count} documents")
    return False, time.perf_counter() - started


def measure_search(
    services: Services, opensearch_url: str, region: str, queries: int = QUERIES, records: int = RECORDS
) -> dict[str, Any]:
    """Milliseconds per search through the API function and straight to OpenSearch, `queries` each.

    `services` are the ones installed for the API function's handler (bootstrap.install), on the bench alias."""
    import json
    import warnings

    from case_reviews.adapters.opensearch.client import build_client
    from functions.api import app
    from infra.local.api_gateway import proxy_event
    from infra.local.lambda_runtime import LocalContext

    def through_api() -> tuple[float, dict[str, Any]]:
        event = proxy_event("GET", QUERY, headers={"Accept": "application/json"})
        context = LocalContext(function_name="case-reviews-api")
        started = time.perf_counter()
        response = app.lambda_handler(event, context)
        elapsed = time.perf_counter() - started
        if response["statusCode"] != 200:
            raise RuntimeError(f"GET {QUERY} answered {response['statusCode']}: {response['body'][:500]}")
        return elapsed, json.loads(response["body"])

    # The handler publishes no metrics on a search; Powertools warns about that (once) on stderr.
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    # The body the API sends, from the function's own client (one call; its result is checked too).
    client = services.public_search.client
    bodies: list[dict[str, Any]] = []
    original = client.search

    def spy(*args: Any, **kwargs: Any) -> Any:
        bodies.append(kwargs["body"])
        return original(*args, **kwargs)

    client.search = spy  # type: ignore[method-assign]
    try:
        _, page = through_api()
    finally:
        del client.search
    if len(bodies) != 1:
        raise RuntimeError(f"the API sent {len(bodies)} searches for one request")
    body = bodies[0]
    if not (0 < page["total"] < records) or not any(item.get("highlights") for item in page["items"]):
        raise RuntimeError(f"the bench query found {page['total']} records (highlights: none); is the corpus right?")

    direct = build_client(
        opensearch_url.rstrip("/"), credentials=None, region=region, timeout_seconds=30, max_retries=3
    )

    def straight() -> float:
        started = time.perf_counter()
        response = direct.search(index=BENCH_ALIAS, body=body)
        elapsed = time.perf_counter() - started
        if response["hits"]["total"]["value"] != page["total"]:
            raise RuntimeError("the direct query found a different number of records than the API")
        return elapsed

    api_ms: list[float] = []
    direct_ms: list[float] = []
    for number in range(WARMUP + queries):
        pair = (through_api, straight) if number % 2 else (straight, through_api)
        timings = {}
        for call in pair:
            result = call()
            timings[call] = result[0] if isinstance(result, tuple) else result
        if number >= WARMUP:
            api_ms.append(timings[through_api] * 1000)
            direct_ms.append(timings[straight] * 1000)
    return {"api_ms": api_ms, "direct_ms": direct_ms, "total": page["total"], "query": QUERY}


def summary(samples: list[float]) -> tuple[float, float]:
    return statistics.median(samples), p95(samples)
