"""The `case-reviews` application: its command groups, and `main()`, which keeps every error to one line.

    case-reviews [OPTIONS] boards add NAME [--id ID] | list | show ID | issue-key ID | revoke-key ID [--key KEY]
                                   | set-contact ID EMAIL... | alias ID NAME... [--clear]
    case-reviews [OPTIONS] records show REF | audit REF | edit REF [--title ...] [--themes a;b] [--set F=V]...
                                   | attach REF FILE
                                   | hold REF --reason TEXT | release REF | extend REF --until DATE
                                   | take-down REF --code CODE [--note TEXT]
    case-reviews [OPTIONS] deposit FILE --board ID --metadata JSON [--no-wait]
    case-reviews [OPTIONS] themes list
    case-reviews [OPTIONS] review list | approve ID | reject ID --reason TEXT | policy BOARD --every-deposit/--when-held
    case-reviews [OPTIONS] retention preview [--as-of DATE] | upcoming [--as-of DATE]
                                   | run [--as-of DATE] [--no-wait] [--timeout MINUTES]
    case-reviews [OPTIONS] queues show | replay QUEUE [--max N]
    case-reviews [OPTIONS] index check | rebuild
    case-reviews [OPTIONS] subscribers add EMAIL | remove EMAIL | list
    case-reviews [OPTIONS] alerts list | remove ID | run [--as-of DATE] [--no-wait] [--timeout MINUTES]
    case-reviews [OPTIONS] import CSV

    OPTIONS: [--local] [--state-file PATH] [--stack NAME] [--json], before the group or after the command

An error is one line on stderr and exit status 1 (a usage error: 2), never a traceback; so is
`index check` finding drift, `import` rejecting a row, and `retention run` failing to remove a copy.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import typer

from case_reviews_cli import (
    alerts,
    boards,
    deposit,
    importing,
    index,
    options,
    queues,
    records,
    retention,
    review,
    subscribers,
    themes,
)
from case_reviews_cli.options import StaffError

PROG = "case-reviews"

app = typer.Typer(
    name=PROG,
    help="The library staff's command line, against AWS (your own profile) or the local stack (--local).",
    no_args_is_help=True,
    # Staff see one line for an error (main), never a traceback, pretty or not.
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)
app.callback()(options.before_the_group)
app.add_typer(boards.group, name="boards")
app.add_typer(records.group, name="records")
app.add_typer(retention.group, name="retention")
app.add_typer(queues.group, name="queues")
app.add_typer(index.group, name="index")
app.add_typer(subscribers.group, name="subscribers")
app.add_typer(themes.group, name="themes")
app.add_typer(review.group, name="review")
app.add_typer(alerts.group, name="alerts")
# `import CSV` and `deposit FILE` are commands of their own, not groups.
app.add_typer(importing.group)
app.add_typer(deposit.group)


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command line; the exit status (0, 1 for an error or a failing outcome, 2 for a usage error)."""
    # typer's own click: its exceptions have no public name.
    from typer._click.exceptions import ClickException, NoArgsIsHelpError

    command = typer.main.get_command(app)
    try:
        status = command.main(args=list(argv) if argv is not None else None, prog_name=PROG, standalone_mode=False)
    except NoArgsIsHelpError:
        # The help is already shown.
        return 2
    except ClickException as error:
        # A usage error (an unknown command, a bad or missing value): one line, and where the help is.
        where = f" (see `{error.ctx.command_path} --help`)" if getattr(error, "ctx", None) else ""
        # typer checks values with pydantic, whose messages start "Value error, ".
        _say(f"{error.format_message().replace('Value error, ', '')}{where}")
        return error.exit_code
    except typer.Abort:
        _say("aborted")
        return 1
    except Exception as error:
        if not _expected(error):
            raise
        # Staff see one clear line, not a traceback.
        _say(str(error))
        return 1
    return status if isinstance(status, int) else 0


def _expected(error: Exception) -> bool:
    """An error staff can act on from its message (the stack's, AWS's, OpenSearch's, bad input)."""
    from botocore.exceptions import BotoCoreError, ClientError
    from opensearchpy.exceptions import OpenSearchException
    from pydantic import ValidationError

    from case_reviews.domain.errors import CaseReviewsError

    return isinstance(
        error, CaseReviewsError | StaffError | ClientError | BotoCoreError | OpenSearchException | ValidationError
    )


def _say(message: str) -> None:
    print(f"{PROG}: error: {' '.join(message.split())}", file=sys.stderr)
