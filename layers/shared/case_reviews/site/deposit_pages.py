"""The deposit in the browser: step 1 (the form of what a board declares), step 2 (the plain S3 form for
the file) and the deposit's status page."""

from __future__ import annotations

import re
from http import HTTPStatus

from aws_lambda_powertools.event_handler import APIGatewayRestResolver, Response

from case_reviews import bootstrap
from case_reviews.domain.boards import Board
from case_reviews.domain.errors import InvalidRequest, NotFound, Unauthorised
from case_reviews.site.context import SiteContext
from case_reviews.site.deposit_form import LABELS, error_of_request, form_values, in_page_order, read_deposit
from case_reviews.site.forms import FieldError
from case_reviews.site.pages import origin_of, status_words

_SUBMISSION_ID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def register(app: APIGatewayRestResolver, site: SiteContext) -> None:
    """Add the deposit's two steps and its status page to the site's resolver."""
    pages = site.pages

    @app.get("/deposit", cors=False)
    def deposit_form() -> Response[str]:
        values = form_values({name: values[-1:] for name, values in site.query().items() if name == "nation"})
        return pages.render("deposit.html", values=values, errors=[], labels=LABELS, cache="no-store")

    @app.post("/deposit", cors=False)
    def deposit() -> Response[str]:
        services = bootstrap.services()
        attempt = read_deposit(site.posted(max_fields=100), services.clock.now())
        errors = list(attempt.errors)
        board: Board | None = None
        if attempt.board_key:
            try:
                board = services.boards.authenticate(f"Bearer {attempt.board_key}")
            except Unauthorised:
                errors.append(
                    FieldError("board_key", "This board key is not valid: check it, or ask the library for a new one")
                )
        if not errors and board is not None and attempt.metadata is not None:
            try:
                opened = services.submissions.open(
                    board,
                    attempt.metadata,
                    return_to=lambda submission_id: f"{site.base_url()}/deposit/{submission_id}",
                )
            except InvalidRequest as error:
                errors.append(error_of_request(error))
            else:
                return pages.render(
                    "upload.html",
                    upload_to=origin_of(opened.upload.url),
                    cache="no-store",
                    submission=opened.submission,
                    upload=opened.upload,
                    status_url=pages.url(f"/deposit/{opened.submission.submission_id}"),
                )
        values = attempt.values
        if board is None:
            values = {**values, "board_key": ""}  # a key that did not open is not shown again
        listed = in_page_order(errors)
        return site.failure(
            HTTPStatus.BAD_REQUEST,
            "deposit.html",
            "The deposit is not valid; see errors.",
            [{"location": f"body.{error.field}", "message": error.message} for error in listed],
            values=values,
            errors=listed,
            labels=LABELS,
            cache="no-store",
        )

    # The upload page's script posts to S3, whose redirect brings it here from S3's origin (Origin: null):
    # it may read that the upload arrived. The page holds nothing its address does not already give.
    @app.get("/deposit/<submission_id>", cors=True)
    def deposit_status(submission_id: str) -> Response[str]:
        if not _SUBMISSION_ID.fullmatch(submission_id):
            return site.not_found("There is no deposit at this address.")
        try:
            submission = bootstrap.services().submissions.status(submission_id)
        except NotFound:
            return site.not_found("There is no deposit at this address.")
        # S3 sends the browser back here with the key it stored the file at; checking again keeps it, so
        # the page goes on knowing the file arrived until the catalogue has started on it.
        arrived = site.query().get("key", [""])[-1] == submission.upload_key
        return pages.render(
            "status.html",
            cache="no-store",
            submission=submission,
            words=status_words(submission, arrived),
            refresh_url=pages.url(f"/deposit/{submission_id}", [("key", submission.upload_key)] if arrived else None),
        )
