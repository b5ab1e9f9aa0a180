"""The catalogue as a cataloguer searches it, on the real OpenSearch: the field's abbreviations and the
theme vocabulary as synonyms, Welsh words, identifiers, dates known to the month or year, rights."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from case_reviews.domain.vocabulary import Language, Nation, ReviewType
from tests.integration.helpers import call_api
from tests.integration.test_search_api import catalogue_without_pipeline, historic_record
from tests.integration.test_search_relevance import FILLER, a_report, indexed_with_text


def found_references(query: str) -> list[str]:
    status, found, _ = call_api("GET", f"/reviews?{query}")
    assert status == 200, found
    return [item["reference"] for item in found["items"]]


def test_an_abbreviation_finds_the_words_it_stands_for_and_a_theme_its_records(aws, search):
    # Given a serious case review themed neglect whose text spells "serious case review" out, and
    # another serious case review about something else
    indexed_with_text(
        a_report(
            "CR-2017-0001",
            "Child L: overview report",
            FILLER * 3 + "This serious case review was commissioned after the death of Child L. " + FILLER,
            review_type=ReviewType.SERIOUS_CASE_REVIEW,
            themes=("neglect",),
        ),
        a_report(
            "CR-2017-0002",
            "Child M: overview report",
            FILLER * 3 + "This serious case review looked at a house fire. " + FILLER,
            review_type=ReviewType.SERIOUS_CASE_REVIEW,
            themes=("housing",),
        ),
    )
    # When a searcher types the field's abbreviation with a theme
    # Then the serious case review themed neglect is found, and the other is not
    assert found_references("q=SCR%20neglect") == ["CR-2017-0001"]
    # And the abbreviation alone finds both
    assert sorted(found_references("q=scr")) == ["CR-2017-0001", "CR-2017-0002"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("CSE", ["CR-2019-0001"]),
        ("FII", ["CR-2019-0002"]),
        ("SUDI", ["CR-2019-0003"]),
        ("NAI", ["CR-2019-0004"]),
        ("AHT", ["CR-2019-0004"]),
        ("babies", ["CR-2019-0004"]),
        ("extremism", []),
    ],
)
def test_each_abbreviation_and_alternative_label_finds_what_it_names(aws, search, query, expected):
    # Given reports whose text uses only the full words
    indexed_with_text(
        a_report("CR-2019-0001", "Child N", FILLER + "She was a victim of child sexual exploitation. " + FILLER),
        a_report("CR-2019-0002", "Child O", FILLER + "Fabricated or induced illness was suspected. " + FILLER),
        a_report("CR-2019-0003", "Child P", FILLER + "A sudden unexpected death in infancy. " + FILLER),
        a_report(
            "CR-2019-0004",
            "Child Q",
            FILLER + "The non-accidental injury was missed. " + FILLER,
            themes=("non_accidental_injury_in_infants",),
        ),
    )
    # When a searcher uses the abbreviation (or an alternative label)
    # Then the report that spells it out (or has the theme) is found; a label of another concept finds nothing
    assert found_references(f"q={quote(query)}") == expected


def test_a_multi_word_alternative_label_finds_the_records_of_its_theme(aws, search):
    # Given a report themed child criminal exploitation, whose text never says "county lines"
    indexed_with_text(
        a_report("CR-2020-0001", "Child R", FILLER * 2, themes=("child_criminal_exploitation",)),
        a_report("CR-2020-0002", "Child S", FILLER * 2, themes=("neglect",)),
    )
    # When a searcher types the alternative label
    # Then the record of that theme is found
    assert found_references("q=county%20lines") == ["CR-2020-0001"]
    # And the theme filter takes any label too
    assert found_references("theme=County%20Lines") == ["CR-2020-0001"]


def test_an_unknown_theme_filter_is_a_problem_that_suggests_the_nearest(aws, search):
    # Given a searcher who misspells a theme
    status, problem, headers = call_api("GET", "/reviews?theme=neglct")
    # Then the answer is a 400 problem naming the nearest theme
    assert status == 400, problem
    assert headers["Content-Type"].startswith("application/problem+json")
    assert "'Neglect' (neglect)" in str(problem)


def test_a_welsh_record_is_found_by_its_welsh_words_and_labelled_welsh(aws, search):
    # Given a Welsh-language child practice review
    indexed_with_text(
        a_report(
            "CR-2021-0001",
            "Adolygiad Ymarfer Plant: Plentyn A",
            "Roedd yr ymwelydd iechyd yn poeni am ddiogelwch y plentyn. " * 5,
            nation=Nation.WALES,
            review_type=ReviewType.CHILD_PRACTICE_REVIEW,
            language=Language.WELSH,
        ),
        a_report("CR-2021-0002", "Child T", FILLER * 3),
    )
    # When a searcher types Welsh words, or filters by language
    # Then the Welsh record is found, and it says it is Welsh
    assert found_references("q=ymwelydd%20iechyd") == ["CR-2021-0001"]
    assert found_references("q=plentyn") == ["CR-2021-0001"]
    _, found, _ = call_api("GET", "/reviews?language=cy")
    assert [(item["reference"], item["language"]) for item in found["items"]] == [("CR-2021-0001", "cy")]
    assert {bucket["value"]: bucket["label"] for bucket in found["facets"]["language"]} == {"cy": "Welsh (Cymraeg)"}


def test_an_identifier_is_public_and_searchable(aws, search):
    # Given the 1945 inquiry, catalogued with its command paper number under Crown copyright
    catalogue_without_pipeline(
        historic_record(
            "CR-1945-0001",
            "1945-05",
            title="Report on the circumstances which led to the boarding out of Dennis and Terence O'Neill",
            review_type=ReviewType.INQUIRY_REPORT,
            identifiers=("Cmd 6636",),
            rights_holder="Crown copyright",
            board_name="Home Office",
        ),
        historic_record("CR-1946-0001", "1946", title="Another inquiry"),
    )
    # When a searcher types the command paper number
    status, found, _ = call_api("GET", "/reviews?q=cmd%206636")
    # Then the inquiry is found, with its identifier and rights holder
    assert status == 200, found
    assert [item["reference"] for item in found["items"]] == ["CR-1945-0001"]
    assert found["items"][0]["identifiers"] == ["Cmd 6636"]
    _, record, _ = call_api("GET", "/reviews/CR-1945-0001")
    assert record["rights_holder"] == "Crown copyright"
    assert record["rights"] == {
        "copyright_holder": "Crown copyright",
        "statement": "Crown copyright. The library holds a copy to share the learning from it.",
    }


def test_a_date_known_to_the_year_is_a_period_that_a_narrower_range_includes_and_marks_approximate(aws, search):
    # Given records dated only "1973", "1973-05" and on a day in July 1973
    catalogue_without_pipeline(
        historic_record("CR-1973-0001", "1973"),
        historic_record("CR-1973-0002", "1973-05"),
        historic_record("CR-1973-0003", "1973-07-14"),
    )
    # When a searcher asks for the second half of 1973
    _, found, _ = call_api("GET", "/reviews?from=1973-06&to=1973-12&sort=oldest")
    # Then the year-only record is included (its period meets the range) and marked approximate; May's is not
    assert [(i["reference"], i["publication_date_approximate"]) for i in found["items"]] == [
        ("CR-1973-0001", True),
        ("CR-1973-0003", False),
    ]


def test_same_first_day_puts_the_more_precise_date_first_in_either_order(aws, search):
    # Given three records whose periods all start on 1 January 1980: the year, the month, the day
    catalogue_without_pipeline(
        historic_record("CR-1980-0001", "1980"),
        historic_record("CR-1980-0002", "1980-01"),
        historic_record("CR-1980-0003", "1980-01-01"),
        historic_record("CR-1980-0004", "1980-03-02"),
    )
    # When they are listed oldest first and newest first
    oldest = found_references("year=1980&sort=oldest")
    newest = found_references("year=1980&sort=newest")
    # Then records of the same start come more precise first, in both orders
    assert oldest == ["CR-1980-0003", "CR-1980-0002", "CR-1980-0001", "CR-1980-0004"]
    assert newest == ["CR-1980-0004", "CR-1980-0003", "CR-1980-0002", "CR-1980-0001"]


def test_a_yearly_list_puts_approximate_dates_at_the_end_of_their_period_with_a_label(aws, search):
    # Given records of 1973 known to the day, to the month and only to the year
    catalogue_without_pipeline(
        historic_record("CR-1973-0011", "1973"),
        historic_record("CR-1973-0012", "1973-05"),
        historic_record("CR-1973-0013", "1973-05-14"),
        historic_record("CR-1973-0014", "1973-11-02"),
    )
    # When the yearly list of 1973 is asked for
    status, year, _ = call_api("GET", "/years/1973")
    # Then a month-only date ends its month, the year-only date ends the year, each labelled in words
    assert status == 200, year
    assert [(item["reference"], item["publication_date_label"]) for item in year["items"]] == [
        ("CR-1973-0013", "14 May 1973"),
        ("CR-1973-0012", "May 1973, day unknown"),
        ("CR-1973-0014", "2 November 1973"),
        ("CR-1973-0011", "1973, month unknown"),
    ]


def test_an_alternative_label_of_several_words_finds_the_preferred_label_in_the_text(aws, search):
    # Given a report whose text says "domestic abuse", and one that says neither
    indexed_with_text(
        a_report("CR-2022-0001", "Child U", FILLER + "Domestic abuse was a feature of the household. " + FILLER),
        a_report("CR-2022-0002", "Child V", FILLER * 2),
    )
    # When a searcher types an older word for it, unquoted or as a phrase
    # Then the report is found
    assert found_references("q=domestic%20violence") == ["CR-2022-0001"]
    assert found_references("q=%22domestic%20violence%22") == ["CR-2022-0001"]
    # And an exclusion still excludes
    assert found_references("q=household%20-abuse") == []


def test_a_yearly_list_puts_a_day_before_the_month_or_year_that_ends_with_it(aws, search):
    # Given dates that end on the same day: the last of June, the month of June; the last of the year,
    # December, and the year
    catalogue_without_pipeline(
        historic_record("CR-1973-0021", "1973"),
        historic_record("CR-1973-0022", "1973-12"),
        historic_record("CR-1973-0023", "1973-12-31"),
        historic_record("CR-1973-0024", "1973-06"),
        historic_record("CR-1973-0025", "1973-06-30"),
    )
    # When the yearly list is asked for
    _, year, _ = call_api("GET", "/years/1973")
    # Then the day comes before the month, and the month before the year
    assert [item["reference"] for item in year["items"]] == [
        "CR-1973-0025",
        "CR-1973-0024",
        "CR-1973-0023",
        "CR-1973-0022",
        "CR-1973-0021",
    ]
