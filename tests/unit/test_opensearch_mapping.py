"""The search index adapter's pure parts: the request it builds, the page it reads, the document it writes."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from case_reviews.adapters.opensearch.documents import document_from_record
from case_reviews.adapters.opensearch.queries import (
    HIGHLIGHT_MAX_ANALYZED_OFFSET,
    TEXT_FIELDS,
    build_search_body,
    page_from_response,
)
from case_reviews.api.models.records import search_response
from case_reviews.domain.dates import PublicationDate
from case_reviews.domain.search import SearchQuery, SortOrder
from case_reviews.domain.vocabulary import (
    AgeBand,
    DocumentType,
    Language,
    Nation,
    Outcome,
    Region,
    ReviewModel,
    ReviewType,
)
from tests.unit.factories import BOARD_ID, BOARD_NAME, a_record, available_copy, removed_copy

ROOT = Path(__file__).resolve().parents[2]


def source(reference: str = "CR-2016-0001", **changes: Any) -> dict[str, Any]:
    """An indexed document's _source as OpenSearch returns it (body excluded)."""
    return {
        "reference": reference,
        "title": "Serious Case Review: Child K",
        "summary": "Learning about neglect.",
        "publisher": BOARD_NAME,
        "board_id": BOARD_ID,
        "anonymous": False,
        "nation": "england",
        "review_type": "serious_case_review",
        "document_type": "overview_report",
        "themes": ["neglect"],
        "publication_date": "2016-03-14",
        "publication_year": 2016,
        "date_precision": "day",
        "has_copy": True,
        "electronic_copy": {"status": "available", "available_until": "2031-11-26"},
        "record_version": 1,
        **changes,
    }


def raw_hit(reference: str, sort: list[Any], highlight: dict[str, list[str]] | None = None) -> dict[str, Any]:
    hit: dict[str, Any] = {"_id": reference, "_source": source(reference), "sort": sort}
    if highlight is not None:
        hit["highlight"] = highlight
    return hit


