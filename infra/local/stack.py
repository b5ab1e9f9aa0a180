"""The local stack: embedded AWS, a real OpenSearch, the API and the site, the queue-fed functions (each in a
process of its own, fed by its queue's poller, as Lambda runs each function in its own container) and the
schedule.

    python -m infra.local.stack [--api-port 3000] [--state-file .local/stack.json]

Runs in the foreground. When every component answers it writes the state file (see
docs/interface.md) and prints the demo board's key and a walk-through; Ctrl-C or
SIGTERM stops every process it started. The API port (also API_PORT in the environment) is
taken first: if it is in use the stack says so and starts nothing.
"""

from __future__ import annotations

import argparse
import errno
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback
import warnings
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from case_reviews.adapters.aws import Clients
from case_reviews.adapters.child_processes import die_with_parent
from case_reviews.adapters.clock import SetClock
from case_reviews.config import Settings
from case_reviews.ports import Clock
from case_reviews.site.routes import is_site_path
from infra.local.api_gateway import RequestRejected, body_length, problem_parts, proxy_event, response_parts
from infra.local.function_host import clock_setup, ready_file
from infra.local.lambda_runtime import invoke
from infra.local.moto_server import MotoServer
from infra.local.opensearch_server import OpenSearchServer
from infra.local.provision import StackNames, provision

ROOT = Path(__file__).resolve().parents[2]
DEMO_BOARD_ID = "demo-board"
# The API's setting that serves Swagger UI at /swagger.
SWAGGER_UI_SWITCH = "ENABLE_SWAGGER_UI"
DEMO_BOARD_NAME = "Demoshire Safeguarding Children Partnership"
SCHEDULE_ZONE = ZoneInfo("Europe/London")
SCHEDULE_HOUR = 3  # as template.yaml's cron(0 3 * * ? *)
DIGEST_HOUR = 8  # as template.yaml's cron(0 8 ? * MON *)
ALERTS_HOUR = 6  # as template.yaml's cron(0 6 * * ? *)
# Local fake credentials: moto accepts anything, and nothing here may reach a real account.
LOCAL_CREDENTIALS = {"aws_access_key_id": "local", "aws_secret_access_key": "local", "aws_session_token": "local"}
# Powertools' switches on the local stack: quiet logs, no X-Ray, no CloudWatch metrics.
POWERTOOLS_LOCAL = {
    "POWERTOOLS_SERVICE_NAME": "case-reviews",
    "POWERTOOLS_METRICS_NAMESPACE": "CaseReviews",
    "POWERTOOLS_TRACE_DISABLED": "true",
    "POWERTOOLS_METRICS_DISABLED": "true",
    "POWERTOOLS_LOG_LEVEL": "WARNING",
}
# The functions fed by a queue, each with its timeout (template.yaml's), run by a host process of its own.
QUEUE_FUNCTIONS = {
    "catalogue": 60.0,
    "index": 30.0,
    "acknowledge": 30.0,
    "retention": 120.0,
    "digest": 30.0,
    "alerts": 60.0,
}
FUNCTIONS_READY_TIMEOUT_S = 120.0
FUNCTIONS_STOP_TIMEOUT_S = 10.0
# What is left of a refused request's body is read (and dropped) up to this much, so that
# closing the connection does not reset it before the client has read the answer.
DRAIN_LIMIT_BYTES = 1 << 20
DRAIN_TIMEOUT_S = 1.0


class ApiFront(ThreadingHTTPServer):
    """API Gateway in front of the API and site functions: every request becomes a REST proxy event.

    It listens as soon as it is made (port 0: any free port, see `port`); requests wait until
    `serve_forever` runs, by which time `function` (and `site_function`) must be set.
    """

    daemon_threads = True

    def __init__(self, port: int, handler: Any = None, site_handler: Any = None) -> None:
        self.function = handler
        self.site_function = site_handler
        # One request at a time, as one Lambda execution environment serves one invocation at a time.
        self.invocation_lock = threading.Lock()
        super().__init__(("127.0.0.1", port), _ApiRequestHandler)

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def function_for(self, target: str) -> tuple[Any, str]:
        """The function API Gateway invokes for this path, and its name: the site's pages go to the site
        function (the same routing table as template.yaml's SiteFunction events), all else to the API."""
        if self.site_function is not None and is_site_path(urlsplit(target).path or "/"):
            return self.site_function, "site"
        return self.function, "api"


