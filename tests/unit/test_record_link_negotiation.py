"""A record's permanent link, GET /reviews/{reference}, opened in a browser: the record's page on the site."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from tests.unit.api_requests import BROWSER, answer, serving
from tests.unit.factories import a_record


class OneRecord:
    """The search service's `record`: the one record it holds; every reference asked is kept."""

    def __init__(self) -> None:
        self.asked: list[str] = []

    def record(self, reference: str) -> Any:
        self.asked.append(reference)
        return a_record(reference=reference)


@pytest.fixture
def records() -> Iterator[OneRecord]:
    service = OneRecord()
    with serving(search=service):
        yield service


def test_a_browser_opening_a_record_s_link_is_sent_to_its_page(records: OneRecord) -> None:
    # Given a browser following a record's permanent link (a citation, an alert email, the feed)
    # When it asks GET /reviews/CR-2016-0001
    status, headers, _ = answer("/reviews/CR-2016-0001", BROWSER)
    # Then it is sent (303) to the record's page on the site, the answer varying by Accept
    assert status == 303
    assert headers["Location"] == "https://reviews.example.org/v1/record/CR-2016-0001"
    assert headers["Vary"] == "Accept"


@pytest.mark.parametrize("accept", [None, "*/*", "application/json"])
def test_a_program_gets_the_record_as_json_varying_by_accept(records: OneRecord, accept: str | None) -> None:
    # Given a client that does not prefer HTML, When it asks for the record
    status, headers, body = answer("/reviews/CR-2016-0001", accept)
    # Then it gets the record as JSON, the answer varying by Accept
    assert status == 200
    assert headers["Content-Type"].startswith("application/json")
    assert headers["Vary"] == "Accept"
    assert json.loads(body)["reference"] == "CR-2016-0001"
    assert records.asked == ["CR-2016-0001"]


def test_the_page_a_browser_is_sent_to_keeps_the_reference_one_segment_of_its_path(records: OneRecord) -> None:
    # Given a browser asking for a reference with characters that mean something in an address (sent encoded)
    # When it asks GET /reviews/CR%3F%23%C3%96 (the reference "CR?#Ö")
    status, headers, _ = answer("/reviews/CR%3F%23%C3%96", BROWSER)
    # Then the page's address carries the reference encoded again, as one path segment
    assert status == 303
    assert headers["Location"] == "https://reviews.example.org/v1/record/CR%3F%23%C3%96"
