"""The OpenAPI document states every limit the API enforces: what it calls valid, the API accepts.

Each test checks a limit both ways, through the document's JSON Schema (as a client or Schemathesis
reads it) and through the API's own validation, and expects them to agree.
"""

from __future__ import annotations

import itertools
import json
import re
from datetime import UTC, date, datetime, timedelta
from types import SimpleNamespace
from typing import Any
from urllib.parse import quote

import jsonschema
import pytest
from pydantic import TypeAdapter, ValidationError

from case_reviews import bootstrap
from case_reviews.api.app import build_app
from case_reviews.api.front import handle
from case_reviews.api.models.common import PartialDate
from case_reviews.api.models.deposits import SubmissionRequest
from case_reviews.api.openapi import document
from case_reviews.domain.date_patterns import day_pattern, partial_date_pattern
from case_reviews.domain.errors import InvalidRequest, NotFound
from case_reviews.domain.fields import EmailAddress, Identifier, ShortName, Summary, Title
from case_reviews.domain.review_types import REVIEW_TYPES
from case_reviews.domain.rules import check_publication_date, latest_publication_day
from case_reviews.domain.search import SearchPage, SearchQuery
from case_reviews.domain.vocabulary import Nation
from case_reviews.services.search import SearchService
from infra.local.api_gateway import proxy_event
from infra.local.lambda_runtime import LocalContext
from tests.unit.factories import metadata_fields

NOW = datetime(2026, 12, 1, 10, 30, tzinfo=UTC)
LAST_DAY = latest_publication_day(NOW)


@pytest.fixture(scope="module")
def served() -> dict[str, Any]:
    """The document as GET /openapi.json serves it on NOW's day."""
    return json.loads(json.dumps(document(build_app(), LAST_DAY)))


def schema_of(served: dict[str, Any], name: str) -> jsonschema.Draft202012Validator:
    return jsonschema.Draft202012Validator({"$ref": f"#/components/schemas/{name}", "components": served["components"]})


def api_accepts_deposit(body: dict[str, Any]) -> bool:
    """What POST /submissions makes of the body: the request model, then "not published in the future"."""
    try:
        request = SubmissionRequest.model_validate_json(json.dumps(body))
        check_publication_date(request.to_metadata().publication_date.value, NOW)
    except (ValidationError, InvalidRequest):
        return False
    return True


# ---------------------------------------------------------------- dates


def every_day_text(first_year: int, last_year: int) -> list[str]:
    """Every YYYY-MM-DD text (real or not: months 00-13, days 00-32) of the years given."""
    return [
        f"{year:04d}-{month:02d}-{day:02d}"
        for year in range(first_year, last_year + 1)
        for month in range(14)
        for day in range(33)
    ]


def is_day_between(text: str, first: date, last: date) -> bool:
    try:
        return first <= date.fromisoformat(text) <= last
    except ValueError:
        return False


@pytest.mark.parametrize(
    ("first", "last"),
    [
        (date(1900, 1, 1), date(1905, 3, 1)),
        (date(2018, 6, 29), date(2020, 12, 2)),
        (date(2096, 2, 28), date(2100, 2, 28)),
    ],
)
def test_a_day_pattern_matches_exactly_the_real_days_of_its_range(first: date, last: date) -> None:
    # Given the pattern of the days from `first` to `last`
    pattern = re.compile(day_pattern(first, last))
    # When every day-shaped text of those years (and the years around them) is matched against it
    texts = every_day_text(first.year - 1, last.year + 1)
    # Then it matches the real days in the range, and no other (29 February in leap years only; not 1900, 2100)
    assert [text for text in texts if bool(pattern.fullmatch(text)) != is_day_between(text, first, last)] == []


def test_a_partial_date_pattern_matches_years_months_and_real_days_of_the_catalogues_years() -> None:
    # Given the pattern of from/to
    pattern = re.compile(partial_date_pattern(1900, 2100))
    # When years, months and days are matched against it
    years = [f"{year:04d}" for year in range(10000)]
    months = [f"{year}-{month:02d}" for year in ("0000", "1899", "1900", "2016", "2100", "2101") for month in range(14)]
    days = every_day_text(1899, 1901) + every_day_text(2099, 2101)
    # Then it takes 1900 to 2100, their twelve months, and their real days
    assert [year for year in years if pattern.fullmatch(year)] == [str(year) for year in range(1900, 2101)]
    assert {month for month in months if pattern.fullmatch(month)} == {
        f"{year}-{month:02d}" for year in ("1900", "2016", "2100") for month in range(1, 13)
    }
    assert [
        day for day in days if bool(pattern.fullmatch(day)) != is_day_between(day, date(1900, 1, 1), date(2100, 12, 31))
    ] == []