class _ApiRequestHandler(BaseHTTPRequestHandler):
    server: ApiFront
    protocol_version = "HTTP/1.1"
    # An answer goes out as two writes (head, then body). With Nagle's algorithm the body waits for the
    # client's ACK of the head, which a keep-alive client delays (about 40 ms on Linux): every answer
    # after the first few on a connection took 40 ms more than it needed. API Gateway has no such wait.
    disable_nagle_algorithm = True

    def _proxy(self) -> None:
        started = time.perf_counter()
        self._headers_flushed = False
        try:
            status = self._forward()
        except RequestRejected as rejected:
            status = self._refuse(rejected.status, rejected.detail)
        except Exception:
            self._log_failure("the API front failed")
            if self._headers_flushed:  # part of the answer is out: all that is left is to close
                self.close_connection = True
                status = 0
            else:
                status = self._refuse(
                    HTTPStatus.INTERNAL_SERVER_ERROR, "The local API front failed on this request; see its output."
                )
        sys.stdout.write(
            f"api  {self.command} {self.path} → {status or 'dropped'} "
            f"({(time.perf_counter() - started) * 1000:.0f} ms)\n"
        )

    def _forward(self) -> int:
        length = body_length(self.headers.items())
        body = self.rfile.read(length) if length else None
        event = proxy_event(self.command, self.path, dict(self.headers.items()), body, self.client_address[0])
        function, name = self.server.function_for(self.path)
        try:
            with self.server.invocation_lock:
                result = invoke(function, event, name)
            status, headers, payload = response_parts(result)
        except Exception:
            # What API Gateway answers when the function fails or its answer is not a proxy response.
            self._log_failure("the API function failed or returned a malformed response")
            status, headers, payload = problem_parts(
                HTTPStatus.BAD_GATEWAY, "The API function failed or returned a malformed response; see the output."
            )
        self._send(status, headers, payload)
        return status

    def _refuse(self, status: HTTPStatus, detail: str) -> int:
        """Answer a problem of the front's own, then close: what is left of the request is unread."""
        self.close_connection = True
        self._headers_buffer = []  # anything of an answer begun but not sent
        code, headers, payload = problem_parts(status, detail)
        try:
            self._send(code, [*headers, ("Connection", "close")], payload)
        except OSError:
            return 0  # the client is gone
        self._drain()
        return code

    def _send(self, status: int, headers: list[tuple[str, str]], payload: bytes) -> None:
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self._headers_flushed = True
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(payload)

    def _drain(self) -> None:
        """Send the end of the answer, then read the rest of the request until the client closes."""
        try:
            self.wfile.flush()
            self.connection.shutdown(socket.SHUT_WR)
            self.connection.settimeout(DRAIN_TIMEOUT_S)
            left = DRAIN_LIMIT_BYTES
            while left > 0:
                chunk = self.connection.recv(min(left, 65536))
                if not chunk:
                    break
                left -= len(chunk)
        except OSError:
            pass  # the client is gone or slow: the answer is out either way

    def _log_failure(self, what: str) -> None:
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError):  # the client went away: nothing to debug
            sys.stderr.write(f"api  {self.command} {self.path}: the client closed the connection ({error})\n")
        else:
            sys.stderr.write(f"api  {self.command} {self.path}: {what}\n{traceback.format_exc()}")

    def __getattr__(self, name: str) -> Any:
        # http.server answers a method it has no do_<METHOD> for with its own 501 HTML page. API Gateway
        # hands every method to the function, which answers an unknown one with its 405 problem (Allow
        # lists the path's methods): so every method, TRACE and CONNECT included, goes to the function.
        if name.startswith("do_"):
            return self._proxy
        raise AttributeError(name)

    def log_message(self, format: str, *args: Any) -> None:
        pass  # one line per request is printed by _proxy


class FunctionHosts:
    """The queue-fed functions' host processes (infra/local/function_host.py): started together, each dying with
    the stack; stopped (SIGTERM, then SIGKILL) when the stack stops."""

    def __init__(self, setup_file: Path, functions: dict[str, float]) -> None:
        self.setup_file = setup_file
        self.functions = functions
        self.processes: dict[str, subprocess.Popen[bytes]] = {}

    def __enter__(self) -> FunctionHosts:
        for function in self.functions:
            self.processes[function] = subprocess.Popen(
                [sys.executable, "-m", "infra.local.function_host", str(self.setup_file), function],
                cwd=ROOT,
                preexec_fn=die_with_parent(),
            )
        return self

    def wait_ready(self, timeout_s: float, stop: threading.Event) -> bool:
        """Until every host has its function imported and polls its queue (True), or the stack is told to stop
        meanwhile (False); RuntimeError if a host ends first or is late."""
        deadline = time.monotonic() + timeout_s
        waiting = set(self.functions)
        while waiting:
            waiting = {function for function in waiting if not ready_file(self.setup_file, function).exists()}
            if stop.is_set():  # Ctrl-C reaches the hosts too: their ending is then no failure
                return False
            if (ended := self.ended()) is not None:
                raise RuntimeError(f"the {ended} function's process ended before it was ready")
            if waiting and time.monotonic() > deadline:
                raise RuntimeError(f"not ready within {timeout_s:.0f} s: {', '.join(sorted(waiting))}")
            time.sleep(0.05)
        return True

    def ended(self) -> str | None:
        """A function whose host has ended, if any."""
        return next((function for function, process in self.processes.items() if process.poll() is not None), None)

    def __exit__(self, *_: object) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + FUNCTIONS_STOP_TIMEOUT_S
        for process in self.processes.values():
            try:
                process.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


