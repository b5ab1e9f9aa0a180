"""The benchmark: ingest latency and search latency on the local stack, the import time of each Lambda
handler, the catalogue step's text-extraction throughput and peak memory, and the retention query's reads.

    python -m bench.run [--uploads N] [--import-rows N] [--search-records N] [--expiry-records N]
                        [--stack STATE_FILE] [--output PATH]

Without --stack it starts its own local stack (and its own OpenSearch, unless OPENSEARCH_URL
is set) and stops it afterwards. See bench/README.md for what each metric means.
"""

from __future__ import annotations

import argparse
import compileall
import csv
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import requests

from bench.common import (
    ROOT,
    BenchError,
    import_environment,
    latency_metrics,
    metric,
    p95,
    stack_clients,
    stack_services,
)
from infra.local.launcher import running_stack, wait_healthy

if TYPE_CHECKING:
    from case_reviews.bootstrap import Services

DEFAULT_OUTPUT = ROOT / "bench" / "results" / "latest.json"
MIN_UPLOADS = 20
DEPOSIT_TIMEOUT_S = 60.0
# How often each deposit is looked for. A search through the API costs the stack and OpenSearch about 15 ms of
# CPU (240 ms a second at 16 searches a second, measured): at 40 a second, a 25 ms probe would take about a
# third of this two-CPU machine from the deposit it times. Until the API front sent its answers without
# Nagle's delay, each took 40 ms more, so the probe never asked more often than this anyway. Reading SES's
# send count is cheap and is polled twice as often.
SEARCH_POLL_S = 0.05
EMAIL_POLL_S = 0.025
# The search index's refresh_interval (layers/shared/case_reviews/resources/opensearch/reviews.json).
REFRESH_INTERVAL_S = 1.0
GOLDEN_RATIO_CONJUGATE = 0.6180339887498949
IMPORT_REPEATS = 7
# Rows of the generated historic catalogue file that `import_rows_per_s` imports.
HISTORIC_IMPORT_ROWS = 10_000
# Every function of the template: a folder of functions/ with a handler module.
FUNCTIONS = tuple(sorted(handler.parent.name for handler in (ROOT / "functions").glob("*/app.py")))
IMPORT_PROBE = (
    "import sys, time\n"
    "started = time.perf_counter()\n"
    "import {module}\n"
    "sys.stdout.write(repr((time.perf_counter() - started) * 1000))\n"
)
# Powertools' own switches for the API function run in this process (the search latency), as the template
# gives the function them: Powertools reads them from the environment. Not the app's settings, which are
# passed to bootstrap.
API_POWERTOOLS = {
    "POWERTOOLS_SERVICE_NAME": "case-reviews",
    "POWERTOOLS_METRICS_NAMESPACE": "CaseReviews",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_LOG_LEVEL": "INFO",
}


# ---------------------------------------------------------------- ingest latency


def make_pdf(marker: str, number: int) -> bytes:
    """A small real PDF (fpdf2, as tests/support/pdfs.py) whose text holds `marker` and nothing else does."""
    from fpdf import FPDF

    document = FPDF()
    document.set_title(f"Benchmark review {number}")
    document.set_font("helvetica", size=11)
    document.add_page()
    document.multi_cell(
        0,
        6,
        f"Benchmark deposit {number}. The children were neglected over many months and agencies did "
        f"not share what they knew. Marker {marker}.",
    )
    document.add_page()
    document.multi_cell(0, 6, "Learning: escalate concerns; share information between agencies.")
    return bytes(document.output())


def submission_metadata(number: int, contact_email: str) -> dict[str, Any]:
    event = json.loads((ROOT / "events" / "api" / "post_submission.json").read_text(encoding="utf-8"))
    metadata = json.loads(event["body"])
    # The marker is only in the PDF's text, so "searchable" means the text was extracted and indexed.
    metadata.update(title=f"Benchmark Review {number}: Overview Report", contact_email=contact_email)
    return metadata


@dataclass
class Deposit:
    number: int
    submission_id: str
    marker: str
    contact_email: str
    to_searchable_s: float
    to_acknowledged_s: float


