"""What pages and emails call the catalogue's facets and the fields that describe a case.

The values read by their own labels (`vocabulary.label`, `search.facet_label`); these are the headings
over them. One table each, so that the search page's filters, the record page, the yearly lists and
the alert emails say the same words.
"""

from __future__ import annotations

# The search's facets (GET /reviews' `facets`, the adapter's FACET_FIELDS: a unit test compares them),
# each with its heading, in the order the results page offers them as filters.
FACET_HEADINGS: dict[str, str] = {
    "nation": "Nation",
    "review_type": "Review type",
    "document_type": "Document type",
    "theme": "Theme",
    "year": "Year published",
    "has_copy": "Electronic copy",
    "outcome": "Outcome",
    "age_band": "Age of the child",
    "review_model": "Review model",
    "region": "Region",
    "language": "Language",
}

# The case, as the library's yearly lists describe it: the optional case fields of `Description`, each
# with its heading, in the order a record shows them. The facts are short (a list's entry gives them
# too); the texts are paragraphs under their heading on the record page.
CASE_FACTS: dict[str, str] = {
    "child": "Child",
    "age_band": FACET_HEADINGS["age_band"],
    "outcome": FACET_HEADINGS["outcome"],
    "local_authority": "Local authority",
    "region": FACET_HEADINGS["region"],
    "review_model": FACET_HEADINGS["review_model"],
}
CASE_TEXTS: dict[str, str] = {"learning": "Key learning", "recommendations": "Recommendations"}
# The same case's other documents (the overview, the executive summary, the action plan), by reference.
RELATED_HEADING = "Related documents"
