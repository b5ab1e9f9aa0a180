"""How the search route turns query parameters into a SearchQuery (the search service is a fake)."""

from __future__ import annotations

import json
import re
from datetime import date
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlencode

import pytest

from case_reviews import bootstrap
from case_reviews.api import search as api
from case_reviews.api.models.cursors import BadCursor, encode_cursor
from case_reviews.domain.description import ReportMetadata
from case_reviews.domain.search import SearchPage, SearchQuery, SortOrder
from tests.unit.factories import metadata_fields


class RecordingSearchService:
    """Answers every search with an empty page and remembers the queries it was asked."""

    def __init__(self) -> None:
        self.queries: list[SearchQuery] = []

    def search(self, query: SearchQuery) -> SearchPage:
        self.queries.append(query)
        return SearchPage(total=0, hits=(), facets={})


@pytest.fixture
def searches(monkeypatch: pytest.MonkeyPatch) -> RecordingSearchService:
    service = RecordingSearchService()
    monkeypatch.setattr(bootstrap, "services", lambda: SimpleNamespace(search=service))
    return service


def asked(searches: RecordingSearchService, **parameters: Any) -> SearchQuery:
    api.search_reviews(**parameters)
    (query,) = searches.queries
    return query


@pytest.mark.parametrize(
    ("parameters", "published_from", "published_to"),
    [
        ({"from_": "2014", "to": "2016"}, date(2014, 1, 1), date(2016, 12, 31)),
        ({"from_": "2016-02", "to": "2016-02"}, date(2016, 2, 1), date(2016, 2, 29)),
        ({"from_": "2016-03-14"}, date(2016, 3, 14), None),
        ({"year": 2016}, date(2016, 1, 1), date(2016, 12, 31)),
        ({"year": 2016, "from_": "2016-06", "to": "2017"}, date(2016, 6, 1), date(2016, 12, 31)),
        ({"year": 2016, "from_": "2010", "to": "2016-03"}, date(2016, 1, 1), date(2016, 3, 31)),
    ],
    ids=["years", "leap month", "from a day", "year", "year narrowed by from", "year narrowed by to"],
)
def test_partial_dates_widen_to_their_whole_period_and_a_year_narrows_them(
    searches: RecordingSearchService, parameters: dict[str, Any], published_from: date, published_to: date | None
) -> None:
    # Given from/to given to a year, month or day, perhaps with a year
    # When the route builds the query
    query = asked(searches, **parameters)
    # Then "from" starts at the first day of its period, "to" ends on the last, both within the year
    assert (query.published_from, query.published_to) == (published_from, published_to)


@pytest.mark.parametrize(("q", "text"), [("  neglect  ", "neglect"), ("   ", None), (None, None)])
def test_blank_search_text_means_no_text(searches: RecordingSearchService, q: str | None, text: str | None) -> None:
    # Given search words, blank or absent
    # When the route builds the query
    query = asked(searches, q=q)
    # Then the text is trimmed, and blank text is no text (so results come newest first)
    assert query.text == text


def test_a_cursor_is_decoded_for_the_requested_sort(searches: RecordingSearchService) -> None:
    # Given a cursor from a newest-first page
    cursor = encode_cursor((1457913600000, "CR-2016-0001"), SearchQuery(sort=SortOrder.NEWEST))
    # When the next page is asked for in the same order, then in another
    query = asked(searches, sort=SortOrder.NEWEST, cursor=cursor)
    # Then the position is passed on, and another order refuses the cursor
    assert query.search_after == (1457913600000, "CR-2016-0001")
    with pytest.raises(BadCursor):
        api.search_reviews(sort=SortOrder.OLDEST, cursor=cursor)


