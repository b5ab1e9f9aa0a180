"""People use the site in a real browser (headless Chromium) on the running local stack: they search, read,
download, browse a yearly list and deposit, with JavaScript off and on; every page state passes axe-core."""

from __future__ import annotations

import re
import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.e2e.browser import check_page, check_page_without_js, focus_is_visible, screenshot, tab_to, tab_to_link
from tests.e2e.conftest import Stack
from tests.e2e.test_board_and_searcher import deposit, wait_for, wait_for_outcome
from tests.e2e.test_staff_cli import staff_json
from tests.support.pdfs import make_pdf

pytestmark = pytest.mark.e2e
OUTCOME_TIMEOUT_MS = 90_000


def catalogued_report(stack: Stack, *pages: str, **changes: Any) -> tuple[str, bytes]:
    """A report deposited through the API and searchable: its reference and its file."""
    # (the file carries the title too, so two reports of the same words are two files, not a duplicate)
    pdf = make_pdf(*pages, title=changes.get("title", "Case review"))
    outcome = wait_for_outcome(stack, deposit(stack, pdf, **changes))
    assert outcome["status"] == "catalogued", outcome
    reference = outcome["reference"]
    searchable = wait_for(
        lambda: requests.get(f"{stack.api_url}/reviews", params={"q": reference}, timeout=10).json()["total"]
    )
    assert searchable, f"{reference} never became searchable"
    return reference, pdf


def fill_deposit(page: Any, stack: Stack, title: str, **changes: str) -> None:
    """Fill in step 1 by its labels, as a board's business manager does."""
    values = {
        "nation": "england",
        "review_type": "serious_case_review",
        "day": "14",
        "month": "3",
        "year": "2016",
        "themes": "Neglect; multi-agency working",
        **changes,
    }
    page.get_by_label("Board key").fill(stack.board_key)
    page.get_by_label("Title", exact=True).fill(title)
    page.get_by_label("Nation").select_option(values["nation"])
    page.get_by_label("Review type").select_option(values["review_type"])
    page.get_by_label("Document type").select_option("overview_report")
    publication = page.get_by_role("group", name="Publication date")
    publication.get_by_label("Day").fill(values["day"])
    publication.get_by_label("Month").fill(values["month"])
    publication.get_by_label("Year").fill(values["year"])
    page.get_by_label("Themes").fill(values["themes"])
    page.get_by_label("Summary").fill("Learning about neglect and how agencies shared what they knew.")
    page.get_by_label("Contact email").fill(f"manager-{uuid.uuid4().hex[:8]}@board.example")
    if changes.get("anonymous"):
        page.get_by_label("Publish anonymously on our behalf").check()


def upload(page: Any, tmp_path: Path, content: bytes) -> None:
    """Step 2: choose the file and press Upload; S3 (or the script) brings the browser to the status page."""
    report = tmp_path / f"report-{uuid.uuid4().hex[:6]}.pdf"
    report.write_bytes(content)
    page.get_by_label("Report (PDF)").set_input_files(str(report))
    page.get_by_role("button", name="Upload").click()
    page.wait_for_url(re.compile(r"/deposit/[0-9a-f-]{36}"))
    page.wait_for_load_state()


def status_heading(page: Any) -> Any:
    return page.locator("#deposit-status h2")


def wait_for_heading(page: Any, pattern: str) -> str:
    from playwright.sync_api import expect

    expect(status_heading(page)).to_have_text(re.compile(pattern), timeout=OUTCOME_TIMEOUT_MS)
    return str(status_heading(page).inner_text())


def check_again_until(page: Any, pattern: str) -> str:
    """Follow the status page's "Check again" (as someone without JavaScript does) until the status
    matches; its heading then."""
    deadline = time.monotonic() + OUTCOME_TIMEOUT_MS / 1000
    while not re.search(pattern, heading := str(status_heading(page).inner_text())):
        assert time.monotonic() < deadline, f"the status stayed {heading!r}"
        page.get_by_role("link", name="Check again").click()
        page.wait_for_load_state()
    return heading


# ---------------------------------------------------------------- searching, reading, the yearly list


