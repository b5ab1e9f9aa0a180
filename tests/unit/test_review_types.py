"""The table of review types by nation and period (wired into deposits next; see issue "catalogue")."""

from __future__ import annotations

from datetime import date

import pytest

from case_reviews.domain.review_types import ALIASES, REVIEW_TYPES, check_review_type, label_of, types_of
from case_reviews.domain.vocabulary import Nation, ReviewForm, ReviewType


def test_every_type_has_one_rule_and_a_label() -> None:
    # Given the table
    # When its types are listed
    listed = [rule.review_type for rule in REVIEW_TYPES]
    # Then each type appears once, with a label
    assert sorted(listed) == sorted(ReviewType)
    assert all(label_of(kind)[0].isupper() for kind in ReviewType)


@pytest.mark.parametrize(
    ("nation", "review_type", "published"),
    [
        (Nation.ENGLAND, ReviewType.SERIOUS_CASE_REVIEW, date(2016, 3, 14)),
        (Nation.ENGLAND, ReviewType.SERIOUS_CASE_REVIEW, date(2021, 2, 1)),  # a late one, after the reforms
        (Nation.ENGLAND, ReviewType.LOCAL_CHILD_SAFEGUARDING_PRACTICE_REVIEW, date(2018, 6, 29)),
        (Nation.WALES, ReviewType.CHILD_PRACTICE_REVIEW, date(2015, 5, 1)),
        (Nation.WALES, ReviewType.SINGLE_UNIFIED_SAFEGUARDING_REVIEW, date(2024, 10, 1)),
        (Nation.SCOTLAND, ReviewType.LEARNING_REVIEW, date(2022, 1, 1)),
        (Nation.NORTHERN_IRELAND, ReviewType.CASE_MANAGEMENT_REVIEW, date(2014, 1, 1)),
        (Nation.SCOTLAND, ReviewType.INQUIRY_REPORT, date(1945, 1, 1)),
    ],
)
def test_a_type_of_the_nation_published_in_its_time_is_accepted(nation, review_type, published) -> None:
    # Given a type the nation had on the publication day (or later, for a late publication)
    # When it is checked
    # Then it passes
    check_review_type(nation, review_type, published)


def test_a_type_of_another_nation_is_refused_naming_what_the_nation_accepts() -> None:
    # Given a Scottish "serious case review"
    # When it is checked
    with pytest.raises(ValueError) as refused:
        check_review_type(Nation.SCOTLAND, ReviewType.SERIOUS_CASE_REVIEW, date(2016, 3, 14))
    # Then the reason names Scotland's types
    assert "significant_case_review" in str(refused.value) and "learning_review" in str(refused.value)


def test_a_type_before_its_time_is_refused() -> None:
    # Given a local child safeguarding practice review dated before 29 June 2018
    # When it is checked
    # Then it is refused with the day the type began
    with pytest.raises(ValueError, match="2018-06-29"):
        check_review_type(Nation.ENGLAND, ReviewType.LOCAL_CHILD_SAFEGUARDING_PRACTICE_REVIEW, date(2018, 6, 28))


def test_only_a_child_practice_review_has_a_form() -> None:
    # Given a form on a Welsh child practice review, and on an English serious case review
    # When each is checked
    check_review_type(Nation.WALES, ReviewType.CHILD_PRACTICE_REVIEW, date(2015, 1, 1), ReviewForm.CONCISE)
    # Then only the child practice review may have one
    with pytest.raises(ValueError, match="form"):
        check_review_type(Nation.ENGLAND, ReviewType.SERIOUS_CASE_REVIEW, date(2015, 1, 1), ReviewForm.CONCISE)


def test_the_old_child_safeguarding_practice_review_is_an_alias_of_the_local_one() -> None:
    assert ALIASES["child_safeguarding_practice_review"] is ReviewType.LOCAL_CHILD_SAFEGUARDING_PRACTICE_REVIEW
    assert ReviewType.RAPID_REVIEW in types_of(Nation.ENGLAND) and ReviewType.RAPID_REVIEW not in types_of(Nation.WALES)
