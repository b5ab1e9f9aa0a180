"""The board's and staff's emails: the templates in infra/email, filled in, as text and HTML."""

from __future__ import annotations

import re

import jinja2
import pytest

from case_reviews.adapters.email import JinjaEmailRenderer

render = JinjaEmailRenderer().render


def flat(part: str) -> str:
    """A part as its words: tags removed, line breaks and runs of spaces as one space."""
    return " ".join(re.sub(r"<[^>]+>", " ", part).split())


CATALOGUED = {
    "reference": "CR-2016-0001",
    "title": "Serious Case Review: Child K",
    "publication_date": "14 March 2016",
    "publisher": "Northshire Safeguarding Children Partnership",
    "rights_holder": "Northshire Safeguarding Children Partnership",
    "rights_statement": (
        "Copyright remains with Northshire Safeguarding Children Partnership. "
        "The library holds a copy to share the learning from it."
    ),
    "anonymous": False,
    "available_until": "26 November 2031",
    "record_url": "https://reviews.example.org/v1/record/CR-2016-0001",
    "holdings": [
        {
            "reference": "CR-2012-0004",
            "title": "Learning Review: Family L",
            "publication_date": "2012",
            "anonymous": True,
        },
        {
            "reference": "CR-2016-0001",
            "title": "Serious Case Review: Child K",
            "publication_date": "14 March 2016",
            "anonymous": False,
        },
    ],
    "deposit_url": "https://reviews.example.org/deposit",
    "library_email": "enquiries@library.example.org",
}
REJECTED = {
    "title": "Serious Case Review: Child K",
    "submission_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    "reason": "The file is not a PDF. Export the report as PDF and submit it again.",
}

DUPLICATE = {
    "title": "Serious Case Review: Child K",
    "submission_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    "reference": "CR-2016-0001",
    "record_url": "https://reviews.example.org/v1/record/CR-2016-0001",
}
EXPIRY_WARNING = {
    "reference": "CR-2016-0001",
    "title": "Serious Case Review: Child K",
    "available_until": "25 November 2031",
    "removed_on": "26 November 2031",
    "record_url": "https://reviews.example.org/v1/record/CR-2016-0001",
}
EXPIRY_SUMMARY = {
    "as_of": "26 October 2031",
    "until": "25 November 2031",
    "copies": [
        {
            "reference": "CR-2016-0001",
            "title": "Serious Case Review: Child K",
            "board": "Northshire Safeguarding Children Partnership",
            "available_until": "3 November 2031",
            "record_url": "https://reviews.example.org/v1/record/CR-2016-0001",
        },
        {
            "reference": "CR-2016-0007",
            "title": "Learning Review: Family L",
            "board": "Southshire Safeguarding Partnership",
            "available_until": "25 November 2031",
            "record_url": "https://reviews.example.org/v1/record/CR-2016-0007",
        },
    ],
}


@pytest.mark.parametrize(
    ("kind", "values", "subject"),
    [
        ("report_catalogued", CATALOGUED, "Received: Serious Case Review: Child K (CR-2016-0001)"),
        ("submission_rejected", REJECTED, "We could not catalogue your upload: Serious Case Review: Child K"),
        ("submission_duplicate", DUPLICATE, "Already in the library: Serious Case Review: Child K (CR-2016-0001)"),
        (
            "expiry_warning",
            EXPIRY_WARNING,
            "Electronic copy to be removed on 26 November 2031: Serious Case Review: Child K (CR-2016-0001)",
        ),
        ("expiry_summary", EXPIRY_SUMMARY, "Electronic copies to be removed by 25 November 2031: 2"),
    ],
)
def test_each_email_renders_its_subject_and_both_parts_with_every_value(
    kind: str, values: dict[str, object], subject: str
) -> None:
    # Given an email kind and a value for each of its placeholders
    # When it is rendered
    email = render(kind, values)
    # Then the subject is the first line without "Subject:", the text starts at the greeting,
    # and every value appears in both parts with no placeholder left over
    assert email.subject == subject
    assert email.text.startswith("Dear colleague,\n")
    assert "<p>Dear colleague,</p>" in email.html
    for value in values.values():
        if isinstance(value, str):
            assert value in email.text
            assert value in email.html
    assert "{{" not in email.subject + email.text + email.html
    assert "Subject:" not in email.text


