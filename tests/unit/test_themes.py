"""The theme vocabulary (domain/themes.json): how input maps to ids, and the search synonyms built from it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from case_reviews.domain.themes import (
    abbreviations,
    fingerprint,
    fold,
    nearest,
    synonym_rules,
    theme_id,
    theme_label,
    vocabulary,
)
from case_reviews.resources import index_definition

ROOT = Path(__file__).resolve().parents[2]

# The topics of the library's "learning from case reviews" briefings (issue 13 §2): each must be a theme.
BRIEFING_TOPICS = [
    "neglect",
    "domestic abuse",
    "parental mental health",
    "parental substance misuse",
    "physical abuse",
    "emotional abuse",
    "sexual abuse",
    "child sexual exploitation",
    "child criminal exploitation",
    "online abuse",
    "non-accidental injury in infants",
    "bruising in non-mobile babies",
    "abusive head trauma",
    "sudden unexpected death in infancy",
    "infants",
    "adolescents",
    "disabled children",
    "looked-after children",
    "children missing education",
    "home education",
    "private fostering",
    "young carers",
    "suicide and self-harm",
    "radicalisation",
    "female genital mutilation",
    "honour-based abuse",
    "fabricated or induced illness",
    "trafficking and modern slavery",
    "race, culture and faith",
    "parents with learning disabilities",
    "professional curiosity",
    "information sharing",
    "the voice of the child",
]


@pytest.mark.parametrize("topic", BRIEFING_TOPICS)
def test_every_briefing_topic_is_a_theme(topic: str) -> None:
    # Given a topic of the library's briefings
    # When it is looked up
    # Then it names a theme of the vocabulary
    assert theme_id(topic) in {concept.id for concept in vocabulary()}


def test_bruising_and_head_trauma_are_other_words_for_non_accidental_injury_in_infants() -> None:
    # Given the alternative labels the issue names
    # When they are looked up, in any case
    # Then they are the one concept, which reads as its preferred label
    assert (
        theme_id("Bruising in non-mobile babies")
        == theme_id("ABUSIVE HEAD TRAUMA")
        == "non_accidental_injury_in_infants"
    )
    assert theme_label("non_accidental_injury_in_infants") == "Non-accidental injury in infants"


def test_every_spelling_belongs_to_one_concept_and_ids_are_folded() -> None:
    # Given the whole vocabulary
    owners: dict[str, str] = {}
    # When every spelling is folded
    for concept in vocabulary():
        assert fold(concept.id) == concept.id
        for spelling in concept.spellings:
            # Then none belongs to two concepts
            assert owners.setdefault(fold(spelling), concept.id) == concept.id, spelling


def test_the_nearest_themes_of_a_misspelling_come_best_first() -> None:
    # Given a misspelt theme
    # When the nearest are asked for
    # Then the intended one comes first
    assert nearest("domestc abuse")[0].id == "domestic_abuse"
    assert nearest("")[:1] == []


@pytest.mark.parametrize(
    ("letters", "expansion"),
    [
        ("scr", "serious case review"),
        ("scr", "significant case review"),
        ("lcspr", "local child safeguarding practice review"),
        ("cspr", "child safeguarding practice review"),
        ("cpr", "child practice review"),
        ("susr", "single unified safeguarding review"),
        ("cmr", "case management review"),
        ("cse", "child sexual exploitation"),
        ("cce", "child criminal exploitation"),
        ("fii", "fabricated or induced illness"),
        ("sudi", "sudden unexpected death in infancy"),
        ("nai", "non accidental injury"),
        ("aht", "abusive head trauma"),
        ("fgm", "female genital mutilation"),
        ("da", "domestic abuse"),
    ],
)
def test_each_abbreviation_of_the_field_expands_to_its_words(letters: str, expansion: str) -> None:
    # Given the synonym rules
    rules = {rule.split(" => ")[0]: rule.split(" => ")[1].split(", ") for rule in synonym_rules()}
    # When an abbreviation's rule is read
    # Then it keeps the letters and adds the words
    assert rules[letters][0] == letters
    assert expansion in rules[letters]


def test_an_alternative_label_finds_its_preferred_label_but_siblings_stay_apart() -> None:
    # Given the synonym rules
    rules = {rule.split(" => ")[0]: rule.split(" => ")[1].split(", ") for rule in synonym_rules()}
    # When the rules of two alternative labels of one concept are read
    # Then each adds the preferred label (punctuation gone), and neither adds the other
    assert rules["faith"] == ["faith", "race culture and faith"]
    assert "race" not in rules["faith"]
    assert rules["babies"] == ["babies", "infants"]


def test_the_index_definition_carries_the_synonyms_and_its_fingerprint_is_current() -> None:
    # Given the index definition as the functions load it, and the file it comes from
    definition = index_definition()
    stored = json.loads((ROOT / "infra" / "opensearch" / "reviews.json").read_text())
    # When its synonym filter and fingerprint are read
    synonyms = definition["settings"]["analysis"]["filter"]["case_review_synonyms"]
    # Then the rules are the vocabulary's, and the fingerprint matches them: a changed vocabulary must
    # bump schema_version (a new index) and record its new fingerprint
    assert synonyms["type"] == "synonym_graph"
    assert synonyms["synonyms"] == synonym_rules()
    assert stored["synonyms_fingerprint"] == fingerprint(), (
        "the theme vocabulary changed: bump schema_version in infra/opensearch/reviews.json "
        f"and set synonyms_fingerprint to {fingerprint()}"
    )
    assert "synonyms" not in stored["settings"]["analysis"]["filter"]["case_review_synonyms"]
    # And the index records what it was built from, for `index check` to compare after a release
    assert definition["mappings"]["_meta"] == {"schema_version": stored["schema_version"], "synonyms": fingerprint()}


def test_abbreviations_are_letters_only() -> None:
    # Given the abbreviations list
    # When each is read
    # Then it is capital letters (a rule's left side is one word, so a query word triggers it)
    assert all(letters.isalpha() and letters.isupper() for letters in abbreviations())
