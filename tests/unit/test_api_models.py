"""The public API's wire shapes: paging cursors, record and search views, and the board's request."""

from __future__ import annotations

import base64
import json
from datetime import date
from typing import Any

import pytest
from pydantic import ValidationError

from case_reviews.api.models.cursors import BadCursor, decode_cursor, encode_cursor
from case_reviews.api.models.deposits import SubmissionRequest
from case_reviews.api.models.records import record_view, search_item, search_response
from case_reviews.domain.dates import PublicationDate
from case_reviews.domain.records import PublicCopy
from case_reviews.domain.search import FacetCount, SearchPage, SearchQuery, SortOrder
from case_reviews.domain.vocabulary import CopyStatus
from tests.unit.factories import BOARD_ID, BOARD_NAME, a_hit, a_record, available_copy, metadata_fields, removed_copy


def searching(sort: SortOrder = SortOrder.NEWEST, **criteria: Any) -> SearchQuery:
    return SearchQuery(sort=sort, **criteria)


def raw_cursor(payload: Any) -> str:
    """A cursor as a client could forge one: any JSON, base64url without padding."""
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


# ---------------------------------------------------------------- paging cursor


@pytest.mark.parametrize(
    ("search_after", "sort"),
    [
        ((12.75, 1457913600000, "CR-2016-0001"), SortOrder.RELEVANCE),
        ((1457913600000, "CR-2016-0001"), SortOrder.NEWEST),
        ((-86400000, "CR-1969-0003"), SortOrder.OLDEST),
        ((2.0, 0, "CR-1970-0001"), SortOrder.RELEVANCE),
    ],
    ids=["relevance", "newest", "oldest, before 1970", "integral score"],
)
def test_a_cursor_round_trips_to_the_same_position_for_its_sort_order(search_after: tuple, sort: SortOrder) -> None:
    # Given the engine's sort values after the last hit of a page
    # When they are encoded as a cursor and decoded with the same sort order
    cursor = encode_cursor(search_after, searching(sort))
    decoded = decode_cursor(cursor, searching(sort))
    # Then the same values come back, with their types, from a URL-safe, unpadded string
    assert decoded == search_after
    assert [type(value) for value in decoded] == [type(value) for value in search_after]
    assert "=" not in cursor and "+" not in cursor and "/" not in cursor


@pytest.mark.parametrize(
    ("made_for", "used_with"),
    [
        (SortOrder.NEWEST, SortOrder.OLDEST),
        (SortOrder.RELEVANCE, SortOrder.NEWEST),
        (SortOrder.OLDEST, SortOrder.RELEVANCE),
    ],
)
def test_a_cursor_used_with_another_sort_order_is_refused(made_for: SortOrder, used_with: SortOrder) -> None:
    # Given a cursor made for one sort order
    cursor = encode_cursor((1457913600000, "CR-2016-0001"), searching(made_for))
    # When it is decoded for another
    with pytest.raises(BadCursor) as refused:
        decode_cursor(cursor, searching(used_with))
    # Then it is refused with advice to start again
    assert "another sort order" in str(refused.value)


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "not a cursor!",
        "abcde",
        "%%%%",
        raw_cursor([1, 2]),
        raw_cursor({"after": [], "sort": "newest"}),
        raw_cursor({"after": [1, 2, 3, 4, 5], "sort": "newest"}),
        raw_cursor({"after": [None], "sort": "newest"}),
        raw_cursor({"after": [1], "sort": "random"}),
        raw_cursor({"after": [1], "sort": "newest", "admin": True}),
        base64.urlsafe_b64encode(b"\xff\xfe\xfd\xfc").decode(),
    ],
    ids=[
        "empty",
        "garbage",
        "impossible base64 length",
        "no base64 characters",
        "json but not an object",
        "no position",
        "too long a position",
        "null in the position",
        "unknown sort",
        "extra field",
        "not utf-8",
    ],
)
def test_a_cursor_the_api_did_not_issue_is_refused_as_bad(cursor: str) -> None:
    # Given a cursor that is garbage, or well-formed base64 of something the API never issues
    # When it is decoded
    with pytest.raises(BadCursor) as refused:
        decode_cursor(cursor, searching())
    # Then it is a BadCursor (the API's 400), never another error
    assert str(refused.value) == "The cursor is not one this API issued."


def test_a_tampered_cursor_is_refused() -> None:
    # Given a genuine cursor whose last characters were changed
    cursor = encode_cursor((1457913600000, "CR-2016-0001"), searching())
    tampered = cursor[:-6] + ("A" if cursor[-6] != "A" else "B") + cursor[-5:]
    # When it is decoded
    # Then it is refused as bad
    with pytest.raises(BadCursor):
        decode_cursor(tampered, searching())


