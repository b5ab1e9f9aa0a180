"""The library's check before publication: what makes a deposit wait for a person (`in_review`).

An anonymous report must not name its board, yet its own words may: its name, its area, its old
LSCB name, its staff. Before a record is made, the title, summary and extracted text are searched
for the board's name and aliases; any hit holds an anonymous deposit for staff. So do a scanned
report without text, a type and date that look wrong, and a board (or the whole library) whose
every deposit staff check first. Nothing of a held deposit is searchable or downloadable: there is
no record until staff approve it.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from case_reviews.domain.boards import Board
from case_reviews.domain.dates import last_day_of
from case_reviews.domain.description import ReportMetadata
from case_reviews.domain.holds import Finding, ReviewReason
from case_reviews.domain.pdf_policy import PAGE_SEPARATOR
from case_reviews.domain.review_types import RULES

# A finding shows staff at most this many matching lines (each cut to LINE_CHARS around the match).
MAX_LINES = 5
LINE_CHARS = 160
# An ended type published this long after its end looks wrong (England's serious case reviews, begun
# before 29 June 2018, were published into 2021: three years and more is worth a look).
LATE_AFTER_DAYS = 3 * 365


# ---------------------------------------------------------------- matching names


# Where a line (or a page) ended in a hyphen, the folded text keeps this mark: the hyphen may join a
# word split over the line ("North-|shire") or be the name's own ("Stoke-on-|Trent"), so a name matches
# either reading. It is not a word character, and the folding keeps it.
_LINE_END_HYPHEN = "\x1f"


def _fold(text: str) -> str:
    """Text folded for comparison, a hyphen at a line's end kept as `_LINE_END_HYPHEN`."""
    # A hyphen and a line break as typed, or the marks extractors use for such a hyphen (PDFium's
    # U+FFFE, U+0002) and the soft hyphen.
    text = re.sub(r"(\w)-[ \t]*\r?\n[ \t]*(\w)", rf"\1{_LINE_END_HYPHEN}\2", text)
    text = re.sub(r"[\u00ad\ufffe\x02][ \t]*(?:\r?\n[ \t]*)?", _LINE_END_HYPHEN, text)
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(character for character in decomposed if not unicodedata.combining(character))
    # Every run of other characters is one space (str.split would count the mark as a space too).
    return re.sub(rf"[^\w{_LINE_END_HYPHEN}]+", " ", plain.casefold()).strip(" ")


def fold_text(text: str) -> str:
    """Text as names are compared: accents and case folded, words split across a line by a hyphen joined,
    every run of other characters one space ("Safe-\\nguarding  PARTNERSHIP" reads "safeguarding partnership")."""
    return _fold(text).replace(_LINE_END_HYPHEN, "")


def _name_pattern(folded_name: str) -> str:
    """A folded name as a pattern over `_fold`ed text: a line-end hyphen may fall between any two of its
    letters (a word split over the line) or stand for a space between its words (its own hyphen)."""
    between_letters = re.escape(_LINE_END_HYPHEN) + "?"
    words = (between_letters.join(re.escape(letter) for letter in word) for word in folded_name.split(" "))
    # A group for each space between words: where it matched the mark, the mark was the name's own hyphen.
    return f"( |{re.escape(_LINE_END_HYPHEN)})".join(words)


def _pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    folded = sorted({fold_text(name) for name in names} - {""}, key=len, reverse=True)
    if not folded:
        return None
    return re.compile(r"\b(?:" + "|".join(_name_pattern(name) for name in folded) + r")\b")


def _fold_pages(text: str) -> tuple[str, list[int]]:
    """The pages folded into one text (so a name may run over a page break, hyphenated or not) and where
    each page starts in it."""
    folded, starts, joiner = "", [], " "
    for page in text.split(PAGE_SEPARATOR):
        if folded:
            folded += joiner
        starts.append(len(folded))
        folded += _fold(page).strip(_LINE_END_HYPHEN)
        # A page that ends in a hyphen after a word goes on to the next as a line would.
        joiner = _LINE_END_HYPHEN if re.search(r"\w[-\u00ad\ufffe\x02]\s*$", page) else " "
    return folded, starts


