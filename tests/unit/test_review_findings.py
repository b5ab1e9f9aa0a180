"""The library's check before publication (domain/review.py): what holds a deposit, and why."""

from __future__ import annotations

import pytest

from case_reviews.domain.boards import Board
from case_reviews.domain.description import ReportMetadata
from case_reviews.domain.holds import ReviewReason
from case_reviews.domain.review import board_mentions, findings_for, fold_text
from tests.unit.factories import metadata_fields

BOARD = Board(
    board_id="northshire",
    name="Northshire Safeguarding Children Partnership",
    aliases=("Northshire LSCB", "Ynys Môn", "Stoke-on-Trent", "Southend-on-Sea"),
)


@pytest.mark.parametrize(
    "text",
    [
        "commissioned by Northshire Safeguarding Children Partnership.",
        "commissioned by NORTHSHIRE SAFEGUARDING CHILDREN PARTNERSHIP.",
        "commissioned by Northshire Safeguarding\nChildren Partnership.",
        "commissioned by North-\nshire Safeguarding Children Partnership.",
        "commissioned by North\ufffeshire Safeguarding Children Partnership.",
        "commissioned by Northshire Safe\u00adguarding Children Partnership.",
        "the former Northshire LSCB",
        "the Isle of Anglesey (Ynys Mon)",
        "the children of Stoke-on-Trent were seen",
        "the children of Stoke-on-\nTrent were seen",
        "the children of Stoke-\non-Trent were seen",
        "the children of Stoke-on\ufffe\nTrent were seen",
        "the children of Stoke on Trent were seen",
        "families in Southend-on-\nSea and beyond",
        "families in South-\nend-on-Sea and beyond",
    ],
    ids=[
        *("as written", "capitals", "line break", "hyphenated", "pdfium hyphen", "soft hyphen", "alias", "accents"),
        *("own hyphens", "own hyphen at line end", "first own hyphen at line end", "pdfium own hyphen"),
        *("own hyphens as spaces", "southend own hyphen at line end", "southend split word"),
    ],
)
def test_the_board_is_found_whatever_the_case_accents_line_breaks_and_hyphens(text: str) -> None:
    # Given a page that names the board (or an alias) as extracted text may have it
    # When the board's names are looked for
    mentions = board_mentions([BOARD.name, *BOARD.aliases], [("the title", "A title")], text)
    # Then it is found, on that page
    assert [where for where, _ in mentions] == ["page 1"]


@pytest.mark.parametrize(
    ("text", "page"),
    [
        ("first page\fcommissioned by Northshire Safeguarding\fChildren Partnership, page three", "page 2"),
        ("first page\fcommissioned by Stoke-on-\fTrent's partnership", "page 2"),
        ("commissioned by North-\fshire LSCB\fthird page", "page 1"),
        ("commissioned by North\ufffe\fshire LSCB", "page 1"),
    ],
    ids=["words over the break", "own hyphen over the break", "word split over the break", "pdfium hyphen"],
)
def test_a_name_running_over_a_page_break_is_found_on_the_page_it_starts(text: str, page: str) -> None:
    # Given text whose pages are apart by form feeds, a name starting on one page and ending on the next
    # When the board's names are looked for
    mentions = board_mentions([BOARD.name, *BOARD.aliases], [], text)
    # Then it is found once, on the page where it starts
    assert [where for where, _ in mentions] == [page]


def test_the_line_staff_read_shows_a_line_end_hyphen_as_the_match_read_it() -> None:
    # Given a page naming an alias whose own hyphen falls at a line's end, and one hyphenating a word
    text = "the city of Stoke-on-\nTrent\fthe county of North-\nshire"
    # When the names are looked for
    mentions = board_mentions(["Stoke-on-Trent", "Northshire"], [], text)
    # Then each line reads the hyphens as its match did: the name's own kept, the split word joined (and any
    # other line-end hyphen around the match joined)
    assert mentions == [
        ("page 1", "the city of stoke on-trent the county of northshire"),
        ("page 2", "the city of stoke ontrent the county of northshire"),
    ]


def test_names_do_not_match_across_unrelated_words_at_a_line_end_hyphen() -> None:
    # Given text where a hyphen at a line's end joins two words that are not the name
    # When the names are looked for
    # Then nothing is found: a line-end hyphen only joins or separates the name's own letters and words
    assert board_mentions(["Stoke-on-Trent"], [], "Stoke-on-\nTrentham Gardens; stoke-\nontario") == []


