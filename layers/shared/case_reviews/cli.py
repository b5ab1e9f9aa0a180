"""`case-reviews`: the library staff's command line, against AWS or the local stack.

    case-reviews [OPTIONS] boards add NAME [--id ID] | list | issue-key ID | revoke-key ID [--key KEY]
    case-reviews [OPTIONS] retention preview [--as-of DATE] | upcoming [--as-of DATE] | run [--as-of DATE]
    case-reviews [OPTIONS] records show REF | audit REF | edit REF [--title ...] [--summary ...] [--themes a;b] ...
    case-reviews [OPTIONS] records hold REF --reason TEXT | release REF | extend REF --until DATE
                                   | take-down REF --reason CODE
    case-reviews [OPTIONS] queues show | replay QUEUE [--max N]
    case-reviews [OPTIONS] index check | rebuild
    case-reviews [OPTIONS] subscribers add EMAIL | remove EMAIL | list
    case-reviews [OPTIONS] import CSV

    OPTIONS: [--local] [--state-file PATH] [--stack NAME] [--json], before the group or after the command

Against AWS it finds the resources from the CloudFormation stack's outputs (the staff
member's own profile and region); with --local it reads the local stack's state file
(--state-file, default .local/stack.json; giving --state-file implies --local). An error
is one line on stderr and exit status 1; so is `index check` finding drift.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

DEFAULT_STACK = "case-reviews-prod"
LOCAL_STATE = Path(".local") / "stack.json"
# The queues the functions consume (as in template.yaml and the local stack).
QUEUES = ("catalogue", "index", "acknowledge", "retention", "digest")
# The search alias in both stacks (template.yaml's OPENSEARCH_INDEX, and the local stack's).
SEARCH_ALIAS = "reviews"


def _queue_settings(queue_urls: dict[str, str], dead_letter_urls: dict[str, str]) -> dict[str, str]:
    """The queue URLs as the settings bootstrap reads (config.QueueSettings)."""
    settings = {}
    for queue in QUEUES:
        settings[f"{queue.upper()}_QUEUE_URL"] = queue_urls[queue]
        settings[f"{queue.upper()}_DEAD_LETTER_QUEUE_URL"] = dead_letter_urls[queue]
    return settings


def _use_local_stack(state_file: Path) -> Any:
    """The local stack's services: its resources from the state file, the embedded AWS, its clock."""
    from case_reviews import bootstrap
    from case_reviews.adapters.aws import Clients
    from case_reviews.adapters.clock import SetClock, SystemClock
    from case_reviews.config import Settings

    if not state_file.exists():
        raise SystemExit(f"{state_file} not found: start the local stack with `make run` first")
    state = json.loads(state_file.read_text(encoding="utf-8"))
    offset = float(state.get("clock_offset_seconds") or 0)
    # The stack may run on a set clock (a test on a chosen day): staff commands keep to the same time.
    clock = SetClock(datetime.now(UTC) + timedelta(seconds=offset)) if offset else SystemClock()
    clients = Clients(
        region=state["region"],
        endpoint_url=state["aws_endpoint_url"],
        credentials={"aws_access_key_id": "local", "aws_secret_access_key": "local"},
    )
    settings = {
        "CATALOGUE_TABLE_NAME": state["catalogue_table"],
        "REPORTS_BUCKET_NAME": state["bucket"],
        "EVENT_BUS_NAME": state["event_bus"],
        "OPENSEARCH_URL": state["opensearch_url"],
        "OPENSEARCH_AUTH": "none",
        "OPENSEARCH_INDEX": SEARCH_ALIAS,
        "AWS_REGION": state["region"],
        **_queue_settings(state["queues"], state["dead_letter_queues"]),
    }
    return bootstrap.build(Settings(settings), clients, clock)


