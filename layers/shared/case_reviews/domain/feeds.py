"""The Atom feed (RFC 4287) of the records added last: catalogue metadata and links, never the file."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from xml.etree import ElementTree

from case_reviews.domain.exports import citation, record_link
from case_reviews.domain.review_types import label_of
from case_reviews.domain.search import AddedRecord
from case_reviews.domain.themes import theme_label

ATOM = "http://www.w3.org/2005/Atom"
FEED_LENGTH = 50
FEED_PATH = "/feeds/new.atom"
FEED_TITLE = "New in the national case review repository"
MEDIA_TYPE = "application/atom+xml; charset=utf-8"


def _instant(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _add(parent: ElementTree.Element, tag: str, text: str | None = None, **attributes: str) -> ElementTree.Element:
    element = ElementTree.SubElement(parent, f"{{{ATOM}}}{tag}", attributes)
    if text is not None:
        element.text = text
    return element


def atom_feed(added: Sequence[AddedRecord], public_base_url: str, now: datetime) -> str:
    """The feed of `added` (newest first): one entry per record, linking to its catalogue record.

    The feed is updated when its newest entry was added (now, while it has none); each entry's id is
    the record's permanent link, so a reader never sees a record twice.
    """
    base = public_base_url.rstrip("/")
    ElementTree.register_namespace("", ATOM)
    feed = ElementTree.Element(f"{{{ATOM}}}feed")
    _add(feed, "id", f"{base}{FEED_PATH}")
    _add(feed, "title", FEED_TITLE)
    _add(feed, "subtitle", f"The last {FEED_LENGTH} case review reports deposited in the library.")
    _add(feed, "updated", _instant(added[0].added_at if added else now))
    _add(feed, "link", rel="self", href=f"{base}{FEED_PATH}", type="application/atom+xml")
    _add(feed, "link", rel="alternate", href=f"{base}/reviews", type="application/json")
    author = _add(feed, "author")
    _add(author, "name", "The national case review repository")
    for record in added:
        hit = record.hit
        link = record_link(base, hit.reference)
        entry = _add(feed, "entry")
        _add(entry, "id", link)
        _add(entry, "title", hit.title)
        _add(entry, "updated", _instant(record.added_at))
        _add(entry, "published", _instant(record.added_at))
        _add(entry, "link", rel="alternate", href=link)
        by = _add(entry, "author")
        _add(by, "name", hit.publisher)
        _add(entry, "category", term=hit.review_type.value, label=label_of(hit.review_type))
        for theme in hit.themes:
            _add(entry, "category", term=theme, label=theme_label(theme))
        summary = f"{hit.summary}\n\n{citation(hit, link)}" if hit.summary else citation(hit, link)
        _add(entry, "summary", summary, type="text")
    return ElementTree.tostring(feed, encoding="unicode", xml_declaration=True) + "\n"