@pytest.mark.parametrize(
    "text", ["0000", "1899", "2101", "9999-12", "2016-13", "2016-02-30", "1900", "2100-12", "2016-02-29"]
)
def test_from_and_to_are_accepted_exactly_where_the_document_says(text: str) -> None:
    # Given a from/to value
    stated = re.fullmatch(partial_date_pattern(1900, 2100), text) is not None
    # When the API validates it
    try:
        TypeAdapter(PartialDate).validate_python(text)
        accepted = True
    except ValidationError:
        accepted = False
    # Then it accepts it if and only if the document's pattern does
    assert accepted is stated


@pytest.mark.parametrize(
    ("target", "message"),
    [
        ("/reviews?from=0000", "'0000' is not a real date"),
        ("/reviews?to=2101", "'2101' is outside the catalogue's years, 1900 to 2100"),
        ("/reviews?to=9999-12", "'9999-12' is outside the catalogue's years, 1900 to 2100"),
    ],
)
def test_a_from_or_to_outside_the_catalogues_years_is_a_400_saying_so(target: str, message: str) -> None:
    # Given a search from or to a year the catalogue cannot hold
    # When it is asked for
    status, problem = answer("GET", target)
    # Then it is a 400 problem saying why (not a 500 from a date past 9999)
    assert status == 400
    assert message in problem["errors"][0]["message"]


def test_the_served_document_lists_years_up_to_the_current_one_and_deposits_up_to_the_last_allowed_day(
    served: dict[str, Any],
) -> None:
    # Given the document served on NOW's day
    (year,) = served["paths"]["/years/{year}"]["get"]["parameters"]
    deposit = served["components"]["schemas"]["SubmissionRequest"]["properties"]
    # When its yearly list and deposit days are read
    # Then the lists run to this year, and a deposit's days to tomorrow in UTC (the time-zone allowance)
    assert (year["schema"]["minimum"], year["schema"]["maximum"]) == (1945, LAST_DAY.year)
    assert deposit["publication_date"]["pattern"] == day_pattern(date(1900, 1, 1), LAST_DAY)
    assert NOW.date() + timedelta(days=1) == LAST_DAY


# ---------------------------------------------------------------- the deposit


def deposits_to_try() -> list[dict[str, Any]]:
    """Every nation with every review type, each published on the day its type began and the day before,
    with and without a form; and commissioned dates around the publication."""
    bodies = []
    days = {date(1990, 6, 1), LAST_DAY, LAST_DAY + timedelta(days=1)}
    for rule in REVIEW_TYPES:
        if rule.since:
            days |= {rule.since, rule.since - timedelta(days=1)}
    for nation, rule, day, form in itertools.product(Nation, REVIEW_TYPES, sorted(days), (None, "concise")):
        body = metadata_fields(nation=str(nation), review_type=str(rule.review_type), publication_date=day.isoformat())
        bodies.append(body if form is None else {**body, "form": form})
    bodies.append(metadata_fields(review_type="child_safeguarding_practice_review", publication_date="2019-01-01"))
    bodies.append(metadata_fields(review_type="child_safeguarding_practice_review", publication_date="2017-01-01"))
    bodies.append(metadata_fields(publication_date="1899-12-31"))
    bodies.append(metadata_fields(commissioned_date="1899-12-31"))
    bodies.append(metadata_fields(commissioned_date="2016-03-14"))
    return bodies


def test_the_deposits_schema_and_the_api_agree_on_every_nation_type_day_and_form(served: dict[str, Any]) -> None:
    # Given deposits of every nation, review type, day around each type's beginning and form
    schema = schema_of(served, "SubmissionRequest")
    # When each is checked against the document's schema and by the API
    disagreements = [
        (body["nation"], body["review_type"], body["publication_date"], body.get("form"), body.get("commissioned_date"))
        for body in deposits_to_try()
        if schema.is_valid(body) is not api_accepts_deposit(body)
    ]
    # Then they agree on every one
    assert disagreements == []


def test_the_one_rule_the_schema_cannot_state_is_said_in_words(served: dict[str, Any]) -> None:
    # Given a deposit commissioned after it was published
    body = metadata_fields(commissioned_date="2016-03-15")
    # When the schema and the API judge it
    # Then the schema cannot tell (it compares no two fields), the API refuses it, and the field says so
    assert schema_of(served, "SubmissionRequest").is_valid(body)
    assert not api_accepts_deposit(body)
    commissioned = served["components"]["schemas"]["SubmissionRequest"]["properties"]["commissioned_date"]
    assert commissioned["description"] == "On or before publication_date."