def _use_aws_stack(stack_name: str) -> Any:
    """The stack's services in AWS, found from its CloudFormation outputs (the staff member's own profile)."""
    from case_reviews import bootstrap
    from case_reviews.adapters.aws import Clients
    from case_reviews.config import Settings

    clients = Clients()
    cloudformation = clients.aws("cloudformation")
    stack = cloudformation.describe_stacks(StackName=stack_name)["Stacks"][0]
    outputs = {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}
    settings = {
        "CATALOGUE_TABLE_NAME": outputs["TableName"],
        "REPORTS_BUCKET_NAME": outputs["BucketName"],
        "EVENT_BUS_NAME": outputs["EventBusName"],
        "OPENSEARCH_URL": outputs["SearchDomainEndpoint"],
        "OPENSEARCH_AUTH": "sigv4",
        "OPENSEARCH_INDEX": SEARCH_ALIAS,
        # SigV4 signs for the region the staff member's profile reached the stack in.
        "AWS_REGION": cloudformation.meta.region_name,
        **_queue_settings(
            {queue: outputs[f"{queue.capitalize()}QueueUrl"] for queue in QUEUES},
            {queue: outputs[f"{queue.capitalize()}DeadLetterQueueUrl"] for queue in QUEUES},
        ),
    }
    return bootstrap.build(Settings(settings), clients)


def _print(result: Any, as_json: bool, text: str) -> None:
    print(json.dumps(result, indent=2, default=str) if as_json else text)


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def _positive(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"{value!r} is not a positive whole number")
    return int(value)


def main(argv: list[str] | None = None) -> int:
    from botocore.exceptions import BotoCoreError, ClientError
    from opensearchpy.exceptions import OpenSearchException
    from pydantic import ValidationError

    from case_reviews.domain.errors import CaseReviewsError

    try:
        return _run(argv)
    except (CaseReviewsError, ClientError, BotoCoreError, OpenSearchException, ValidationError) as error:
        # Staff see one clear line, not a traceback.
        message = " ".join(str(error).split())
        print(f"case-reviews: error: {message}", file=sys.stderr)
        return 1


