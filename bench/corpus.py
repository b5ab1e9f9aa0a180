"""Generated, realistic-looking content for the bench: report prose, titles, summaries (seeded, repeatable).

Everything here is fictional: words and sentences of the kind a safeguarding practice review holds.
"""

from __future__ import annotations

import random
from datetime import date, datetime
from typing import TYPE_CHECKING

from case_reviews.domain.dates import MONTH_NAMES

if TYPE_CHECKING:
    from case_reviews.domain.records import CatalogueRecord

SENTENCES = (
    "The review considered the period from the first referral to children's social care until the child's death.",
    "Agencies did not share what they knew about the family's circumstances with each other.",
    "The health visitor recorded concerns about the home conditions but no referral was made.",
    "School attendance fell sharply during the autumn term and the school escalated its concerns "
    "to the local authority.",
    "Police attended the address on several occasions following reports of domestic abuse.",
    "The mother's own history of neglect as a child was known to adult services but not to children's services.",
    "Practitioners found it difficult to engage the father, who was rarely present at home visits.",
    "The strategy meeting was held without representation from the general practice.",
    "Neglect was cumulative and its impact on the children was not recognised until late.",
    "The child protection plan lacked specific, measurable outcomes and clear timescales.",
    "Supervision of the allocated social worker did not challenge the drift in the case.",
    "The multi-agency safeguarding hub received the referral but assessed it as not meeting the threshold.",
    "Learning from this review has been shared with all partner agencies through briefings and workshops.",
    "The family moved between three local authority areas in eighteen months and records did not follow them.",
    "Professional curiosity about the adults living in the household was limited.",
    "The voice of the child was not sufficiently heard in assessments and plans.",
    "Mental health services were working with the mother but did not consider the impact on her parenting.",
    "Information about substance misuse was held by the treatment provider and not shared.",
    "The review panel met on six occasions and interviewed practitioners from each agency involved.",
    "Recommendations focus on information sharing, escalation of concerns and the quality of assessments.",
    "The independent reviewer thanks the family members who contributed their views to the review.",
    "Early help was offered twice but the family declined and the case was closed without further action.",
    "The emergency department did not check whether the child was subject to a child protection plan.",
    "Thresholds were applied inconsistently between teams and between agencies.",
    "Housing services had information about overcrowding and disrepair that was relevant to the child's welfare.",
    "The partnership has accepted the findings and developed an action plan to address them.",
)
HEADINGS = (
    "Introduction",
    "Terms of reference",
    "Methodology",
    "Family background",
    "Agency involvement",
    "Analysis of practice",
    "Findings",
    "Learning and recommendations",
    "Conclusion",
)
# Ids of the library's vocabulary (layers/shared/case_reviews/domain/themes.json).
THEMES = (
    "neglect",
    "domestic_abuse",
    "information_sharing",
    "parental_mental_health",
    "parental_substance_misuse",
    "multi_agency_working",
    "child_sexual_exploitation",
    "physical_abuse",
    "non_accidental_injury_in_infants",
    "sudden_unexpected_death_in_infancy",
    "child_criminal_exploitation",
    "online_abuse",
    "disabled_children",
    "parents_with_learning_disabilities",
    "adolescents",
)
PLACES = (
    "Northshire",
    "Eastmoor",
    "Westbridge",
    "Southvale",
    "Kingsford",
    "Millbrook",
    "Ashdown",
    "Riverton",
    "Glenmouth",
    "Castlebury",
    "Brynllan",
    "Lochbank",
    "Carrickmore",
    "Fenwick",
    "Harrowgate",
    "Oakdene",
)
CHILDREN = (
    "Child A",
    "Child B",
    "Child C",
    "Child D",
    "Child F",
    "Child J",
    "Child K",
    "Child M",
    "Child P",
    "Child T",
)
KINDS = ("Serious Case Review", "Child Safeguarding Practice Review", "Learning Review", "Significant Case Review")
DOCUMENTS = ("Overview Report", "Executive Summary", "Briefing", "Action Plan")


AGENCIES = (
    "health visitor",
    "school nurse",
    "general practitioner",
    "police",
    "social worker",
    "midwife",
    "probation officer",
    "housing officer",
    "youth offending team",
    "paediatrician",
    "nursery",
    "children's centre",
    "ambulance service",
    "designated safeguarding lead",
)
ACTIONS = (
    "visited the family",
    "saw the child",
    "made a referral",
    "recorded a concern",
    "closed the case",
    "attended a core group meeting",
    "shared information",
    "requested a strategy discussion",
    "noted bruising",
    "completed an assessment",
    "offered early help",
    "escalated the concern",
)
OUTCOMES = (
    "but no action followed",
    "and the concern was not shared",
    "and a plan was agreed",
    "but the father was not seen",
    "and the mother declined support",
    "but the records were incomplete",
    "and the threshold was not met",
    "but the child was not spoken to alone",
)


