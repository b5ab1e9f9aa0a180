"""The public search API with the embedded AWS and the real OpenSearch."""

from __future__ import annotations

import base64
import json
import random
from collections import Counter
from datetime import UTC, date, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest

from case_reviews import bootstrap
from case_reviews.api.models.cursors import search_fingerprint
from case_reviews.domain.dates import PublicationDate
from case_reviews.domain.records import CatalogueRecord, ElectronicCopy
from case_reviews.domain.search import SearchQuery, SortOrder
from case_reviews.domain.vocabulary import (
    AgeBand,
    CopyStatus,
    DocumentType,
    Language,
    Nation,
    Outcome,
    Region,
    ReviewModel,
    ReviewType,
)
from functions.api import app as api
from infra.local.api_gateway import proxy_event
from infra.local.lambda_runtime import LocalContext
from tests.integration.helpers import call_api, deposit, submission_status
from tests.support.pdfs import make_pdf

BOARD_NAME = "Northshire Safeguarding Children Partnership"


def historic_record(reference: str, published: str, copy: ElectronicCopy | None = None, **changes) -> CatalogueRecord:
    """A catalogue entry with no submission behind it, as the historic catalogue has."""
    moment = datetime(2026, 1, 5, tzinfo=UTC)
    fields = {
        "reference": reference,
        "title": f"Inquiry report {reference}",
        "nation": Nation.ENGLAND,
        "review_type": ReviewType.OTHER,
        "document_type": DocumentType.OVERVIEW_REPORT,
        "publication_date": PublicationDate.parse(published),
        "board_id": None,
        "board_name": "Old County Council",
        "electronic_copy": copy,
        "created_at": moment,
        "updated_at": moment,
    }
    return CatalogueRecord(**(fields | changes))


def catalogue_without_pipeline(*records: CatalogueRecord) -> None:
    for record in records:
        assert bootstrap.services().records_store.add_record(record)
    assert bootstrap.services().search_index.put_many((r, None) for r in records) == (
        len(records),
        0,
    )


def test_an_anonymous_report_never_names_its_board_in_public(aws, search, pipeline, board_key):
    # Given a report the board published anonymously
    board_id, key = board_key
    submission_id = deposit(
        key, make_pdf("Domestic abuse was a feature."), anonymous=True, title="Child Practice Review"
    )
    pipeline.drain()
    reference = submission_status(key, submission_id)["reference"]

    # When the public searches for it, reads its record, lists its year, and searches for the board
    _, found, _ = call_api("GET", "/reviews?q=domestic")
    _, record, _ = call_api("GET", f"/reviews/{reference}")
    _, year, _ = call_api("GET", "/years/2016")
    _, by_board_name, _ = call_api("GET", "/reviews?q=Northshire")
    _, by_board_filter, _ = call_api("GET", f"/reviews?board={board_id}")

    # Then it is found and shown as anonymous, and nothing public names the board
    assert [item["reference"] for item in found["items"]] == [reference]
    assert found["items"][0]["publisher"] == "Anonymous"
    assert record["publisher"] == "Anonymous"
    for public in (found, record, year):
        text = json.dumps(public)
        assert "Northshire" not in text
        assert board_id not in text
    assert by_board_name["total"] == 0
    assert by_board_filter["total"] == 0
    indexed = bootstrap.services().search_index.client.get(index=search, id=reference)["_source"]
    assert "board_id" not in indexed
    assert "Northshire" not in json.dumps(indexed)


def test_results_page_with_a_cursor_and_count_facets(aws, search):
    # Given 25 historic records over three years, two of them in Wales
    records = [
        historic_record(
            f"CR-{1990 + n % 3}-{n:04d}",
            f"{1990 + n % 3}-0{1 + n % 9}",
            nation=Nation.WALES if n < 2 else Nation.ENGLAND,
        )
        for n in range(25)
    ]
    catalogue_without_pipeline(*records)

    # When a searcher pages through everything, ten at a time, newest first
    seen: list[str] = []
    status, page, _ = call_api("GET", "/reviews?page_size=10&sort=newest")
    first_page = page
    while True:
        assert status == 200
        seen += [item["reference"] for item in page["items"]]
        if not page["next_cursor"]:
            break
        status, page, _ = call_api("GET", f"/reviews?page_size=10&sort=newest&cursor={page['next_cursor']}")

    # Then every record comes exactly once, newest first, and the facets count the whole result
    assert sorted(seen) == sorted(r.reference for r in records)
    assert len(seen) == len(set(seen)) == 25
    by_reference = {r.reference: r.publication_date.value for r in records}
    assert [by_reference[ref] for ref in seen] == sorted((by_reference[ref] for ref in seen), reverse=True)
    assert first_page["total"] == 25
    assert {"value": "wales", "count": 2, "label": "Wales"} in first_page["facets"]["nation"]
    assert {b["value"]: b["count"] for b in first_page["facets"]["year"]} == {"1990": 9, "1991": 8, "1992": 8}
    assert {"value": "false", "count": 25, "label": "Catalogue record only"} in first_page["facets"]["has_copy"]