class _StateFile(argparse.Action):
    """`--state-file PATH`: where the local stack's state is; giving it means the local stack."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        setattr(namespace, self.dest, values)
        namespace.local = True


def _global_options(*, defaults: bool) -> argparse.ArgumentParser:
    """The options every command takes, as a parent parser.

    The top-level parser gets them with their real defaults (defaults=True). Each leaf command
    gets them with argparse.SUPPRESS defaults, so a leaf only sets what was given after it and
    never overwrites, with a default, a value given before the group.
    """

    def default(value: Any) -> Any:
        return value if defaults else argparse.SUPPRESS

    options = argparse.ArgumentParser(add_help=False)
    options.add_argument(
        "--local", action="store_true", default=default(False), help="use the local stack instead of AWS"
    )
    options.add_argument(
        "--state-file",
        action=_StateFile,
        type=Path,
        default=default(LOCAL_STATE),
        metavar="PATH",
        help=f"the local stack's state file (default: {LOCAL_STATE}); implies --local",
    )
    options.add_argument(
        "--stack",
        default=default(os.environ.get("CASE_REVIEWS_STACK_NAME", DEFAULT_STACK)),
        metavar="NAME",
        help=f"the CloudFormation stack in AWS (default: $CASE_REVIEWS_STACK_NAME or {DEFAULT_STACK})",
    )
    options.add_argument("--json", action="store_true", default=default(False), help="machine-readable output")
    return options


def build_parser() -> argparse.ArgumentParser:
    """The `case-reviews` argument parser; building it and parsing with it touch nothing in AWS."""
    parser = argparse.ArgumentParser(
        prog="case-reviews",
        description=__doc__.split("\n\n")[0],
        parents=[_global_options(defaults=True)],
    )
    leaf_options = _global_options(defaults=False)
    groups = parser.add_subparsers(dest="group", required=True)

    boards = groups.add_parser("boards", help="boards and their credentials").add_subparsers(
        dest="command", required=True
    )
    add = boards.add_parser("add", parents=[leaf_options], help="register a board and issue its first key")
    add.add_argument("name")
    add.add_argument("--id", dest="board_id", help="the board's id (default: from its name)")
    boards.add_parser("list", parents=[leaf_options], help="list the boards")
    issue = boards.add_parser("issue-key", parents=[leaf_options], help="issue a further key to a board")
    issue.add_argument("board_id")
    revoke = boards.add_parser(
        "revoke-key", parents=[leaf_options], help="revoke a board's keys (all of them, or --key)"
    )
    revoke.add_argument("board_id")
    revoke.add_argument("--key", help="revoke only this key (default: every live key of the board)")

    retention = groups.add_parser("retention", help="the five-year rule").add_subparsers(dest="command", required=True)
    for name, help_text in (
        ("preview", "list the copies past their five years"),
        ("upcoming", "list the copies whose last day is within 30 days (the boards are warned of these)"),
        ("run", "ask the retention function to run now"),
    ):
        command = retention.add_parser(name, parents=[leaf_options], help=help_text)
        command.add_argument(
            "--as-of", type=_iso_date, help="the day to apply the rule for (YYYY-MM-DD; default today)"
        )

    records = groups.add_parser("records", help="catalogue records").add_subparsers(dest="command", required=True)
    show = records.add_parser("show", parents=[leaf_options], help="a record as staff see it")
    show.add_argument("reference")
    _add_ruling_commands(records, leaf_options)

    queues = groups.add_parser("queues", help="the queues and their dead-letter queues").add_subparsers(
        dest="command", required=True
    )
    queues.add_parser("show", parents=[leaf_options], help="messages waiting, in flight and dead, per queue")
    replay = queues.add_parser(
        "replay", parents=[leaf_options], help="move a queue's dead-letter messages back to the queue"
    )
    replay.add_argument("queue", choices=QUEUES)
    replay.add_argument("--max", dest="max_messages", type=_positive, metavar="N", help="move at most N (default: all)")

    subscribers = groups.add_parser("subscribers", help='the weekly "New in the Library" digest').add_subparsers(
        dest="command", required=True
    )
    subscribe = subscribers.add_parser("add", parents=[leaf_options], help="subscribe an address")
    subscribe.add_argument("email")
    unsubscribe = subscribers.add_parser("remove", parents=[leaf_options], help="unsubscribe an address")
    unsubscribe.add_argument("email")
    subscribers.add_parser("list", parents=[leaf_options], help="every subscriber")

    index = groups.add_parser("index", help="the search index").add_subparsers(dest="command", required=True)
    index.add_parser("check", parents=[leaf_options], help="compare the index with the catalogue (exit 1 on drift)")
    index.add_parser("rebuild", parents=[leaf_options], help="build a fresh index and switch the alias to it")

    importing = groups.add_parser(
        "import",
        parents=[leaf_options],
        help="import historic catalogue-only records from a CSV file",
        description=IMPORT_DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    importing.add_argument("csv", type=Path, metavar="CSV", help="the UTF-8 CSV file")
    importing.set_defaults(command=None)
    return parser


def _add_ruling_commands(records: Any, leaf_options: argparse.ArgumentParser) -> None:
    """`records audit / hold / release / extend / edit / take-down`: legal rulings, corrections, the audit trail."""
    from case_reviews.domain.audit import TakeDownReason

    audit = records.add_parser("audit", parents=[leaf_options], help="a record's audit trail, oldest first")
    audit.add_argument("reference")
    hold = records.add_parser("hold", parents=[leaf_options], help="keep the copy past its five years (legal hold)")
    hold.add_argument("reference")
    hold.add_argument("--reason", required=True, help="why (staff-only; kept in the audit trail)")
    release = records.add_parser("release", parents=[leaf_options], help="lift a legal hold")
    release.add_argument("reference")
    release.add_argument("--reason", help="why (optional; kept in the audit trail)")
    extend = records.add_parser(
        "extend", parents=[leaf_options], help="set the copy's last available day (later or earlier)"
    )
    extend.add_argument("reference")
    extend.add_argument("--until", type=_iso_date, required=True, help="the last available day (YYYY-MM-DD)")
    extend.add_argument("--reason", help="why (optional; kept in the audit trail)")
    edit = records.add_parser(
        "edit", parents=[leaf_options], help="correct the record's metadata (only the fields given change)"
    )
    edit.add_argument("reference")
    edit.add_argument("--title")
    edit.add_argument("--summary", help='the summary ("" clears it)')
    edit.add_argument("--themes", help='themes separated by ";" ("" clears them)')
    edit.add_argument("--nation")
    edit.add_argument("--review-type")
    edit.add_argument("--document-type")
    edit.add_argument("--publication-date", help="YYYY, YYYY-MM or YYYY-MM-DD")
    edit.add_argument("--commissioned-date", help="YYYY-MM-DD")
    edit.add_argument("--reason", help="why (optional; kept in the audit trail)")
    take_down = records.add_parser(
        "take-down", parents=[leaf_options], help="remove the copy now (the record stays, marked withdrawn)"
    )
    take_down.add_argument("reference")
    take_down.add_argument(
        "--reason",
        required=True,
        choices=[reason.value for reason in TakeDownReason],
        help="the ruling's code (staff-only; the public record says only that the library withdrew it)",
    )


def _correction(options: argparse.Namespace) -> Any:
    """The fields `records edit` was given, validated as the domain's metadata correction."""
    from case_reviews.domain.models import MetadataCorrection, PublicationDate

    given: dict[str, Any] = {
        name: getattr(options, name)
        for name in (
            "title",
            "summary",
            "themes",
            "nation",
            "review_type",
            "document_type",
            "publication_date",
            "commissioned_date",
        )
        if getattr(options, name) is not None
    }
    if "themes" in given:
        given["themes"] = [theme for theme in given["themes"].split(";") if theme.strip()]
    if "publication_date" in given:
        try:
            given["publication_date"] = PublicationDate.parse(given["publication_date"])
        except ValueError as error:
            raise SystemExit(f"case-reviews: error: --publication-date: {error}") from None
    return MetadataCorrection.model_validate(given)