class _Poller(threading.Thread):
    """Calls `check` every `interval_s` (fixed rate) until it is true; records when the true answer arrived."""

    def __init__(self, name: str, check: Callable[[requests.Session], bool], interval_s: float, deadline: float):
        super().__init__(name=name, daemon=True)
        self.check = check
        self.interval_s = interval_s
        self.deadline = deadline
        self.done_at: float | None = None
        self.error: BaseException | None = None
        self.polls = 0
        self.stop = threading.Event()

    def run(self) -> None:
        with requests.Session() as session:
            next_poll = time.perf_counter()
            while not self.stop.is_set() and time.perf_counter() < self.deadline:
                try:
                    self.polls += 1
                    if self.check(session):
                        self.done_at = time.perf_counter()
                        return
                except Exception as error:  # reported by the caller, never swallowed
                    self.error = error
                    return
                next_poll += self.interval_s
                delay = next_poll - time.perf_counter()
                if delay > 0:
                    self.stop.wait(delay)
                else:
                    next_poll = time.perf_counter()  # behind schedule: poll again at once, don't burst


def _ses_sent_count(ses: Any) -> int:
    """Messages the embedded SES has sent so far (a cheap call, unlike the whole-state data.json)."""
    return sum(point["DeliveryAttempts"] for point in ses.get_send_statistics()["SendDataPoints"])


def _emails_to(aws_url: str, contact: str) -> list[dict[str, Any]]:
    response = requests.get(f"{aws_url}/moto-api/data.json", timeout=60)
    response.raise_for_status()
    messages = response.json().get("ses", {}).get("Message", [])
    return [m for m in messages if contact in m.get("destinations", {}).get("ToAddresses", [])]


def deposit_once(state: dict[str, Any], api: requests.Session, ses: Any, number: int) -> Deposit:
    api_url, aws_url = state["api_url"], state["aws_endpoint_url"]
    marker = f"bench{uuid.uuid4().hex[:12]}"
    contact = f"bench-{marker}@board.example"
    pdf = make_pdf(marker, number)

    created = api.post(
        f"{api_url}/submissions",
        json=submission_metadata(number, contact),
        headers={"Authorization": f"Bearer {state['demo_board']['key']}"},
        timeout=30,
    )
    if created.status_code != 201:
        raise BenchError(f"deposit {number}: POST /submissions answered {created.status_code}: {created.text[:500]}")
    submission_id = created.json()["submission_id"]
    upload = created.json()["upload"]
    sent_before = _ses_sent_count(ses)
    sent = requests.post(
        upload["url"], data=upload["fields"], files={"file": ("report.pdf", pdf, "application/pdf")}, timeout=30
    )
    t0 = time.perf_counter()
    if sent.status_code not in (200, 201, 204):
        raise BenchError(f"deposit {number}: the presigned upload answered {sent.status_code}: {sent.text[:500]}")

    def searchable(session: requests.Session) -> bool:
        response = session.get(f"{api_url}/reviews", params={"q": marker}, timeout=10)
        response.raise_for_status()
        return response.json()["total"] >= 1

    def emailed(_session: requests.Session) -> bool:
        return _ses_sent_count(ses) > sent_before

    deadline = t0 + DEPOSIT_TIMEOUT_S
    pollers = [
        _Poller("searchable", searchable, SEARCH_POLL_S, deadline),
        _Poller("acknowledged", emailed, EMAIL_POLL_S, deadline),
    ]
    for poller in pollers:
        poller.start()
    for poller in pollers:
        poller.join(DEPOSIT_TIMEOUT_S + 15)
    for poller in pollers:
        poller.stop.set()
    for poller in pollers:
        if poller.error is not None:
            raise BenchError(f"deposit {number} ({submission_id}): polling {poller.name} failed: {poller.error!r}")
        if poller.done_at is None:
            status = _submission_status(api, state, submission_id)
            raise BenchError(
                f"deposit {number} ({submission_id}, marker {marker}) was not {poller.name} within "
                f"{DEPOSIT_TIMEOUT_S:.0f} s of its upload (submission status: {status}); the run is void"
            )

    # The email that was sent is this deposit's acknowledgement, and the only email sent meanwhile
    # (read from data.json once, after the timing, since reading it is slow and loads the embedded AWS).
    sent_after = _ses_sent_count(ses)
    emails = _emails_to(aws_url, contact)
    if len(emails) != 1 or sent_after != sent_before + 1:
        raise BenchError(
            f"deposit {number} ({submission_id}): expected exactly one email, to {contact}; found {len(emails)} "
            f"to it and {sent_after - sent_before} sent in all (is something else using this stack?)"
        )
    return Deposit(
        number=number,
        submission_id=submission_id,
        marker=marker,
        contact_email=contact,
        to_searchable_s=pollers[0].done_at - t0,  # type: ignore[operator]
        to_acknowledged_s=pollers[1].done_at - t0,  # type: ignore[operator]
    )


