"""The acknowledge and index functions under repeated announcements of the same outcome."""

from __future__ import annotations

import json

from case_reviews import bootstrap
from tests.integration.conftest import client, sent_emails
from tests.integration.helpers import deposit, submission_status
from tests.support.pdfs import make_pdf


def test_an_outcome_announced_again_sends_no_second_email_and_makes_no_second_document(
    aws, search, pipeline, board_key
):
    # Given a report catalogued, indexed and acknowledged
    _, key = board_key
    submission_id = deposit(key, make_pdf("Learning about neglect."))
    pipeline.drain()
    reference = submission_status(key, submission_id)["reference"]
    assert len(sent_emails()) == 1

    # When the catalogue announces the same outcome again, as a new event (as it does on a late redelivery)
    client("events").put_events(
        Entries=[
            {
                "EventBusName": aws.names.event_bus,
                "Source": "case-reviews.catalogue",
                "DetailType": "ReportCatalogued",
                "Detail": json.dumps({"reference": reference, "submission_id": submission_id}),
            }
        ]
    )
    received = pipeline.drain()

    # Then both functions got it, yet there is still one email and one index document
    assert (received["index"], received["acknowledge"]) == (1, 1)
    assert len(sent_emails()) == 1
    assert bootstrap.search_index().client.count(index=search)["count"] == 1
