"""Items the retention run's query reads per record it finds due, at 100,000 catalogue records.

`python -m bench.expiry RECORDS DUE` (a fresh process, so moto's table does not weigh on the bench)
provisions the template's resources on moto in process (mock_aws + infra.local.provision) and wires the
functions' services to them (bootstrap.build, as tests/integration/conftest.py), writes RECORDS generated
catalogue records with the record store's `put_new_records` (BatchWriteItem, 25 a request, items made by
`record_to_item`, so the sparse `copy_expiry` keys are the product's), then runs the retention store's
`records_with_copy_due(as_of)` and sums `ScannedCount` over its Query responses (a botocore `after-call`
hook on the catalogue table's client: the product code runs unchanged). It prints one JSON line.

The records, as a catalogue of that size would hold them: 70 % with a copy available until a day from
`as_of` to five years on (some until `as_of` itself, the last day that is not due), 25 % historic
records without a copy, 4 % whose copy was removed (after its five years), 1 % under a legal hold past
their date, and DUE records whose copy's last day is before `as_of`. The found references must be
exactly the DUE ones.
"""

from __future__ import annotations

import json
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from typing import Any

SEED = 19451126
RECORDS = 100_000
DUE = 100


def generate(count: int, due: int, as_of: date) -> tuple[list[Any], set[str]]:
    from bench.corpus import catalogue_record

    rng = random.Random(SEED)
    now = datetime.now(UTC)
    due_numbers = set(rng.sample(range(count), due))
    records, due_references = [], set()
    for number in range(count):
        if number in due_numbers:
            record = catalogue_record(rng, number, now, copy_until=as_of - timedelta(days=rng.randint(1, 60)))
            due_references.add(record.reference)
        else:
            share = rng.random()
            if share < 0.70:
                # Far-future copies; one in fifty is available until as_of itself (not due: the boundary).
                until = as_of if rng.random() < 0.02 else as_of + timedelta(days=rng.randint(1, 5 * 365))
                record = catalogue_record(rng, number, now, copy_until=until)
            elif share < 0.95:
                record = catalogue_record(rng, number, now)
            elif share < 0.99:
                until = as_of - timedelta(days=rng.randint(30, 3 * 365))
                record = catalogue_record(rng, number, now, copy_until=until, removed_on=until + timedelta(days=1))
            else:
                record = catalogue_record(rng, number, now, copy_until=as_of - timedelta(days=10), held=True)
        records.append(record)
    return records, due_references


def measure(count: int, due: int) -> dict[str, Any]:
    from moto import mock_aws

    from bench.common import LOCAL_CREDENTIALS, embedded_services
    from case_reviews.adapters.aws import Clients
    from infra.local.provision import REGION, StackNames, provision

    as_of = datetime.now(UTC).date()
    started = time.perf_counter()
    records, due_references = generate(count, due, as_of)
    generated_s = time.perf_counter() - started
    with mock_aws():
        clients = Clients(region=REGION, credentials=LOCAL_CREDENTIALS)
        provisioned = provision(StackNames(), clients=clients)
        services = embedded_services(provisioned, clients)
        started = time.perf_counter()
        services.records_store.put_new_records(records)
        written_s = time.perf_counter() - started
        del records

        responses: list[dict[str, Any]] = []

        def count_reads(parsed: dict[str, Any], **_: Any) -> None:
            responses.append({"scanned": parsed.get("ScannedCount", 0), "count": parsed.get("Count", 0)})

        client = services.table.client
        client.meta.events.register("after-call.dynamodb.Query", count_reads)
        started = time.perf_counter()
        found = [record.reference for record in services.retention_store.records_with_copy_due(as_of)]
        query_s = time.perf_counter() - started
        client.meta.events.unregister("after-call.dynamodb.Query", count_reads)
    if set(found) != due_references or len(found) != len(due_references):
        raise RuntimeError(
            f"records_with_copy_due found {len(found)} records, {len(set(found) & due_references)} of the "
            f"{len(due_references)} due"
        )
    scanned = sum(response["scanned"] for response in responses)
    return {
        "records": count,
        "due": len(found),
        "scanned": scanned,
        "returned": sum(response["count"] for response in responses),
        "queries": len(responses),
        "reads_per_due": scanned / len(found),
        "generate_s": generated_s,
        "write_s": written_s,
        "query_s": query_s,
    }


if __name__ == "__main__":
    print(json.dumps(measure(int(sys.argv[1]), int(sys.argv[2]))), flush=True)
