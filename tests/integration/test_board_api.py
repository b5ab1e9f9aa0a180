"""The board API through the API function, with the embedded AWS: what a board may send, and what it gets back."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from case_reviews import bootstrap
from tests.integration.conftest import client
from tests.integration.helpers import call_api, deposit, open_submission, sample_metadata
from tests.support.pdfs import make_pdf


def opened_submissions() -> int:
    """How many submissions the catalogue table holds."""
    table = bootstrap.services().settings.table.catalogue_table_name
    items = client("dynamodb").scan(TableName=table)["Items"]
    return sum(1 for item in items if item["pk"]["S"].startswith("SUBMISSION#"))


@pytest.mark.parametrize(
    ("changes", "location"),
    [
        ({"publication_date": "2016"}, "body.publication_date"),
        ({"publication_date": 1457913600}, "body.publication_date"),
        ({"publication_date": "1800-01-01"}, "body.publication_date"),
        ({"commissioned_date": "2020-01-01"}, "body"),
        ({"anonymous": "yes"}, "body.anonymous"),
        ({"anonymous": 1}, "body.anonymous"),
        ({"title": "Child K\x00 overview"}, "body.title"),
        ({"summary": "A summary with a bell\x07"}, "body.summary"),
        ({"contact_email": "manager@board.example\nBcc: everyone@example.org"}, "body.contact_email"),
        ({"board_id": "someone-else"}, "body.board_id"),
    ],
    ids=[
        "a year for a day",
        "a timestamp for a day",
        "before the catalogue could begin",
        "commissioned after publication",
        "a word for a boolean",
        "a number for a boolean",
        "a control character in the title",
        "a control character in the summary",
        "a header in the email address",
        "the board named in the body",
    ],
)
def test_metadata_that_breaks_a_rule_is_a_400_problem_naming_the_field(aws, board_key, changes, location):
    # Given a board with a valid key
    _, key = board_key
    # When it asks to deposit a report with one field wrong
    status, problem, headers = call_api("POST", "/submissions", key, sample_metadata(**changes))
    # Then it gets a 400 problem that points at that field, and no submission is opened
    assert status == 400, problem
    assert headers["Content-Type"] == "application/problem+json"
    assert location in [error["location"] for error in problem["errors"]]
    assert opened_submissions() == 0


def test_a_report_dated_in_the_future_is_refused_until_it_is_published(aws, board_key, now):
    # Given a board with a valid key
    _, key = board_key
    next_week = (now + timedelta(days=7)).date().isoformat()
    # When it asks to deposit a report dated next week
    status, problem, _ = call_api("POST", "/submissions", key, sample_metadata(publication_date=next_week))
    # Then it is told the date is in the future
    assert status == 400
    assert problem["errors"] == [{"location": "body.publication_date", "message": problem["detail"]}]
    assert "in the future" in problem["detail"]


def test_a_report_published_today_is_accepted(aws, board_key, now):
    # Given a board with a valid key
    _, key = board_key
    # When it deposits a report published today
    created = open_submission(key, publication_date=now.date().isoformat())
    # Then the submission is open and waiting for its upload
    assert created["status"] == "awaiting_upload"
    assert opened_submissions() == 1


@pytest.mark.parametrize("content_type", ["text/plain", "application/octet-stream", "application/xml"])
def test_a_body_that_is_not_json_is_a_415_problem(aws, board_key, content_type):
    # Given a board with a valid key
    _, key = board_key
    # When it sends valid JSON labelled as another media type
    status, problem, headers = call_api(
        "POST", "/submissions", key, raw_body=json.dumps(sample_metadata()), content_type=content_type
    )
    # Then it is told to send JSON, as a problem
    assert status == 415, problem
    assert headers["Content-Type"] == "application/problem+json"
    assert "application/json" in problem["detail"]


@pytest.mark.parametrize(
    "raw_body",
    ["[" * 100_000 + "]" * 100_000, '{"title": ', "", "null", "[]", '"a string"', b'{"title": "\xff\xfe"}'],
    ids=["nested too deeply", "truncated", "empty", "null", "an array", "a string", "not UTF-8"],
)
def test_a_body_that_is_not_a_json_object_is_a_400_problem(aws, board_key, raw_body):
    # Given a board with a valid key
    _, key = board_key
    # When it sends a body that is not one JSON object
    status, problem, headers = call_api("POST", "/submissions", key, raw_body=raw_body)
    # Then it is a 400 problem, never a server error
    assert status == 400, problem
    assert headers["Content-Type"] == "application/problem+json"


@pytest.mark.parametrize("submission_id", ["garbage", "00000000-0000-0000-0000-000000000000"])
def test_a_submission_is_401_without_a_key_whatever_the_id(aws, submission_id):
    # Given no credential
    # When someone asks for a submission, well-formed or not
    status, problem, headers = call_api("GET", f"/submissions/{submission_id}")
    # Then the answer is 401 (nothing is said about the id)
    assert status == 401, problem
    assert headers["WWW-Authenticate"].startswith("Bearer")


def test_a_board_sees_only_its_own_submissions(aws, board_key, now):
    # Given a submission of Northshire's, and a second board with its own key
    _, northshire_key = board_key
    created = open_submission(northshire_key)
    boards = bootstrap.services().boards
    southshire = boards.add_board("Southshire Safeguarding Children Partnership")
    southshire_key = boards.issue_key(southshire.board_id)
    # When each board asks for the submission, and for an id that does not exist
    own = call_api("GET", f"/submissions/{created['submission_id']}", northshire_key)
    other = call_api("GET", f"/submissions/{created['submission_id']}", southshire_key)
    unknown = call_api("GET", "/submissions/garbage", northshire_key)
    # Then only its owner sees it; to the other board it is as unknown as a missing one
    assert own[0] == 200
    assert other[0] == unknown[0] == 404
    assert other[1]["detail"] == f"No submission {created['submission_id']} for this board."


@pytest.mark.parametrize(
    ("changes", "said"),
    [
        ({"nation": "scotland", "review_type": "serious_case_review"}, "scotland accepts: significant_case_review"),
        (
            {"review_type": "local_child_safeguarding_practice_review", "publication_date": "2018-06-28"},
            "began on 2018-06-29",
        ),
        ({"nation": "england", "review_type": "child_practice_review"}, "england accepts"),
        ({"form": "concise"}, "form is only given for a child_practice_review"),
    ],
    ids=["scottish serious case review", "before its type began", "welsh type in england", "form on another type"],
)
def test_a_review_type_of_another_nation_or_before_its_time_is_a_400_naming_what_is_accepted(
    aws, board_key, changes, said
):
    # Given a board with a valid key
    _, key = board_key
    # When it declares a type its nation does not have, or had not yet on the publication day
    metadata = sample_metadata(**changes)
    metadata.pop("commissioned_date", None)
    status, problem, _ = call_api("POST", "/submissions", key, metadata)
    # Then it is told which types the nation accepts (or when the type began), and nothing is opened
    assert status == 400, problem
    assert said in json.dumps(problem)
    assert opened_submissions() == 0


def test_the_old_name_of_the_local_review_is_accepted_and_stored_as_the_new_one(aws, board_key):
    # Given a board that still uses the old name of a local child safeguarding practice review
    _, key = board_key
    # When it deposits one published after the 2018 reforms
    created = open_submission(
        key, review_type="child_safeguarding_practice_review", publication_date="2020-05-01", commissioned_date=None
    )
    # Then the submission holds the new type
    stored = bootstrap.services().submissions_store.get_submission(created["submission_id"])
    assert stored.metadata.review_type == "local_child_safeguarding_practice_review"


def test_a_welsh_child_practice_review_keeps_its_form(aws, board_key):
    # Given a Welsh board depositing an extended child practice review
    _, key = board_key
    created = open_submission(key, nation="wales", review_type="child_practice_review", form="extended")
    # Then the form is kept with the submission
    stored = bootstrap.services().submissions_store.get_submission(created["submission_id"])
    assert (stored.metadata.review_type, stored.metadata.form) == ("child_practice_review", "extended")


def test_a_board_lists_its_own_deposits_newest_first_page_by_page(aws, search, pipeline, board_key, clock):
    # Given three deposits of this board (the first one catalogued) and one of another board
    _, key = board_key
    first = deposit(key, make_pdf("A catalogued report for the listing."), title="Listing one")
    pipeline.drain()
    later = []
    for title in ("Listing two", "Listing three"):
        clock.advance(timedelta(minutes=1))
        later.append(open_submission(key, title=title)["submission_id"])
    boards = bootstrap.services().boards
    other = boards.add_board("Southshire Safeguarding Children Partnership")
    open_submission(boards.issue_key(other.board_id), title="Not ours")

    # When the board lists its deposits two at a time
    status, page_one, _ = call_api("GET", "/submissions?page_size=2", key)
    _, page_two, _ = call_api("GET", f"/submissions?page_size=2&cursor={page_one['next_cursor']}", key)

    # Then it sees only its own, newest first, each with its status, and the catalogued one's last available day
    assert status == 200, page_one
    listed = [*page_one["items"], *page_two["items"]]
    assert [item["submission_id"] for item in listed] == [*reversed(later), first]
    assert [item["status"] for item in listed] == ["awaiting_upload", "awaiting_upload", "catalogued"]
    assert listed[2]["reference"] and listed[2]["available_until"]
    assert page_two["next_cursor"] is None


def test_a_cursor_of_another_board_s_listing_or_a_forged_one_is_a_400(aws, board_key):
    # Given two boards, one of which has a page of deposits with a next cursor
    _, key = board_key
    for title in ("One", "Two"):
        open_submission(key, title=f"Cursor {title}")
    _, page, _ = call_api("GET", "/submissions?page_size=1", key)
    boards = bootstrap.services().boards
    other_key = boards.issue_key(boards.add_board("Westshire Safeguarding Children Partnership").board_id)

    # When the other board uses that cursor, or anyone sends one the API never issued
    borrowed = call_api("GET", f"/submissions?cursor={page['next_cursor']}", other_key)
    forged = call_api("GET", "/submissions?cursor=bm90LWEtY3Vyc29y", key)
    anonymous = call_api("GET", "/submissions")

    # Then both are refused as bad cursors, and without a key it is a 401
    assert [borrowed[0], forged[0], anonymous[0]] == [400, 400, 401]
    assert [error["location"] for error in borrowed[1]["errors"]] == ["query.cursor"]
