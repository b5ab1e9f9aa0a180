"""Relevance and highlights of GET /reviews, against the real OpenSearch."""

from __future__ import annotations

from datetime import date

from case_reviews import bootstrap
from case_reviews.domain.records import CatalogueRecord, ElectronicCopy
from case_reviews.domain.vocabulary import CopyStatus
from tests.integration.helpers import call_api
from tests.integration.test_search_api import historic_record

# Words of a long report that say nothing about what is searched for.
FILLER = (
    "The review panel met the agencies involved and read their records. Practitioners described how "
    "information was shared between health visitors, schools and children's social care. "
)


def available_copy(reference: str) -> ElectronicCopy:
    return ElectronicCopy(
        status=CopyStatus.AVAILABLE,
        object_key=f"reports/{reference}.pdf",
        text_key=f"text/{reference}.txt",
        sha256="0" * 64,
        size_bytes=1000,
        page_count=40,
        available_until=date(2031, 1, 1),
    )


def indexed_with_text(*entries: tuple[CatalogueRecord, str]) -> None:
    """Records with an available copy, indexed with their full text (as the pipeline does)."""
    for record, _ in entries:
        assert bootstrap.services().records_store.add_record(record)
    written, _ = bootstrap.services().search_index.put_many((record, body) for record, body in entries)
    assert written == len(entries)


def a_report(reference: str, title: str, body: str, **changes) -> tuple[CatalogueRecord, str]:
    record = historic_record(reference, "2018-05-01", copy=available_copy(reference), title=title, **changes)
    return record, body


def test_a_title_match_ranks_above_a_passing_mention_in_the_text(aws, search):
    # Given a report about hoarding in its title, and longer reports that mention hoarding once in passing,
    # one of them newer, so that date order alone would put it first
    indexed_with_text(
        a_report("CR-2018-0001", "Hoarding and home conditions: Child R", FILLER * 5),
        a_report("CR-2018-0002", "Child S: learning from a house fire", FILLER * 20 + "There was some hoarding. "),
        a_report(
            "CR-2019-0003", "Child T: missed appointments", FILLER * 20 + "Hoarding was noted once.", summary=None
        ),
    )

    # When a searcher looks for hoarding, by relevance
    status, found, _ = call_api("GET", "/reviews?q=hoarding&sort=relevance")

    # Then all three are found, the report with hoarding in its title first
    assert status == 200, found
    assert found["total"] == 3
    assert found["items"][0]["reference"] == "CR-2018-0001"


def test_a_summary_match_ranks_above_a_passing_mention_in_the_text(aws, search):
    # Given one report that names the theme in its summary, and one that mentions it in its text only
    indexed_with_text(
        a_report("CR-2018-0011", "Child U", FILLER * 20 + "Radicalisation was not a factor.", summary="Neglect."),
        a_report("CR-2018-0012", "Child V", FILLER * 20, summary="Learning about radicalisation and online harm."),
    )

    # When a searcher looks for radicalisation
    _, found, _ = call_api("GET", "/reviews?q=radicalisation")

    # Then the report whose summary is about it comes first
    assert [item["reference"] for item in found["items"]] == ["CR-2018-0012", "CR-2018-0011"]


def test_highlights_mark_the_words_in_the_text_the_title_and_the_summary(aws, search):
    # Given a report that names bruising in its title, its summary and its text
    indexed_with_text(
        a_report(
            "CR-2018-0021",
            "Unexplained bruising in a non-mobile baby",
            FILLER * 3 + "The bruising was seen by a health visitor. " + FILLER * 3,
            summary="Bruising in babies who are not yet mobile must always be explained.",
        )
    )

    # When a searcher looks for bruising
    _, found, _ = call_api("GET", "/reviews?q=bruising")

    # Then the hit's highlights mark the word where it occurs in each of them, and never return the whole text
    highlights = found["items"][0]["highlights"]
    assert any("<mark>bruising</mark> was seen by a health visitor" in fragment for fragment in highlights)
    assert "Unexplained <mark>bruising</mark> in a non-mobile baby" in highlights
    assert any(fragment.startswith("<mark>Bruising</mark> in babies") for fragment in highlights)
    assert all(len(fragment) < 400 for fragment in highlights)


def test_a_huge_text_is_found_and_highlighted_without_an_error(aws, search):
    # Given a report whose text is longer than the index lets the highlighter analyse (5,000,000 characters)
    huge = FILLER * (5_200_000 // len(FILLER)) + "Fabricated illness was identified at the very end."
    assert len(huge) > 5_000_000
    indexed_with_text(a_report("CR-2018-0031", "Child W: fabricated or induced illness", huge))

    # When a searcher looks for a word of its title and for a word only its text has
    by_title = call_api("GET", "/reviews?q=fabricated")
    by_text = call_api("GET", "/reviews?q=practitioners")

    # Then both searches answer with the report, never with an error, even for a word the text holds
    # tens of thousands of times
    for status, found, _ in (by_title, by_text):
        assert status == 200, found
        assert [item["reference"] for item in found["items"]] == ["CR-2018-0031"]
    assert "Child W: <mark>fabricated</mark> or induced illness" in by_title[1]["items"][0]["highlights"]


def test_natural_language_queries_with_stop_words_find_the_records_whose_words_they_are(aws, search):
    # Given reports whose text speaks of the voice of the child, of a review of a death, and of neglect
    # and escalation, and whose themes and references are keywords
    indexed_with_text(
        a_report("CR-2018-0011", "Child U: hearing the voice of the child", FILLER * 3, themes=("voice_of_the_child",)),
        a_report("CR-2018-0012", "Child V: a review of a death in infancy", FILLER * 3),
        a_report("CR-2018-0013", "Child W", FILLER * 3 + "Neglect was seen for years, and escalation never came."),
    )

    # When searchers type natural language, a theme as words, and a reference in lower case
    found = {
        q: [item["reference"] for item in call_api("GET", f"/reviews?q={q}")[1]["items"]]
        for q in (
            "voice of the child",
            "review of a death",
            "the child",
            "neglect and escalation",
            "cr-2018-0012",
            "Voice of the child",
        )
    }

    # Then each finds its record: a stop word is not a word some field must hold
    assert found["voice of the child"][:1] == ["CR-2018-0011"]
    assert found["review of a death"] == ["CR-2018-0012"]
    assert set(found["the child"]) >= {"CR-2018-0011", "CR-2018-0012"}
    assert found["neglect and escalation"] == ["CR-2018-0013"]
    assert found["cr-2018-0012"] == ["CR-2018-0012"]
    assert found["Voice of the child"][:1] == ["CR-2018-0011"]