def test_filters_narrow_the_results(aws, search):
    # Given records of different years and nations
    catalogue_without_pipeline(
        historic_record("CR-1973-0001", "1973-05", nation=Nation.SCOTLAND),
        historic_record("CR-1973-0002", "1973"),
        historic_record("CR-1988-0001", "1988-02-14"),
    )

    # When a searcher filters by year, by a date range given as months, and by nation
    _, in_1973, _ = call_api("GET", "/reviews?year=1973")
    _, in_range, _ = call_api("GET", "/reviews?from=1973-06&to=1988-02")
    _, scottish, _ = call_api("GET", "/reviews?nation=scotland")

    # Then each answer holds exactly the matching records: a date known to the month or the year is a
    # period, kept when it meets the range ("1973" does; "1973-05" ends before June) and marked approximate
    assert {i["reference"] for i in in_1973["items"]} == {"CR-1973-0001", "CR-1973-0002"}
    assert {i["reference"]: i["publication_date_approximate"] for i in in_range["items"]} == {
        "CR-1973-0002": True,
        "CR-1988-0001": False,
    }
    assert [i["reference"] for i in scottish["items"]] == ["CR-1973-0001"]
    assert {i["publication_date"] for i in in_1973["items"]} == {"1973-05", "1973"}


def test_a_year_lists_everything_published_then_in_date_order(aws, search):
    # Given three records of 1974 and one of 1975
    catalogue_without_pipeline(
        historic_record("CR-1974-0003", "1974-11-02"),
        historic_record("CR-1974-0001", "1974-02"),
        historic_record("CR-1974-0002", "1974-06-30"),
        historic_record("CR-1975-0001", "1975"),
    )

    # When the yearly list of 1974 is asked for
    status, year, _ = call_api("GET", "/years/1974")

    # Then it holds the three, in chronological order
    assert status == 200
    assert year["total"] == 3
    assert [item["reference"] for item in year["items"]] == ["CR-1974-0001", "CR-1974-0002", "CR-1974-0003"]


def test_a_year_list_counts_each_review_type_including_catalogue_only_records(aws, search, pipeline, board_key):
    # Given a report deposited in 2016 and two historic, catalogue-only records of 2016 of another type
    _, key = board_key
    deposit(key, make_pdf("A deposited report"), review_type="serious_case_review", publication_date="2016-03-14")
    pipeline.drain()
    catalogue_without_pipeline(
        historic_record("CR-2016-9001", "2016-01"),
        historic_record("CR-2016-9002", "2016-12-01", review_type=ReviewType.LEARNING_REVIEW),
    )

    # When the list of 2016 is asked for
    status, year, _ = call_api("GET", "/years/2016")

    # Then all three are listed in date order, with totals by review type
    assert status == 200, year
    assert [item["publication_date"] for item in year["items"]] == ["2016-01", "2016-03-14", "2016-12-01"]
    assert year["total"] == 3
    assert year["totals"] == {"serious_case_review": 1, "other": 1, "learning_review": 1}


@pytest.mark.parametrize(
    ("year", "status"),
    [(1944, 400), (1945, 200), ("this year", 200), ("the year after next", 400), (2101, 400)],
)
def test_years_are_listed_from_1945_to_the_current_year(aws, search, year, status, now):
    # Given a year, fixed or relative to the clock's
    year = {"this year": now.year, "the year after next": now.year + 2}.get(year, year)
    # When the list of a year is asked for
    answered, body, headers = call_api("GET", f"/years/{year}")
    # Then only 1945 up to this year have a list; any other year is a 400 problem about the year
    assert answered == status, body
    if status == 400:
        assert headers["Content-Type"] == "application/problem+json"
        assert [error["location"] for error in body["errors"]] == ["path.year"]