@pytest.mark.parametrize("theme", ["Neglect", " neglect ", "domestic abuse"])
def test_a_theme_filter_is_normalised_like_the_stored_themes(searches: RecordingSearchService, theme: str) -> None:
    # Given a theme as a searcher types it
    stored = ReportMetadata.model_validate(metadata_fields(themes=[theme.strip()])).themes
    # When the route builds the query
    query = asked(searches, theme=[theme])
    # Then it filters on the same value the catalogue stores for that theme
    assert query.themes == stored


@pytest.mark.parametrize("theme", ["multi-agency working", "Domestic  abuse"])
def test_a_theme_with_hyphens_or_double_spaces_filters_on_the_stored_value(
    searches: RecordingSearchService, theme: str
) -> None:
    # Given a theme a board deposited with a hyphen or a double space
    stored = ReportMetadata.model_validate(metadata_fields(themes=[theme])).themes
    # When a searcher filters on it exactly as the board typed it
    query = asked(searches, theme=[theme])
    # Then the filter uses the stored value
    assert query.themes == stored


def answer(target: str) -> tuple[int, dict[str, Any]]:
    """A GET through the API's resolver (with its validation and problems), as API Gateway sends it."""
    from case_reviews.api.app import build_app
    from case_reviews.api.front import handle
    from infra.local.api_gateway import proxy_event
    from infra.local.lambda_runtime import LocalContext

    response = handle(build_app(), proxy_event("GET", target), LocalContext(function_name="api"))
    return response["statusCode"], json.loads(response["body"])


@pytest.mark.parametrize(
    "q",
    ["negl*", "child -neglect", '"voice of the child" | neglect*', "multi-agency working", " ".join(["word"] * 30)],
    ids=["prefix of 4", "exclusion", "phrase or prefix", "hyphenated", "30 words"],
)
def test_search_text_within_the_limits_is_searched(searches: RecordingSearchService, q: str) -> None:
    # Given search words with prefixes of at least 3 characters and at most 30 words
    # When they are searched for through the API
    status, _ = answer(f"/reviews?{urlencode({'q': q})}")
    # Then the search is made with them
    assert status == 200
    assert searches.queries[-1].text == q


@pytest.mark.parametrize(
    ("q", "message"),
    [
        (
            "ne*",
            "'ne*': a prefix search needs at least 3 characters before the *, which ends the word (for example negl*)",
        ),
        ("child *", "'*': a prefix search needs at least 3 characters before the *"),
        ("abc*def", "'abc*def': a prefix search needs at least 3 characters before the *"),
        (" ".join(["word"] * 31), "search for at most 30 words at once; this has 31"),
        ("|".join(["w"] * 31), "search for at most 30 words at once; this has 31"),
    ],
    ids=["short prefix", "bare star", "star inside a word", "31 words", "31 alternatives"],
)
def test_search_text_beyond_the_limits_is_a_400_saying_which(
    searches: RecordingSearchService, q: str, message: str
) -> None:
    # Given search words with a short prefix, a misplaced *, or too many words
    # When they are searched for through the API
    status, problem = answer(f"/reviews?{urlencode({'q': q})}")
    # Then the answer is a 400 problem at query.q saying which limit it breaks, and nothing is searched
    assert status == 400
    (error,) = problem["errors"]
    assert error["location"] == "query.q"
    assert message in error["message"]
    assert searches.queries == []


@pytest.mark.parametrize(
    ("q", "valid"),
    [("negl*", True), ("ne*", False), ("a b c", True), (" ".join(["w"] * 31), False), ("éé*", False), ("ééé*", True)],
)
def test_the_documents_pattern_for_q_states_the_same_limits(q: str, valid: bool) -> None:
    # Given the pattern the OpenAPI document states for q
    from case_reviews.domain.search import SEARCH_TEXT_PATTERN, check_search_text

    # When a text is matched against it, and checked as the API checks it
    matches = re.fullmatch(SEARCH_TEXT_PATTERN, q) is not None
    try:
        check_search_text(q)
        accepted = True
    except ValueError:
        accepted = False
    # Then both agree
    assert matches is accepted is valid
