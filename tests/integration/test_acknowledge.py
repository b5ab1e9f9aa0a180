"""The acknowledge and index functions under repeated announcements of the same outcome; duplicate uploads."""

from __future__ import annotations

import json

from case_reviews import bootstrap
from case_reviews.domain.vocabulary import SubmissionStatus
from case_reviews.messages import UploadedObject
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
    assert bootstrap.services().search_index.client.count(index=search)["count"] == 1


def test_a_duplicate_upload_sends_one_email_naming_the_existing_record_however_often_it_is_announced(
    aws, search, pipeline, board_key
):
    # Given a report catalogued and acknowledged
    _, key = board_key
    pdf = make_pdf("A report the board sends twice.")
    first = deposit(key, pdf)
    pipeline.drain()
    reference = submission_status(key, first)["reference"]

    # When the board uploads the same file again, and the duplicate is announced once more (a redelivery)
    second = deposit(key, pdf, title="Serious Case Review: Child K (again)")
    pipeline.drain()
    client("events").put_events(
        Entries=[
            {
                "EventBusName": aws.names.event_bus,
                "Source": "case-reviews.catalogue",
                "DetailType": "SubmissionDuplicate",
                "Detail": json.dumps({"submission_id": second, "reference": reference}),
            }
        ]
    )
    received = pipeline.drain()

    # Then the second submission is a duplicate of the first record, and its contact got one email (besides the
    # first's acknowledgement) saying the file is already in the library under that reference, with its link
    # and that nothing more is needed
    outcome = submission_status(key, second)
    assert (outcome["status"], outcome["reference"]) == ("duplicate", reference)
    assert received["acknowledge"] == 1
    emails = sent_emails()
    assert len(emails) == 2
    duplicate = emails[1]
    assert duplicate["to"] == ["business.manager@board.example"]
    assert duplicate["subject"] == f"Already in the library: Serious Case Review: Child K (again) ({reference})"
    body = " ".join(duplicate["body"].split())
    assert f"This file is already in the library as {reference}" in body
    assert f'<a href="https://reviews.example.org/v1/reviews/{reference}">' in body
    assert "Nothing more is needed" in body
    assert second in body


def test_a_duplicate_upload_delivered_again_is_announced_again_and_sends_no_second_email(
    aws, search, pipeline, board_key
):
    # Given a duplicate upload, closed as such and explained by email
    _, key = board_key
    pdf = make_pdf("Another report sent twice.")
    deposit(key, pdf)
    pipeline.drain()
    second = deposit(key, pdf)
    pipeline.drain()
    assert len(sent_emails()) == 2

    # When its upload notification comes again (the catalogue finds the submission closed and announces it again)
    upload = UploadedObject(bucket=aws.names.bucket, key=f"incoming/{second}.pdf", size=1)
    outcome = bootstrap.services().catalogue.catalogue_upload(upload)
    received = pipeline.drain()

    # Then the duplicate was announced again to the acknowledge function, and no second email went
    assert outcome.status is SubmissionStatus.DUPLICATE
    assert received["acknowledge"] == 1
    assert [email["subject"].split(":")[0] for email in sent_emails()] == ["Received", "Already in the library"]
