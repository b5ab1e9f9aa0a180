"""`case-reviews subscribers add EMAIL | remove EMAIL | list`: the weekly "New in the Library" digest."""

from __future__ import annotations

from typing import Annotated

import typer

from case_reviews_cli.options import Staff, staff_command

group = typer.Typer(help='The weekly "New in the Library" digest.', no_args_is_help=True)

Email = Annotated[str, typer.Argument(metavar="EMAIL", help="The address.")]


@staff_command(group, "add")
def add(staff: Staff, email: Email) -> None:
    """Subscribe an address."""
    subscriber = staff.services.subscriptions.subscribe(email)
    staff.output.emit(
        {"email": subscriber.email, "subscribed_at": subscriber.subscribed_at},
        f"{subscriber.email} subscribed (since {subscriber.subscribed_at:%Y-%m-%d})",
    )


@staff_command(group, "remove")
def remove(staff: Staff, email: Email) -> None:
    """Unsubscribe an address."""
    staff.services.subscriptions.unsubscribe(email)
    staff.output.emit({"email": email, "removed": True}, f"{email} unsubscribed")


@staff_command(group, "list")
def list_subscribers(staff: Staff) -> None:
    """Every subscriber."""
    listed = [{"email": s.email, "subscribed_at": s.subscribed_at} for s in staff.services.subscriptions.subscribers()]
    staff.output.listing(
        listed,
        [("email", "email"), ("since", lambda s: f"{s['subscribed_at']:%Y-%m-%d}")],
        lambda s: f"{s['email']}\t{s['subscribed_at']:%Y-%m-%d}",
        empty="(no subscribers)",
    )
