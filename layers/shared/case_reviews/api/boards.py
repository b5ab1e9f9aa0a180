"""The board API: a board asks to deposit a report, then follows what became of it."""

from __future__ import annotations

from http import HTTPStatus
from typing import Annotated

from aws_lambda_powertools.event_handler import Response
from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.event_handler.depends import Depends
from aws_lambda_powertools.event_handler.openapi.params import Path, Query
from aws_lambda_powertools.event_handler.request import Request

from case_reviews import bootstrap
from case_reviews.api.models.cursors import deposit_position
from case_reviews.api.models.deposits import (
    DepositList,
    SubmissionCreated,
    SubmissionRequest,
    SubmissionView,
    deposit_list,
    submission_created,
    submission_view,
)
from case_reviews.api.problems import documented
from case_reviews.domain.boards import Board

router = Router()
BOARD_SECURITY = [{"boardKey": []}]


def authenticated_board(request: Request) -> Board:
    """The board whose key is in the Authorization header."""
    headers = request.resolved_event.headers
    return bootstrap.services().boards.authenticate(headers.get("Authorization") or headers.get("authorization"))


@router.post(
    "/submissions",
    tags=["Board"],
    security=BOARD_SECURITY,
    summary="Ask to deposit a report",
    status_code=HTTPStatus.CREATED.value,
    responses=documented(
        HTTPStatus.CREATED,
        "The submission, and the presigned S3 POST to upload its PDF with",
        SubmissionCreated,
        HTTPStatus.BAD_REQUEST,
        HTTPStatus.UNAUTHORIZED,
        HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
        headers={"Location": "The submission, to follow its status"},
    ),
)
def open_submission(
    request: SubmissionRequest, board: Annotated[Board, Depends(authenticated_board)]
) -> Response[SubmissionCreated]:
    opened = bootstrap.services().submissions.open(board, request.to_metadata())
    return Response(
        status_code=HTTPStatus.CREATED.value,
        content_type="application/json",
        body=submission_created(opened.submission, opened.upload),
        headers={"Location": f"/submissions/{opened.submission.submission_id}", "Cache-Control": "no-store"},
    )


@router.get(
    "/submissions",
    tags=["Board"],
    security=BOARD_SECURITY,
    summary="The board's own deposits, newest first",
    responses=documented(
        HTTPStatus.OK,
        "One page of the board's deposits: status, reference, title and the copy's last available day",
        DepositList,
        HTTPStatus.BAD_REQUEST,
        HTTPStatus.UNAUTHORIZED,
    ),
)
def list_deposits(
    board: Annotated[Board, Depends(authenticated_board)],
    cursor: Annotated[str | None, Query(max_length=2000, description="From the previous page's next_cursor")] = None,
    page_size: Annotated[int, Query(ge=1, le=100)] = 20,
) -> DepositList:
    after = deposit_position(cursor) if cursor else None
    return deposit_list(bootstrap.services().submissions.deposits(board, page_size, after))


@router.get(
    "/submissions/<submission_id>",
    tags=["Board"],
    security=BOARD_SECURITY,
    summary="Follow a submission",
    responses=documented(
        HTTPStatus.OK,
        "The submission's status",
        SubmissionView,
        HTTPStatus.BAD_REQUEST,
        HTTPStatus.UNAUTHORIZED,
        HTTPStatus.NOT_FOUND,
    ),
)
def get_submission(
    # Not constrained further: a caller without a valid key gets 401 before anything about the id.
    submission_id: Annotated[str, Path(min_length=1, max_length=200)],
    board: Annotated[Board, Depends(authenticated_board)],
) -> SubmissionView:
    return submission_view(bootstrap.services().submissions.get(board, submission_id))