def raw_call(method: str, target: str, headers: dict[str, str] | None = None) -> dict[str, Any]:
    """The API function's whole answer, for bodies that are not JSON and headers as sent."""
    return api.lambda_handler(proxy_event(method, target, headers), LocalContext(function_name="api"))


def header(response: dict[str, Any], name: str) -> str | None:
    values = {key.lower(): value for key, value in (response.get("multiValueHeaders") or {}).items()}
    return values.get(name.lower(), [None])[-1]


def test_robots_txt_disallows_everything_and_there_is_no_sitemap(aws, search):
    # When a crawler asks for robots.txt and for a sitemap
    robots = raw_call("GET", "/robots.txt")
    sitemap = raw_call("GET", "/sitemap.xml")
    # Then robots.txt keeps every crawler out of everything, and there is no sitemap
    assert robots["statusCode"] == 200
    assert header(robots, "Content-Type").startswith("text/plain")
    assert robots["body"].splitlines() == ["User-agent: *", "Disallow: /"]
    assert header(robots, "X-Robots-Tag") == "noindex, nofollow"
    assert sitemap["statusCode"] == 404


BROWSER = {"Origin": "https://practitioner-tool.example"}


def test_a_browser_preflight_is_answered_with_the_cors_headers(aws, search):
    # When a browser on another site sends a CORS preflight before searching
    preflight = raw_call("OPTIONS", "/reviews", {**BROWSER, "Access-Control-Request-Method": "GET"})
    # Then it is answered with no error, allowing any origin to GET, without credentials
    assert preflight["statusCode"] == 204
    assert header(preflight, "Access-Control-Allow-Origin") == "*"
    assert "GET" in header(preflight, "Access-Control-Allow-Methods").split(",")
    assert header(preflight, "Access-Control-Allow-Credentials") is None
    assert header(preflight, "X-Robots-Tag") == "noindex, nofollow"


@pytest.mark.parametrize(("target", "status"), [("/reviews?q=neglect", 200), ("/reviews/CR-1990-0404", 404)])
def test_a_browser_on_any_site_may_read_answers_and_problems(aws, search, target, status):
    # When a browser on another site searches, or asks for a record that does not exist
    response = raw_call("GET", target, BROWSER)
    # Then the answer, success or problem, may be read by that page
    assert response["statusCode"] == status
    assert header(response, "Access-Control-Allow-Origin") == "*"
    assert header(response, "Access-Control-Allow-Credentials") is None


def test_download_redirects_while_the_copy_is_available_and_is_gone_after_removal(aws, search, pipeline, board_key):
    # Given a deposited report, a historic record without a file, and one whose copy was removed
    _, key = board_key
    submission_id = deposit(key, make_pdf("Available report"))
    pipeline.drain()
    available = submission_status(key, submission_id)["reference"]
    removed_copy = ElectronicCopy(
        status=CopyStatus.REMOVED,
        object_key=None,
        text_key=None,
        sha256="0" * 64,
        size_bytes=1000,
        page_count=3,
        available_until=date(2020, 1, 1),
        removed_on=date(2020, 1, 2),
        removal_reason="five years passed",
    )
    catalogue_without_pipeline(
        historic_record("CR-1960-0001", "1960"), historic_record("CR-2014-0009", "2014", copy=removed_copy)
    )

    # When a searcher follows each download link, and one that does not exist
    results = {
        ref: call_api("GET", f"/reviews/{ref}/download")
        for ref in (available, "CR-1960-0001", "CR-2014-0009", "CR-2099-0001")
    }

    # Then the available copy redirects to a short-lived link, the removed one is gone, the others unknown
    status, _, headers = results[available]
    assert status == 302
    assert f"reports/{available}.pdf" in headers["Location"]
    link = parse_qs(urlsplit(headers["Location"]).query)
    assert int(link["X-Amz-Expires"][0]) <= 300
    assert link["response-content-disposition"] == [f'attachment; filename="{available}.pdf"']
    assert [results[ref][0] for ref in ("CR-1960-0001", "CR-2014-0009", "CR-2099-0001")] == [404, 410, 404]
    _, record, _ = call_api("GET", "/reviews/CR-2014-0009")
    assert record["electronic_copy"] == {"status": "removed", "removed_on": "2020-01-02", "reason": "five years passed"}