def _submission_status(api: requests.Session, state: dict[str, Any], submission_id: str) -> str:
    try:
        response = api.get(
            f"{state['api_url']}/submissions/{submission_id}",
            headers={"Authorization": f"Bearer {state['demo_board']['key']}"},
            timeout=10,
        )
        return response.text[:300]
    except requests.RequestException as error:
        return f"unknown ({error})"


# The two ways the catalogue step is measured in one run: its parser's worker kept warm (the product), and a
# worker started for every upload (the baseline: what every upload paid before, and a container's first still
# pays), on a second stack with its own search alias (its references repeat the first stack's).
WARM = "warm"
WORKER_PER_UPLOAD = "worker_per_upload"
WORKER_PER_UPLOAD_SETTINGS = {"PDF_WORKER_MAX_FILES": "1", "OPENSEARCH_INDEX": "reviews-worker-per-upload"}


def measure_ingest(stacks: dict[str, dict[str, Any]], uploads: int) -> dict[str, list[Deposit]]:
    """`uploads` deposits on each stack, alternating (and which goes first), so drift hits both alike."""
    ses = {name: stack_clients(state).aws("ses") for name, state in stacks.items()}
    deposits: dict[str, list[Deposit]] = {name: [] for name in stacks}
    names = list(stacks)
    pause = 0
    with requests.Session() as api:
        for number in range(1, uploads + 1):
            for name in names if number % 2 else reversed(names):
                # A pause between deposits, spread evenly over one refresh interval (golden-ratio sequence), so
                # that deposits do not lock on to OpenSearch's refresh timer (each would then wait a whole one).
                pause += 1
                time.sleep((pause * GOLDEN_RATIO_CONJUGATE) % 1.0 * REFRESH_INTERVAL_S)
                deposit = deposit_once(stacks[name], api, ses[name], number)
                deposits[name].append(deposit)
                print(
                    f"  deposit {number:>3}/{uploads} ({name}): searchable {deposit.to_searchable_s:6.3f} s, "
                    f"acknowledged {deposit.to_acknowledged_s:6.3f} s",
                    flush=True,
                )
    return deposits


# ---------------------------------------------------------------- historic import throughput


def write_historic_csv(path: Path, rows: int, marker: str) -> None:
    """`rows` valid, distinct historic rows; the marker (in every title) keeps them new to a stack seen before."""
    nations = ("england", "wales", "scotland", "northern_ireland")
    # A type each nation had in those years (the import checks type against nation and date).
    types = {
        "england": "serious_case_review",
        "wales": "serious_case_review",
        "scotland": "significant_case_review",
        "northern_ireland": "case_management_review",
    }
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file)
        writer.writerow(
            ["title", "publication_date", "nation", "review_type", "document_type", "publisher", "themes", "summary"]
        )
        for number in range(rows):
            writer.writerow(
                [
                    f"Historic review {marker} {number}: Overview Report",
                    f"{1945 + number % 65}-{1 + number % 12:02d}",
                    nations[number % 4],
                    types[nations[number % 4]] if number % 3 else "other",
                    "overview_report",
                    f"Benchmark County Council {number % 50}",
                    "neglect;multi-agency working",
                    "A fictional historic record, one of the benchmark's generated catalogue.",
                ]
            )


def measure_historic_import(state: dict[str, Any], rows: int = HISTORIC_IMPORT_ROWS) -> tuple[float, float]:
    """Rows per second for `case-reviews import` of a generated file (the service, as the CLI calls it), and
    the baseline: rows per second of a raw BatchWriteItem of the items that import wrote (read back from the
    table; 25 a request, one request at a time, as they are: no conversion) into the same table."""
    marker = f"bench{uuid.uuid4().hex[:12]}"
    historic_import = stack_services(state).historic_import
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "historic.csv"
        write_historic_csv(path, rows, marker)
        started = time.perf_counter()
        result = historic_import.import_file(path)
        elapsed = time.perf_counter() - started
    if result.imported != rows or result.rejected:
        raise BenchError(
            f"historic import: {result.imported} of {rows} rows imported, {len(result.rejected)} rejected "
            f"(first: {result.rejected[:1]}); the run is void"
        )
    # Imported means searchable too: every row is found by the marker in its title.
    found = requests.get(f"{state['api_url']}/reviews", params={"q": marker, "page_size": 1}, timeout=30)
    found.raise_for_status()
    if found.json()["total"] != rows:
        raise BenchError(f"historic import: {found.json()['total']} of {rows} rows searchable; the run is void")
    return rows / elapsed, rows / raw_batch_write_s(state, marker, rows)