class LocalSchedule:
    """An EventBridge Scheduler schedule, locally: at each run time it sends its task to its queue."""

    def __init__(self, sqs: Any, queue_url: str, task: dict[str, Any]) -> None:
        self.sqs = sqs
        self.queue_url = queue_url
        self.task = task

    @staticmethod
    def next_run(after: datetime) -> datetime:
        raise NotImplementedError

    def fire(self) -> None:
        self.sqs.send_message(QueueUrl=self.queue_url, MessageBody=json.dumps(self.task))

    def run(self, stop: threading.Event, clock: Clock) -> None:
        while not stop.is_set():
            due = self.next_run(clock.now())
            if stop.wait(max(0.0, (due - clock.now()).total_seconds())):
                return
            self.fire()


class DailySchedule(LocalSchedule):
    """A daily task at `HOUR` o'clock Europe/London, as template.yaml's cron(0 HOUR * * ? *)."""

    TASK: str
    HOUR: int

    def __init__(self, sqs: Any, queue_url: str) -> None:
        super().__init__(sqs, queue_url, {"task": self.TASK})

    @classmethod
    def next_run(cls, after: datetime) -> datetime:
        local = after.astimezone(SCHEDULE_ZONE)
        run = local.replace(hour=cls.HOUR, minute=0, second=0, microsecond=0)
        if run <= local:
            run = (run + timedelta(days=1)).replace(hour=cls.HOUR)
        return run.astimezone(UTC)


class RetentionSchedule(DailySchedule):
    """The daily retention run, at 03:00 Europe/London as template.yaml's cron(0 3 * * ? *)."""

    TASK, HOUR = "retention", SCHEDULE_HOUR


class DigestSchedule(LocalSchedule):
    """The weekly digest, on Mondays at 08:00 Europe/London as template.yaml's cron(0 8 ? * MON *)."""

    def __init__(self, sqs: Any, queue_url: str) -> None:
        super().__init__(sqs, queue_url, {"task": "digest"})

    @staticmethod
    def next_run(after: datetime) -> datetime:
        local = after.astimezone(SCHEDULE_ZONE)
        run = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0) - timedelta(days=local.weekday())
        while run <= local:
            run += timedelta(days=7)  # wall-clock arithmetic: still 08:00 after a clock change
        return run.astimezone(UTC)


class AlertsSchedule(DailySchedule):
    """The daily alerts, at 06:00 Europe/London as template.yaml's cron(0 6 * * ? *)."""

    TASK, HOUR = "alerts", ALERTS_HOUR