@pytest.mark.parametrize(
    ("kind", "values", "missing"),
    [
        ("report_catalogued", CATALOGUED, "available_until"),
        ("report_catalogued", CATALOGUED, "reference"),
        ("submission_rejected", REJECTED, "reason"),
        ("submission_duplicate", DUPLICATE, "reference"),
        ("expiry_warning", EXPIRY_WARNING, "removed_on"),
        ("expiry_summary", EXPIRY_SUMMARY, "copies"),
    ],
)
def test_a_missing_value_is_an_error_naming_it(kind: str, values: dict[str, object], missing: str) -> None:
    # Given the values for an email with one left out
    incomplete = {name: value for name, value in values.items() if name != missing}
    # When it is rendered
    with pytest.raises(jinja2.UndefinedError) as raised:
        render(kind, incomplete)
    # Then the missing value is named (no email goes out with a gap in it)
    assert f"'{missing}' is undefined" in str(raised.value)


def test_the_acknowledgement_says_what_the_board_needs_to_know() -> None:
    # Given a catalogued report
    # When its acknowledgement is rendered
    email = render("report_catalogued", CATALOGUED)
    # Then, in both parts: thanks, the rights statement, available until the date subject to legal rulings, the
    # reports held from the board, a request for the others commissioned after 10 June 2010 with the deposit
    # page, other learning reports and anonymous publication welcome, and the library's address
    for part in (flat(email.text), flat(email.html)):
        assert "Thank you for depositing your case review" in part
        assert (
            "Copyright remains with Northshire Safeguarding Children Partnership. "
            "The library holds a copy to share the learning from it." in part
        )
        assert "until 26 November 2031, subject to any legal ruling" in part
        assert "The library now holds 2 reports from your board" in part
        assert "commissioned after 10 June 2010" in part
        assert "https://reviews.example.org/deposit" in part
        assert "Other learning reports are welcome" in part
        assert "the library can publish it anonymously on your board's behalf" in part
        assert "enquiries@library.example.org" in part
    assert "published anonymously on your board's behalf" not in flat(email.text)
    assert '<a href="https://reviews.example.org/deposit">' in email.html
    assert '<a href="mailto:enquiries@library.example.org">' in email.html


def test_the_acknowledgement_lists_the_holdings_with_reference_title_and_date() -> None:
    # Given two reports held from the board, one published anonymously and known only by its year
    # When the acknowledgement is rendered
    email = render("report_catalogued", CATALOGUED)
    # Then each is listed in the order given with its reference, publication date and title; the anonymous one marked
    assert "  CR-2012-0004  2012  (published anonymously)\n  Learning Review: Family L\n" in email.text
    assert "  CR-2016-0001  14 March 2016\n  Serious Case Review: Child K\n" in email.text
    assert email.text.index("CR-2012-0004") < email.text.index("CR-2016-0001  14 March")
    assert (
        "<tr><td>CR-2012-0004</td><td>Learning Review: Family L (published anonymously)</td><td>2012</td></tr>"
        in email.html
    )


def test_one_report_held_reads_in_the_singular() -> None:
    # Given the first report the library holds from the board
    values = {**CATALOGUED, "holdings": CATALOGUED["holdings"][1:]}
    # When the acknowledgement is rendered
    email = render("report_catalogued", values)
    # Then the count is singular
    assert "The library now holds 1 report from your board:" in email.text


@pytest.mark.parametrize("word", ["POST", "/submissions", "API", "endpoint", "presigned", "JSON", "HTTP"])
def test_the_acknowledgement_has_no_technical_words(word: str) -> None:
    # Given a catalogued report, anonymous or not
    for values in (CATALOGUED, {**CATALOGUED, "anonymous": True}):
        # When its acknowledgement is rendered
        email = render("report_catalogued", values)
        # Then no part holds the word in any case, outside the links (an address starts with https)
        for part in (email.subject, email.text, email.html):
            assert word.lower() not in re.sub(r"(https?|mailto):[^\s\"<>]+", " ", part).lower()


def test_an_anonymous_report_s_acknowledgement_says_it_is_published_anonymously() -> None:
    # Given a report published anonymously on the board's behalf
    # When its acknowledgement is rendered
    email = render("report_catalogued", {**CATALOGUED, "anonymous": True, "publisher": "Anonymous"})
    # Then both parts say so, and still give the rights statement naming the board as the copyright holder
    for part in (flat(email.text), flat(email.html)):
        assert "published anonymously on your board's behalf" in part
        assert "Copyright remains with Northshire Safeguarding Children Partnership." in part