@pytest.mark.parametrize(
    "target, location",
    [
        ("/reviews?cursor=bm90LWEtY3Vyc29y", "query.cursor"),
        ("/reviews?from=1973-13", "query.from"),
        ("/reviews?from=2020&to=2019", "query.from"),
        ("/reviews?from=2016-03-15&to=2016-03-14", "query.from"),
        ("/reviews?sort=alphabetical", "query.sort"),
        ("/reviews?has_copy=perhaps", "query.has_copy"),
        ("/years/10000", "path.year"),
    ],
)
def test_bad_query_input_is_a_400_problem_naming_the_parameter(aws, search, target, location):
    # When a searcher sends a value the API cannot take
    status, problem, headers = call_api("GET", target)

    # Then the answer is a 400 problem saying which parameter is wrong
    assert status == 400
    assert headers["Content-Type"] == "application/problem+json"
    assert location in [error["location"] for error in problem["errors"]]


def forged_cursor(after: list, query: SearchQuery) -> str:
    """A cursor as a client could forge one, knowing how cursors are made."""
    payload = {"after": after, "sort": query.sort.value, "search": search_fingerprint(query)}
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def test_a_cursor_is_refused_by_any_other_search_and_a_forged_one_by_the_engine(aws, search):
    # Given 5 historic records, and the cursor after the first page of a search for "inquiry"
    catalogue_without_pipeline(*(historic_record(f"CR-1990-{n:04d}", f"1990-0{n + 1}") for n in range(5)))
    status, first, _ = call_api("GET", "/reviews?q=inquiry&page_size=2")
    assert status == 200 and first["next_cursor"]
    newest = SearchQuery(sort=SortOrder.NEWEST)

    # When the cursor is used for the same search, for a search without words, and with cursors forged for it
    results = {
        name: call_api("GET", target)
        for name, target in {
            "same search": f"/reviews?q=inquiry&page_size=2&cursor={first['next_cursor']}",
            "other search": f"/reviews?page_size=2&cursor={first['next_cursor']}",
            "too many positions": f"/reviews?sort=newest&cursor={forged_cursor(['x', 'y', 'z'], newest)}",
            "a word for a date": f"/reviews?sort=newest&cursor={forged_cursor(['x', 'CR-1990-0001'], newest)}",
            "an infinite date": f"/reviews?sort=newest&cursor={forged_cursor([float('inf'), 'CR-1990-0001'], newest)}",
        }.items()
    }

    # Then only the same search pages on; every other use is a 400 about the cursor, never a server error
    assert results["same search"][0] == 200
    assert len(results["same search"][1]["items"]) == 2
    for name in ("other search", "too many positions", "a word for a date", "an infinite date"):
        status, problem, headers = results[name]
        assert status == 400, (name, problem)
        assert headers["Content-Type"] == "application/problem+json"
        assert [error["location"] for error in problem["errors"]] == ["query.cursor"], name


@pytest.mark.parametrize(
    ("method", "target", "allow"),
    [
        ("POST", "/reviews", "GET, HEAD"),
        ("DELETE", "/reviews/CR-2016-0001", "GET, HEAD"),
        ("PUT", "/submissions", "GET, POST, HEAD"),
        ("PATCH", "/years/2016", "GET, HEAD"),
    ],
)
def test_a_method_a_route_does_not_answer_is_405_with_the_allowed_ones(aws, search, method, target, allow):
    # When a client uses a method the route does not answer
    status, problem, headers = call_api(method, target)
    # Then it is a 405 problem that says which methods are allowed
    assert status == 405, problem
    assert headers["Allow"] == allow
    assert headers["Content-Type"] == "application/problem+json"


def test_head_answers_like_get_without_a_body(aws, search):
    # Given a record
    catalogue_without_pipeline(historic_record("CR-1990-0001", "1990-05"))
    # When a link checker sends HEAD for it, for a search and for an unknown record
    found = call_api("HEAD", "/reviews/CR-1990-0001")
    searched = call_api("HEAD", "/reviews?q=inquiry")
    unknown = call_api("HEAD", "/reviews/CR-1990-0002")
    # Then each status is the one GET gives, with GET's headers and no body
    assert [found[0], searched[0], unknown[0]] == [200, 200, 404]
    assert [found[1], searched[1], unknown[1]] == [None, None, None]
    assert found[2]["Content-Type"] == "application/json"
    assert unknown[2]["X-Robots-Tag"] == "noindex, nofollow"