def _write_state(path: Path, state: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
    os.replace(temporary, path)


def _demo_files(directory: Path) -> tuple[Path, Path]:
    """A sample submission body and a small real PDF for the walk-through."""
    from fpdf import FPDF

    directory.mkdir(parents=True, exist_ok=True)
    metadata = json.loads((ROOT / "events" / "api" / "post_submission.json").read_text(encoding="utf-8"))["body"]
    submission = directory / "submission.json"
    submission.write_text(metadata, encoding="utf-8")
    document = FPDF()
    document.set_font("helvetica", size=12)
    document.add_page()
    document.multi_cell(
        0,
        7,
        "Serious Case Review: Child K. Overview report.\n\n"
        "The children were neglected over many months. Agencies did not share what they knew, "
        "and the professionals who saw the family did not escalate their concerns.",
    )
    pdf = directory / "report.pdf"
    pdf.write_bytes(bytes(document.output()))
    return submission, pdf


def walkthrough(api_url: str, key: str, submission: Path, pdf: Path) -> str:
    rel_submission, rel_pdf = os.path.relpath(submission), os.path.relpath(pdf)
    upload_args = (
        "import json; u = json.load(open('/tmp/case-review-submission.json'))['upload']; "
        f"print(' '.join([f'-F {{k}}={{v}}' for k, v in u['fields'].items()] + ['-F file=@{rel_pdf}', u['url']]))"
    )
    return f"""
  The local stack is up: {api_url}
  The site:   {api_url}/  (open it in a browser to search, read and deposit; the board key is below)
  Demo board: {DEMO_BOARD_NAME} ({DEMO_BOARD_ID})
  Its key:    {key}

  Try it (copy and paste, from the repository's folder):

    export API={api_url} KEY={key}

    # 1. The board asks to deposit a report, and gets a presigned upload
    curl -s -X POST "$API/submissions" -H "Authorization: Bearer $KEY" \\
         -H "Content-Type: application/json" -d @{rel_submission} | tee /tmp/case-review-submission.json; echo

    # 2. It uploads the PDF straight to S3 (the embedded one)
    curl -s -o /dev/null -w "upload: %{{http_code}}\\n" $(python3 -c "{upload_args}")

    # 3. A moment later: the submission's status, then a search by words from the report
    curl -s "$API/submissions/$(python3 -c "import json; print(json.load(open('/tmp/case-review-submission.json'))['submission_id'])")" \\
         -H "Authorization: Bearer $KEY"; echo
    curl -s "$API/reviews?q=neglected"; echo

  Also: $API/openapi.json · $API/swagger (Swagger UI) · $API/years/2016 · emails sent: <aws_endpoint_url>/moto-api/data.json (under "ses")
  Ctrl-C stops everything.
"""


def _port(text: str) -> int:
    digits = text.strip()
    if not (digits.isascii() and digits.isdigit()) or int(digits) > 65535:
        raise argparse.ArgumentTypeError(f"not a port number (0 to 65535), from --api-port or API_PORT: {text!r}")
    return int(digits)


def port_problem(port: int, error: OSError) -> str:
    """One line saying why the API cannot listen on `port`, and how to choose another."""
    how = "choose another with --api-port PORT or API_PORT=PORT in the environment (0: any free port)"
    if error.errno == errno.EADDRINUSE:
        return f"stack: port {port} on 127.0.0.1 is already in use, so the API cannot listen there; {how}"
    return f"stack: the API cannot listen on 127.0.0.1:{port} ({error.strerror or error}); {how}"


def _setting(text: str) -> tuple[str, str]:
    name, equals, value = text.partition("=")
    if not equals or not name:
        raise argparse.ArgumentTypeError(f"not NAME=VALUE: {text!r}")
    return name, value


def _clock(text: str) -> SetClock:
    try:
        return SetClock.parse(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a day (YYYY-MM-DD) or an ISO instant: {text!r}") from None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--api-port",
        type=_port,
        default=os.environ.get("API_PORT", "3000"),
        help="port of the API (0: any free port); default: API_PORT in the environment, or 3000",
    )
    parser.add_argument("--state-file", type=Path, default=ROOT / ".local" / "stack.json")
    parser.add_argument("--quiet", action="store_true", help="no walk-through banner")
    parser.add_argument(
        "--clock",
        type=_clock,
        default=None,
        metavar="DAY_OR_INSTANT",
        help="run the stack's clock from this day (10:30 UTC) or ISO instant instead of the real time (tests)",
    )
    parser.add_argument(
        "--setting",
        type=_setting,
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a function setting of config.py over the stack's own, e.g. PDF_WORKER_MAX_FILES=1 (repeatable)",
    )
    options = parser.parse_args(argv)

    # The API's port first: if it is taken, say so before starting anything.
    try:
        front = ApiFront(options.api_port)
    except OSError as error:
        print(port_problem(options.api_port, error), file=sys.stderr)
        return 1

    # Powertools warns on every invocation that records no metric; locally that is only noise.
    warnings.filterwarnings("ignore", message="No application metrics to publish")
    stop = threading.Event()
    for signum in (signal.SIGINT, signal.SIGTERM):
        signal.signal(signum, lambda *_: stop.set())

    work = ROOT / ".local"
    (work / "logs").mkdir(parents=True, exist_ok=True)
    with front, ExitStack() as cleanup:
        cleanup.callback(lambda: options.state_file.unlink(missing_ok=True))
        moto = cleanup.enter_context(MotoServer(log_path=work / "logs" / "moto.log"))
        opensearch_url = os.environ.get("OPENSEARCH_URL", "").rstrip("/")
        if not opensearch_url:
            opensearch_url = cleanup.enter_context(OpenSearchServer()).url

        api_url = f"http://127.0.0.1:{front.port}"
        names = StackNames()
        # Powertools' own switches (not the functions' settings, which are passed to bootstrap below).
        for name, value in POWERTOOLS_LOCAL.items():
            os.environ.setdefault(name, value)
        clients = Clients(region=names.region, endpoint_url=moto.url, credentials=LOCAL_CREDENTIALS)
        # The site is on the API's base URL: the bucket lets its pages' script post uploads (CORS).
        provisioned = provision(names, clients=clients, site_origin=api_url)
        variables = {
            **provisioned.function_environment(opensearch_url=opensearch_url, public_base_url=api_url),
            # Swagger UI at $API/swagger, on the local stack only (template.yaml never sets it).
            SWAGGER_UI_SWITCH: "true",
            **dict(options.setting),
        }
        settings = Settings(variables)

        # The functions' services, wired for the embedded AWS and this stack's clock, before any is imported.
        from case_reviews import bootstrap

        services = bootstrap.build(settings, clients, options.clock)
        bootstrap.install(services)
        from functions.api import app as api
        from functions.site import app as site

        services.search_index.ensure_index()
        boards = services.boards
        if boards.store.get_board(DEMO_BOARD_ID) is None:
            boards.add_board(DEMO_BOARD_NAME, board_id=DEMO_BOARD_ID)
        demo_key = boards.issue_key(DEMO_BOARD_ID)

        sqs = clients.aws("sqs")
        # Each queue-fed function in a process of its own, as Lambda runs each in its own container.
        setup_file = Path(cleanup.enter_context(tempfile.TemporaryDirectory(prefix="case-reviews-functions-")))
        setup_file /= "functions.json"
        setup = {
            "settings": variables,
            "aws": {"region": names.region, "endpoint_url": moto.url, "credentials": LOCAL_CREDENTIALS},
            "clock": clock_setup(services.clock if options.clock else None),
            "functions": {
                role: {"queue_url": provisioned.queue_urls[role], "timeout_s": timeout_s}
                for role, timeout_s in QUEUE_FUNCTIONS.items()
            },
        }
        setup_file.write_text(json.dumps(setup), encoding="utf-8")
        hosts = cleanup.enter_context(FunctionHosts(setup_file, QUEUE_FUNCTIONS))
        threads = []
        for name, schedule in (
            ("retention-schedule", RetentionSchedule(sqs, provisioned.queue_urls["retention"])),
            ("digest-schedule", DigestSchedule(sqs, provisioned.queue_urls["digest"])),
            ("alerts-schedule", AlertsSchedule(sqs, provisioned.queue_urls["alerts"])),
        ):
            threads.append(threading.Thread(target=schedule.run, args=(stop, services.clock), name=name, daemon=True))
        for thread in threads:
            thread.start()
        try:
            if not hosts.wait_ready(FUNCTIONS_READY_TIMEOUT_S, stop):
                print("stopping…", flush=True)
                return 0
        except RuntimeError as problem:
            print(f"the functions did not start: {problem}", file=sys.stderr)
            return 1

        front.function = api.lambda_handler
        front.site_function = site.lambda_handler
        threading.Thread(target=front.serve_forever, name="api", daemon=True).start()
        cleanup.callback(front.shutdown)

        state = {
            "api_url": api_url,
            # The pages for people: the same base URL as the API (docs/interface.md, "The site").
            "site_url": f"{api_url}/",
            "aws_endpoint_url": moto.url,
            "region": names.region,
            "opensearch_url": opensearch_url,
            "bucket": names.bucket,
            "catalogue_table": names.catalogue_table,
            "event_bus": names.event_bus,
            "demo_board": {"id": DEMO_BOARD_ID, "name": DEMO_BOARD_NAME, "key": demo_key},
            "queues": provisioned.queue_urls,
            "dead_letter_queues": provisioned.dead_letter_queue_urls,
            "pid": os.getpid(),
            # How far the stack's clock is from the real time (0 unless --clock): the staff CLI keeps to it.
            "clock_offset_seconds": round((services.clock.now() - datetime.now(UTC)).total_seconds(), 3),
        }
        _write_state(options.state_file, state)
        if not options.quiet:
            submission, pdf = _demo_files(work / "demo")
            print(walkthrough(api_url, demo_key, submission, pdf).replace("<aws_endpoint_url>", moto.url), flush=True)
        print(f"api:  {api_url}\nsite: {api_url}/  (open it in a browser: search, read, deposit)", flush=True)
        print(f"ready: {options.state_file}", flush=True)

        while not stop.wait(1.0):
            if not moto.is_running():
                print("the embedded AWS stopped; shutting down", file=sys.stderr)
                return 1
            if (ended := hosts.ended()) is not None and not stop.is_set():
                print(f"the {ended} function's process ended; shutting down", file=sys.stderr)
                return 1
        print("stopping…", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