def test_markup_in_a_value_is_escaped_in_html_and_left_as_text_in_text() -> None:
    # Given a title with markup and an ampersand, and a rejection reason that looks like a template
    values = {**REJECTED, "title": "<script>alert(1)</script> Child K & L", "reason": "Costs {{ title }} and $100"}
    # When the rejection is rendered
    email = render("submission_rejected", values)
    # Then the HTML part escapes the markup, the text part carries it as written,
    # and a value is never rendered as a template
    assert "<script>" not in email.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Child K &amp; L" in email.html
    assert "<script>alert(1)</script> Child K & L" in email.text
    assert "Costs {{ title }} and $100" in email.text


def test_a_title_with_a_line_break_keeps_the_subject_one_line_and_the_text_starting_at_the_greeting() -> None:
    # Given a board's title with line breaks in it (as a header-injection attempt would have)
    values = {**CATALOGUED, "title": "Serious Case Review:\r\nBcc: everyone@example.org\nChild K"}
    # When the acknowledgement is rendered
    email = render("report_catalogued", values)
    # Then the subject is one line that still ends with the reference, and the text starts at the greeting
    assert "\n" not in email.subject and "\r" not in email.subject
    assert email.subject.endswith("(CR-2016-0001)")
    assert email.text.startswith("Dear colleague,")


def test_the_duplicate_email_gives_the_existing_reference_and_link_and_asks_for_nothing() -> None:
    # Given an upload of a file the library holds as CR-2016-0001
    # When its email is rendered
    email = render("submission_duplicate", DUPLICATE)
    # Then both parts say the file is already in the library under that reference, link the record,
    # and say nothing more is needed
    for part in (email.text, email.html):
        assert "This file is already in the library as CR-2016-0001" in flat(part)
        assert "Nothing more is needed" in flat(part)
        assert "https://reviews.example.org/v1/record/CR-2016-0001" in part
    assert '<a href="https://reviews.example.org/v1/record/CR-2016-0001">' in email.html


def test_the_expiry_warning_gives_the_last_day_the_removal_day_and_that_the_record_stays() -> None:
    # Given a copy whose last available day is 25 November 2031
    # When its warning is rendered
    email = render("expiry_warning", EXPIRY_WARNING)
    # Then both parts give the reference, the last day, the removal day, that the record stays, and what to do
    for part in (flat(email.text), flat(email.html)):
        assert "stays available until 25 November 2031, the end of its five years" in part
        assert "It will be removed on 26 November 2031." in part
        assert "The catalogue record stays" in part
        assert "please reply to this email before 25 November 2031" in part
    assert "Reference:    CR-2016-0001" in email.text


def test_the_staff_summary_lists_each_copy_once_with_its_board_and_last_day() -> None:
    # Given two copies ending within the next 30 days
    # When the day's summary is rendered
    email = render("expiry_summary", EXPIRY_SUMMARY)
    # Then each copy is listed once with its last day, title and board (staff see an anonymous report's board),
    # in the order given, and held copies are said to be left out
    text = email.text
    assert "As of 26 October 2031, 2 electronic copies reach the end of the five-year period by 25 November 2031." in (
        flat(text)
    )
    assert text.count("CR-2016-0001  last available day 3 November 2031") == 1
    assert text.index("CR-2016-0001") < text.index("CR-2016-0007")
    assert "Southshire Safeguarding Partnership" in text
    assert email.html.count('<a href="https://reviews.example.org/v1/record/CR-2016-0007">CR-2016-0007</a>') == 1
    assert "Copies on legal hold are not listed." in flat(text)
    assert "Copies on legal hold are not listed." in flat(email.html)


def test_a_summary_of_one_copy_reads_in_the_singular() -> None:
    # Given one copy ending
    values = {**EXPIRY_SUMMARY, "copies": EXPIRY_SUMMARY["copies"][:1]}
    # When the summary is rendered
    email = render("expiry_summary", values)
    # Then the sentence is singular
    assert "1 electronic copy reaches the end" in flat(email.text)
    assert email.subject.endswith(": 1")


def test_markup_in_a_listed_title_is_escaped_in_the_staff_summary() -> None:
    # Given a listed copy whose title holds markup
    copies = [{**EXPIRY_SUMMARY["copies"][0], "title": "<b>Child K</b> & L"}]
    # When the summary is rendered
    email = render("expiry_summary", {**EXPIRY_SUMMARY, "copies": copies})
    # Then the HTML part escapes it and the text part carries it as written
    assert "&lt;b&gt;Child K&lt;/b&gt; &amp; L" in email.html
    assert "<b>Child K</b> & L" in email.text
