"""Schemathesis hooks for the contract run (tests/e2e/test_published_contract.py), loaded by SCHEMATHESIS_HOOKS.

Every limit the API enforces is stated in its OpenAPI document, except two that no JSON Schema can
state; the document says them in words, and these hooks keep the valid (positive) cases within them.
Invalid (negative) cases are left exactly as generated.

- A cursor is only ever one the API handed out (`next_cursor`), for the same search or board: a
  generated string is never one, so valid cases are sent without a cursor.
- One value compared with another: a report is commissioned on or before it is published, a
  search's `from` is not after its `to`, and the statistics' `from_year` not after their `to_year`.
- A saved search (`POST /alerts`' `search`) is a query string whose names and values are GET /reviews'
  parameters, each checked as that route checks it: the document states its shape and says so in words,
  so valid cases sign up for a search of that kind.
"""

from __future__ import annotations

from typing import Any

import schemathesis


def _positive(case: Any) -> bool:
    return case.meta is not None and case.meta.generation.mode.is_positive


def _after(start: Any, end: Any) -> bool:
    """Whether the period `start` (YYYY, YYYY-MM or YYYY-MM-DD) begins after the period `end` ends."""
    if not (isinstance(start, str) and isinstance(end, str)):
        return False
    first_day = start + "-01-01"[len(start) - 4 :]
    # Compared as text: "-31" is at or after the last day of any month, "-12-31" of any year.
    last_day = end + "-12-31"[len(end) - 4 :]
    return first_day > last_day


@schemathesis.hook
def map_case(context: Any, case: Any) -> Any:
    if not _positive(case):
        return case
    query = case.query
    if isinstance(query, dict):
        query.pop("cursor", None)
        if _after(query.get("from"), query.get("to")):
            del query["to"]
        years = query.get("from_year"), query.get("to_year")
        if all(str(year).isdigit() for year in years) and int(str(years[0])) > int(str(years[1])):
            del query["to_year"]
    body = case.body
    if isinstance(body, dict) and isinstance(body.get("search"), str) and "email" in body:
        body["search"] = "q=neglect&theme=Neglect&nation=england"
    if isinstance(body, dict) and isinstance(body.get("commissioned_date"), str):
        published = body.get("publication_date")
        if isinstance(published, str) and body["commissioned_date"] > published:
            body["commissioned_date"] = published
    return case
