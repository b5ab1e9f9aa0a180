"""The review types of the four UK nations, each with its label, its nations and the day it came in.

One table (`REVIEW_TYPES`): what a deposit, a historic row or a correction may say is checked
against it, and the API, the facets and the yearly lists take their labels from it. A type is
refused for a nation that does not have it, and for a publication before it existed. A type's
end is not enforced: reviews begun under the old rules were published for years after (serious
case reviews in England into 2021), so a late publication is accepted.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from case_reviews.domain.vocabulary import Nation, ReviewForm, ReviewType

# Old names still accepted on input, stored as the type that replaced them.
ALIASES = {"child_safeguarding_practice_review": ReviewType.LOCAL_CHILD_SAFEGUARDING_PRACTICE_REVIEW}

_ALL_NATIONS = frozenset(Nation)
_REFORMS_2018 = date(2018, 6, 29)


@dataclass(frozen=True)
class ReviewTypeRule:
    """One type in one or more nations: from when it exists, until when it was commissioned (if it ended)."""

    review_type: ReviewType
    label: str
    nations: frozenset[Nation]
    since: date | None = None
    until: date | None = None
    # A child practice review is concise or extended; no other type has a form.
    has_form: bool = False


REVIEW_TYPES: tuple[ReviewTypeRule, ...] = (
    # No start where reviews under that name (or its forerunners) go back further than the guidance that
    # named them: the catalogue holds such reports from before it, and refusing them would lose them.
    # England: Working Together under the Children Act 1989 (1991) brought "Part 8" serious case reviews;
    # Local Safeguarding Children Boards Regulations 2006, reg. 5. Replaced by the Children and Social
    # Work Act 2017 reforms in force 29 June 2018 (Working Together 2018), with transitional reviews
    # published into 2021. Wales: Part 8 reviews under Working Together (Wales) until child practice reviews.
    ReviewTypeRule(
        ReviewType.SERIOUS_CASE_REVIEW,
        "Serious case review",
        frozenset({Nation.ENGLAND, Nation.WALES}),
        until=_REFORMS_2018,
    ),
    # Children Act 2004 s.16F (inserted by the Children and Social Work Act 2017); Working Together 2018.
    ReviewTypeRule(
        ReviewType.LOCAL_CHILD_SAFEGUARDING_PRACTICE_REVIEW,
        "Local child safeguarding practice review",
        frozenset({Nation.ENGLAND}),
        since=_REFORMS_2018,
    ),
    # Working Together 2018, chapter 4: the rapid review of a serious incident notification.
    ReviewTypeRule(ReviewType.RAPID_REVIEW, "Rapid review", frozenset({Nation.ENGLAND}), since=_REFORMS_2018),
    # Children Act 2004 s.16C: reviews by the Child Safeguarding Practice Review Panel.
    ReviewTypeRule(
        ReviewType.NATIONAL_CHILD_SAFEGUARDING_PRACTICE_REVIEW,
        "National child safeguarding practice review",
        frozenset({Nation.ENGLAND}),
        since=_REFORMS_2018,
    ),
    # Protecting Children in Wales: Guidance for Arrangements for Multi-Agency Child Practice Reviews (2013),
    # under the Social Services and Well-being (Wales) Act 2014 Part 7 from 2016; concise or extended.
    ReviewTypeRule(
        ReviewType.CHILD_PRACTICE_REVIEW,
        "Child practice review",
        frozenset({Nation.WALES}),
        since=date(2013, 1, 1),
        until=date(2024, 10, 1),
        has_form=True,
    ),
    # The Single Unified Safeguarding Review (Wales) guidance, in force 1 October 2024.
    ReviewTypeRule(
        ReviewType.SINGLE_UNIFIED_SAFEGUARDING_REVIEW,
        "Single unified safeguarding review",
        frozenset({Nation.WALES}),
        since=date(2024, 10, 1),
    ),
    # Scotland: significant case reviews under the interim guidance for child protection committees
    # (2007), until the National Guidance for Child Protection Committees Undertaking Learning Reviews (2021).
    ReviewTypeRule(
        ReviewType.SIGNIFICANT_CASE_REVIEW,
        "Significant case review",
        frozenset({Nation.SCOTLAND}),
        until=date(2021, 1, 1),
    ),
    ReviewTypeRule(ReviewType.LEARNING_REVIEW, "Learning review", frozenset({Nation.SCOTLAND}), since=date(2021, 1, 1)),
    # Northern Ireland: Co-operating to Safeguard Children (DHSSPS, 2003); from 2012 commissioned by the
    # Safeguarding Board for Northern Ireland (Safeguarding Board Act (NI) 2011, and its 2014 regulations).
    ReviewTypeRule(
        ReviewType.CASE_MANAGEMENT_REVIEW,
        "Case management review",
        frozenset({Nation.NORTHERN_IRELAND}),
    ),
    # Any nation, any time: public and independent inquiries (the Monckton report of 1945, the Maria
    # Colwell inquiry of 1974...) and other learning reports.
    ReviewTypeRule(ReviewType.INQUIRY_REPORT, "Inquiry report", _ALL_NATIONS),
    ReviewTypeRule(ReviewType.OTHER, "Other learning report", _ALL_NATIONS),
)

RULES = {rule.review_type: rule for rule in REVIEW_TYPES}
LABELS = {rule.review_type.value: rule.label for rule in REVIEW_TYPES}


def label_of(review_type: ReviewType | str) -> str:
    """The type's label ("Serious case review"); an unknown value is shown as it is."""
    return LABELS.get(str(review_type), str(review_type))


def types_of(nation: Nation) -> list[ReviewType]:
    """The types a nation has had, in the table's order."""
    return [rule.review_type for rule in REVIEW_TYPES if nation in rule.nations]


def check_review_type(nation: Nation, review_type: ReviewType, published: date, form: ReviewForm | None = None) -> None:
    """A type of this nation, in existence on the publication day, with a form only where it has one
    (ValueError with what the nation accepts, for model validators)."""
    rule = RULES[review_type]
    if nation not in rule.nations:
        accepted = ", ".join(str(kind) for kind in types_of(nation))
        raise ValueError(f"{review_type} is not a review type of {nation}; {nation} accepts: {accepted}")
    if rule.since is not None and published < rule.since:
        raise ValueError(
            f"{review_type} began on {rule.since.isoformat()}; a report published on "
            f"{published.isoformat()} cannot be one (use inquiry_report or other)"
        )
    if form is not None and not rule.has_form:
        raise ValueError(f"form is only given for a child_practice_review, not a {review_type}")