@pytest.mark.parametrize(
    "other_search",
    [
        {"text": "neglect"},
        {"nations": ("wales",)},
        {"published_from": date(2016, 1, 1)},
        {"has_copy": True},
        {"board": "northshire"},
    ],
    ids=["words added", "a filter added", "a date range added", "only with a copy", "one board"],
)
def test_a_cursor_used_for_another_search_is_refused(other_search: dict[str, Any]) -> None:
    # Given a cursor from the second page of an unfiltered newest-first search
    cursor = encode_cursor((1457913600000, "CR-2016-0001"), searching())
    # When it is used with the same order but other words or filters
    with pytest.raises(BadCursor) as refused:
        decode_cursor(cursor, searching(**other_search))
    # Then it is refused, pointing at the cursor, with advice to start again
    assert "another search" in str(refused.value)
    assert refused.value.location == "query.cursor"


def test_a_cursor_stays_valid_when_only_the_page_size_changes() -> None:
    # Given a cursor from a search with pages of 10
    cursor = encode_cursor((1457913600000, "CR-2016-0001"), searching(text="neglect", page_size=10))
    # When the next page is asked for with pages of 50
    decoded = decode_cursor(cursor, searching(text="neglect", page_size=50))
    # Then the position is accepted
    assert decoded == (1457913600000, "CR-2016-0001")


# ---------------------------------------------------------------- record view


def test_record_view_of_a_named_report_shows_the_board_as_publisher_and_copyright_holder() -> None:
    # Given a record deposited by a named board
    record = a_record(anonymous=False)
    # When it is shown to the public
    view = record_view(record, "https://reviews.example.org/v1")
    # Then the board is the publisher and the copyright holder, and the record links to itself
    assert view.publisher == BOARD_NAME
    assert view.rights.copyright_holder == BOARD_NAME
    assert view.rights.statement == (
        f"Copyright remains with {BOARD_NAME}. The library holds a copy to share the learning from it."
    )
    assert view.url == "/reviews/CR-2016-0001"
    assert view.publication_date == "2016-03-14"


def test_record_view_of_an_anonymous_report_names_neither_the_board_nor_its_id_anywhere() -> None:
    # Given an anonymous record whose board has a name and an id
    record = a_record(anonymous=True)
    # When it is shown to the public, as JSON
    view = record_view(record, "https://reviews.example.org/v1")
    dumped = view.model_dump_json()
    # Then the publisher is "Anonymous" and nothing in the whole document names the board
    assert view.publisher == "Anonymous"
    assert BOARD_NAME not in dumped
    assert "Northshire" not in dumped
    assert BOARD_ID not in dumped
    assert view.rights.copyright_holder == "Anonymous"
    assert (
        view.rights.statement == "Published anonymously on behalf of a safeguarding board, which keeps its copyright. "
        "The library holds a copy to share the learning from it."
    )


def test_record_view_of_an_available_copy_gives_its_last_day_and_a_download_link() -> None:
    # Given a record with an available copy until 26 November 2031
    record = a_record(electronic_copy=available_copy(available_until=date(2031, 11, 26)))
    # When it is shown
    copy = record_view(record, "https://reviews.example.org/v1").model_dump(mode="json")["electronic_copy"]
    # Then the copy is available until that day, through the record's download link
    assert copy == {
        "status": "available",
        "available_until": "2031-11-26",
        "download": "/reviews/CR-2016-0001/download",
    }


def test_record_view_of_a_removed_copy_says_when_and_why_without_a_link() -> None:
    # Given a record whose copy was removed
    record = a_record(electronic_copy=removed_copy(removed_on=date(2031, 11, 27), removal_reason="Five years"))
    # When it is shown
    copy = record_view(record, "https://reviews.example.org/v1").model_dump(mode="json")["electronic_copy"]
    # Then it says removed, on which day and why, and offers no download
    assert copy == {"status": "removed", "removed_on": "2031-11-27", "reason": "Five years"}


def test_record_view_of_a_record_without_a_copy_has_no_electronic_copy() -> None:
    # Given a historic record that never had an electronic copy, known to a year
    record = a_record(electronic_copy=None, commissioned_date=None, publication_date=PublicationDate.parse("1998"))
    # When it is shown
    view = record_view(record, "https://reviews.example.org/v1")
    # Then electronic_copy is null and the date shows only the year
    assert view.electronic_copy is None
    assert view.publication_date == "1998"


# ---------------------------------------------------------------- search item


@pytest.mark.parametrize(
    ("status", "available_until", "expected"),
    [
        (
            CopyStatus.AVAILABLE,
            date(2031, 11, 26),
            {"status": "available", "available_until": "2031-11-26", "download": "/reviews/CR-2016-0001/download"},
        ),
        (CopyStatus.REMOVED, None, {"status": "removed", "removed_on": None, "reason": None}),
        (None, None, None),
    ],
    ids=["available", "removed", "none"],
)
def test_search_item_maps_the_copy_status_to_its_electronic_copy_shape(
    status: CopyStatus | None, available_until: date | None, expected: dict[str, Any] | None
) -> None:
    # Given a hit whose copy is available, removed or absent
    hit = a_hit(electronic_copy=PublicCopy(status=status, available_until=available_until) if status else None)
    # When it becomes a search item
    item = search_item(hit).model_dump(mode="json")
    # Then its electronic_copy has the matching shape
    assert item["electronic_copy"] == expected