def raw_batch_write_s(state: dict[str, Any], marker: str, rows: int) -> float:
    """Seconds to write again, by plain BatchWriteItem calls, every item of the table that holds `marker` (the
    import's claims and records: the same keys and attributes, so the table is unchanged)."""
    dynamodb = stack_clients(state).aws("dynamodb")
    table = state["catalogue_table"]

    def scan(condition: str, values: dict[str, Any]) -> list[dict[str, Any]]:
        pages = dynamodb.get_paginator("scan").paginate(
            TableName=table, FilterExpression=condition, ExpressionAttributeValues=values
        )
        return [item for page in pages for item in page["Items"]]

    # The records hold the marker in their titles; their claims (keyed by a hash) hold their references.
    records = scan(
        "begins_with(pk, :record) AND contains(title, :marker)", {":record": {"S": "REVIEW#"}, ":marker": {"S": marker}}
    )
    references = {item["reference"]["S"] for item in records}
    claims = [
        item
        for item in scan("begins_with(pk, :claim)", {":claim": {"S": "IMPORT#"}})
        if item["reference"]["S"] in references
    ]
    items = records + claims
    if len(items) != 2 * rows:
        raise BenchError(f"historic import: {len(items)} items hold the marker, not a claim and a record per row")
    started = time.perf_counter()
    for start in range(0, len(items), 25):
        request: dict[str, Any] = {table: [{"PutRequest": {"Item": item}} for item in items[start : start + 25]]}
        while request:
            request = dynamodb.batch_write_item(RequestItems=request).get("UnprocessedItems") or {}
    return time.perf_counter() - started


# ---------------------------------------------------------------- handler import time


