"""The OpenSearch requests of the public search: relevance, filters, facets, highlights, cursor paging."""

from __future__ import annotations

import contextlib
import re
from typing import Any

from case_reviews.adapters.opensearch.documents import hit_from_source
from case_reviews.domain.errors import InvalidRequest
from case_reviews.domain.search import (
    FacetCount,
    SearchHit,
    SearchPage,
    SearchQuery,
    SortOrder,
    YearListing,
    facet_label,
)
from case_reviews.domain.statistics import Statistics, StatisticsQuery, years_without_gaps
from case_reviews.domain.themes import theme_id

HIGHLIGHT_TAGS = ("<mark>", "</mark>")
FACET_FIELDS = {
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
# Where the words are found matters: a title match ranks above a summary match, and both above a
# passing mention somewhere in the full text (tests/integration/test_search_relevance.py).
# All English-analysed (folded_english), so a stop word ("of", "the", "a") is dropped alike from each and
# never becomes a word some field must hold: "voice of the child" finds the voice of the child. At search
# time the same analysis adds the synonym graph of the theme vocabulary and the field's abbreviations
# ("SCR" also finds "serious case review"). The exact identifiers (the reference, a theme) are matched
# apart from the words (`text_query`).
TEXT_FIELDS = [
    "title^4",
    "identifiers^4",
    "summary^2",
    "publisher^2",
    "subject_terms^2",
    "child^2",
    "local_authority",
    "rights_holder",
    "learning",
    "recommendations",
    "body",
]
REFERENCE_BOOST = 8
THEME_BOOST = 2
_REFERENCE = re.compile(r"CR-\d{4}-\d{1,6}", re.IGNORECASE)
# The query syntax's operators (simple_query_string's): a text with any of them is not plain words.
_OPERATORS = re.compile(r'["|+\-*()~]')
YEAR_LIST_LIMIT = 2000
# Highlighting analyses at most this many characters of the full text per request, well below the
# index's own `highlight.max_analyzed_offset` (infra/opensearch/reviews.json): a huge text is
# highlighted from its first part instead of failing (or stalling) the whole search. The full text
# uses the plain highlighter, which honours this bound; the unified one, working from the indexed
# offsets, takes tens of seconds on a report of megabytes where a searched word occurs thousands of times.
HIGHLIGHT_MAX_ANALYZED_OFFSET = 500_000


def text_query(text: str) -> dict[str, Any]:
    """The words, all of them (and-operator), in the English-analysed fields; or the text as a reference
    (in any case: cr-2016-0042 is CR-2016-0042), or as a theme (multi-agency working); any one suffices."""
    words: dict[str, Any] = {
        "simple_query_string": {
            "query": text,
            "fields": TEXT_FIELDS,
            "default_operator": "and",
            "flags": "AND|OR|NOT|PHRASE|PREFIX|PRECEDENCE|WHITESPACE",
        }
    }
    exact: list[dict[str, Any]] = []
    if not _OPERATORS.search(text):
        # simple_query_string analyses each word alone, so a synonym of several words ("domestic violence"
        # finds "domestic abuse") fires only when the words are analysed together: all of them, in one field.
        # Only for plain words: beside an exclusion (-word) this clause would let excluded records back in.
        exact.append({"multi_match": {"query": text, "fields": TEXT_FIELDS, "type": "best_fields", "operator": "and"}})
    # The whole text as a theme, by any of its labels ("county lines" is child criminal exploitation).
    with contextlib.suppress(ValueError):
        exact.append({"term": {"themes": {"value": theme_id(text), "boost": THEME_BOOST}}})
    if _REFERENCE.fullmatch(text.strip()):
        exact.append({"term": {"reference": {"value": text.strip().upper(), "boost": REFERENCE_BOOST}}})
    return {"bool": {"should": [words, *exact], "minimum_should_match": 1}}


def search_filters(query: SearchQuery) -> list[dict[str, Any]]:
    """The filters of a search (every criterion but the words): also what statistics count and alerts keep."""
    filters: list[dict[str, Any]] = []
    for field, values in (
        ("nation", query.nations),
        ("review_type", query.review_types),
        ("document_type", query.document_types),
        ("themes", query.themes),
        ("outcome", query.outcomes),
        ("age_band", query.age_bands),
        ("review_model", query.review_models),
        ("region", query.regions),
        ("language", query.languages),
    ):
        if values:
            filters.append({"terms": {field: [str(value) for value in values]}})
    if query.published_from or query.published_to:
        # A date known only to its year or month is a period: kept when the period meets the bounds
        # ("1973" is within from=1973-06&to=1973-12, marked approximate by its precision).
        bounds: dict[str, Any] = {"relation": "intersects"}
        if query.published_from:
            bounds["gte"] = query.published_from.isoformat()
        if query.published_to:
            bounds["lte"] = query.published_to.isoformat()
        filters.append({"range": {"publication_period": bounds}})
    if query.board:
        filters.append(
            {"bool": {"should": [{"term": {"board_id": query.board}}, {"term": {"publisher.keyword": query.board}}]}}
        )
    if query.has_copy is not None:
        filters.append({"term": {"has_copy": query.has_copy}})
    if query.added_from or query.added_before:
        added: dict[str, Any] = {}
        if query.added_from:
            added["gte"] = query.added_from.isoformat()
        if query.added_before:
            added["lt"] = query.added_before.isoformat()
        filters.append({"range": {"added_at": added}})
    return filters


def build_search_body(query: SearchQuery) -> dict[str, Any]:
    """The OpenSearch request for a search: text relevance, filters, facets, highlights, cursor paging."""
    filters = search_filters(query)

    must: list[dict[str, Any]] = [text_query(query.text)] if query.text else []

    order = query.sort
    if order is SortOrder.RELEVANCE and not query.text:
        order = SortOrder.NEWEST
    direction = "asc" if order is SortOrder.OLDEST else "desc"
    sort: list[Any] = [{"_score": "desc"}] if order is SortOrder.RELEVANCE else []
    # Same first day: the more precise date (the earlier last day) first, in either direction.
    # (unmapped_type: an index built before publication_end existed still answers, until it is rebuilt)
    sort += [
        {"publication_date": direction},
        {"publication_end": {"order": "asc", "unmapped_type": "date"}},
        {"reference": "asc"},
    ]

    body: dict[str, Any] = {
        "size": query.page_size,
        "track_total_hits": True,
        "query": {"bool": {"must": must or [{"match_all": {}}], "filter": filters}},
        "sort": sort,
        "_source": {"excludes": ["body"]},
    }
    if not query.hits_only:
        body["aggs"] = {
            name: {"terms": {"field": field, "size": 100, **({"order": {"_key": "desc"}} if name == "year" else {})}}
            for name, field in FACET_FIELDS.items()
        }
    if query.text and not query.hits_only:
        body["highlight"] = {
            "pre_tags": [HIGHLIGHT_TAGS[0]],
            "post_tags": [HIGHLIGHT_TAGS[1]],
            "encoder": "html",
            # OpenSearch names the per-request limit `max_analyzer_offset` (Elasticsearch: `max_analyzed_offset`).
            "max_analyzer_offset": HIGHLIGHT_MAX_ANALYZED_OFFSET,
            "fields": {
                "body": {"type": "plain", "fragment_size": 180, "number_of_fragments": 3},
                "summary": {"fragment_size": 180, "number_of_fragments": 1},
                "title": {"number_of_fragments": 0},
            },
        }
    if query.search_after:
        body["search_after"] = _checked_search_after(query.search_after, len(sort))
    return body


CURSOR_MISFIT = "The cursor does not fit this search; start the search again without it."


def _checked_search_after(after: tuple[Any, ...], sort_keys: int) -> list[Any]:
    """A position has one value per sort key: numbers (score, date) and then the reference."""
    *numbers, reference = after
    fits = (
        len(after) == sort_keys
        and isinstance(reference, str)
        and all(isinstance(value, int | float) and not isinstance(value, bool) for value in numbers)
    )
    if not fits:
        raise InvalidRequest(CURSOR_MISFIT, location="query.cursor")
    return list(after)


def page_from_response(response: dict[str, Any], page_size: int) -> SearchPage:
    raw_hits = response["hits"]["hits"]
    hits = []
    for raw in raw_hits:
        fragments = raw.get("highlight", {})
        highlights = [*fragments.get("body", []), *fragments.get("summary", []), *fragments.get("title", [])]
        hits.append(hit_from_source(raw["_source"], highlights))
    facets = {
        name: tuple(
            _facet_count(name, str(bucket.get("key_as_string", bucket["key"])).lower(), bucket["doc_count"])
            for bucket in aggregation["buckets"]
        )
        for name, aggregation in response.get("aggregations", {}).items()
    }
    next_after = tuple(raw_hits[-1]["sort"]) if len(raw_hits) == page_size and raw_hits else None
    return SearchPage(
        total=response["hits"]["total"]["value"], hits=tuple(hits), facets=facets, next_search_after=next_after
    )


def _facet_count(facet: str, value: str, count: int) -> FacetCount:
    return FacetCount(value=value, count=count, label=facet_label(facet, value))


def year_list_body(year: int) -> dict[str, Any]:
    """Everything published in `year`, in date order (the first YEAR_LIST_LIMIT), with totals by review type.

    Ordered by the last day each could have been published: a date known to the month comes after
    that month's days, one known only to the year at the end of the year.
    """
    return {
        "size": YEAR_LIST_LIMIT,
        "track_total_hits": True,
        "query": {"bool": {"filter": [{"term": {"publication_year": year}}]}},
        # Same last day: the more precise date (the later first day) first: 30 June 1973, then "June 1973".
        "sort": [
            {"publication_end": {"order": "asc", "unmapped_type": "date"}},
            {"publication_date": "desc"},
            {"title.sort": "asc"},
            {"reference": "asc"},
        ],
        "_source": {"excludes": ["body"]},
        "aggs": {"review_type": {"terms": {"field": "review_type", "size": 100}}},
    }


def year_from_response(year: int, response: dict[str, Any]) -> YearListing:
    buckets = response.get("aggregations", {}).get("review_type", {}).get("buckets", [])
    return YearListing(
        year=year,
        total=response["hits"]["total"]["value"],
        hits=tuple(hit_from_source(raw["_source"], []) for raw in response["hits"]["hits"]),
        totals_by_review_type={str(bucket["key"]): bucket["doc_count"] for bucket in buckets},
    )


# ---------------------------------------------------------------- similar records

SIMILAR_LIMIT = 10
# The words that make two reports alike: those their texts (the full text while the copy is held, and
# the summary) share most, weighed by how rare they are in the index; then their themes and type.
SIMILAR_TEXT_FIELDS = ["body", "summary"]
SIMILAR_THEME_BOOST = 3.0
SIMILAR_TYPE_BOOST = 1.0


def similar_body(
    alias: str,
    reference: str,
    themes: tuple[str, ...],
    review_type: str,
    exclude_boards: tuple[str, ...],
    limit: int = SIMILAR_LIMIT,
) -> dict[str, Any]:
    """Records like `reference`: more_like_this over its indexed text (a removed copy's text is not
    indexed, so it is never used or matched) and the labels of its themes and type, plus its themes and
    type as exact terms. Never the record itself; never a record of `exclude_boards` (by id or publisher)."""
    like = [{"_index": alias, "_id": reference}]
    should: list[dict[str, Any]] = [
        {
            "more_like_this": {
                "fields": SIMILAR_TEXT_FIELDS,
                "like": like,
                "min_term_freq": 2,
                "min_doc_freq": 2,
                "max_query_terms": 40,
                "minimum_should_match": "20%",
            }
        },
        {
            # Each label once in a record: a term counts from its first occurrence.
            "more_like_this": {
                "fields": ["subject_terms"],
                "like": like,
                "min_term_freq": 1,
                "min_doc_freq": 1,
                "max_query_terms": 25,
                "minimum_should_match": "1",
            }
        },
        {"term": {"review_type": {"value": review_type, "boost": SIMILAR_TYPE_BOOST}}},
    ]
    if themes:
        should.append({"terms": {"themes": list(themes), "boost": SIMILAR_THEME_BOOST}})
    must_not: list[dict[str, Any]] = [{"ids": {"values": [reference]}}]
    for board in exclude_boards:
        must_not += [{"term": {"board_id": board}}, {"term": {"publisher.keyword": board}}]
    return {
        "size": limit,
        "query": {"bool": {"should": should, "minimum_should_match": 1, "must_not": must_not}},
        "sort": [{"_score": "desc"}, {"reference": "asc"}],
        "_source": {"excludes": ["body"]},
    }


def hits_from_response(response: dict[str, Any]) -> tuple[SearchHit, ...]:
    return tuple(hit_from_source(raw["_source"], []) for raw in response["hits"]["hits"])


# ---------------------------------------------------------------- statistics

STATISTICS_BUCKETS = 200
_STATISTICS_FIELDS = {"nation": "nation", "review_type": "review_type", "theme": "themes"}


def statistics_body(query: StatisticsQuery) -> dict[str, Any]:
    """Counts only (no hits): the matching records by publication year, nation, review type and theme."""
    aggs: dict[str, Any] = {
        name: {"terms": {"field": field, "size": STATISTICS_BUCKETS}} for name, field in _STATISTICS_FIELDS.items()
    }
    aggs["year"] = {"terms": {"field": "publication_year", "size": STATISTICS_BUCKETS, "order": {"_key": "asc"}}}
    return {
        "size": 0,
        "track_total_hits": True,
        "query": {"bool": {"filter": search_filters(query.as_search())}},
        "aggs": aggs,
    }


def statistics_from_response(query: StatisticsQuery, response: dict[str, Any]) -> Statistics:
    aggregations = response.get("aggregations", {})

    def counts(name: str) -> tuple[FacetCount, ...]:
        buckets = aggregations.get(name, {}).get("buckets", [])
        return tuple(_facet_count(name, str(bucket["key"]), bucket["doc_count"]) for bucket in buckets)

    years = {int(bucket["key"]): bucket["doc_count"] for bucket in aggregations.get("year", {}).get("buckets", [])}
    return Statistics(
        total=response["hits"]["total"]["value"],
        by_year=years_without_gaps(years, query.from_year, query.to_year),
        by_nation=counts("nation"),
        by_review_type=counts("review_type"),
        by_theme=counts("theme"),
    )


def empty_statistics(query: StatisticsQuery) -> Statistics:
    return Statistics(
        total=0,
        by_year=years_without_gaps({}, query.from_year, query.to_year),
        by_nation=(),
        by_review_type=(),
        by_theme=(),
    )


# ---------------------------------------------------------------- the feed of new records


def recently_added_body(limit: int) -> dict[str, Any]:
    """The last `limit` deposits, newest first (historic imports have no added_at and are not listed)."""
    return {
        "size": limit,
        "query": {"bool": {"filter": [{"exists": {"field": "added_at"}}]}},
        "sort": [{"added_at": "desc"}, {"reference": "asc"}],
        "_source": {"excludes": ["body"]},
    }
