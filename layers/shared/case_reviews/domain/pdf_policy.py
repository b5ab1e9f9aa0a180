"""What the library accepts in a PDF, what it says when it refuses one, and what an anonymous copy never carries.

The parser's own process (`adapters/pdf_worker/`) applies these rules to a board's file; they live here so
that the rules and the words the board reads are in one place, apart from the mechanics of PDFium and pypdf.
Standard library only: the parser process imports this before anything else, under its limits.
"""

from __future__ import annotations

# ---------------------------------------------------------------- why a file is refused (the board reads these)

# Pages of the extracted text are separated by a form feed, so a finding can say on which page it is.
PAGE_SEPARATOR = "\f"
PASSWORD_REASON = (
    "The PDF is encrypted (a password or restrictions on opening, printing or copying). "
    "Save a copy without a password or restrictions and submit it again."
)
DAMAGED_REASON = "The PDF could not be read (it may be damaged). Export it again and submit it again."
# PDFium (what viewers use) repairs more than the structural parser reads. Every stored copy is rewritten
# from the structural parser's reading, and checked there, so a file it cannot read exactly is refused.
STRUCTURE_REASON = (
    "The PDF's internal structure is damaged: a viewer may still show it, but the library could not read it "
    "exactly, so it cannot check it or keep a clean copy. Open the report in the program that made it, "
    "export or save it again as PDF (for example by printing it to PDF or saving it as PDF/A) "
    "and submit it again."
)
NO_PAGES_REASON = "The PDF has no pages."
JAVASCRIPT_REASON = (
    "The PDF contains JavaScript or actions that launch programs. The library does not accept active content: "
    "export the report again as plain PDF (for example by printing it to PDF or saving it as PDF/A) "
    "and submit it again."
)
XFA_REASON = (
    "The PDF is an XFA form (a dynamic form, as made by Adobe LiveCycle or AEM Forms). The library does not "
    "accept active content, and an XFA form's content cannot be checked: print the form to PDF "
    "(or save it as a flattened PDF/A) and submit it again."
)
ATTACHMENTS_REASON = (
    "The PDF has files attached inside it. Attachments can hold personal data that was not redacted: "
    "remove them, export the report again as plain PDF and submit it again."
)
UNPROCESSABLE_REASON = (
    "The PDF could not be processed (the library's software could not open it within its limits). "
    "Export the report again (for example by printing it to PDF) and submit it again; if it still fails, "
    "contact the library."
)
TIMEOUT_REASON = (
    "The PDF could not be processed within the time allowed. "
    "Export the report again (for example by printing it to PDF) and submit it again; if it still fails, "
    "contact the library."
)
BOMB_REASON = (
    "The PDF contains a compressed part that expands to an unreasonable size, so it could not be processed. "
    "Export the report again (for example by printing it to PDF) and submit it again."
)


def too_many_pages_reason(page_count: int, max_pages: int) -> str:
    return (
        f"The PDF has {page_count} pages; the limit is {max_pages} pages. "
        "Split the report into parts and submit each part, or contact the library."
    )


# ---------------------------------------------------------------- active content (refused wherever it is)

# Actions that run code or programs; a /JS entry is a script whatever the action's type says.
ACTIVE_ACTION_TYPES = frozenset({"/JavaScript", "/Launch", "/RichMediaExecute"})
SCRIPT_KEYS = frozenset({"/JS"})
# An XFA form (in /AcroForm) is a second document of scripts and data beside the pages.
XFA_KEYS = frozenset({"/XFA"})
ATTACHMENT_KEYS = frozenset({"/EmbeddedFiles", "/EF"})
ATTACHMENT_ANNOTATION_SUBTYPES = frozenset({"/FileAttachment"})

# ---------------------------------------------------------------- what an anonymous copy never carries
#
# Metadata of a report published on a board's behalf must not name the board. Its words are in the
# pages; everything below is about the file (who made it, with what, who commented on it) or a layer
# over the pages:
#
# * Annotations and forms are removed as whole layers, not scrubbed key by key. An annotation's or a
#   field's words are in several places at once: its author (/T), text (/Contents, rich text /RC,
#   /Subj), its pop-up and its replies (/IRT), and its appearance stream, where a sticky note, a typed
#   comment or a filled-in value is drawn. Scrubbing the keys leaves the drawn words; flattening moves
#   them into the page. A published report's content is its pages; comments are review residue and
#   forms are for filling in. What is lost: links (a contents page, web addresses) stop being
#   clickable in an anonymous copy (a web address can name the board too).
# * The outline (bookmarks) and page labels go whole too: they are the headings and numbering a viewer
#   shows beside the pages, and a title or a label prefix can name the board.

# Removed from every dictionary and stream in the file (pages, form XObjects, images, fonts, ...).
ANONYMOUS_DROPPED_EVERYWHERE = frozenset(
    {
        "/Metadata",  # XMP packets: authoring tool, author, organisation, history
        "/PieceInfo",  # an application's private data (names, file paths, edit history)
        "/Thumb",  # an embedded thumbnail: a picture of the page as it once was
    }
)
# Removed from the document catalogue.
ANONYMOUS_DROPPED_FROM_CATALOGUE = frozenset(
    {
        "/AcroForm",  # the form: field names, values, tooltips, signatures
        "/Outlines",  # bookmarks and their titles
        "/PageLabels",  # page numbering labels, whose prefixes are free text
        "/Dests",  # named destinations (names are often a heading's words); links are gone anyway
        "/Threads",  # article threads carry their own title and author
        "/Perms",  # signature permissions point at signatures (signer's name, reason, place)
        "/URI",  # the base address of web links
        "/SpiderInfo",  # web-capture history: where the pages were captured from
    }
)
# Removed from the catalogue's name dictionary (/Names).
ANONYMOUS_DROPPED_FROM_NAMES = frozenset({"/Dests", "/IDS", "/URLS"})
# Removed from every page (with ANONYMOUS_DROPPED_EVERYWHERE).
ANONYMOUS_DROPPED_FROM_PAGES = frozenset({"/Annots", "/B"})  # /B: the page's beads of article threads
# Removed from the trailer: /Info (title, author, creator, producer, dates) and the file identifier,
# which some tools derive from the file's path, author or time; the copy gets a fresh random one.
ANONYMOUS_DROPPED_FROM_TRAILER = frozenset({"/Info", "/ID"})
