"""The weekly digest's unsubscribe link: a page that asks to confirm, and the button that unsubscribes."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path

from case_reviews import bootstrap
from case_reviews.api.problems import documented
from case_reviews.domain.errors import NotFound

router = Router()

# The link in a digest opens a page with one button: mail scanners follow links (GET) to check them,
# so only the button's POST unsubscribes.
UNSUBSCRIBE_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="robots" content="noindex, nofollow">
<title>New in the Library: unsubscribe</title></head>
<body><h1>New in the Library</h1>{message}</body></html>
"""
CONFIRM_FORM = """<p>Stop receiving the weekly email of case reviews added to the library?</p>
<form method="post"><button type="submit">Unsubscribe</button></form>"""
HTML_RESPONSE = {"content": {"text/html": {"schema": {"type": "string"}}}}
SubscriptionToken = Annotated[str, Path(min_length=16, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")]


def _page(message: str) -> Response[str]:
    return Response(
        status_code=HTTPStatus.OK.value,
        content_type="text/html; charset=utf-8",
        body=UNSUBSCRIBE_PAGE.format(message=message),
        headers={"Cache-Control": "no-store"},
    )


@router.get(
    "/subscriptions/<token>",
    tags=["Digest"],
    summary="The unsubscribe link of a digest: a page asking to confirm",
    responses={
        **documented(HTTPStatus.OK, "", None, HTTPStatus.BAD_REQUEST, HTTPStatus.NOT_FOUND),
        200: {"description": "The confirmation page", **HTML_RESPONSE},
    },
)
def confirm_unsubscribe(token: SubscriptionToken) -> Response[str]:
    if not bootstrap.services().subscriptions.is_subscribed(token):
        raise NotFound("This unsubscribe link is not valid (perhaps it was used already).")
    return _page(CONFIRM_FORM)


@router.post(
    "/subscriptions/<token>",
    tags=["Digest"],
    summary="Unsubscribe from the weekly digest (no login: the token is the permission)",
    responses={
        **documented(HTTPStatus.OK, "", None, HTTPStatus.BAD_REQUEST),
        200: {"description": "Unsubscribed (also when it was already)", **HTML_RESPONSE},
    },
)
def unsubscribe(token: SubscriptionToken) -> Response[str]:
    bootstrap.services().subscriptions.unsubscribe_by_token(token)
    # The same answer whether or not it was still subscribed: a second click is not an error.
    return _page("<p>You are unsubscribed. You will not receive New in the Library any more.</p>")