def import_ms(module: str, environment: dict[str, str]) -> float:
    """Milliseconds to import `module` in a fresh interpreter, measured inside it."""
    result = subprocess.run(
        [sys.executable, "-c", IMPORT_PROBE.format(module=module)],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if result.returncode != 0:
        raise BenchError(f"importing {module} in a fresh interpreter failed:\n{result.stderr[-2000:]}")
    return float(result.stdout.strip())


def measure_imports(repeats: int = IMPORT_REPEATS) -> dict[str, list[float]]:
    """`repeats` timings per module, in rounds (each round imports every module once) so drift hits all alike."""
    environment = import_environment()
    modules = {"boto3": "boto3", **{name: f"functions.{name}.app" for name in FUNCTIONS}}
    # The layer and the handlers as `make build` ships them, compiled (the installed packages are already):
    # with PYTHONDONTWRITEBYTECODE set, importing them would not write their .pyc, and every round would
    # compile their sources, which a deployed function never does.
    for code in (ROOT / "layers" / "shared", ROOT / "functions"):
        compileall.compile_dir(code, quiet=1)
    for module in modules.values():  # untimed: fills the OS file cache, as a warm container has it
        import_ms(module, environment)
    samples: dict[str, list[float]] = {name: [] for name in modules}
    for _ in range(repeats):
        for name, module in modules.items():
            samples[name].append(import_ms(module, environment))
    return samples


# ---------------------------------------------------------------- extraction, memory, search, retention reads


@dataclass
class Measured:
    """Metrics and samples of the measurements beyond ingest, import time and the historic import."""

    metrics: dict[str, dict[str, Any]] = field(default_factory=dict)
    samples: dict[str, Any] = field(default_factory=dict)

    def add(self, other: Measured) -> None:
        self.metrics |= other.metrics
        self.samples |= other.samples


def extraction_metrics(samples: dict[str, list[float]]) -> Measured:
    """`extract_pages_per_s` (the product, its worker warm), `.worker_per_file` (a worker started for each file)
    and `.in_process` (PDFium here), each against pypdf (`baseline`) and, as `….vs_pdfminer`, against
    pdfminer.six; `.pypdf` and `.pdfminer` are the baselines' own."""
    from bench.extraction import summary

    medians, n = summary(samples), len(samples["product"])
    unit = "pages/s"
    metrics = {
        "extract_pages_per_s": metric(medians["product"], unit, n, baseline=medians["pypdf"]),
        "extract_pages_per_s.worker_per_file": metric(medians["worker_per_file"], unit, n, baseline=medians["pypdf"]),
        "extract_pages_per_s.in_process": metric(medians["in_process"], unit, n, baseline=medians["pypdf"]),
        "extract_pages_per_s.pypdf": metric(medians["pypdf"], unit, n),
        "extract_pages_per_s.pdfminer": metric(medians["pdfminer"], unit, n),
        "extract_pages_per_s.vs_pdfminer": metric(medians["product"], unit, n, baseline=medians["pdfminer"]),
        "extract_pages_per_s.in_process.vs_pdfminer": metric(
            medians["in_process"], unit, n, baseline=medians["pdfminer"]
        ),
    }
    rounded = {f"extract_pages_per_s.{name}": [round(v, 1) for v in values] for name, values in samples.items()}
    return Measured(metrics, rounded)


def rewrite_metrics(samples: dict[str, Any]) -> Measured:
    """`rewrite_s.<file>` (pypdf, the product's rewrite, in a warm process), `rewrite_fresh_s.<file>` (a fresh
    interpreter importing it and rewriting once), `rewrite_peak_rss_mb.<file>` (that interpreter's peak) and
    `rewrite_installed_mb` (what the library adds to the layer), each with pikepdf as `baseline`."""
    from bench.rewrite import summary

    figures = summary(samples)
    metrics: dict[str, dict[str, Any]] = {}
    for name in ("report", "scanned"):
        product, other = figures[f"{name}.pypdf"], figures[f"{name}.pikepdf"]
        n, fresh_n = len(samples[f"{name}.pypdf"]["rewrite_s"]), len(samples[f"{name}.pypdf"]["fresh_process_s"])
        metrics[f"rewrite_s.{name}"] = metric(product["rewrite_s"], "s", n, baseline=other["rewrite_s"])
        metrics[f"rewrite_fresh_s.{name}"] = metric(
            product["fresh_process_s"], "s", fresh_n, baseline=other["fresh_process_s"]
        )
        metrics[f"rewrite_peak_rss_mb.{name}"] = metric(
            product["fresh_process_peak_rss_mb"], "MiB", fresh_n, baseline=other["fresh_process_peak_rss_mb"]
        )
    metrics["rewrite_installed_mb"] = metric(
        samples["installed_mb.pypdf"], "MiB", 1, baseline=samples["installed_mb.pikepdf"]
    )
    return Measured(metrics, {"rewrite": samples})


# (metric prefix, anonymous deposit, moto as a server process)
RSS_VARIANTS = (
    ("catalogue_peak_rss_mb", False, False),
    ("catalogue_peak_rss_mb.moto_server", False, True),
    ("catalogue_peak_rss_mb.anonymous", True, True),
)
RSS_REPEATS = 3


def measure_catalogue_memory(repeats: int = RSS_REPEATS) -> Measured:
    """Peak RSS of the catalogue process and of its extraction child on the largest upload allowed (the worst
    of `repeats` fresh processes per variant); see bench/memory.py."""
    from bench.memory import make_large_pdf, max_upload_bytes, measure_catalogue_rss

    measured = Measured()
    with tempfile.TemporaryDirectory(prefix="bench-rss-") as directory:
        pdf = Path(directory) / "largest.pdf"
        limit = max_upload_bytes()
        size, pages = make_large_pdf(pdf, limit)
        print(f"  {size:,} bytes ({size / limit:.1%} of MAX_UPLOAD_BYTES), {pages} pages", flush=True)
        for name, anonymous, moto_server in RSS_VARIANTS:
            runs = [measure_catalogue_rss(pdf, anonymous, moto_server) for _ in range(repeats)]
            parent = max(run["parent_mb"] for run in runs)
            child = max(run["child_mb"] for run in runs)
            worker = max(run["worker_mb"] for run in runs)
            before = max(run["parent_before_mb"] for run in runs)
            print(
                f"  {name}: parent {parent:.1f} MiB (from {before:.1f}), child {child:.1f} MiB, "
                f"worker {worker:.1f} MiB",
                flush=True,
            )
            if name == "catalogue_peak_rss_mb":
                # The headline entry: the parent's peak, carrying the child's and the upload's size too.
                measured.metrics[name] = {
                    **metric(parent, "MiB", repeats),
                    "parent": round(parent, 1),
                    "child": round(child, 1),
                    "worker": round(worker, 1),
                    "parent_before_step": round(before, 1),
                    "upload_bytes": size,
                    "upload_pages": pages,
                }
            measured.metrics[f"{name}.parent"] = metric(parent, "MiB", repeats)
            measured.metrics[f"{name}.child"] = metric(child, "MiB", repeats)
            measured.metrics[f"{name}.worker"] = metric(worker, "MiB", repeats)
            measured.samples[name] = [{key: round(value, 1) for key, value in run.items()} for run in runs]
    return measured


def measure_expiry_reads(records: int, due: int = 100) -> Measured:
    """Items the retention query reads per due record (bench/expiry.py, in a fresh process on moto)."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.expiry", str(records), str(due)],
        cwd=ROOT,
        env=import_environment(),
        capture_output=True,
        text=True,
        timeout=900,
    )
    lines = result.stdout.strip().splitlines()
    if result.returncode != 0 or not lines:
        raise BenchError(f"the retention-reads probe failed ({result.returncode}):\n{result.stderr[-3000:]}")
    found = json.loads(lines[-1])
    print(
        f"  {found['scanned']} items read for {found['due']} due of {found['records']:,} records "
        f"({found['queries']} queries; written in {found['write_s']:.0f} s)",
        flush=True,
    )
    entry = {
        **metric(found["reads_per_due"], "items/due", found["due"], digits=2),
        "records": found["records"],
        "due": found["due"],
        "items_read": found["scanned"],
        "queries": found["queries"],
    }
    return Measured({"expiry_reads_per_due": entry}, {"expiry_reads_per_due": found})


@contextmanager
def _installed(services: Services) -> Iterator[None]:
    """`services` are the handlers' for this block (bootstrap.install), forgotten afterwards."""
    from case_reviews import bootstrap

    bootstrap.install(services)
    try:
        yield
    finally:
        bootstrap.install(None)


@contextmanager
def _powertools_switches(switches: dict[str, str]) -> Iterator[None]:
    """Powertools' own switches for this block (it reads them from the environment), restored afterwards."""
    saved = {name: os.environ.get(name) for name in switches}
    os.environ.update(switches)
    try:
        yield
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def measure_search_latency(state: dict[str, Any], records: int) -> Measured:
    """p50 and p95 of one realistic search through the API function, against the same body sent straight to
    OpenSearch, on a bench corpus of `records` documents behind its own alias (bench/search.py)."""
    from bench.search import BENCH_ALIAS, QUERIES, ensure_corpus, measure_search, summary

    reused, seconds = ensure_corpus(state["opensearch_url"], state["region"], records)
    print(f"  corpus: {records:,} documents {'reused' if reused else 'indexed'} in {seconds:.1f} s", flush=True)
    # The API function's services, wired for the stack with the bench alias (for this measurement only),
    # installed for its handler as the local stack installs its own.
    services = stack_services(state, index=BENCH_ALIAS)
    with _powertools_switches(API_POWERTOOLS), _installed(services):
        found = measure_search(services, state["opensearch_url"], state["region"], QUERIES, records)
    api_p50, api_p95 = summary(found["api_ms"])
    direct_p50, direct_p95 = summary(found["direct_ms"])
    n = len(found["api_ms"])
    median = metric(api_p50, "ms", n, baseline=direct_p50)
    tail = metric(api_p95, "ms", n, baseline=direct_p95)
    metrics = {
        "search_api_ms": {
            **median,
            "p50": median["value"],
            "p95": tail["value"],
            "baseline_p95": tail["baseline"],
            "query": found["query"],
            "matches": found["total"],
            "records": records,
            "corpus_reused": reused,
        },
        "search_api_ms.p50": median,
        "search_api_ms.p95": tail,
    }
    samples = {
        "search_api_ms.api": [round(v, 1) for v in found["api_ms"]],
        "search_api_ms.opensearch": [round(v, 1) for v in found["direct_ms"]],
    }
    print(
        f"  API p50 {api_p50:.1f} ms, p95 {api_p95:.1f} ms; OpenSearch p50 {direct_p50:.1f} ms, "
        f"p95 {direct_p95:.1f} ms",
        flush=True,
    )
    return Measured(metrics, samples)


def measure_similar_relevance(state: dict[str, Any]) -> Measured:
    """For records sharing a theme, the share of their top 5 "similar reviews" that share it, on a generated
    corpus in an alias of its own (bench/similar.py); baseline: 5 records drawn at random."""
    from bench.similar import QUERIES, RECORDS, TOP, measure

    found = measure(state["opensearch_url"], RECORDS, QUERIES)
    print(
        f"  {found['share']:.1%} of the top {TOP} share a theme (at random {found['baseline']:.1%}); "
        f"{found['queries']} records asked, median {found['median_ms']:.1f} ms",
        flush=True,
    )
    entry = {
        **metric(found["share"], "share", found["results"], baseline=found["baseline"], digits=3),
        "records": found["records"],
        "queries": found["queries"],
        "median_ms": round(found["median_ms"], 1),
    }
    return Measured({"similar_top5_theme_share": entry}, {"similar_top5_theme_share": found})


# ---------------------------------------------------------------- the report


def build_metrics(
    deposits: dict[str, list[Deposit]], imports: dict[str, list[float]], import_rate: tuple[float, float, int]
) -> dict[str, dict[str, Any]]:
    warm, per_upload = deposits[WARM], deposits[WORKER_PER_UPLOAD]
    metrics: dict[str, dict[str, Any]] = {}
    for name, seconds in (("ingest_to_searchable_s", _searchable), ("ingest_to_acknowledged_s", _acknowledged)):
        # The product's figures, each against the same figure with a worker per upload (`baseline`).
        metrics |= latency_metrics(name, seconds(warm), baseline=seconds(per_upload))
        metrics |= latency_metrics(f"{name}.{WORKER_PER_UPLOAD}", seconds(per_upload))
    # What indexing adds to the slowest deposits: the searchable p95 against the acknowledged p95.
    metrics["ingest_to_searchable_s.p95_vs_acknowledged"] = metric(
        p95(_searchable(warm)), "s", len(warm), baseline=p95(_acknowledged(warm))
    )
    boto3_ms = statistics.median(imports["boto3"])
    for name in FUNCTIONS:
        metrics[f"handler_import_ms.{name}"] = metric(
            statistics.median(imports[name]), "ms", len(imports[name]), baseline=boto3_ms
        )
    metrics["handler_import_ms.boto3"] = metric(boto3_ms, "ms", len(imports["boto3"]))
    rate, raw_rate, rows = import_rate
    metrics["import_rows_per_s"] = metric(rate, "rows/s", rows, baseline=raw_rate)
    return metrics


def _searchable(deposits: list[Deposit]) -> list[float]:
    return [deposit.to_searchable_s for deposit in deposits]


def _acknowledged(deposits: list[Deposit]) -> list[float]:
    return [deposit.to_acknowledged_s for deposit in deposits]


def _git(*args: str) -> str | None:
    try:
        result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() if result.returncode == 0 else None


def report(
    deposits: dict[str, list[Deposit]],
    imports: dict[str, list[float]],
    import_rate: tuple[float, float, int],
    stack_source: str,
    more: Measured | None = None,
) -> dict[str, Any]:
    more = more or Measured()
    status = _git("status", "--porcelain", "--untracked-files=no")
    return {
        "generated_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "git_commit": _git("rev-parse", "--short", "HEAD"),
        "git_dirty": None if status is None else bool(status),
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "stack": stack_source,
        "metrics": build_metrics(deposits, imports, import_rate) | more.metrics,
        # Every sample, in the order taken: nothing is discarded.
        "samples": {
            **{
                f"{metric_name}{'' if name == WARM else '.' + name}": [round(value, 3) for value in seconds(taken)]
                for name, taken in deposits.items()
                for metric_name, seconds in (
                    ("ingest_to_searchable_s", _searchable),
                    ("ingest_to_acknowledged_s", _acknowledged),
                )
            },
            **{f"handler_import_ms.{name}": [round(v, 1) for v in values] for name, values in imports.items()},
            **more.samples,
        },
    }


def table(metrics: dict[str, dict[str, Any]]) -> str:
    lines = [f"{'metric':<46} {'value':>16}  {'n':>5}  {'baseline':>16}  {'ratio':>6}"]
    for name, entry in metrics.items():
        value = f"{entry['value']} {entry['unit']}"
        baseline = f"{entry['baseline']} {entry['unit']}" if "baseline" in entry else ""
        ratio = f"{entry['ratio']:.2f}x" if "ratio" in entry else ""
        lines.append(f"{name:<46} {value:>16}  {entry['n']:>5}  {baseline:>16}  {ratio:>6}")
    return "\n".join(lines)


# ---------------------------------------------------------------- main


@contextmanager
def _stack(state_file: Path | None) -> Iterator[tuple[dict[str, Any], str]]:
    if state_file is not None:
        state = json.loads(state_file.read_text(encoding="utf-8"))
        wait_healthy(state["api_url"], 30)
        yield state, f"given ({state_file})"
        return
    opensearch_url = os.environ.get("OPENSEARCH_URL") or None
    source = f"own (OpenSearch {opensearch_url})" if opensearch_url else "own (own OpenSearch)"
    print(f"starting a local stack ({'OpenSearch ' + opensearch_url if opensearch_url else 'its own OpenSearch'})…")
    started = time.perf_counter()
    with running_stack(opensearch_url=opensearch_url) as state:
        print(f"  ready in {time.perf_counter() - started:.1f} s: {state['api_url']}", flush=True)
        yield state, source
    print("stack stopped", flush=True)


def main(argv: list[str] | None = None) -> int:
    from bench.expiry import RECORDS as EXPIRY_RECORDS
    from bench.search import RECORDS as SEARCH_RECORDS

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--uploads", type=int, default=25, help=f"sequential deposits (at least {MIN_UPLOADS})")
    parser.add_argument("--stack", type=Path, help="state file of a running stack to use instead of starting one")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    parser.add_argument(
        "--import-rows", type=int, default=HISTORIC_IMPORT_ROWS, help="rows of the generated historic import file"
    )
    parser.add_argument(
        "--search-records", type=int, default=SEARCH_RECORDS, help="documents of the search latency corpus"
    )
    parser.add_argument(
        "--expiry-records", type=int, default=EXPIRY_RECORDS, help="catalogue records of the retention-reads table"
    )
    options = parser.parse_args(argv)
    if options.uploads < MIN_UPLOADS:
        parser.error(f"--uploads must be at least {MIN_UPLOADS} (a p95 of fewer samples means little)")

    from bench.extraction import EXTRACTORS, PAGES, REPEATS, measure_extraction
    from bench.rewrite import measure_rewrite

    more = Measured()
    try:
        # Imports first, on a quiet machine: a running stack (OpenSearch's JVM, pollers) would add noise.
        print(f"handler import time: {len(FUNCTIONS)} handlers and boto3, {IMPORT_REPEATS} fresh interpreters each…")
        imports = measure_imports()
        # Then what needs no stack, still on a quiet machine.
        print(f"text extraction: a {PAGES}-page report, {len(EXTRACTORS)} extractors, {REPEATS} rounds…", flush=True)
        more.add(extraction_metrics(measure_extraction()))
        print(f"  {more.metrics['extract_pages_per_s']['value']} pages/s", flush=True)
        print("clean rewrite: pypdf and pikepdf, a 100-page report and a 20 MiB scanned one…", flush=True)
        more.add(rewrite_metrics(measure_rewrite()))
        print(f"  {more.metrics['rewrite_s.report']['value']} s for the report (pypdf)", flush=True)
        print("catalogue peak memory: the largest upload allowed…", flush=True)
        more.add(measure_catalogue_memory())
        print(f"retention reads: {options.expiry_records:,} records, 100 due, on moto…", flush=True)
        more.add(measure_expiry_reads(options.expiry_records))
        with _stack(options.stack) as (state, stack_source):
            print(
                f"ingest latency: {options.uploads} sequential deposits on this stack (its parser's worker kept warm) "
                f"and on a second stack with a worker per upload, alternating…",
                flush=True,
            )
            with running_stack(opensearch_url=state["opensearch_url"], settings=WORKER_PER_UPLOAD_SETTINGS) as other:
                deposits = measure_ingest({WARM: state, WORKER_PER_UPLOAD: other}, options.uploads)
            # After the deposits, so its 10,000 records do not weigh on the ingest latencies.
            print(f"historic import: {options.import_rows} generated rows…", flush=True)
            import_rate = (*measure_historic_import(state, options.import_rows), options.import_rows)
            print(f"  {import_rate[0]:.1f} rows/s (a raw BatchWriteItem of its items: {import_rate[1]:.1f})")
            # Last: its corpus (in an index of its own) must not weigh on the deposits or the import.
            print(f"search latency: {options.search_records:,} indexed records…", flush=True)
            more.add(measure_search_latency(state, options.search_records))
            print("similar reviews: top 5 sharing a theme, on a generated corpus…", flush=True)
            more.add(measure_similar_relevance(state))
    except (BenchError, TimeoutError, RuntimeError, subprocess.TimeoutExpired) as error:
        print(f"\nbench failed: {error}", file=sys.stderr)
        return 1

    result = report(deposits, imports, import_rate, stack_source, more)
    options.output.parent.mkdir(parents=True, exist_ok=True)
    options.output.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print()
    print(table(result["metrics"]))
    print(f"\nwritten: {options.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
