"""Alerts people sign up for themselves: the sign-up, and the pages of the links in alert emails.

`POST /alerts` answers the same whatever the address already has: what depends on the address is
told to its mailbox. Mail scanners follow links, so opening a link changes nothing: each page asks,
and only its button (a POST to the same address) confirms or unsubscribes. A mail client's one-click
unsubscribe (RFC 8058) is that same POST.
"""

from __future__ import annotations

from functools import cache
from http import HTTPStatus
from typing import TYPE_CHECKING, Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.openapi.params import Path

from case_reviews import bootstrap
from case_reviews.api.links import client_address, public_base_url
from case_reviews.api.models.learning import AlertAccepted, AlertRequest
from case_reviews.api.problems import documented
from case_reviews.api.search import saved_search
from case_reviews.domain.alerts import TOKEN_PATTERN, AlertKind

if TYPE_CHECKING:
    from case_reviews.site.pages import Pages

router = Router()

HTML_RESPONSE = {"content": {"text/html": {"schema": {"type": "string"}}}}
AlertToken = Annotated[str, Path(min_length=16, max_length=64, pattern=TOKEN_PATTERN)]
ACCEPTED = (
    "If this address can receive alerts, an email is on its way to it: follow its link to confirm. "
    "Nothing else is sent before that."
)


@cache
def _pages() -> Pages:
    """The site's pages (its templates, layout and headers), linked under the public base URL of the request."""
    # Imported here, on the first link page: most of the API's requests render no page.
    from case_reviews.site.pages import Pages

    return Pages(lambda: public_base_url(router.current_event), lambda: bootstrap.services().clock.now().year)


def _page(heading: str, message: str, button: str | None = None) -> Response[str]:
    """A page of the site's layout: the heading, one sentence, and the button that does what it asks."""
    return _pages().render("alert_link.html", cache="no-store", heading=heading, message=message, button=button)


@router.post(
    "/alerts",
    tags=["Alerts"],
    summary='Sign up for "New in the Library" or a saved search (a confirmation email is sent)',
    responses=documented(
        HTTPStatus.ACCEPTED,
        "A confirmation email is on its way (the same answer whatever the address already has)",
        AlertAccepted,
        HTTPStatus.BAD_REQUEST,
        HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
        HTTPStatus.TOO_MANY_REQUESTS,
    ),
)
def sign_up(request: AlertRequest) -> Response[str]:
    event = router.current_event
    kind, search, query = AlertKind.DIGEST, None, None
    if request.search is not None:
        # Checked before anything is counted or sent: a bad search is the caller's to fix.
        kind = AlertKind.SEARCH
        search, query = saved_search(request.search)
    alerts = bootstrap.services().alert_signup
    alerts.check_rate(request.email, client_address(event))
    alerts.sign_up(request.email, kind, search, query, public_base_url(event))
    return Response(
        status_code=HTTPStatus.ACCEPTED.value,
        content_type="application/json",
        body=AlertAccepted(detail=ACCEPTED).model_dump_json(),
        headers={"Cache-Control": "no-store"},
    )


@router.get(
    "/alerts/confirm/<token>",
    tags=["Alerts"],
    summary="The confirmation link of a sign-up: a page asking to confirm",
    responses={
        **documented(HTTPStatus.OK, "", None, HTTPStatus.BAD_REQUEST, HTTPStatus.NOT_FOUND),
        200: {"description": "The page with a Confirm button", **HTML_RESPONSE},
    },
)
def confirmation_page(token: AlertToken) -> Response[str]:
    what = bootstrap.services().alert_signup.pending_confirmation(token)
    return _page("Confirm your alert", f"Send this address {what}?", button="Confirm")


@router.post(
    "/alerts/confirm/<token>",
    tags=["Alerts"],
    summary="Confirm a sign-up (the link's token is the permission; it works once, for 7 days)",
    responses={
        **documented(HTTPStatus.OK, "", None, HTTPStatus.BAD_REQUEST, HTTPStatus.NOT_FOUND),
        200: {"description": "Confirmed (also when it already was)", **HTML_RESPONSE},
    },
)
def confirm(token: AlertToken) -> Response[str]:
    what = bootstrap.services().alert_signup.confirm(token)
    return _page("Your alert is confirmed", f"This address will receive {what}.")


@router.get(
    "/alerts/unsubscribe/<token>",
    tags=["Alerts"],
    summary="The unsubscribe link of an alert email: a page asking to confirm",
    responses={
        **documented(HTTPStatus.OK, "", None, HTTPStatus.BAD_REQUEST, HTTPStatus.NOT_FOUND),
        200: {"description": "The page with an Unsubscribe button", **HTML_RESPONSE},
    },
)
def unsubscribe_page(token: AlertToken) -> Response[str]:
    target = bootstrap.services().alert_signup.stop_target(token)
    return _page("Stop an alert", f"Stop {target.description}?", button="Unsubscribe")


@router.post(
    "/alerts/unsubscribe/<token>",
    tags=["Alerts"],
    summary="Unsubscribe (one click from the email's List-Unsubscribe header, or the page's button)",
    responses={
        **documented(HTTPStatus.OK, "", None, HTTPStatus.BAD_REQUEST),
        200: {"description": "Unsubscribed (also when it already was)", **HTML_RESPONSE},
    },
)
def unsubscribe(token: AlertToken) -> Response[str]:
    bootstrap.services().alert_signup.stop(token)
    # The same answer whether or not there was anything left to stop: a second click is not an error.
    return _page("You are unsubscribed", "You will not receive that alert any more.")
