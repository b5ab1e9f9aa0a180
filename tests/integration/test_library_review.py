"""The library's check before publication (`in_review`), through the real pipeline, moto and OpenSearch."""

from __future__ import annotations

import pytest

from case_reviews import bootstrap
from case_reviews.domain.errors import RulingRefused
from tests.integration.conftest import client, sent_emails
from tests.integration.helpers import call_api, deposit, submission_status
from tests.support.pdfs import make_pdf

FILLER = "The agencies met and shared what they knew about the family. "


def a_report_naming_the_board_on_page_3(marker: str) -> bytes:
    # "North-\nshire" and the partnership's name broken over a line, as extracted text often has them.
    return make_pdf(
        f"Learning review {marker}. " + FILLER * 3,
        FILLER * 4,
        FILLER + "The review was commissioned by NORTH-\nSHIRE Safeguarding\nChildren Partnership in 2015. " + FILLER,
    )


def test_an_anonymous_report_whose_text_names_its_board_waits_unseen_until_staff_approve_it(
    aws, search, pipeline, board_key
):
    # Given an anonymous deposit whose third page names the board (in capitals, hyphenated over a line)
    _, key = board_key
    submission_id = deposit(key, a_report_naming_the_board_on_page_3("zanzibarite"), anonymous=True)

    # When the pipeline runs
    pipeline.drain()

    # Then it waits in review, telling the board where, and nothing of it is public
    status = submission_status(key, submission_id)
    assert status["status"] == "in_review", status
    assert "page 3 names your board" in status["reason"]
    assert call_api("GET", "/reviews?q=zanzibarite")[1]["total"] == 0
    assert call_api("GET", f"/reviews/{status['reference']}")[0] == 404
    assert call_api("GET", f"/reviews/{status['reference']}/download")[0] == 404
    # And staff see why, with the line that matched
    (waiting,) = bootstrap.services().review.waiting()
    (finding,) = waiting.hold.findings
    assert finding.reason == "names_board"
    assert any("page 3" in line and "northshire safeguarding children partnership" in line for line in finding.lines)

    # When staff approve it
    approved = bootstrap.services().review.approve(submission_id, "staff:test")
    pipeline.drain()

    # Then it is published as the deposit would have been: searchable, anonymous, acknowledged once
    assert (approved.status, approved.reference) == ("catalogued", status["reference"])
    _, found, _ = call_api("GET", "/reviews?q=zanzibarite")
    assert [(item["reference"], item["publisher"]) for item in found["items"]] == [(status["reference"], "Anonymous")]
    assert bootstrap.services().review.waiting() == []
    acknowledgements = [mail for mail in sent_emails() if status["reference"] in mail["subject"]]
    assert len(acknowledgements) == 1

    # When staff approve it again (as after a crash between publishing and announcing), or reject it now
    again = bootstrap.services().review.approve(submission_id, "staff:test")
    pipeline.drain()

    # Then it is announced again but sends nothing more, and a rejection is refused
    assert again.status == "catalogued"
    assert len([mail for mail in sent_emails() if status["reference"] in mail["subject"]]) == 1
    with pytest.raises(RulingRefused, match="not waiting for review"):
        bootstrap.services().review.reject(submission_id, "Too late for that.", "staff:test")


def test_a_held_deposit_staff_reject_tells_the_board_why_and_leaves_nothing(aws, search, pipeline, board_key):
    # Given an anonymous deposit held because its summary names the board by an alias staff keep
    board_id, key = board_key
    bootstrap.services().boards.set_aliases(board_id, ["Northshire LSCB"])
    submission_id = deposit(
        key, make_pdf("A learning review. " + FILLER), anonymous=True, summary="Learning for Northshire LSCB."
    )
    pipeline.drain()
    held = submission_status(key, submission_id)
    assert held["status"] == "in_review", held
    assert "the summary names your board" in held["reason"]

    # When staff reject it
    rejected = bootstrap.services().review.reject(
        submission_id, "The summary names the partnership; send it again without the name.", "staff:test"
    )
    pipeline.drain()

    # Then the board reads the reason on its status route and in one rejection email, and the files are gone
    after = submission_status(key, submission_id)
    assert (rejected.status, after["status"]) == ("rejected", "rejected")
    assert after["reason"] == "The summary names the partnership; send it again without the name."
    rejections = [mail for mail in sent_emails() if "send it again without the name" in mail["body"]]
    assert len(rejections) == 1
    listed = client("s3").list_objects_v2(Bucket=aws.names.bucket, Prefix=f"reports/{held['reference']}")
    assert "Contents" not in listed
    # And a decision is taken once
    with pytest.raises(RulingRefused, match="not waiting for review"):
        bootstrap.services().review.approve(submission_id, "staff:test")


def test_a_named_report_that_names_its_board_is_published_at_once(aws, search, pipeline, board_key):
    # Given a deposit under the board's own name whose text names the board
    _, key = board_key
    submission_id = deposit(key, a_report_naming_the_board_on_page_3("quokkaline"), anonymous=False)
    # When the pipeline runs
    pipeline.drain()
    # Then nothing holds it: naming the board is only a problem for an anonymous report
    assert submission_status(key, submission_id)["status"] == "catalogued"
    assert call_api("GET", "/reviews?q=quokkaline")[1]["total"] == 1


def test_a_board_whose_every_deposit_staff_check_waits_for_review(aws, search, pipeline, board_key):
    # Given a board whose deposits staff check before publication
    board_id, key = board_key
    bootstrap.services().boards.set_review_policy(board_id, True)
    # When it deposits a report nothing else would hold
    submission_id = deposit(key, make_pdf("An ordinary learning review. " + FILLER))
    pipeline.drain()
    # Then it waits for review, saying so
    status = submission_status(key, submission_id)
    assert status["status"] == "in_review"
    assert "the library checks every deposit before it is published" in status["reason"].lower()


def test_the_board_s_status_route_documents_in_review(aws):
    # Given the API's OpenAPI document
    _, document, _ = call_api("GET", "/openapi.json")
    # When the submission status values are read
    statuses = document["components"]["schemas"]["SubmissionStatus"]["enum"]
    # Then in_review is one of them
    assert "in_review" in statuses


def test_staff_attaching_to_an_anonymous_record_a_copy_naming_its_publisher_must_say_they_checked(
    aws, search, tmp_path
):
    # Given an anonymous historic record, and a PDF whose second page names its publisher
    from tests.integration.test_search_api import catalogue_without_pipeline, historic_record

    catalogue_without_pipeline(historic_record("CR-1990-0001", "1990", anonymous=True, board_name="Old County Council"))
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(make_pdf(FILLER * 2, "As the OLD COUNTY\nCouncil found, " + FILLER))
    attachment = bootstrap.services().attachment

    # When staff attach it, and then again saying they have checked it
    with pytest.raises(RulingRefused, match=r"page 2 of report\.pdf names Old County Council"):
        attachment.attach("CR-1990-0001", pdf, "staff:test")
    attached = attachment.attach("CR-1990-0001", pdf, "staff:test", despite_mentions=True)

    # Then only the second attaches it
    assert attached.action == "attached"
    assert attached.electronic_copy is not None and attached.electronic_copy.metadata_stripped