def test_a_searcher_finds_a_phrase_of_a_report_opens_its_record_and_downloads_it(
    stack: Stack, page_without_js: Any, page: Any
) -> None:
    # Given a catalogued report with a phrase of its own
    marker = f"kw{uuid.uuid4().hex[:8]}"
    reference, _ = catalogued_report(
        stack,
        f"The children were neglected over many months. Marker {marker}.",
        title=f"Review of Child {marker}",
        child=f"Child {marker}",
        outcome="serious_harm",
        age_band="1_to_4",
        learning="Agencies did not share what they knew.",
    )
    # When a searcher (without JavaScript) searches for the phrase from the home page
    browser = page_without_js
    browser.goto(f"{stack.api_url}/")
    browser.get_by_label("Search case reviews").fill(f'"neglected over many months" {marker}')
    browser.get_by_role("button", name="Search").click()
    # Then the results list the report, with the total and the facets as filter links
    assert browser.get_by_role("heading", name="1 case review found").is_visible()
    browser.get_by_role("link", name=f"Review of Child {marker}").wait_for()
    filters = browser.get_by_role("complementary")
    assert filters.get_by_role("link", name=re.compile(r"England \(\d+\)")).is_visible()
    # (the case's facets too, under their headings)
    assert filters.get_by_role("heading", name="Outcome").is_visible()
    assert filters.get_by_role("link", name=re.compile(r"Serious harm \(\d+\)")).is_visible()
    results_url = browser.url
    # And its record page shows the catalogue's description and the download button
    browser.get_by_role("link", name=f"Review of Child {marker}").click()
    assert browser.get_by_role("heading", level=1).inner_text() == f"Review of Child {marker}"
    assert browser.get_by_text(stack.board_name).first.is_visible()
    assert browser.locator("dt:text-is('Published') + dd").first.inner_text() == "14 March 2016"
    # And the case, as the yearly lists describe it
    assert browser.locator("dt:text-is('Child') + dd").inner_text() == f"Child {marker}"
    assert browser.locator("dt:text-is('Age of the child') + dd").inner_text() == "1 to 4 years"
    assert browser.get_by_role("heading", name="Key learning").is_visible()
    # And the download is the library's copy of the file (its clean rewrite), as the API hands it out
    with browser.expect_download() as download:
        browser.get_by_role("link", name="Download the report (PDF)").click()
    downloaded = Path(download.value.path()).read_bytes()
    assert downloaded.startswith(b"%PDF-")
    assert downloaded == requests.get(f"{stack.api_url}/reviews/{reference}/download", timeout=10).content
    assert download.value.suggested_filename == f"{reference}.pdf"
    # And the pages pass axe-core (in a browser that runs it), as the home page does with its latest additions
    for state, url in (
        ("home", f"{stack.api_url}/"),
        ("results-with-facets", results_url),
        ("record", f"{stack.api_url}/record/{reference}"),
    ):
        page.goto(url)
        check_page(page, state)
    assert not [message for message in page.console_messages if "Content Security Policy" in message]


def test_the_yearly_list_has_the_years_reports_in_date_order(stack: Stack, page_without_js: Any, page: Any) -> None:
    # Given a report published in 2016
    reference, _ = catalogued_report(stack, f"Yearly list report {uuid.uuid4().hex}")
    # When someone opens the yearly lists from the home page and chooses 2016
    page_without_js.goto(f"{stack.api_url}/")
    page_without_js.get_by_role("link", name="Case reviews published in 2016").click()
    # Then the list has its heading and the report
    assert page_without_js.get_by_role("heading", level=1).inner_text() == "Case reviews published in 2016"
    assert page_without_js.get_by_text(reference).first.is_visible()
    page.goto(page_without_js.url)
    check_page(page, "yearly-list")


def test_searching_reading_downloading_and_the_yearly_list_can_be_done_with_the_keyboard_alone(
    stack: Stack, page: Any
) -> None:
    # Given a catalogued report with a word of its own
    marker = f"kb{uuid.uuid4().hex[:8]}"
    title = f"Review of Child {marker} (keyboard)"
    # (published early in 2016, so that its yearly list has it near the top)
    reference, _ = catalogued_report(
        stack, f"Keyboard search {marker}. Neglect.", title=title, publication_date="2016-01-04"
    )
    page.goto(f"{stack.api_url}/")
    # When a searcher reaches the search box with Tab, types the word and presses Enter
    tab_to(page, "q")
    page.keyboard.type(marker)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="1 case review found").wait_for()
    # And tabs to the result (the focus always visible) and opens it with Enter
    tab_to_link(page, title)
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name=title).wait_for()
    # Then the download is reached with Tab and followed with Enter
    tab_to_link(page, "Download the report (PDF)")
    with page.expect_download() as download:
        page.keyboard.press("Enter")
    assert download.value.suggested_filename == f"{reference}.pdf"
    assert Path(download.value.path()).read_bytes().startswith(b"%PDF-")
    # And from the home page, the yearly list of 2016 and the report in it are reached the same way
    page.goto(f"{stack.api_url}/")
    tab_to_link(page, "Case reviews published in 2016", limit=200)
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name="Case reviews published in 2016").wait_for()
    tab_to_link(page, title, limit=2000)
    page.keyboard.press("Enter")
    page.get_by_role("heading", level=1, name=title).wait_for()