def response(hits: list[dict[str, Any]], total: int, aggregations: dict[str, Any] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {"hits": {"total": {"value": total, "relation": "eq"}, "hits": hits}}
    if aggregations is not None:
        body["aggregations"] = aggregations
    return body


# ---------------------------------------------------------------- build_search_body


def DATE_ORDER(direction: str) -> list[dict[str, Any]]:
    """Date order: the period's first day, then the more precise date (the earlier last day), then reference."""
    return [
        {"publication_date": direction},
        {"publication_end": {"order": "asc", "unmapped_type": "date"}},
        {"reference": "asc"},
    ]


def test_a_text_search_is_an_and_simple_query_string_over_the_text_fields_with_highlights() -> None:
    # Given a search for words
    query = SearchQuery(text="neglect escalation")
    # When the request is built
    body = build_search_body(query)
    # Then the words must all match (and-operator) across the weighted text fields
    (must,) = body["query"]["bool"]["must"]
    words, together = must["bool"]["should"]
    assert must["bool"]["minimum_should_match"] == 1
    # (or all of them in one field, analysed together, so that a synonym of several words fires)
    assert together == {
        "multi_match": {"query": "neglect escalation", "fields": TEXT_FIELDS, "type": "best_fields", "operator": "and"}
    }
    assert words["simple_query_string"]["query"] == "neglect escalation"
    assert words["simple_query_string"]["default_operator"] == "and"
    assert words["simple_query_string"]["fields"] == TEXT_FIELDS
    # And the hits are ranked by score first, ties broken by date (the more precise first) then reference
    assert body["sort"] == [{"_score": "desc"}, *DATE_ORDER("desc")]
    # And matches are highlighted (HTML-encoded) in body, summary and title
    assert body["highlight"]["pre_tags"] == ["<mark>"]
    assert body["highlight"]["post_tags"] == ["</mark>"]
    assert body["highlight"]["encoder"] == "html"
    assert set(body["highlight"]["fields"]) == {"body", "summary", "title"}


@pytest.mark.parametrize(
    ("text", "theme"),
    [("county lines", "child_criminal_exploitation"), ("Neglect", "neglect"), ("FGM", "female_genital_mutilation")],
)
def test_a_text_that_is_a_theme_by_any_label_also_matches_records_of_that_theme(text: str, theme: str) -> None:
    # Given a search whose whole text is one of a theme's labels
    body = build_search_body(SearchQuery(text=text))
    # When the request is built
    words, _, exact = body["query"]["bool"]["must"][0]["bool"]["should"]
    # Then besides the words, records of that theme match (by its id)
    assert words["simple_query_string"]["query"] == text
    assert exact == {"term": {"themes": {"value": theme, "boost": 2}}}


@pytest.mark.parametrize("text", ['"domestic violence"', "neglect -housing", "negl*", "a | b"])
def test_a_text_with_operators_is_read_by_the_query_syntax_alone(text: str) -> None:
    # Given a search that uses the query syntax (a phrase, an exclusion, a prefix, an or)
    should = build_search_body(SearchQuery(text=text))["query"]["bool"]["must"][0]["bool"]["should"]
    # When the request is built
    # Then no clause reads the words without the syntax (which would let an excluded record back in)
    assert [next(iter(clause)) for clause in should] == ["simple_query_string"]


def test_a_reference_is_matched_exactly_in_any_case_and_only_words_go_to_the_analysed_fields() -> None:
    # Given a search for a reference typed in lower case
    body = build_search_body(SearchQuery(text=" cr-2016-0042 "))
    # When the request is built
    should = body["query"]["bool"]["must"][0]["bool"]["should"]
    # Then the reference is one exact, upper-case term, and no keyword field is among the analysed ones
    assert {"term": {"reference": {"value": "CR-2016-0042", "boost": 8}}} in should
    assert not {"reference", "themes"} & {field.split("^")[0] for field in TEXT_FIELDS}


def test_highlighting_analyses_less_of_a_text_than_the_index_allows() -> None:
    # Given the index definition, and a search for words
    definition = json.loads((ROOT / "infra" / "opensearch" / "reviews.json").read_text())
    index_limit = definition["settings"]["index"]["highlight.max_analyzed_offset"]
    # When the request is built
    highlight = build_search_body(SearchQuery(text="neglect"))["highlight"]
    # Then the request's own bound is below the index's, and the full text uses the highlighter that honours it
    assert 0 < highlight["max_analyzer_offset"] == HIGHLIGHT_MAX_ANALYZED_OFFSET < index_limit
    assert highlight["fields"]["body"]["type"] == "plain"


def test_a_title_weighs_more_than_a_summary_and_a_summary_more_than_the_full_text() -> None:
    # Given the weighted text fields
    weights = dict([*field.split("^"), "1"][:2] for field in TEXT_FIELDS)
    # When they are compared
    # Then a title match counts most, then the summary, then a mention in the full text
    assert float(weights["title"]) > float(weights["summary"]) > float(weights["body"])


def test_a_search_without_text_matches_everything_newest_first_without_score_or_highlights() -> None:
    # Given a search with no words and the default (relevance) order
    query = SearchQuery()
    # When the request is built
    body = build_search_body(query)
    # Then everything matches, newest first, and neither score nor highlights are asked for
    assert body["query"]["bool"]["must"] == [{"match_all": {}}]
    assert body["query"]["bool"]["filter"] == []
    assert body["sort"] == DATE_ORDER("desc")
    assert "highlight" not in body


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        (SortOrder.NEWEST, DATE_ORDER("desc")),
        (SortOrder.OLDEST, DATE_ORDER("asc")),
    ],
)
def test_a_text_search_in_date_order_sorts_by_date_not_score(sort: SortOrder, expected: list[Any]) -> None:
    # Given a search for words, asked in date order
    query = SearchQuery(text="neglect", sort=sort)
    # When the request is built
    body = build_search_body(query)
    # Then the hits are sorted by date (then reference), not by score
    assert body["sort"] == expected


def test_the_report_body_is_never_returned_in_hits() -> None:
    # Given any search
    # When the request is built
    body = build_search_body(SearchQuery(text="neglect"))
    # Then the full text is excluded from the returned documents
    assert body["_source"] == {"excludes": ["body"]}
    assert body["track_total_hits"] is True