def event(rng: random.Random) -> str:
    """A sentence of chronology: when, who, what, and what came of it (thousands of variants)."""
    return (
        f"In {rng.choice(MONTH_NAMES)} {rng.randint(1946, 2026)} the {rng.choice(AGENCIES)} "
        f"{rng.choice(ACTIONS)} {rng.choice(OUTCOMES)}."
    )


def prose(rng: random.Random, sentences: int) -> str:
    """Sentences of a review's findings, one in three a dated event of the chronology."""
    return " ".join(event(rng) if rng.random() < 0.33 else rng.choice(SENTENCES) for _ in range(sentences))


def report_pages(pages: int, seed: int = 20261126) -> list[str]:
    """The text of each page of a report: a numbered heading and four paragraphs (~3,000 characters)."""
    rng = random.Random(seed)
    texts = []
    for number in range(1, pages + 1):
        heading = f"{1 + (number - 1) * len(HEADINGS) // pages}.{number} {rng.choice(HEADINGS)}"
        paragraphs = [f"{number}.{p} {prose(rng, rng.randint(5, 7))}" for p in range(1, 5)]
        texts.append("\n\n".join([heading, *paragraphs]))
    return texts


def title(rng: random.Random, number: int) -> str:
    return f"{rng.choice(KINDS)}: {rng.choice(CHILDREN)} ({rng.choice(PLACES)} {number}) {rng.choice(DOCUMENTS)}"


NATIONS = ("england", "wales", "scotland", "northern_ireland")
# Roughly as the catalogue holds them: most English, most serious case reviews or practice reviews.
NATION_WEIGHTS = (70, 10, 12, 8)
REVIEW_TYPES = (
    "serious_case_review",
    "child_safeguarding_practice_review",
    "child_practice_review",
    "significant_case_review",
    "learning_review",
    "case_management_review",
    "other",
)
REVIEW_TYPE_WEIGHTS = (45, 25, 5, 8, 7, 4, 6)
DOCUMENT_TYPES = ("overview_report", "executive_summary", "learning_summary", "other")
DOCUMENT_TYPE_WEIGHTS = (55, 25, 15, 5)
FIRST_YEAR, LAST_YEAR = 1945, 2026


def catalogue_record(
    rng: random.Random,
    number: int,
    now: datetime,
    copy_until: date | None = None,
    removed_on: date | None = None,
    held: bool = False,
) -> CatalogueRecord:
    """A varied record (title, summary, year 1945–2026, nation, review type, themes, a board or none).

    With `copy_until` it holds an available copy until that day (`held`: under a legal hold);
    with `removed_on` too, its copy was removed on that day.
    """
    from case_reviews.domain.dates import PublicationDate
    from case_reviews.domain.records import CatalogueRecord, ElectronicCopy
    from case_reviews.domain.rules import format_reference
    from case_reviews.domain.vocabulary import CopyStatus, DatePrecision

    year = rng.randint(FIRST_YEAR, LAST_YEAR)
    published = date(year, rng.randint(1, 12), rng.randint(1, 28))
    precision = rng.choices((DatePrecision.DAY, DatePrecision.MONTH, DatePrecision.YEAR), (60, 25, 15))[0]
    if precision is DatePrecision.MONTH:
        published = published.replace(day=1)
    elif precision is DatePrecision.YEAR:
        published = published.replace(month=1, day=1)
    reference = format_reference(year, number)
    place = rng.choice(PLACES)
    anonymous = rng.random() < 0.1
    copy = None
    if copy_until is not None:
        copy = ElectronicCopy(
            status=CopyStatus.REMOVED if removed_on else CopyStatus.AVAILABLE,
            object_key=None if removed_on else f"reports/{reference}.pdf",
            text_key=None if removed_on else f"text/{reference}.txt",
            sha256=f"{rng.getrandbits(256):064x}",
            size_bytes=rng.randint(200_000, 20_000_000),
            page_count=rng.randint(8, 180),
            available_until=copy_until,
            removed_on=removed_on,
            removal_reason="The five-year availability period ended." if removed_on else None,
            held=held,
            hold_reason="A court order." if held else None,
        )
    return CatalogueRecord(
        reference=reference,
        title=title(rng, number),
        nation=rng.choices(NATIONS, NATION_WEIGHTS)[0],
        review_type=rng.choices(REVIEW_TYPES, REVIEW_TYPE_WEIGHTS)[0],
        document_type=rng.choices(DOCUMENT_TYPES, DOCUMENT_TYPE_WEIGHTS)[0],
        publication_date=PublicationDate(value=published, precision=precision),
        board_id=f"{place.lower()}-scp",
        board_name=f"{place} Safeguarding Children Partnership",
        anonymous=anonymous,
        themes=tuple(rng.sample(THEMES, rng.randint(1, 3))),
        summary=prose(rng, rng.randint(1, 3)) if rng.random() < 0.8 else None,
        electronic_copy=copy,
        created_at=now,
        updated_at=now,
    )