def test_a_review_type_that_is_not_text_is_a_400_not_a_500(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a deposit whose review type is an object
    body = {**metadata_fields(), "review_type": {}}
    # When it is sent
    status, problem = answer("POST", "/submissions", body=body)
    # Then it is refused as bad input at body.review_type
    assert status == 400
    assert "body.review_type" in {error["location"] for error in problem["errors"]}


@pytest.mark.parametrize(
    "content_type", ["multipart/form-data", "multipart/form-data; boundary=x", "application/x-www-form-urlencoded"]
)
def test_a_deposit_sent_as_a_form_is_a_415_like_any_other_body_that_is_not_json(content_type: str) -> None:
    # Given a deposit sent as a form (with or without a multipart boundary)
    # When it is sent
    status, problem = answer("POST", "/submissions", raw=("title=x", content_type))
    # Then it is told to send JSON
    assert status == 415
    assert problem["detail"] == "Send the body as JSON, with 'Content-Type: application/json'."


# ---------------------------------------------------------------- texts


TEXTS = [
    "ab",
    "abc",
    "  abc  ",
    "\u3000abc\x0b",
    "a\x0bc",
    "ab\x00c",
    "a\tb\nc",
    "\x85ab\x85",
    "\x1cabc",
    "   ",
    "",
    "x" * 300,
    " " + "x" * 300 + " ",
    "x" * 301,
    "é" * 5,
]


@pytest.mark.parametrize(
    ("name", "field"),
    [("title", Title), ("summary", Summary), ("rights holder", ShortName), ("identifier", Identifier)],
)
def test_trimmed_texts_are_accepted_exactly_where_their_pattern_says(name: str, field: Any) -> None:
    # Given a text field and its schema's pattern
    adapter = TypeAdapter(field)
    pattern = re.compile(adapter.json_schema()["pattern"])
    # When texts with white space at their ends, control characters and lengths at the limits are judged
    disagreements = []
    for text in TEXTS:
        try:
            adapter.validate_python(text)
            accepted = True
        except ValidationError:
            accepted = False
        if accepted is not bool(pattern.fullmatch(text)):
            disagreements.append(text)
    # Then the pattern and the field agree on every one
    assert disagreements == [], name


@pytest.mark.parametrize(
    "address",
    [
        "a@b.co",
        " a@b.co ",
        "A@B.CO",
        "a b@c.de",
        "a\x85b@c.de",
        "a\u3000b@c.de",
        "a@b",
        "a@@b.c",
        "é@ü.de",
        "a\ufeff@b.c",
    ],
)
def test_an_address_is_accepted_exactly_where_its_pattern_says_in_every_regex_engine(address: str) -> None:
    # Given the address pattern, written without \s so that every engine reads it alike
    adapter = TypeAdapter(EmailAddress)
    pattern = adapter.json_schema()["pattern"]
    assert "\\s" not in pattern
    # When an address is judged by it (after trimming, as the API trims) and by the API
    try:
        adapter.validate_python(address)
        accepted = True
    except ValidationError:
        accepted = False
    # Then both agree
    assert accepted is (re.fullmatch(pattern, address.strip()) is not None)


# ---------------------------------------------------------------- paths and ranges


class Recording:
    """Search and record lookups that remember what they were asked."""

    def __init__(self) -> None:
        self.references: list[str] = []

    def record(self, reference: str) -> Any:
        self.references.append(reference)
        raise NotFound(f"No catalogue record {reference}.")


def answer(method: str, target: str, body: Any = None, raw: tuple[str, str] | None = None) -> tuple[int, Any]:
    headers, sent = {}, None
    if body is not None:
        headers, sent = {"Content-Type": "application/json"}, json.dumps(body)
    if raw is not None:
        sent, headers = raw[0], {"Content-Type": raw[1]}
    response = handle(build_app(), proxy_event(method, target, headers, sent), LocalContext(function_name="api"))
    return response["statusCode"], json.loads(response["body"]) if response.get("body") else None


def test_a_percent_encoded_path_parameter_reaches_the_route_decoded(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a reference of 40 characters, each of them sent percent-encoded (far more than 40 on the wire)
    recording = Recording()
    monkeypatch.setattr(bootstrap, "services", lambda: SimpleNamespace(search=recording))
    reference = "Ö" * 40
    # When it is asked for
    status, problem = answer("GET", f"/reviews/{quote(reference)}")
    # Then the route gets the 40 characters (within the document's maxLength), and answers 404 for them
    assert status == 404, problem
    assert recording.references == [reference]


def test_a_year_outside_the_from_to_range_finds_nothing_without_asking_the_index() -> None:
    # Given a search service over an index that must not be asked
    class Untouchable:
        def search(self, query: SearchQuery) -> SearchPage:
            raise AssertionError("the index was asked")

    service = SearchService(records=None, index=Untouchable(), store=None, clock=None, download_ttl_seconds=300)  # type: ignore[arg-type]
    # When the range left by a year and from/to is empty (from after to)
    page = service.search(SearchQuery(published_from=date(2099, 1, 1), published_to=date(1900, 12, 31)))
    # Then nothing is found
    assert (page.total, page.hits, page.next_search_after) == (0, (), None)