def test_an_unknown_path_is_still_404(aws, search):
    # When a client asks for a path the API does not have
    status, problem, headers = call_api("GET", "/reviews/CR-2016-0001/pages")
    # Then it is a 404 problem without an Allow header
    assert status == 404, problem
    assert "Allow" not in headers


# ---------------------------------------------------------------- a generated catalogue

THEMES = ["neglect", "domestic abuse", "sexual abuse", "parental mental health", "substance misuse", "radicalisation"]


def generated_catalogue(count: int, seed: int = 4) -> list[CatalogueRecord]:
    """`count` varied records (years 1990–2025, every nation, type and document type, some with a copy)."""
    rng = random.Random(seed)
    records = []
    for n in range(count):
        year = rng.randint(1990, 2025)
        published = rng.choice([f"{year}", f"{year}-{rng.randint(1, 12):02d}", f"{year}-{rng.randint(1, 12):02d}-10"])
        copy = None
        if rng.random() < 0.3:
            copy = ElectronicCopy(
                status=CopyStatus.AVAILABLE,
                object_key=f"reports/G-{n:05d}.pdf",
                text_key=None,
                sha256="0" * 64,
                size_bytes=1000,
                page_count=10,
                available_until=date(2031, 1, 1),
            )
        records.append(
            historic_record(
                f"CR-{year}-{n:05d}",
                published,
                copy=copy,
                nation=rng.choice(list(Nation)),
                review_type=rng.choice(list(ReviewType)),
                document_type=rng.choice(list(DocumentType)),
                themes=tuple(rng.sample(THEMES, rng.randint(0, 3))),
                outcome=rng.choice([None, *Outcome]),
                age_band=rng.choice([None, *AgeBand]),
                review_model=rng.choice([None, *ReviewModel]),
                region=rng.choice([None, *Region]),
                language=rng.choice(list(Language)),
                board_id=f"board-{n % 7}",
                board_name=f"Board {n % 7} Safeguarding Partnership",
            )
        )
    return records


def index_only(records: list[CatalogueRecord]) -> None:
    """Index the records straight away (the search API reads the index alone)."""
    assert bootstrap.services().search_index.put_many((r, None) for r in records) == (
        len(records),
        0,
    )


def expected_facets(records: list[CatalogueRecord]) -> dict[str, dict[str, int]]:
    """The facet counts the catalogue itself gives, as the API spells them."""
    counts: dict[str, Counter] = {name: Counter() for name in FACETS}
    for record in records:
        counts["nation"][record.nation.value] += 1
        counts["review_type"][record.review_type.value] += 1
        counts["document_type"][record.document_type.value] += 1
        counts["year"][str(record.publication_date.value.year)] += 1
        counts["has_copy"][str(record.has_copy).lower()] += 1
        for theme in record.themes:
            counts["theme"][theme] += 1
        # What the public sees: an anonymous record's region is withheld.
        public = record.public()
        for facet in ("outcome", "age_band", "review_model", "region", "language"):
            if getattr(public, facet) is not None:
                counts[facet][getattr(public, facet).value] += 1
    return {name: dict(counter) for name, counter in counts.items()}


FACETS = (
    "nation",
    "review_type",
    "document_type",
    "theme",
    "year",
    "has_copy",
    "outcome",
    "age_band",
    "review_model",
    "region",
    "language",
)


def answered_facets(page: dict[str, Any]) -> dict[str, dict[str, int]]:
    return {name: {b["value"]: b["count"] for b in page["facets"][name]} for name in FACETS}