def _staff_identity(local: bool, services: Any) -> str:
    """Who the audit trail names: the caller's ARN in AWS, the OS user on the local stack."""
    if local:
        import getpass

        return f"local:{getpass.getuser()}"
    from case_reviews.adapters.aws import caller_arn

    return caller_arn(services.clients)


def _run_ruling(options: argparse.Namespace, services: Any) -> None:
    from case_reviews.domain.audit import TakeDownReason

    rulings = services.rulings
    if options.command == "audit":
        trail = [entry.model_dump(mode="json") for entry in rulings.audit(options.reference)]
        _print(trail, options.json, _audit_text(trail))
        return
    actor = _staff_identity(options.local, services)
    match options.command:
        case "hold":
            outcome = rulings.hold(options.reference, options.reason, actor)
        case "release":
            outcome = rulings.release(options.reference, actor, reason=options.reason)
        case "extend":
            outcome = rulings.extend(options.reference, options.until, actor, reason=options.reason)
        case "edit":
            outcome = rulings.edit(options.reference, _correction(options), actor, reason=options.reason)
        case _:
            outcome = rulings.take_down(options.reference, TakeDownReason(options.reason), actor)
    result = outcome.model_dump(mode="json")
    _print(result, options.json, _ruling_text(result))


def _run(argv: list[str] | None) -> int:
    options = build_parser().parse_args(argv)
    services = _use_local_stack(options.state_file) if options.local else _use_aws_stack(options.stack)
    now = services.clock.now()
    match options.group, options.command:
        case "boards", "add":
            board = services.boards.add_board(options.name, board_id=options.board_id)
            key = services.boards.issue_key(board.board_id)
            _print(
                {"id": board.board_id, "name": board.name, "key": key},
                options.json,
                f"{board.board_id}\t{board.name}\nkey (shown once): {key}",
            )
        case "boards", "list":
            listed = [board.model_dump() for board in services.boards.list_boards()]
            _print(listed, options.json, "\n".join(f"{b['board_id']}\t{b['name']}" for b in listed) or "(no boards)")
        case "boards", "issue-key":
            key = services.boards.issue_key(options.board_id)
            _print({"id": options.board_id, "key": key}, options.json, f"key (shown once): {key}")
        case "boards", "revoke-key":
            revoked = services.boards.revoke_keys(options.board_id, key=options.key)
            _print(
                {"id": options.board_id, "revoked": revoked},
                options.json,
                f"{options.board_id}: {revoked} key(s) revoked",
            )
        case "retention", "preview" | "upcoming":
            retention = services.retention
            as_of = options.as_of or now.date()
            if options.command == "preview":
                copies, nothing = retention.copies_due(as_of), "(nothing past its five years)"
            else:
                copies, nothing = retention.copies_expiring(as_of), "(no copy reaches its last day within 30 days)"
            listed = [copy.model_dump(mode="json") for copy in copies]
            _print(
                listed,
                options.json,
                "\n".join(f"{c['reference']}\tavailable until {c['available_until']}" for c in listed) or nothing,
            )
        case "retention", "run":
            # Queued like the schedule's own run, so the function does the work with its own role.
            message_id = services.retention.request_run(options.as_of)
            as_of = options.as_of.isoformat() if options.as_of else None
            _print(
                {"message_id": message_id, "task": "retention", "as_of": as_of},
                options.json,
                f"retention run queued for {as_of or 'today'} ({message_id}); "
                "copies past their last available day are removed, the records stay",
            )
        case "records", "show":
            found = services.records.show(options.reference)
            record = {**found.model_dump(mode="json"), "publisher": found.publisher}
            _print(record, options.json, _record_text(record))
        case "records", "audit" | "hold" | "release" | "extend" | "take-down" | "edit":
            _run_ruling(options, services)
        case "queues", "show":
            statuses = [status.model_dump() for status in services.queues.show()]
            _print(statuses, options.json, _queues_text(statuses))
        case "queues", "replay":
            replayed = services.queues.replay(options.queue, options.max_messages).model_dump()
            text = f"{replayed['queue']}: {replayed['moved']} message(s) moved back from the dead-letter queue"
            if replayed["not_moved"]:
                text += f"; {replayed['not_moved']} not moved (still in the dead-letter queue)"
            _print(replayed, options.json, text)
        case "subscribers", "add":
            subscriber = services.subscriptions.subscribe(options.email)
            _print(
                {"email": subscriber.email, "subscribed_at": subscriber.subscribed_at},
                options.json,
                f"{subscriber.email} subscribed (since {subscriber.subscribed_at:%Y-%m-%d})",
            )
        case "subscribers", "remove":
            services.subscriptions.unsubscribe(options.email)
            _print({"email": options.email, "removed": True}, options.json, f"{options.email} unsubscribed")
        case "subscribers", "list":
            listed = [
                {"email": s.email, "subscribed_at": s.subscribed_at} for s in services.subscriptions.subscribers()
            ]
            _print(
                listed,
                options.json,
                "\n".join(f"{s['email']}\t{s['subscribed_at']:%Y-%m-%d}" for s in listed) or "(no subscribers)",
            )
        case "index", "check":
            drift = services.index_upkeep.check().model_dump()
            _print(drift, options.json, _drift_text(drift))
            return 0 if drift["in_sync"] else 1
        case "index", "rebuild":
            counter = _Counter("records indexed")
            rebuilt = services.index_upkeep.rebuild(progress=counter).model_dump()
            counter.done()
            _print(
                rebuilt,
                options.json,
                f"{rebuilt['index']}: {rebuilt['indexed']} record(s) indexed, {rebuilt['with_text']} with full text; "
                f"{rebuilt['caught_up']} caught up after the switch; "
                f"replaced {', '.join(rebuilt['replaced']) or 'no index'}",
            )
        case "import", None:
            counter = _Counter("rows done")
            imported = services.historic_import.import_file(options.csv, progress=counter).model_dump()
            counter.done()
            _print(imported, options.json, _import_text(imported))
            # A rejected row is the file's fault: scripts must notice, although the good rows are in.
            return 0 if imported["complete"] else 1
    return 0


