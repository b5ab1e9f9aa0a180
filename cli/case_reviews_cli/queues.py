"""`case-reviews queues show | replay QUEUE [--max N]`: the queues the functions consume, and their dead letters."""

from __future__ import annotations

from typing import Annotated, Literal

import typer

from case_reviews_cli.options import Staff, staff_command
from case_reviews_cli.progress import Progress
from case_reviews_cli.stack import QUEUES

group = typer.Typer(help="The queues and their dead-letter queues.", no_args_is_help=True)

# One of the consumed queues (a choice, listed in --help and completed by the shell).
Queue = Literal[QUEUES]  # type: ignore[valid-type]


@staff_command(group, "show")
def show(staff: Staff) -> None:
    """Messages waiting, in flight and dead, per queue."""
    statuses = [status.model_dump() for status in staff.services.queues.show()]
    if staff.output.json or not staff.output.terminal:
        staff.output.emit(statuses, lambda: queues_text(statuses))
    else:
        staff.output.table(
            statuses,
            [("queue", "queue"), ("waiting", "waiting"), ("in flight", "in_flight"), ("dead letters", "dead_letters")],
        )


@staff_command(group, "replay")
def replay(
    staff: Staff,
    queue: Annotated[Queue, typer.Argument(help="The queue whose dead letters go back to it.")],
    max_messages: Annotated[
        int | None, typer.Option("--max", metavar="N", min=1, help="Move at most N (default: all).")
    ] = None,
) -> None:
    """Move a queue's dead-letter messages back to the queue."""
    queues = staff.services.queues
    waiting = queues.replayable(queue)
    total = min(waiting, max_messages) if max_messages is not None else waiting
    with Progress("messages moved", total=total) as progress:
        replayed = queues.replay(queue, max_messages, progress=progress).model_dump()
    text = f"{replayed['queue']}: {replayed['moved']} message(s) moved back from the dead-letter queue"
    if replayed["not_moved"]:
        text += f"; {replayed['not_moved']} not moved (still in the dead-letter queue)"
    staff.output.emit(replayed, text)


def queues_text(statuses: list[dict[str, int | str]]) -> str:
    lines = [f"{'queue':<12}{'waiting':>9}{'in flight':>11}{'dead letters':>14}"]
    lines += [f"{s['queue']:<12}{s['waiting']:>9}{s['in_flight']:>11}{s['dead_letters']:>14}" for s in statuses]
    return "\n".join(lines)
