"""`case-reviews records show REF` as text: every field of the record's description, in its own order."""

from __future__ import annotations

from case_reviews.domain.description import Description
from case_reviews.domain.vocabulary import Outcome
from case_reviews_cli.records import record_text
from tests.unit.factories import a_record


def test_the_text_shows_every_descriptive_field_the_record_has_and_a_dash_for_the_others() -> None:
    # Given a record with case fields and identifiers set, and no rights holder
    record = a_record(child="Child K", outcome=Outcome.DEATH, identifiers=("ISBN 978-0-00-000000-2",))
    shown = {**record.model_dump(mode="json"), "publisher": record.publisher}

    # When staff show it as text
    lines = record_text(shown).splitlines()

    # Then there is a line for each field of the description, with its value, or "-" when it is unset
    labels = [line.split("  ")[0] for line in lines]
    assert all(name.replace("_", " ") in labels for name in Description.model_fields)
    by_label = {line.split("  ")[0]: line.split("  ", 1)[1].strip() for line in lines}
    assert by_label["child"] == "Child K"
    assert by_label["outcome"] == "death"
    assert by_label["identifiers"] == "ISBN 978-0-00-000000-2"
    assert by_label["rights holder"] == "-"
    assert by_label["themes"] == "neglect"
