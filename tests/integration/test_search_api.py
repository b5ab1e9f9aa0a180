"""The public search API with the embedded AWS and the real OpenSearch."""

from __future__ import annotations

import base64
import json
from datetime import UTC, date, datetime

import pytest

from case_reviews import bootstrap
from case_reviews.adapters.opensearch import document_from_record
from case_reviews.api_models import search_fingerprint
from case_reviews.domain.models import CatalogueRecord, ElectronicCopy, PublicationDate
from case_reviews.domain.search import SearchQuery, SortOrder
from case_reviews.domain.vocabulary import CopyStatus, DocumentType, Nation, ReviewType
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
        assert bootstrap.repository().add_record(record)
    assert bootstrap.search_index().upsert_many(document_from_record(r, body=None) for r in records) == (
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
    indexed = bootstrap.search_index().client.get(index=search, id=reference)["_source"]
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
    assert {"value": "wales", "count": 2} in first_page["facets"]["nation"]
    assert {b["value"]: b["count"] for b in first_page["facets"]["year"]} == {"1990": 9, "1991": 8, "1992": 8}
    assert {"value": "false", "count": 25} in first_page["facets"]["has_copy"]


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

    # Then each answer holds exactly the matching records (a year-only date counts as 1 January)
    assert {i["reference"] for i in in_1973["items"]} == {"CR-1973-0001", "CR-1973-0002"}
    assert {i["reference"] for i in in_range["items"]} == {"CR-1988-0001"}
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
    assert "X-Amz-Expires=300" in headers["Location"]
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
        ("PUT", "/submissions", "POST"),
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