def test_filters_and_facets_count_what_a_generated_catalogue_of_1200_holds(aws, search):
    # Given 1,200 generated records
    records = generated_catalogue(1200)
    index_only(records)

    def matching(record: CatalogueRecord) -> bool:
        return (
            record.nation in (Nation.WALES, Nation.SCOTLAND)
            and record.review_type is not ReviewType.OTHER
            and "neglect" in record.themes
            and date(2000, 1, 1) <= record.publication_date.value <= date(2012, 6, 30)
        )

    # When a searcher asks for everything, and then filters by nations, types, a theme and a date range
    _, everything, _ = call_api("GET", "/reviews?page_size=1")
    types = "&".join(f"review_type={t.value}" for t in ReviewType if t is not ReviewType.OTHER)
    status, filtered, _ = call_api(
        "GET", f"/reviews?nation=wales&nation=scotland&{types}&theme=neglect&from=2000&to=2012-06&page_size=100"
    )
    _, with_copy, _ = call_api("GET", "/reviews?has_copy=true&year=2016&page_size=100")
    _, by_board, _ = call_api("GET", "/reviews?board=board-3&document_type=learning_summary&page_size=100")

    # Then totals, items and every facet count equal what the catalogue says
    assert status == 200, filtered
    assert everything["total"] == 1200
    assert answered_facets(everything) == expected_facets(records)
    wanted = [r for r in records if matching(r)]
    assert filtered["total"] == len(wanted) > 0
    assert {i["reference"] for i in filtered["items"]} == {r.reference for r in wanted}
    assert answered_facets(filtered) == expected_facets(wanted)
    copies_2016 = [r for r in records if r.has_copy and r.publication_date.value.year == 2016]
    assert {i["reference"] for i in with_copy["items"]} == {r.reference for r in copies_2016}
    assert answered_facets(with_copy) == expected_facets(copies_2016)
    of_board = [r for r in records if r.board_id == "board-3" and r.document_type is DocumentType.LEARNING_SUMMARY]
    assert {i["reference"] for i in by_board["items"]} == {r.reference for r in of_board}


@pytest.mark.parametrize("search_terms", ["sort=newest", "sort=oldest", "q=inquiry&sort=relevance"])
def test_paging_one_at_a_time_returns_each_record_exactly_once(aws, search, search_terms):
    # Given 60 generated records, many sharing a publication date (and all the same relevance for "inquiry")
    records = generated_catalogue(60, seed=9)
    index_only(records)

    # When a searcher pages through all of them with pages of one
    seen: list[str] = []
    status, page, _ = call_api("GET", f"/reviews?{search_terms}&page_size=1")
    while True:
        assert status == 200, page
        seen += [item["reference"] for item in page["items"]]
        if not page["next_cursor"]:
            break
        assert len(seen) <= 60, "paging does not end"
        status, page, _ = call_api("GET", f"/reviews?{search_terms}&page_size=1&cursor={page['next_cursor']}")

    # Then each record comes exactly once
    assert len(seen) == 60
    assert set(seen) == {r.reference for r in records}


ANON_BOARD_ID = "eastshire"
ANON_BOARD_NAME = "Eastshire Safeguarding Partnership"


def test_a_boards_name_or_id_never_finds_or_counts_its_anonymous_reports(aws, search):
    # Given a board with three named and two anonymous reports, among other boards' reports
    board = {"board_id": ANON_BOARD_ID, "board_name": ANON_BOARD_NAME}
    named = [historic_record(f"CR-2017-01{n:02d}", "2017-04", **board) for n in range(3)]
    anonymous = [
        historic_record(f"CR-2018-02{n:02d}", "2018-09", anonymous=True, nation=Nation.WALES, **board) for n in range(2)
    ]
    catalogue_without_pipeline(*named, *anonymous, *generated_catalogue(40, seed=2))

    # When the public searches by the board's name, filters by its id and by its name, and searches everything
    answers = {
        "words": call_api("GET", "/reviews?q=Eastshire&page_size=100"),
        "quoted name": call_api("GET", f'/reviews?q="{ANON_BOARD_NAME}"&page_size=100'),
        "id": call_api("GET", f"/reviews?board={ANON_BOARD_ID}&page_size=100"),
        "name": call_api("GET", f"/reviews?board={ANON_BOARD_NAME}&page_size=100"),
    }
    _, everything, _ = call_api("GET", "/reviews?page_size=100")

    # Then only the named reports come back, and the facets count only those
    for how, (status, found, _) in answers.items():
        assert status == 200, (how, found)
        assert {i["reference"] for i in found["items"]} == {r.reference for r in named}, how
        assert found["total"] == 3, how
        assert answered_facets(found) == expected_facets(named), how
    # And the anonymous reports are found otherwise, with no facet or field naming the board
    assert {r.reference for r in anonymous} <= {i["reference"] for i in everything["items"]}
    assert set(everything["facets"]) == set(FACETS)
    public = json.dumps([everything["facets"], [i for i in everything["items"] if i["publisher"] == "Anonymous"]])
    assert "Eastshire" not in public
    assert ANON_BOARD_ID not in public
