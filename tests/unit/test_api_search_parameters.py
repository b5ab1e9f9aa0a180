"""How the search route turns query parameters into a SearchQuery (the search service is a fake)."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any

import pytest

from case_reviews import bootstrap
from case_reviews.api import search as api
from case_reviews.api.models import BadCursor, encode_cursor
from case_reviews.domain.errors import InvalidRequest
from case_reviews.domain.models import ReportMetadata
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


def test_a_year_outside_from_and_to_is_a_400_at_the_year(searches: RecordingSearchService) -> None:
    # Given a year that no period from `from` to `to` can meet
    # When the route builds the query
    with pytest.raises(InvalidRequest) as refused:
        api.search_reviews(to="0001", year=1900)
    # Then it is refused, saying which parameter, and nothing is searched
    assert refused.value.location == "query.year"
    assert searches.queries == []
