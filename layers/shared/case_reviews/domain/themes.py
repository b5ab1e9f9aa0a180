"""The library's theme vocabulary: one thesaurus (`themes.json`), read by input, facets, import and search.

Each concept has an id (what records store), a preferred label (what people read) and alternative
labels (older words, abbreviations). A theme given in any of them, in any case, with spaces, hyphens
or underscores alike, is the concept's id; anything else is refused with the nearest concepts.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from typing import Any

_SUGGESTIONS = 3


@dataclass(frozen=True)
class ThemeConcept:
    """One theme: its stored id, its preferred label and its alternative labels."""

    id: str
    label: str
    alternatives: tuple[str, ...] = ()

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every way of writing it that input accepts (before case and spacing are folded)."""
        return (self.id, self.label, *self.alternatives)


def fold(text: str) -> str:
    """One key per spelling: "Multi-agency  working", "multi_agency_working" and "MULTI AGENCY WORKING" agree."""
    return re.sub(r"[\s_\-]+", "_", text.strip().lower())


@cache
def _thesaurus() -> dict[str, Any]:
    return json.loads(files(__package__).joinpath("themes.json").read_text(encoding="utf-8"))


@cache
def vocabulary() -> tuple[ThemeConcept, ...]:
    """The concepts of the thesaurus, in its order (checked: no spelling belongs to two concepts)."""
    data = _thesaurus()
    concepts = tuple(
        ThemeConcept(id=entry["id"], label=entry["prefLabel"], alternatives=tuple(entry.get("altLabel", ())))
        for entry in data["concepts"]
    )
    owners: dict[str, str] = {}
    for concept in concepts:
        if fold(concept.id) != concept.id:
            raise ValueError(f"theme id {concept.id!r} is not in its folded form {fold(concept.id)!r}")
        for spelling in concept.spellings:
            owner = owners.setdefault(fold(spelling), concept.id)
            if owner != concept.id:
                raise ValueError(f"{spelling!r} is a label of both {owner} and {concept.id}")
    return concepts


@cache
def _by_spelling() -> dict[str, ThemeConcept]:
    return {fold(spelling): concept for concept in vocabulary() for spelling in concept.spellings}


@cache
def _by_id() -> dict[str, ThemeConcept]:
    return {concept.id: concept for concept in vocabulary()}


def theme_id(given: str) -> str:
    """The id of the theme `given` names (an id or a label, in any case); ValueError naming the nearest."""
    concept = _by_spelling().get(fold(given))
    if concept is None:
        raise ValueError(f"{given.strip()!r} is not a theme of the library's vocabulary; {nearest_hint(given)}")
    return concept.id


def nearest(given: str, limit: int = _SUGGESTIONS) -> list[ThemeConcept]:
    """The concepts whose spellings come closest to `given` (a misspelling, a near word), best first."""
    by_spelling = _by_spelling()
    close = difflib.get_close_matches(fold(given), list(by_spelling), n=limit * 3, cutoff=0.6)
    # A word inside a longer label ("exploitation" in "child sexual exploitation") is near too.
    word = fold(given)
    containing = [spelling for spelling in by_spelling if len(word) >= 3 and word in spelling]
    found: dict[str, ThemeConcept] = {}
    for spelling in [*close, *containing]:
        found.setdefault(by_spelling[spelling].id, by_spelling[spelling])
    return list(found.values())[:limit]


def nearest_hint(given: str) -> str:
    """The sentence that ends a refusal: the nearest themes, or where the whole vocabulary is."""
    suggestions = nearest(given)
    if not suggestions:
        return "the themes are listed at /themes"
    return "did you mean " + " or ".join(f"{concept.label!r} ({concept.id})" for concept in suggestions) + "?"


def theme_label(theme: str) -> str:
    """The preferred label of a stored theme id ("Neglect"); an unknown value is shown as it is."""
    concept = _by_id().get(theme)
    return concept.label if concept else theme


def accepted_spellings() -> list[str]:
    """Every id and label as the thesaurus writes them (for the API schema's enumeration)."""
    return list(dict.fromkeys(spelling for concept in vocabulary() for spelling in concept.spellings))


def abbreviations() -> dict[str, tuple[str, ...]]:
    """The field's abbreviations and what each stands for ("SCR": serious case review, significant case review)."""
    return {
        letters: tuple(words) for letters, words in _thesaurus()["abbreviations"].items() if not letters.startswith("_")
    }


def _words(label: str) -> str:
    # Synonym rules are comma-separated: a label's punctuation ("Race, culture and faith") is not a word.
    return " ".join(re.sub(r"[^\w']+", " ", label.lower()).split())


def synonym_rules() -> list[str]:
    """The search's synonym graph, one way each (Solr rules, `a => a, b`):

    - an abbreviation also finds what it stands for ("scr => scr, serious case review, significant case review");
    - an alternative label also finds its concept's preferred label ("babies => babies, infants").

    One way, so that a word does not find its siblings: "faith" finds "race, culture and faith", but
    "faith" and "race" stay different words.
    """
    expansions: dict[str, dict[str, None]] = {}
    for letters, words in abbreviations().items():
        expansions.setdefault(_words(letters), {}).update(dict.fromkeys(map(_words, words)))
    for concept in vocabulary():
        for alternative in concept.alternatives:
            if _words(alternative) != _words(concept.label):
                expansions.setdefault(_words(alternative), {})[_words(concept.label)] = None
    return [f"{term} => {', '.join([term, *(w for w in words if w != term)])}" for term, words in expansions.items()]


def fingerprint() -> str:
    """A short digest of the synonym graph: the search index must be rebuilt when this changes."""
    return hashlib.sha256("\n".join(synonym_rules()).encode()).hexdigest()[:12]