def test_search_item_carries_the_hit_and_links_to_its_record() -> None:
    # Given a hit with themes and highlights
    hit = a_hit(themes=("neglect", "domestic_abuse"), highlights=("a <mark>b</mark>", "c"))
    # When it becomes a search item
    item = search_item(hit)
    # Then lists stay in order and the item links to the record
    assert list(item.themes) == ["neglect", "domestic_abuse"]
    assert item.highlights == ["a <mark>b</mark>", "c"]
    assert item.url == "/reviews/CR-2016-0001"


def test_search_item_of_an_anonymous_hit_does_not_name_the_board() -> None:
    # Given a hit for an anonymous report (the index holds "Anonymous" as its publisher)
    hit = a_hit(publisher="Anonymous")
    # When it becomes a search item, as JSON
    dumped = search_item(hit).model_dump_json()
    # Then nothing in it names the board
    assert '"publisher":"Anonymous"' in dumped
    assert BOARD_NAME not in dumped
    assert BOARD_ID not in dumped


@pytest.mark.parametrize(("next_search_after", "has_cursor"), [((1457913600000, "CR-2016-0001"), True), (None, False)])
def test_search_response_gives_a_cursor_for_the_same_sort_only_when_there_is_a_next_page(
    next_search_after: tuple | None, has_cursor: bool
) -> None:
    # Given a page of results, full (with a next position) or the last one
    page = SearchPage(
        total=2,
        hits=(a_hit(),),
        facets={"nation": (FacetCount(value="england", count=2, label="England"),)},
        next_search_after=next_search_after,
    )
    # When it becomes the response for a newest-first search
    response = search_response(page, searching())
    # Then the next cursor is present only for a full page, and decodes to that position for that sort
    assert (response.next_cursor is not None) is has_cursor
    if response.next_cursor:
        assert decode_cursor(response.next_cursor, searching()) == next_search_after
    assert response.model_dump(mode="json")["facets"] == {
        "nation": [{"value": "england", "count": 2, "label": "England"}]
    }


# ---------------------------------------------------------------- submission request


def test_submission_request_to_metadata_removes_duplicate_themes_keeping_first_order() -> None:
    # Given a request whose themes repeat (some only after normalisation)
    request = SubmissionRequest.model_validate(
        metadata_fields(themes=["Neglect", "domestic abuse", "neglect", "Domestic-Abuse", "housing"])
    )
    # When it becomes the domain's metadata
    metadata = request.to_metadata()
    # Then each theme appears once, in the order first given
    assert metadata.themes == ("neglect", "domestic_abuse", "housing")


def test_submission_request_to_metadata_keeps_every_declared_field() -> None:
    # Given a complete request from a board, with the case described as the yearly lists describe it
    case = {
        "rights_holder": "Northshire Safeguarding Children Partnership",
        "identifiers": ["ISBN 978-0-00-000000-2"],
        "language": "bilingual",
        "child": "Child K",
        "age_band": "under_1",
        "outcome": "serious_harm",
        "local_authority": "Northshire County Council",
        "region": "north_east",
        "review_model": "learning_together",
        "learning": "Bruising in a non-mobile baby is a sign of abuse until shown otherwise.",
        "recommendations": "Health visitors refer every such bruise.",
        "related": ["cr-2016-0041"],
    }
    request = SubmissionRequest.model_validate(
        metadata_fields(
            anonymous=True,
            commissioned_date="2014-09-01",
            summary="  Learning about neglect.  ",
            themes=["Child neglect", "bruising in non-mobile babies"],
            **case,
        )
    )
    # When it becomes the domain's metadata
    metadata = request.to_metadata()
    # Then every field carries over (summary trimmed, themes as their ids, references as cited)
    assert metadata.model_dump(mode="json") == {
        "title": "Serious Case Review: Child K — Overview Report",
        "nation": "england",
        "review_type": "serious_case_review",
        "form": None,
        "document_type": "overview_report",
        "publication_date": "2016-03-14",
        "contact_email": "business.manager@board.example",
        "anonymous": True,
        "commissioned_date": "2014-09-01",
        "themes": ["neglect", "non_accidental_injury_in_infants"],
        "summary": "Learning about neglect.",
        **case,
        "related": ["CR-2016-0041"],
    }


def test_submission_request_forbids_a_board_id_in_the_body() -> None:
    # Given a request that tries to name the board (the board comes from the credential)
    fields = metadata_fields(board_id="someone-else")
    # When it is validated
    # Then it is refused
    with pytest.raises(ValidationError):
        SubmissionRequest.model_validate(fields)
