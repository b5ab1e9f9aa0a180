"""The library's check before publication: what makes a deposit wait for a person (`in_review`).

An anonymous report must not name its board, yet its own words may: its name, its area, its old
LSCB name, its staff. Before a record is made, the title, summary and extracted text are searched
for the board's name and aliases; any hit holds an anonymous deposit for staff. So do a scanned
report without text, a type and date that look wrong, and a board (or the whole library) whose
every deposit staff check first. Nothing of a held deposit is searchable or downloadable: there is
no record until staff approve it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
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


def fold_text(text: str) -> str:
    """Text as names are compared: accents and case folded, words split across a line by a hyphen joined,
    every run of other characters one space ("Safe-\\nguarding  PARTNERSHIP" reads "safeguarding partnership")."""
    # A word hyphenated at a line's end: a hyphen and a line break as typed, or the marks extractors use
    # for such a hyphen (PDFium's U+FFFE, U+0002) and the soft hyphen.
    text = re.sub(r"(\w)-[ \t]*\r?\n[ \t]*(\w)", r"\1\2", text)
    text = re.sub(r"[\u00ad\ufffe\x02][ \t]*(?:\r?\n[ \t]*)?", "", text)
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(character for character in decomposed if not unicodedata.combining(character))
    return " ".join(re.sub(r"[^\w]+", " ", plain.casefold()).split())


def _pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    folded = sorted({fold_text(name) for name in names} - {""}, key=len, reverse=True)
    if not folded:
        return None
    return re.compile(r"\b(?:" + "|".join(re.escape(name) for name in folded) + r")\b")


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
    """Where the names occur: (where, the line) for each declared field and each page of the text."""
    pattern = _pattern(names)
    if pattern is None:
        return []
    places = [*declared]
    places += [(f"page {number}", page) for number, page in enumerate(text.split(PAGE_SEPARATOR), start=1)]
    found: list[tuple[str, str]] = []
    for where, words in places:
        # A name may run over a line break (or a hyphenated one): look in the page's folded text whole,
        # then show staff the folded words around each match.
        folded = fold_text(words)
        for match in pattern.finditer(folded):
            start = max(0, match.start() - LINE_CHARS // 2)
            found.append((where, folded[start : start + LINE_CHARS]))
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