def declared_places(metadata: ReportMetadata) -> list[tuple[str, str]]:
    """The words a board declares that become public: each with where it is, for a finding."""
    places = [
        ("the title", metadata.title),
        ("the summary", metadata.summary),
        ("the child's name", metadata.child),
        ("the key learning", metadata.learning),
        ("the recommendations", metadata.recommendations),
        ("the identifiers", "; ".join(metadata.identifiers)),
    ]
    return [(where, words) for where, words in places if words]


def board_mentions(names: Sequence[str], declared: Sequence[tuple[str, str]], text: str) -> list[tuple[str, str]]:
    """Where the names occur: (where, the line) for each declared field and each page of the text (a name
    running over a page break is on the page where it starts)."""
    pattern = _pattern(names)
    if pattern is None:
        return []
    found: list[tuple[str, str]] = []

    def look(folded: str, where_at: Callable[[int], str]) -> None:
        # A name may run over a line break (or a hyphenated one): look in the folded text whole, then show
        # staff the folded words around each match, each line-end hyphen read as the match read it.
        for match in pattern.finditer(folded):
            start = max(0, match.start() - LINE_CHARS // 2)
            own = {match.start(group) for group, text in enumerate(match.groups(), 1) if text == _LINE_END_HYPHEN}
            line = "".join(
                ("-" if at in own else "") if character == _LINE_END_HYPHEN else character
                for at, character in enumerate(folded[start : start + LINE_CHARS], start)
            )
            found.append((where_at(match.start()), line))

    for where, words in declared:
        look(_fold(words), lambda _position, where=where: where)
    pages, starts = _fold_pages(text)
    look(pages, lambda position: f"page {bisect.bisect_right(starts, position)}")
    return found


# ---------------------------------------------------------------- what holds a deposit


def findings_for(
    metadata: ReportMetadata, board: Board | None, text: str, text_layer: bool, review_every_deposit: bool
) -> list[Finding]:
    """Everything that makes this deposit wait for staff (none: it is published at once)."""
    findings: list[Finding] = []
    if metadata.anonymous and board is not None:
        mentions = board_mentions([board.name, *board.aliases], declared_places(metadata), text)
        if mentions:
            places = list(dict.fromkeys(where for where, _ in mentions))
            findings.append(
                Finding(
                    reason=ReviewReason.NAMES_BOARD,
                    detail=f"the report is to be anonymous, but {_listed(places)} names your board; "
                    "the library will check it with you before it is published",
                    lines=tuple(f"{where}: …{line}…" for where, line in mentions[:MAX_LINES]),
                )
            )
    if not text_layer:
        findings.append(
            Finding(
                reason=ReviewReason.NO_TEXT_LAYER,
                detail="the report has no text layer (a scan), so its words cannot be searched or checked; "
                "the library will look at it, and may ask you for an accessible copy",
            )
        )
    late = _published_long_after_its_type_ended(metadata)
    if late:
        findings.append(Finding(reason=ReviewReason.UNUSUAL_TYPE_DATE, detail=late))
    if review_every_deposit and not findings:
        findings.append(
            Finding(
                reason=ReviewReason.REVIEW_EVERY_DEPOSIT,
                detail="the library checks every deposit before it is published",
            )
        )
    return findings


def _published_long_after_its_type_ended(metadata: ReportMetadata) -> str | None:
    rule = RULES[metadata.review_type]
    published: date = last_day_of(metadata.publication_date)
    if rule.until is None or (published - rule.until).days < LATE_AFTER_DAYS:
        return None
    return (
        f"a {rule.label.lower()} published on {published.isoformat()}, long after the type ended "
        f"({rule.until.isoformat()}), looks unusual; the library will check the review type with you"
    )


def _listed(places: list[str]) -> str:
    if len(places) == 1:
        return places[0]
    return ", ".join(places[:-1]) + " and " + places[-1]
