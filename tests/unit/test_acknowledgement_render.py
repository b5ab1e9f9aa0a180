"""The acknowledgement emails: the templates in infra/email, filled in."""

from __future__ import annotations

import pytest

from case_reviews.services.acknowledgement import render

CATALOGUED = {
    "reference": "CR-2016-0001",
    "title": "Serious Case Review: Child K",
    "publication_date": "2016-03-14",
    "publisher": "Northshire Safeguarding Children Partnership",
    "copyright_holder": "Northshire Safeguarding Children Partnership",
    "available_until": "26 November 2031",
    "record_url": "https://reviews.example.org/v1/reviews/CR-2016-0001",
}
REJECTED = {
    "title": "Serious Case Review: Child K",
    "submission_id": "7c9e6679-7425-40de-944b-e07fc1f90ae7",
    "reason": "The file is not a PDF. Export the report as PDF and submit it again.",
}


@pytest.mark.parametrize(
    ("template", "values", "subject"),
    [
        ("report_catalogued", CATALOGUED, "Received: Serious Case Review: Child K (CR-2016-0001)"),
        ("submission_rejected", REJECTED, "We could not catalogue your upload: Serious Case Review: Child K"),
    ],
)
def test_each_template_renders_its_subject_from_the_first_line_and_fills_every_placeholder(
    template: str, values: dict[str, str], subject: str
) -> None:
    # Given a template and a value for each of its placeholders
    # When it is rendered
    rendered_subject, body = render(template, values)
    # Then the subject is the first line without "Subject:", and the body starts at the greeting
    assert rendered_subject == subject
    assert body.startswith("Dear colleague,\n")
    # And every value appears, with no placeholder left over
    for value in values.values():
        assert value in body
    assert "$" not in rendered_subject + body
    assert "Subject:" not in body


@pytest.mark.parametrize(
    ("template", "values", "missing"),
    [
        ("report_catalogued", CATALOGUED, "available_until"),
        ("report_catalogued", CATALOGUED, "reference"),
        ("submission_rejected", REJECTED, "reason"),
    ],
)
def test_a_missing_value_raises_key_error_naming_it(template: str, values: dict[str, str], missing: str) -> None:
    # Given the values for a template with one left out
    incomplete = {name: value for name, value in values.items() if name != missing}
    # When it is rendered
    with pytest.raises(KeyError) as raised:
        render(template, incomplete)
    # Then the missing placeholder is named (no email goes out with a gap in it)
    assert raised.value.args == (missing,)


def test_the_catalogued_email_asks_for_every_review_commissioned_after_10_june_2010() -> None:
    # Given a catalogued report
    # When its acknowledgement is rendered
    _, body = render("report_catalogued", CATALOGUED)
    # Then it asks for the board's other reviews since the library's collecting date
    assert "10 June 2010" in body
    assert "commissioned after" in body


def test_values_with_dollar_signs_are_not_substituted_again() -> None:
    # Given a rejection reason that itself contains a $placeholder-like text
    values = {**REJECTED, "reason": "Costs $title and $100"}
    # When it is rendered
    _, body = render("submission_rejected", values)
    # Then the value appears as given
    assert "Costs $title and $100" in body


def test_a_title_with_a_line_break_keeps_the_subject_whole_and_the_body_starting_at_the_greeting() -> None:
    # Given a board's title with a line break in it (the Title type accepts one)
    values = {**CATALOGUED, "title": "Serious Case Review:\nChild K"}
    # When the acknowledgement is rendered
    subject, body = render("report_catalogued", values)
    # Then the subject still ends with the reference and the body still starts at the greeting
    assert subject.endswith("(CR-2016-0001)")
    assert body.startswith("Dear colleague,")