def test_a_removed_copy_shows_its_removal_instead_of_the_download(stack: Stack, page: Any) -> None:
    # Given a record whose copy staff took down
    reference, _ = catalogued_report(stack, f"Taken down {uuid.uuid4().hex}")
    staff_json(stack, "records", "take-down", reference, "--code", "error", "--note", "Deposited by mistake")
    # When its record page is opened
    page.goto(f"{stack.api_url}/record/{reference}")
    # Then it says when and why, and offers no download
    assert page.get_by_role("heading", name="The electronic copy has been removed").is_visible()
    assert page.get_by_text("Withdrawn by the library.").is_visible()
    assert page.get_by_role("link", name="Download the report (PDF)").count() == 0
    check_page(page, "record-removed-copy")


# ---------------------------------------------------------------- depositing


def test_a_board_deposits_a_report_with_javascript_off(
    stack: Stack, page_without_js: Any, browser: Any, tmp_path: Path
) -> None:
    browser_engine, browser = browser, page_without_js
    title = f"Serious Case Review: Child {uuid.uuid4().hex[:6]} (no script)"
    # When a board fills in step 1 and continues
    browser.goto(f"{stack.api_url}/deposit")
    fill_deposit(browser, stack, title)
    browser.get_by_role("button", name="Continue").click()
    # Then step 2 is a plain form for the file
    assert browser.get_by_role("heading", level=1).inner_text() == "Upload the report"
    screenshot(browser, "deposit-step-2-without-javascript")
    # And its status page, before the file is sent, says it waits for it, passing axe as a browser without
    # JavaScript shows it: no timed refresh (WCAG 2.2.1), a "Check again" link instead
    status_url = browser.locator("[data-upload-form]").get_attribute("data-status-url")
    waiting = browser.context.new_page()
    waiting.goto(f"{stack.api_url}{status_url}")
    assert status_heading(waiting).inner_text() == "Waiting for the file"
    assert waiting.get_by_role("link", name="Check again").is_visible()
    check_page_without_js(waiting, browser_engine, "status-waiting-without-javascript")
    waiting.close()
    # And after the upload S3 sends the browser to the status page, where "Check again" follows it to catalogued
    upload(browser, tmp_path, make_pdf(f"{title}. The children were neglected."))
    check_page_without_js(browser, browser_engine, "status-after-upload-without-javascript")
    heading = check_again_until(browser, r"^Catalogued as CR-\d{4}-\d{4,6}$")
    check_page_without_js(browser, browser_engine, "status-catalogued-without-javascript")
    # And its record is one link away
    reference = heading.removeprefix("Catalogued as ")
    browser.get_by_role("link", name=f"See the catalogue record {reference}").click()
    assert browser.get_by_role("heading", level=1).inner_text() == title


def test_a_board_deposits_a_report_with_javascript_on(stack: Stack, page: Any, tmp_path: Path) -> None:
    title = f"Serious Case Review: Child {uuid.uuid4().hex[:6]} (with script)"
    page.goto(f"{stack.api_url}/deposit")
    check_page(page, "deposit-step-1")
    # Given the review types follow the nation: Scotland's only, then England's
    page.get_by_label("Nation").select_option("scotland")
    offered = page.locator("#review_type option").evaluate_all("options => options.map(o => o.value)")
    assert offered == ["", "significant_case_review", "learning_review", "inquiry_report", "other"]
    # When the board fills in step 1 (England) and continues
    fill_deposit(page, stack, title)
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Upload the report"
    check_page(page, "deposit-step-2")
    # And uploads with the script (a progress bar), which then opens the status page itself (S3's
    # redirect, which names the key, is what a browser without the script follows)
    upload(page, tmp_path, make_pdf(f"{title}. The children were neglected."))
    assert "key=" not in page.url
    # Then the status updates in place, never reloading the page, until catalogued
    page.evaluate("() => { window.stillTheSamePage = true; }")
    wait_for_heading(page, r"^Catalogued as CR-")
    assert page.evaluate("() => window.stillTheSamePage === true")
    check_page(page, "status-catalogued")
    assert not [message for message in page.console_messages if "Content Security Policy" in message]


def test_a_bad_deposit_shows_the_error_summary_linked_to_its_fields(stack: Stack, page: Any) -> None:
    # Given a board that posts step 1 with a Scottish serious case review, no month and a misspelt theme
    page.goto(f"{stack.api_url}/deposit")
    fill_deposit(page, stack, "Serious Case Review: Child E", themes="neglct")
    page.get_by_label("Nation").select_option("scotland")  # the script drops the English type
    page.get_by_role("group", name="Publication date").get_by_label("Month").fill("")
    page.get_by_role("button", name="Continue").click()
    # Then the same form comes back with the error summary first, and it has the focus
    summary = page.locator(".error-summary")
    assert summary.get_by_role("heading", name="There is a problem").is_visible()
    assert page.evaluate("() => document.activeElement.classList.contains('error-summary')")
    assert page.title().startswith("Error: ")
    links = summary.get_by_role("link").all_inner_texts()
    assert links == [
        "Select the review type",
        "Publication date must include a month",
        "'neglct' is not a theme of the library's vocabulary; did you mean 'Neglect' (neglect)?",
    ]
    check_page(page, "deposit-error-summary")
    # And each error links to its field
    summary.get_by_role("link", name="Publication date must include a month").click()
    assert page.evaluate("() => document.activeElement.id") == "publication_date-day"