@pytest.mark.parametrize(
    ("query", "expected_filter"),
    [
        (
            SearchQuery(nations=(Nation.WALES, Nation.NORTHERN_IRELAND)),
            {"terms": {"nation": ["wales", "northern_ireland"]}},
        ),
        (
            SearchQuery(review_types=(ReviewType.CHILD_PRACTICE_REVIEW,)),
            {"terms": {"review_type": ["child_practice_review"]}},
        ),
        (
            SearchQuery(document_types=(DocumentType.EXECUTIVE_SUMMARY,)),
            {"terms": {"document_type": ["executive_summary"]}},
        ),
        (SearchQuery(themes=("neglect", "domestic_abuse")), {"terms": {"themes": ["neglect", "domestic_abuse"]}}),
        (
            SearchQuery(published_from=date(2014, 1, 1), published_to=date(2016, 12, 31)),
            {"range": {"publication_period": {"relation": "intersects", "gte": "2014-01-01", "lte": "2016-12-31"}}},
        ),
        (
            SearchQuery(published_from=date(2014, 1, 1)),
            {"range": {"publication_period": {"relation": "intersects", "gte": "2014-01-01"}}},
        ),
        (
            SearchQuery(published_to=date(2016, 12, 31)),
            {"range": {"publication_period": {"relation": "intersects", "lte": "2016-12-31"}}},
        ),
        (SearchQuery(outcomes=(Outcome.DEATH,)), {"terms": {"outcome": ["death"]}}),
        (SearchQuery(age_bands=(AgeBand.UNDER_1,)), {"terms": {"age_band": ["under_1"]}}),
        (SearchQuery(review_models=(ReviewModel.SILP,)), {"terms": {"review_model": ["silp"]}}),
        (SearchQuery(regions=(Region.LONDON,)), {"terms": {"region": ["london"]}}),
        (SearchQuery(languages=(Language.WELSH,)), {"terms": {"language": ["cy"]}}),
        (
            SearchQuery(board="northshire"),
            {"bool": {"should": [{"term": {"board_id": "northshire"}}, {"term": {"publisher.keyword": "northshire"}}]}},
        ),
        (SearchQuery(has_copy=True), {"term": {"has_copy": True}}),
        (SearchQuery(has_copy=False), {"term": {"has_copy": False}}),
    ],
    ids=[
        "nations",
        "review types",
        "document types",
        "themes",
        "date range",
        "from only",
        "to only",
        "outcome",
        "age band",
        "review model",
        "region",
        "language",
        "board",
        "with copy",
        "without copy",
    ],
)
def test_each_criterion_becomes_one_filter(query: SearchQuery, expected_filter: dict[str, Any]) -> None:
    # Given a search with one criterion
    # When the request is built
    body = build_search_body(query)
    # Then it is the one filter (filters do not affect the score)
    assert body["query"]["bool"]["filter"] == [expected_filter]


def test_criteria_combine_as_filters_alongside_the_text() -> None:
    # Given a search for words within Wales, with a copy, in 2016
    query = SearchQuery(
        text="neglect", nations=(Nation.WALES,), has_copy=True, published_from=date(2016, 1, 1), published_to=None
    )
    # When the request is built
    body = build_search_body(query)
    # Then the text is the only must clause and each criterion is its own filter
    assert len(body["query"]["bool"]["must"]) == 1
    assert body["query"]["bool"]["filter"] == [
        {"terms": {"nation": ["wales"]}},
        {"range": {"publication_period": {"relation": "intersects", "gte": "2016-01-01"}}},
        {"term": {"has_copy": True}},
    ]


def test_an_empty_has_copy_criterion_adds_no_filter() -> None:
    # Given a search that does not care whether a copy is held
    # When the request is built
    body = build_search_body(SearchQuery(has_copy=None))
    # Then there is no has_copy filter
    assert body["query"]["bool"]["filter"] == []


@pytest.mark.parametrize(
    ("search_after", "expected"),
    [((1457913600000, 1457913600000, "CR-2016-0001"), [1457913600000, 1457913600000, "CR-2016-0001"]), (None, None)],
)
def test_the_cursor_position_is_passed_as_search_after(search_after: tuple | None, expected: list | None) -> None:
    # Given a search continuing after a position (or starting at the top)
    query = SearchQuery(sort=SortOrder.NEWEST, page_size=5, search_after=search_after)
    # When the request is built
    body = build_search_body(query)
    # Then the position is sent as search_after, with the page size
    assert body.get("search_after") == expected
    assert body["size"] == 5


