"""The acknowledge and index functions under repeated announcements of the same outcome; duplicate uploads."""

from __future__ import annotations

import json
import re

from case_reviews import bootstrap
from case_reviews.domain.records import rights_statement
from case_reviews.domain.vocabulary import SubmissionStatus
from case_reviews.messages import UploadedObject
from tests.integration.conftest import client, sent_emails
from tests.integration.helpers import call_api, deposit, submission_status
from tests.support.pdfs import make_pdf


def test_an_outcome_announced_again_sends_no_second_email_and_makes_no_second_document(
    aws, search, pipeline, board_key
):
    # Given a report catalogued, indexed and acknowledged
    board_id, key = board_key
    submission_id = deposit(key, make_pdf("Learning about neglect."))
    pipeline.drain()
    reference = submission_status(key, submission_id)["reference"]
    assert len(sent_emails()) == 1

    # When the catalogue announces the same outcome again, as a new event (as it does on a late redelivery),
    # and once more as an announcement made before it carried the board (one in flight across a deploy)
    for detail in (
        {"reference": reference, "submission_id": submission_id, "board_id": board_id},
        {"reference": reference, "submission_id": submission_id},
    ):
        client("events").put_events(
            Entries=[
                {
                    "EventBusName": aws.names.event_bus,
                    "Source": "case-reviews.catalogue",
                    "DetailType": "ReportCatalogued",
                    "Detail": json.dumps(detail),
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
    assert f'<a href="https://reviews.example.org/v1/record/{reference}">' in body
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


API_WORDS = ("POST", "/submissions", "API", "endpoint", "presigned", "JSON", "HTTP")


def words_outside_links(body: str) -> str:
    """An HTML part's words, without its tags and link addresses (an address starts with https)."""
    body = re.sub(r"(https?|mailto):[^\s\"<>]+", " ", body)
    return " ".join(re.sub(r"<[^>]+>", " ", body).split())


BOARD_NAME = "Northshire Safeguarding Children Partnership"
SCR = "england,serious_case_review,overview_report"
HISTORIC = f"""title,publication_date,nation,review_type,document_type,publisher,anonymous
Serious Case Review: Baby P (overview),2009-11,{SCR},Northshire LSCB,
Serious Case Review: Child F,2008,{SCR},{BOARD_NAME},
Serious Case Review: Child Q,2007,{SCR},{BOARD_NAME},true
Serious Case Review: Child W,2006,{SCR},Westshire LSCB,
"""


def test_the_acknowledgement_lists_what_the_library_holds_from_the_board_and_has_no_api_words(
    aws, search, pipeline, board_key, tmp_path
):
    # Given two reports the board deposited earlier (one of them anonymous), and a report of another board
    board_id, key = board_key
    first = deposit(key, make_pdf("An earlier report on neglect."), title="Serious Case Review: Child J")
    second = deposit(
        key,
        make_pdf("An earlier anonymous report."),
        title="Learning Review: Family H",
        anonymous=True,
        publication_date="2015-06-01",
    )
    boards = bootstrap.services().boards
    other = boards.add_board("Southshire Safeguarding Partnership", board_id="southshire")
    deposit(boards.issue_key(other.board_id), make_pdf("Southshire's own report."), title="Southshire Review: Child S")
    pipeline.drain()
    held = [submission_status(key, submission)["reference"] for submission in (first, second)]
    # And historic records imported under the board's name and under its alias, an anonymous one whose catalogue
    # names the board, and one of another publisher
    boards.set_aliases(board_id, ["Northshire LSCB"])
    catalogue = tmp_path / "historic.csv"
    catalogue.write_text(HISTORIC, encoding="utf-8")
    assert bootstrap.services().historic_import.import_file(catalogue).complete
    historic = {
        item["title"]: item["reference"]
        for item in call_api("GET", "/reviews?q=Serious%20Case%20Review&page_size=100")[1]["items"]
    }

    # When the board deposits a third report, and it is catalogued and acknowledged
    third = deposit(key, make_pdf("The newest report."), title="Serious Case Review: Child M")
    pipeline.drain()
    reference = submission_status(key, third)["reference"]

    # Then the acknowledgement, as the embedded SES holds it, went to the deposit's contact and lists the three
    # reports of the board and the two published under its name or alias, each once, with their references,
    # titles and publication dates (oldest first), and none of the other board's or publisher's, nor the
    # anonymous historic record
    acknowledgement = next(email for email in sent_emails() if email["subject"].endswith(f"({reference})"))
    assert acknowledgement["to"] == ["business.manager@board.example"]
    body = acknowledgement["body"]
    text = words_outside_links(body)
    assert "The library now holds 5 reports from your board" in text
    listing = body.split("from your board:")[1]
    child_f, baby_p = historic["Serious Case Review: Child F"], historic["Serious Case Review: Baby P (overview)"]
    assert f"<td>{child_f}</td><td>Serious Case Review: Child F</td><td>2008</td>" in listing
    assert f"<td>{baby_p}</td><td>Serious Case Review: Baby P (overview)</td><td>November 2009</td>" in listing
    assert f"<td>{held[1]}</td><td>Learning Review: Family H (published anonymously)</td><td>1 June 2015</td>" in (
        listing
    )
    assert f"<td>{held[0]}</td><td>Serious Case Review: Child J</td><td>14 March 2016</td>" in listing
    assert f"<td>{reference}</td><td>Serious Case Review: Child M</td><td>14 March 2016</td>" in listing
    order = [child_f, baby_p, held[1], held[0], reference]
    assert [listing.index(f"<td>{ref}</td>") for ref in order] == sorted(
        listing.index(f"<td>{ref}</td>") for ref in order
    )
    assert listing.count("<tr><td>") == 5
    assert "Southshire" not in body and "Child W" not in body and "Child Q" not in body
    # And it gives the record's page on the site, the rights statement, the deposit page and the library's address
    assert f'<a href="https://reviews.example.org/v1/record/{reference}">' in body
    record = bootstrap.services().records_store.get_record(reference)
    assert record is not None
    assert rights_statement(record.public()) in text
    assert "Northshire Safeguarding Children Partnership" in rights_statement(record.public())
    assert '<a href="https://reviews.example.org/v1/deposit">' in body
    assert "commissioned after 10 June 2010" in text
    assert "case-reviews@library.example.org" in text
    # And no word of the software's workings appears, in any case, in the subject or the body
    for word in API_WORDS:
        assert word.lower() not in (acknowledgement["subject"] + " " + text).lower(), word
    assert "/submissions" not in body
