"""The acknowledgement emails: the templates in infra/email, filled in, as text and HTML."""

from __future__ import annotations

import jinja2
import pytest

from case_reviews.services.acknowledgement import render

CATALOGUED = {
    "reference": "CR-2016-0001",
    "title": "Serious Case Review: Child K",
    "publication_date": "2016-03-14",
    "publisher": "Northshire Safeguarding Children Partnership",
    "copyright_holder": "Northshire Safeguarding Children Partnership",
    "anonymous": False,
    "available_until": "26 November 2031",
    "record_url": "https://reviews.example.org/v1/reviews/CR-2016-0001",
}
REJECTED = {
    "title": "Serious Case Review: Child K",
    "submission_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    "reason": "The file is not a PDF. Export the report as PDF and submit it again.",
}


@pytest.mark.parametrize(
    ("kind", "values", "subject"),
    [
        ("report_catalogued", CATALOGUED, "Received: Serious Case Review: Child K (CR-2016-0001)"),
        ("submission_rejected", REJECTED, "We could not catalogue your upload: Serious Case Review: Child K"),
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
    # Then, in both parts: added to the repository, copyright with the board, available until the date subject
    # to legal rulings, and a request for the other reviews commissioned after 10 June 2010 and how to deposit
    for part in (email.text, " ".join(email.html.split())):
        assert "added to the repository" in " ".join(part.split())
        assert "Copyright stays with Northshire Safeguarding Children Partnership." in " ".join(part.split())
        assert "until 26 November 2031, subject to any legal ruling" in " ".join(part.split())
        assert "commissioned after 10 June 2010" in " ".join(part.split())
        assert "POST /submissions" in part
    assert "anonymously" not in email.text


def test_an_anonymous_report_s_acknowledgement_says_it_is_published_anonymously() -> None:
    # Given a report published anonymously on the board's behalf
    # When its acknowledgement is rendered
    email = render("report_catalogued", {**CATALOGUED, "anonymous": True, "publisher": "Anonymous"})
    # Then both parts say so
    assert "published anonymously on your board's behalf" in " ".join(email.text.split())
    assert "published anonymously on your board's behalf" in email.html


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