def test_a_word_that_only_contains_the_name_is_not_a_mention() -> None:
    # Given text where the alias's letters run into another word
    # When the names are looked for
    # Then nothing is found: names match whole words
    assert board_mentions(["Ynys Môn"], [("the title", "t")], "ynys monachty") == []


def test_mentions_say_on_which_page_they_are() -> None:
    # Given three pages apart by form feeds, the board named on the third and in the summary
    text = "page one\fpage two\fby Northshire LSCB"
    # When the names are looked for
    declared = [("the title", "A title"), ("the summary", "For the Northshire LSCB.")]
    mentions = board_mentions(list(BOARD.aliases), declared, text)
    # Then each place is named
    assert [where for where, _ in mentions] == ["the summary", "page 3"]


@pytest.mark.parametrize(
    ("field", "value", "where"),
    [
        ("learning", "Northshire LSCB must share information.", "the key learning"),
        ("recommendations", "The Northshire LSCB should audit.", "the recommendations"),
        ("child", "Child K of Northshire LSCB", "the child's name"),
        ("identifiers", ["Northshire LSCB 2016/4"], "the identifiers"),
    ],
)
def test_every_public_field_a_board_declares_is_checked_for_its_names(field: str, value: object, where: str) -> None:
    # Given an anonymous deposit that names the board in one of the public fields it declares
    metadata = anonymous(**{field: value})
    # When the library checks it
    findings = findings_for(metadata, BOARD, "words", text_layer=True, review_every_deposit=False)
    # Then it waits, saying where
    assert [finding.reason for finding in findings] == [ReviewReason.NAMES_BOARD]
    assert f"{where} names your board" in findings[0].detail


def test_folding_makes_names_comparable() -> None:
    # Given a name with accents, capitals and punctuation
    # When it is folded
    # Then it is plain lower-case words
    assert fold_text("  Ynys MÔN — Safe-\nguarding!  ") == "ynys mon safeguarding"


def anonymous(**changes) -> ReportMetadata:
    return ReportMetadata.model_validate(metadata_fields(anonymous=True, **changes))


def test_an_anonymous_deposit_naming_its_board_is_held_and_a_named_one_is_not() -> None:
    # Given the same words in an anonymous and a named deposit
    text = "first page\fcommissioned by Northshire Safeguarding Children Partnership"
    # When the library checks them
    held = findings_for(anonymous(), BOARD, text, text_layer=True, review_every_deposit=False)
    named = findings_for(
        ReportMetadata.model_validate(metadata_fields(anonymous=False)), BOARD, text, True, review_every_deposit=False
    )
    # Then only the anonymous one waits, saying where the board is named
    assert [finding.reason for finding in held] == [ReviewReason.NAMES_BOARD]
    assert "page 2 names your board" in held[0].detail
    assert named == []


def test_a_scan_without_text_a_late_ended_type_and_a_policy_each_hold_a_deposit() -> None:
    # Given a scan without text, a serious case review published in 2024, and a library that checks all
    scan = findings_for(anonymous(), BOARD, "", text_layer=False, review_every_deposit=False)
    late = findings_for(
        ReportMetadata.model_validate(metadata_fields(publication_date="2024-05-01")), BOARD, "words", True, False
    )
    policy = findings_for(anonymous(), BOARD, "words", text_layer=True, review_every_deposit=True)
    # When the findings are read
    # Then each says why, in words a board can act on
    assert [finding.reason for finding in scan] == [ReviewReason.NO_TEXT_LAYER]
    assert [finding.reason for finding in late] == [ReviewReason.UNUSUAL_TYPE_DATE]
    assert "long after the type ended (2018-06-29)" in late[0].detail
    assert [finding.reason for finding in policy] == [ReviewReason.REVIEW_EVERY_DEPOSIT]


def test_a_serious_case_review_published_in_the_transition_is_not_held() -> None:
    # Given a serious case review published in 2020, within the transition after the 2018 reforms
    metadata = ReportMetadata.model_validate(metadata_fields(publication_date="2020-11-30"))
    # When the library checks it
    # Then nothing holds it
    assert findings_for(metadata, BOARD, "words", True, False) == []