class _Counter:
    """Progress on stderr: one line rewritten in place on a terminal, a line every 100 otherwise (logs)."""

    def __init__(self, what: str) -> None:
        self.what = what
        self.count = 0
        self.live = sys.stderr.isatty()

    def __call__(self, count: int) -> None:
        self.count = count
        if self.live:
            print(f"\r{count} {self.what}", end="", file=sys.stderr, flush=True)
        elif count % 100 == 0:
            print(f"{count} {self.what}", file=sys.stderr, flush=True)

    def done(self) -> None:
        if self.live or self.count % 100:
            print(("\r" if self.live else "") + f"{self.count} {self.what}", file=sys.stderr, flush=True)


IMPORT_DESCRIPTION = """Import historic catalogue-only records (no electronic copy, no board) from a CSV file.

The file is UTF-8 with a header row. Required columns: title, publication_date (1973, 1973-05
or 1973-05-14), nation, review_type, document_type, publisher. Optional: themes (separated
by ;), summary, notes (kept for staff, never published), commissioned_date (YYYY-MM-DD).
Other columns are ignored. Each row gets a reference CR-<publication year>-<n>.

A bad row is reported by its line number (the header is line 1) and skipped; the good rows
are imported. Importing the same file again adds nothing: a row already imported keeps its
reference. A file that is not UTF-8, is empty or lacks a required column imports nothing.

Exit status: 0 when every row is imported or already present; 1 when any row was rejected
(the good rows are still imported) or the file could not be read."""


