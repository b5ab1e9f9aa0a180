"""Staff correct a record's metadata: the record, its audit trail and the search index follow."""

from __future__ import annotations

from datetime import date

import pytest

from case_reviews import bootstrap
from case_reviews.domain.audit import AuditAction
from case_reviews.domain.dates import PublicationDate
from case_reviews.domain.description import MetadataCorrection
from case_reviews.domain.errors import RulingRefused
from tests.integration.helpers import call_api
from tests.integration.test_retention import deposited_today  # noqa: F401 - a fixture
from tests.integration.test_search_api import catalogue_without_pipeline, historic_record

STAFF = "arn:aws:iam::123456789012:user/librarian"


def test_a_corrected_title_and_date_reach_the_record_the_trail_and_search(deposited_today, pipeline):  # noqa: F811
    # Given a deposited report, catalogued and indexed
    reference = deposited_today
    before = bootstrap.services().records_store.get_record(reference)
    correction = MetadataCorrection(
        title="Serious Case Review: Child K (revised)",
        publication_date=PublicationDate.parse("2016-04"),
        themes=("neglect", "domestic abuse"),
    )

    # When staff correct its title, publication date and themes, and the index function takes the change
    outcome = bootstrap.services().rulings.edit(reference, correction, STAFF, reason="The board sent an erratum.")
    pipeline.drain()

    # Then the record reads the corrections under the same reference, one version on; the trail has who, why
    # and before/after; and search finds the new title, in April 2016
    after = bootstrap.services().records_store.get_record(reference)
    assert (after.title, str(after.publication_date), after.themes) == (
        "Serious Case Review: Child K (revised)",
        "2016-04",
        ("neglect", "domestic_abuse"),
    )
    assert (outcome.action, outcome.version) == (AuditAction.EDITED, before.version + 1)
    entry = bootstrap.services().rulings.audit(reference)[-1]
    assert (entry.actor, entry.action, entry.reason) == (STAFF, AuditAction.EDITED, "The board sent an erratum.")
    assert entry.changes["title"].before == before.title
    assert entry.changes["title"].after == "Serious Case Review: Child K (revised)"
    found = call_api("GET", "/reviews?q=revised&from=2016-04&to=2016-04")[1]
    assert [item["reference"] for item in found["items"]] == [reference]
    assert found["items"][0]["publication_date"] == "2016-04"


def test_a_historic_record_without_a_copy_can_be_corrected(aws, search, pipeline):
    # Given a catalogue-only historic record
    catalogue_without_pipeline(historic_record("CR-1973-0001", "1973"))

    # When staff add a summary, then clear it again
    rulings = bootstrap.services().rulings
    rulings.edit("CR-1973-0001", MetadataCorrection(summary="An inquiry into a death."), STAFF)
    with_summary = bootstrap.services().records_store.get_record("CR-1973-0001").summary
    rulings.edit("CR-1973-0001", MetadataCorrection(summary=""), STAFF)

    # Then the summary was set and then cleared, and the record still has no copy
    record = bootstrap.services().records_store.get_record("CR-1973-0001")
    assert (with_summary, record.summary, record.electronic_copy) == ("An inquiry into a death.", None, None)


@pytest.mark.parametrize(
    ("correction", "message"),
    [
        (MetadataCorrection(commissioned_date=date(2030, 1, 1)), "commissioned_date must not be after"),
        (MetadataCorrection(title="Inquiry report CR-1973-0001"), "nothing to change"),
    ],
    ids=["commissioned after publication", "no change at all"],
)
def test_a_correction_that_breaks_a_rule_or_changes_nothing_is_refused(aws, search, correction, message):
    # Given a historic record
    catalogue_without_pipeline(historic_record("CR-1973-0001", "1973"))
    version = bootstrap.services().records_store.get_record("CR-1973-0001").version
    # When staff send a correction that breaks a rule, or that changes nothing
    with pytest.raises(RulingRefused, match=message):
        bootstrap.services().rulings.edit("CR-1973-0001", correction, STAFF)
    # Then nothing is written
    assert bootstrap.services().records_store.get_record("CR-1973-0001").version == version
    assert [entry.action for entry in bootstrap.services().rulings.audit("CR-1973-0001")] == []
