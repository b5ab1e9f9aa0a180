"""`case-reviews`: the library staff's command line, against AWS or the local stack.

    case-reviews [OPTIONS] boards add NAME [--id ID] | list | issue-key ID | revoke-key ID [--key KEY]
    case-reviews [OPTIONS] retention preview [--as-of DATE] | run [--as-of DATE]

    OPTIONS: [--local] [--state-file PATH] [--stack NAME] [--json], before the group or after the command

Against AWS it finds the resources from the CloudFormation stack's outputs (the staff
member's own profile and region); with --local it reads the local stack's state file
(--state-file, default .local/stack.json; giving --state-file implies --local). An error
is one line on stderr and exit status 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

DEFAULT_STACK = "case-reviews-prod"
LOCAL_STATE = Path(".local") / "stack.json"


def _use_local_stack(state_file: Path) -> dict[str, str]:
    if not state_file.exists():
        raise SystemExit(f"{state_file} not found: start the local stack with `make run` first")
    state = json.loads(state_file.read_text(encoding="utf-8"))
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": state["aws_endpoint_url"],
            "AWS_REGION": state["region"],
            "AWS_DEFAULT_REGION": state["region"],
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
        }
    )
    os.environ.pop("AWS_PROFILE", None)
    return {
        "CATALOGUE_TABLE_NAME": state["catalogue_table"],
        "RETENTION_QUEUE_URL": state["queues"]["retention"],
    }


def _use_aws_stack(stack_name: str) -> dict[str, str]:
    import boto3

    stack = boto3.client("cloudformation").describe_stacks(StackName=stack_name)["Stacks"][0]
    outputs = {output["OutputKey"]: output["OutputValue"] for output in stack.get("Outputs", [])}
    return {"CATALOGUE_TABLE_NAME": outputs["TableName"], "RETENTION_QUEUE_URL": outputs["RetentionQueueUrl"]}


def _print(result: Any, as_json: bool, text: str) -> None:
    print(json.dumps(result, indent=2, default=str) if as_json else text)


def _iso_date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None


def main(argv: list[str] | None = None) -> int:
    from botocore.exceptions import BotoCoreError, ClientError

    from case_reviews.domain.errors import CaseReviewsError

    try:
        return _run(argv)
    except (CaseReviewsError, ClientError, BotoCoreError) as error:
        # Staff see one clear line, not a traceback.
        print(f"case-reviews: error: {error}", file=sys.stderr)
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
        ("run", "ask the retention function to run now"),
    ):
        command = retention.add_parser(name, parents=[leaf_options], help=help_text)
        command.add_argument(
            "--as-of", type=_iso_date, help="the day to apply the rule for (YYYY-MM-DD; default today)"
        )
    return parser


def _run(argv: list[str] | None) -> int:
    options = build_parser().parse_args(argv)
    resources = _use_local_stack(options.state_file) if options.local else _use_aws_stack(options.stack)
    os.environ["CATALOGUE_TABLE_NAME"] = resources["CATALOGUE_TABLE_NAME"]

    from case_reviews import bootstrap

    now = datetime.now(UTC)
    match options.group, options.command:
        case "boards", "add":
            board = bootstrap.board_service().add_board(options.name, now, board_id=options.board_id)
            key = bootstrap.board_service().issue_key(board.board_id, now)
            _print(
                {"id": board.board_id, "name": board.name, "key": key},
                options.json,
                f"{board.board_id}\t{board.name}\nkey (shown once): {key}",
            )
        case "boards", "list":
            listed = [board.model_dump() for board in bootstrap.board_service().list_boards()]
            _print(listed, options.json, "\n".join(f"{b['board_id']}\t{b['name']}" for b in listed) or "(no boards)")
        case "boards", "issue-key":
            key = bootstrap.board_service().issue_key(options.board_id, now)
            _print({"id": options.board_id, "key": key}, options.json, f"key (shown once): {key}")
        case "boards", "revoke-key":
            revoked = bootstrap.board_service().revoke_keys(options.board_id, now, key=options.key)
            _print(
                {"id": options.board_id, "revoked": revoked},
                options.json,
                f"{options.board_id}: {revoked} key(s) revoked",
            )
        case "retention", "preview":
            due = [
                copy.model_dump(mode="json")
                for copy in bootstrap.retention_service().copies_due(options.as_of or now.date())
            ]
            _print(
                due,
                options.json,
                "\n".join(f"{c['reference']}\tavailable until {c['available_until']}" for c in due)
                or "(nothing past its five years)",
            )
        case "retention", "run":
            import boto3

            body = {"task": "retention", **({"as_of": options.as_of.isoformat()} if options.as_of else {})}
            sent = boto3.client("sqs").send_message(
                QueueUrl=resources["RETENTION_QUEUE_URL"], MessageBody=json.dumps(body)
            )
            _print(
                {"message_id": sent["MessageId"], **body}, options.json, f"retention run queued ({sent['MessageId']})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