def test_every_facet_is_aggregated_and_years_come_newest_first() -> None:
    # Given any search
    # When the request is built
    aggregations = build_search_body(SearchQuery())["aggs"]
    # Then each facet is a terms aggregation on its field; only the years are ordered by key, descending
    assert {name: agg["terms"]["field"] for name, agg in aggregations.items()} == {
        "nation": "nation",
        "review_type": "review_type",
        "document_type": "document_type",
        "theme": "themes",
        "year": "publication_year",
        "has_copy": "has_copy",
        "outcome": "outcome",
        "age_band": "age_band",
        "review_model": "review_model",
        "region": "region",
        "language": "language",
    }
    assert aggregations["year"]["terms"]["order"] == {"_key": "desc"}
    assert "order" not in aggregations["nation"]["terms"]


# ---------------------------------------------------------------- page_from_response


def test_page_from_response_reads_facets_from_buckets_including_boolean_keys() -> None:
    # Given aggregations as OpenSearch returns them (booleans as 1/0 with key_as_string)
    aggregations = {
        "nation": {"buckets": [{"key": "england", "doc_count": 3}, {"key": "wales", "doc_count": 1}]},
        "year": {"buckets": [{"key": 2016, "doc_count": 2}, {"key": 2014, "doc_count": 2}]},
        "has_copy": {
            "buckets": [
                {"key": 1, "key_as_string": "true", "doc_count": 3},
                {"key": 0, "key_as_string": "false", "doc_count": 1},
            ]
        },
    }
    # When the page is read
    page = page_from_response(response([], total=4, aggregations=aggregations), page_size=20)
    # Then each facet lists its values as strings with their counts, in bucket order
    facets = {name: [(f.value, f.count) for f in counts] for name, counts in page.facets.items()}
    assert facets == {
        "nation": [("england", 3), ("wales", 1)],
        "year": [("2016", 2), ("2014", 2)],
        "has_copy": [("true", 3), ("false", 1)],
    }
    assert page.total == 4


def test_page_from_response_without_aggregations_has_no_facets() -> None:
    # Given a response without aggregations
    # When the page is read
    page = page_from_response(response([], total=0), page_size=20)
    # Then there are no facets, no hits and no next page
    assert (page.facets, page.hits, page.next_search_after) == ({}, (), None)


def test_page_from_response_orders_highlights_body_then_summary_then_title() -> None:
    # Given a hit highlighted in title, summary and body (in the order OpenSearch happens to give)
    highlight = {
        "title": ["Child K: <mark>neglect</mark>"],
        "summary": ["about <mark>neglect</mark>"],
        "body": ["were <mark>neglected</mark> for months", "the <mark>neglect</mark> was seen"],
    }
    # When the page is read
    page = page_from_response(response([raw_hit("CR-2016-0001", [3.2], highlight)], total=1), page_size=20)
    # Then the fragments come body first, then summary, then title
    assert page.hits[0].highlights == (
        "were <mark>neglected</mark> for months",
        "the <mark>neglect</mark> was seen",
        "about <mark>neglect</mark>",
        "Child K: <mark>neglect</mark>",
    )


def test_page_from_response_maps_the_source_to_a_hit() -> None:
    # Given a hit whose source is known to a month only
    raw = {"_source": source(publication_date="2016-03-01", date_precision="month"), "sort": [1]}
    # When the page is read
    (hit,) = page_from_response(response([raw], total=1), page_size=20).hits
    # Then the hit shows the date at its precision and carries the copy's last day as a date
    assert str(hit.publication_date) == "2016-03"
    assert hit.electronic_copy.available_until == date(2031, 11, 26)
    assert hit.publisher == BOARD_NAME
    assert hit.highlights == ()


