"""The site's pages of the learning features in a real browser on the local stack: the record page's similar
reviews, citation and exports; the statistics charts; the alert sign-up form. Every state passes axe-core."""

from __future__ import annotations

import html
import re
import uuid
from typing import Any

import pytest
import requests

from tests.e2e.browser import check_page
from tests.e2e.conftest import Stack
from tests.e2e.test_board_and_searcher import wait_for
from tests.e2e.test_site import catalogued_report

pytestmark = pytest.mark.e2e


def test_a_record_page_lists_similar_reviews_with_its_citation_and_exports(stack: Stack, page: Any) -> None:
    # Given two reports on the same theme, with words in common
    marker = f"kw{uuid.uuid4().hex[:8]}"
    text = f"Neglect of the children {marker}: agencies did not share what they knew about the home."
    first, _ = catalogued_report(stack, text, title=f"Review of Child A {marker}")
    second, _ = catalogued_report(stack, text, title=f"Review of Child B {marker}")
    # When the first one's record page is opened
    page.goto(f"{stack.api_url}/record/{first}")
    # Then "Similar reviews" links to the other, never to itself
    similar = page.get_by_role("region", name="Similar reviews")
    similar.get_by_role("link", name=f"Review of Child B {marker}").wait_for()
    assert similar.get_by_role("link", name=f"Review of Child A {marker}").count() == 0
    # And the citation and the exports are there; the RIS export is the API's record as RIS
    assert first in page.locator(".citation").inner_text()
    ris = page.get_by_role("link", name=re.compile("^Export as RIS")).get_attribute("href")
    answer = requests.get(f"{stack.api_url.rstrip('/')}{ris}" if ris.startswith("/") else ris, timeout=10)
    assert answer.status_code == 200 and f"AN  - {first}" in answer.text
    assert page.get_by_role("link", name=re.compile("^Export as CSV")).is_visible()
    check_page(page, "record-similar")
    assert second


def test_the_statistics_page_charts_the_counts_and_filters_without_javascript(
    stack: Stack, page_without_js: Any, page: Any
) -> None:
    # Given a catalogued report of 2016
    catalogued_report(stack, f"Statistics report {uuid.uuid4().hex}")
    # When the statistics page is filtered to 2016 with JavaScript off
    browser = page_without_js
    browser.goto(f"{stack.api_url}/")
    browser.get_by_role("link", name="Statistics").click()
    browser.get_by_label("From year").select_option("2016")
    browser.get_by_label("To year").select_option("2016")
    browser.get_by_role("button", name="Show the counts").click()
    # Then each count is charted, with its table of the same numbers
    assert "from_year=2016" in browser.url
    assert browser.locator("svg.bar-chart").count() == 4
    year = browser.get_by_role("table", name=re.compile("By year published"))
    assert year.get_by_role("row", name=re.compile(r"^2016 \d+$")).is_visible()
    page.goto(browser.url)
    check_page(page, "statistics")


def test_a_browser_opening_the_statistics_route_is_sent_to_the_statistics_page(stack: Stack, page: Any) -> None:
    # Given the JSON route of the counts, with a filter
    # When a browser opens it (its Accept prefers HTML)
    page.goto(f"{stack.api_url}/statistics?from_year=2016")
    # Then it shows the statistics page with the same filter; a program still gets the counts
    assert page.url == f"{stack.api_url}/charts?from_year=2016"
    assert page.get_by_role("heading", level=1).is_visible()
    assert page.locator("svg.bar-chart").count() == 4
    counts = requests.get(f"{stack.api_url}/statistics?from_year=2016", timeout=10)
    assert counts.status_code == 200 and "by_year" in counts.json()
    assert counts.headers["Vary"] == "Accept"


def test_the_alert_sign_up_shows_its_errors_then_says_check_your_email(stack: Stack, page: Any) -> None:
    # Given results of a search, with their alert link
    page.goto(f"{stack.api_url}/search?q=neglect&nation=england")
    page.get_by_role("link", name="Get alerts for this search").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Get email alerts"
    check_page(page, "alerts-form")
    # When the form is sent with an address that is not one
    page.get_by_label("Email address").fill("not-an-address")
    page.get_by_role("button", name="Sign up").click()
    # Then the error summary links to the field
    summary = page.get_by_role("alert")
    assert summary.get_by_role("heading", name="There is a problem").is_visible()
    summary.get_by_role("link", name=re.compile("correct format")).click()
    assert page.evaluate("() => document.activeElement.id") == "email"
    check_page(page, "alerts-form-error")
    # When it is sent with a good address for the search
    page.get_by_label("Email address").fill(f"reader-{uuid.uuid4().hex[:8]}@example.org")
    page.get_by_label(re.compile("^New case reviews matching my search")).check()
    page.get_by_role("button", name="Sign up").click()
    # Then it says to check the email
    assert page.get_by_role("heading", level=1).inner_text() == "Check your email"
    check_page(page, "alerts-check-your-email")


def test_the_alert_email_s_links_open_pages_of_the_site_whose_buttons_confirm_and_stop(stack: Stack, page: Any) -> None:
    # Given a reader who signed up for a saved search, and the confirmation email's two links
    reader = f"reader-{uuid.uuid4().hex[:8]}@example.org"
    signed_up = requests.post(f"{stack.api_url}/alerts", json={"email": reader, "search": "q=neglect"}, timeout=10)
    assert signed_up.status_code == 202, signed_up.text
    (confirmation,) = wait_for(lambda: [m for m in stack.emails() if reader in m["destinations"]["ToAddresses"]])
    links = {
        kind: html.unescape(url)
        for url, kind in re.findall(r'href="([^"]+/alerts/(confirm|unsubscribe)/[^"]+)"', confirmation["body"])
    }
    # When the reader opens the confirmation link
    page.goto(links["confirm"])
    # Then it is a page of the site asking, with its button; opening it confirmed nothing
    assert page.get_by_role("heading", level=1).inner_text() == "Confirm your alert"
    assert page.get_by_role("main").get_by_text("Send this address").is_visible()
    assert page.get_by_role("link", name="National case review repository").is_visible()
    check_page(page, "alerts-confirm")
    # When the reader presses Confirm
    page.get_by_role("button", name="Confirm").click()
    # Then the page says it is confirmed
    assert page.get_by_role("heading", level=1).inner_text() == "Your alert is confirmed"
    check_page(page, "alerts-confirmed")
    # When the reader opens the unsubscribe link, and presses Unsubscribe
    page.goto(links["unsubscribe"])
    assert page.get_by_role("heading", level=1).inner_text() == "Stop an alert"
    check_page(page, "alerts-unsubscribe")
    page.get_by_role("button", name="Unsubscribe").click()
    # Then the page says so
    assert page.get_by_role("heading", level=1).inner_text() == "You are unsubscribed"
    check_page(page, "alerts-unsubscribed")