def test_a_deposit_can_be_made_with_the_keyboard_alone_with_the_focus_always_visible(
    stack: Stack, page: Any, tmp_path: Path
) -> None:
    title = f"Serious Case Review: Child {uuid.uuid4().hex[:6]} (keyboard)"
    page.goto(f"{stack.api_url}/deposit")
    # The first Tab reaches the skip link, which shows it has the focus and takes the focus to the content
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Skip to main content"
    assert focus_is_visible(page)
    page.keyboard.press("Enter")
    # Each field is reached with Tab and filled from the keyboard
    for element_id, keys in (
        ("board_key", stack.board_key),
        ("title", title),
        ("nation", "England"),
        ("review_type", "Serious"),
        ("document_type", "Overview"),
        ("publication_date-day", "14"),
        ("publication_date-month", "3"),
        ("publication_date-year", "2016"),
        ("contact_email", "keyboard@board.example"),
    ):
        tab_to(page, element_id)
        page.keyboard.type(keys)
    assert page.locator("#review_type").input_value() == "serious_case_review"
    page.keyboard.press("Tab")  # the checkbox
    page.keyboard.press("Tab")  # Continue
    assert page.evaluate("() => document.activeElement.textContent") == "Continue" and focus_is_visible(page)
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Upload the report").wait_for()
    # Step 2: the file (chosen with the system's dialog, which a headless browser has not), then Upload by key
    report = tmp_path / "keyboard.pdf"
    report.write_bytes(make_pdf(f"{title}. Neglect."))
    page.get_by_label("Report (PDF)").set_input_files(str(report))
    tab_to(page, "file")
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "Upload" and focus_is_visible(page)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/deposit/[0-9a-f-]{36}"))
    wait_for_heading(page, r"^Catalogued as CR-")


# ---------------------------------------------------------------- every status, in words


def open_deposit(page: Any, stack: Stack, title: str, **changes: str) -> None:
    page.goto(f"{stack.api_url}/deposit")
    fill_deposit(page, stack, title, **changes)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Upload the report").wait_for()


def test_each_status_reads_in_words_and_passes_axe(stack: Stack, page: Any, tmp_path: Path) -> None:
    marker = uuid.uuid4().hex[:8]
    # Waiting for the file: a deposit whose file never came
    open_deposit(page, stack, f"Never uploaded {marker}")
    status_url = page.locator("[data-upload-form]").get_attribute("data-status-url")
    page.goto(f"{stack.api_url}{status_url}")
    assert status_heading(page).inner_text() == "Waiting for the file"
    check_page(page, "status-waiting-for-the-file")
    # Being processed: the file has just arrived (S3's redirect names the key it stored)
    submission_id = status_url.rsplit("/", 1)[1]
    page.goto(f"{stack.api_url}{status_url}?key=incoming%2F{submission_id}.pdf")
    assert status_heading(page).inner_text() == "Being processed"
    check_page(page, "status-being-processed")
    # Rejected: a file that is not a PDF, with what to do
    open_deposit(page, stack, f"Not a PDF {marker}")
    upload(page, tmp_path, b"PK\x03\x04 a word-processor file, not a PDF")
    assert "not a PDF" in wait_for_heading(page, r"^Rejected: ")
    assert page.get_by_role("link", name="deposit it again").is_visible()
    check_page(page, "status-rejected")
    # Already in the library: the same file twice
    pdf = make_pdf(f"Duplicate {marker}")
    open_deposit(page, stack, f"First {marker}")
    upload(page, tmp_path, pdf)
    wait_for_heading(page, r"^Catalogued as CR-")
    open_deposit(page, stack, f"Second {marker}")
    upload(page, tmp_path, pdf)
    wait_for_heading(page, r"^Already in the library as CR-")
    check_page(page, "status-duplicate")
    # Needs a check by the library: an anonymous report whose text names the board, with the reason
    open_deposit(page, stack, f"Anonymous {marker}", anonymous="yes")
    upload(page, tmp_path, make_pdf(f"This review was commissioned by {stack.board_name}. {marker}"))
    wait_for_heading(page, r"^Needs a check by the library$")
    assert "names" in page.locator("#deposit-status").inner_text()
    check_page(page, "status-needs-a-check")