@pytest.mark.parametrize(
    ("hits_returned", "page_size", "expected_next"),
    [
        (3, 3, (1457913600000, "CR-2016-0003")),
        (2, 3, None),
        (0, 3, None),
    ],
    ids=["full page", "short page", "no hits"],
)
def test_next_search_after_is_the_last_hits_sort_values_only_when_the_page_is_full(
    hits_returned: int, page_size: int, expected_next: tuple | None
) -> None:
    # Given a response with some hits, each with its sort values
    hits = [raw_hit(f"CR-2016-000{n}", [1457913600000, f"CR-2016-000{n}"]) for n in range(1, hits_returned + 1)]
    # When the page is read for a page size
    page = page_from_response(response(hits, total=10), page_size=page_size)
    # Then a next position is given only for a full page, and it is the last hit's sort values
    assert page.next_search_after == expected_next
    assert [hit.reference for hit in page.hits] == [f"CR-2016-000{n}" for n in range(1, hits_returned + 1)]


# ---------------------------------------------------------------- document_from_record


def test_the_document_of_a_named_report_holds_its_board_body_and_copy() -> None:
    # Given a named board's record with an available copy, and its extracted text
    record = a_record(electronic_copy=available_copy(available_until=date(2031, 11, 26)), version=3)
    # When its index document is made
    document = document_from_record(record, body="The children were neglected.")
    # Then it can be found by its text and its board, and it records the copy and the record version
    assert document.body == "The children were neglected."
    assert (document.publisher, document.board_id) == (BOARD_NAME, BOARD_ID)
    assert (document.has_copy, document.electronic_copy.status, document.electronic_copy.available_until) == (
        True,
        "available",
        date(2031, 11, 26),
    )
    assert (document.publication_year, document.date_precision) == (2016, "day")
    assert document.record_version == 3


def test_the_document_of_an_anonymous_report_holds_neither_board_id_nor_board_name() -> None:
    # Given an anonymous record
    record = a_record(anonymous=True)
    # When its index document is made
    document = document_from_record(record, body="The children were neglected.")
    # Then no field of the document ties it to the board
    assert document.board_id is None
    assert document.publisher == "Anonymous"
    assert document.anonymous is True
    dumped = document.model_dump_json()
    assert BOARD_ID not in dumped
    assert BOARD_NAME not in dumped


@pytest.mark.parametrize(
    ("copy", "copy_status"),
    [(removed_copy(), "removed"), (None, None)],
    ids=["removed copy", "never had a copy"],
)
def test_the_document_of_a_record_without_an_available_copy_has_no_body(copy: Any, copy_status: str | None) -> None:
    # Given a record whose copy was removed, or which never had one, and some text offered for it
    record = a_record(electronic_copy=copy)
    # When its index document is made
    document = document_from_record(record, body="Text that must no longer be searchable.")
    # Then the text is not indexed, and the document says there is no copy
    assert document.body is None
    assert document.has_copy is False
    assert (document.electronic_copy.status if document.electronic_copy else None) == copy_status


def test_the_document_of_a_historic_record_keeps_its_date_precision() -> None:
    # Given a historic record known only to a year
    record = a_record(publication_date=PublicationDate.parse("1998"), commissioned_date=None, electronic_copy=None)
    # When its index document is made
    document = document_from_record(record, body=None)
    # Then it is filed under that year with year precision
    assert (document.publication_date, document.publication_year, document.date_precision) == (
        date(1998, 1, 1),
        1998,
        "year",
    )


def test_the_review_type_facet_and_each_hit_carry_the_library_s_labels() -> None:
    # Given a response with a review type facet and a hit
    raw = response([raw_hit("CR-2016-0001", [1, "CR-2016-0001"])], total=1)
    raw["aggregations"] = {
        "review_type": {"buckets": [{"key": "local_child_safeguarding_practice_review", "doc_count": 3}]},
        "nation": {"buckets": [{"key": "england", "doc_count": 3}]},
    }
    # When the page is read and shown
    page = page_from_response(raw, page_size=20)
    shown = search_response(page, SearchQuery()).model_dump(mode="json")
    # Then the type facet is labelled as the library names it (and a nation by its name), and so is the hit's type
    assert shown["facets"]["review_type"] == [
        {
            "value": "local_child_safeguarding_practice_review",
            "count": 3,
            "label": "Local child safeguarding practice review",
        }
    ]
    assert shown["facets"]["nation"][0]["label"] == "England"
    assert shown["items"][0]["review_type_label"] == "Serious case review"