def _import_text(imported: dict[str, Any]) -> str:
    lines = [f"line {row['line']}: {row['reason']}" for row in imported["rejected"]]
    if imported["ignored_columns"]:
        lines.append(f"ignored column(s): {', '.join(imported['ignored_columns'])}")
    lines.append(
        f"{imported['file']}: imported {imported['imported']}, already present {imported['already_present']}, "
        f"rejected {len(imported['rejected'])}"
    )
    return "\n".join(lines)


def _record_text(record: dict[str, Any]) -> str:
    copy = record["electronic_copy"]
    if copy is None:
        copy_text = "none"
    else:
        copy_text = (
            f"{copy['status']}; sha256 {copy['sha256']}; {copy['size_bytes']} bytes; {copy['page_count']} page(s); "
            f"available until {copy['available_until']}"
        )
        if copy["removed_on"]:
            copy_text += f"; removed on {copy['removed_on']} ({copy['removal_reason'] or 'no reason given'})"
        if copy.get("held"):
            copy_text += f"; on legal hold ({copy['hold_reason']})"
        if copy.get("text_layer") is False:
            copy_text += "; NO TEXT LAYER (scanned: only the metadata is searchable)"
        if copy.get("metadata_stripped"):
            copy_text += "; PDF metadata stripped (anonymous)"
    rows = [
        ("reference", record["reference"]),
        ("title", record["title"]),
        ("publisher", record["publisher"] + (" (anonymous)" if record["anonymous"] else "")),
        ("board", f"{record['board_id'] or '-'} ({record['board_name'] or '-'})"),
        ("nation", record["nation"]),
        ("review type", record["review_type"]),
        ("document type", record["document_type"]),
        ("published", record["publication_date"]),
        ("commissioned", record["commissioned_date"] or "-"),
        ("themes", ", ".join(record["themes"]) or "-"),
        ("submission", record["submission_id"] or "- (historic record)"),
        ("deposited on", record["deposited_on"] or "-"),
        ("copy", copy_text),
        ("version", record["version"]),
        ("created", record["created_at"]),
        ("updated", record["updated_at"]),
        ("summary", record["summary"] or "-"),
    ]
    return "\n".join(f"{name:<15}{value}" for name, value in rows)


def _ruling_text(outcome: dict[str, Any]) -> str:
    copy = outcome["electronic_copy"] or {}
    if not copy:
        state = "no electronic copy"
    elif copy.get("status") == "removed":
        state = f"copy removed on {copy['removed_on']} (public reason: {copy['removal_reason']})"
    else:
        state = f"copy available until {copy.get('available_until')}"
        if copy.get("held"):
            state += f"; on legal hold ({copy['hold_reason']})"
    return f"{outcome['reference']}: {outcome['action']} (version {outcome['version']}); {state}"


def _audit_text(trail: list[dict[str, Any]]) -> str:
    lines = []
    for entry in trail:
        line = f"{entry['at']}  {entry['action']:<21}{entry['actor']}"
        if entry["reason"]:
            line += f"  reason: {entry['reason']}"
        lines.append(line)
        lines += [
            f"    {name}: {change['before']!r} -> {change['after']!r}" for name, change in entry["changes"].items()
        ]
    return "\n".join(lines) or "(no audit entries)"


def _queues_text(statuses: list[dict[str, Any]]) -> str:
    lines = [f"{'queue':<12}{'waiting':>9}{'in flight':>11}{'dead letters':>14}"]
    lines += [f"{s['queue']:<12}{s['waiting']:>9}{s['in_flight']:>11}{s['dead_letters']:>14}" for s in statuses]
    return "\n".join(lines)


def _drift_text(drift: dict[str, Any]) -> str:
    lines = [f"missing from the index: {reference}" for reference in drift["missing"]]
    lines += [f"in the index, not in the catalogue: {reference}" for reference in drift["extra"]]
    lines += [
        f"stale: {s['reference']} (indexed version {s['indexed_version']}, catalogue version {s['catalogue_version']})"
        for s in drift["stale"]
    ]
    counts = f"{drift['catalogued']} record(s) catalogued, {drift['indexed']} indexed"
    if drift["in_sync"]:
        lines.append(f"in sync: {counts}")
    else:
        lines.append(
            f"drift: {len(drift['missing'])} missing, {len(drift['extra'])} extra, {len(drift['stale'])} stale "
            f"({counts}); `case-reviews index rebuild` repairs it"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
