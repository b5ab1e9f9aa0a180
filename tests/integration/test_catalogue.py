"""The catalogue function with the embedded AWS: outcomes, rejections and at-least-once delivery."""

from __future__ import annotations

import json
from urllib.parse import unquote_plus

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError
from fpdf import FPDF

from case_reviews import bootstrap
from functions.catalogue import app as catalogue
from infra.local.lambda_runtime import LocalContext
from tests.integration.conftest import client, sent_emails, wire
from tests.integration.helpers import deposit, queue_depth, submission_status, take_batch
from tests.support.events import sqs_event
from tests.support.pdfs import make_pdf


def run_catalogue(event: dict) -> dict:
    return catalogue.lambda_handler(event, LocalContext(function_name="catalogue"))


def test_a_redelivered_upload_notification_gives_one_record_one_document_and_one_email(
    aws, search, pipeline, board_key
):
    # Given an uploaded report whose notification is waiting on the catalogue queue
    _, key = board_key
    submission_id = deposit(key, make_pdf("Neglect was not recognised."))
    batch = take_batch(aws.queue_urls["catalogue"])

    # When the same batch is delivered twice (SQS delivers at least once), then the pipeline runs
    first = run_catalogue(batch)
    second = run_catalogue(batch)
    pipeline.drain()

    # Then both deliveries succeed, and there is one record, one index document and one email
    assert first == second == {"batchItemFailures": []}
    reference = submission_status(key, submission_id)["reference"]
    client_ = bootstrap.services().search_index.client
    assert client_.count(index=search)["count"] == 1
    assert client_.get(index=search, id=reference)["_source"]["reference"] == reference
    assert len(sent_emails()) == 1
    references = [
        item["pk"]["S"]
        for item in client("dynamodb").scan(TableName=aws.names.catalogue_table)["Items"]
        if item["pk"]["S"].startswith("REVIEW#") and item["sk"]["S"] == "REVIEW"
    ]
    assert references == [f"REVIEW#{reference}"]


def test_a_file_that_is_not_a_pdf_is_rejected_removed_and_explained(aws, pipeline, board_key):
    # Given a board that uploads a spreadsheet instead of the report
    _, key = board_key
    submission_id = deposit(key, b"PK\x03\x04 spreadsheet", title="Learning Review: Family L")

    # When the pipeline runs
    pipeline.drain()

    # Then the submission is rejected with a reason the board can act on, the file is gone and the board is told
    outcome = submission_status(key, submission_id)
    assert outcome["status"] == "rejected"
    assert outcome["reason"] == "The file is not a PDF. Export the report as PDF and submit it again."
    assert "Contents" not in client("s3").list_objects_v2(Bucket=aws.names.bucket, Prefix="incoming/")
    emails = sent_emails()
    assert len(emails) == 1
    assert "Learning Review: Family L" in emails[0]["subject"]
    assert outcome["reason"] in emails[0]["body"]


def test_a_password_protected_pdf_is_rejected_with_that_reason(aws, pipeline, board_key):
    # Given a PDF that needs a password to open
    document = FPDF()
    document.set_encryption(owner_password="owner", user_password="secret")
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text="Confidential")
    _, key = board_key
    submission_id = deposit(key, bytes(document.output()))

    # When the pipeline runs
    pipeline.drain()

    # Then it is rejected, naming the password as the problem
    outcome = submission_status(key, submission_id)
    assert outcome["status"] == "rejected"
    assert "password" in outcome["reason"]


def test_a_file_over_the_size_limit_is_rejected_even_if_the_upload_got_through(
    aws, pipeline, board_key, function_settings, clock
):
    # Given a limit smaller than the report (some S3 implementations do not enforce the POST policy)
    wire({**function_settings, "MAX_UPLOAD_BYTES": "200"}, clock)
    _, key = board_key
    submission_id = deposit(key, make_pdf("A report longer than two hundred bytes. " * 20))

    # When the pipeline runs
    pipeline.drain()

    # Then it is rejected with the size and the limit
    outcome = submission_status(key, submission_id)
    assert outcome["status"] == "rejected"
    assert "the limit is 200 bytes" in outcome["reason"]


def test_an_upload_without_a_submission_is_deleted_and_catalogues_nothing(aws, pipeline):
    # Given an object in the upload area that no submission asked for
    s3 = client("s3")
    s3.put_object(Bucket=aws.names.bucket, Key="incoming/not-a-submission.pdf", Body=make_pdf("stray"))

    # When the pipeline runs
    received = pipeline.drain()

    # Then the object is gone and nothing was announced
    assert "Contents" not in s3.list_objects_v2(Bucket=aws.names.bucket, Prefix="incoming/")
    assert (received["index"], received["acknowledge"]) == (0, 0)


def test_a_malformed_message_fails_alone_and_the_rest_of_the_batch_succeeds(aws, board_key):
    # Given a batch holding a real upload notification and a message that is not an S3 event
    _, key = board_key
    submission_id = deposit(key, make_pdf("Good report"))
    good = take_batch(aws.queue_urls["catalogue"])["Records"]
    event = sqs_event(["{not json"])
    event["Records"] = good + event["Records"]

    # When the catalogue function gets the batch
    response = run_catalogue(event)

    # Then only the malformed message is reported failed (SQS retries it, then moves it to the DLQ)
    assert response == {"batchItemFailures": [{"itemIdentifier": "message-0"}]}
    assert submission_status(key, submission_id)["status"] == "catalogued"


def test_an_unprocessable_message_ends_in_the_dead_letter_queue(aws, pipeline):
    # Given a message no catalogue run can process
    sqs = client("sqs")
    sqs.set_queue_attributes(QueueUrl=aws.queue_urls["catalogue"], Attributes={"VisibilityTimeout": "0"})
    sqs.send_message(QueueUrl=aws.queue_urls["catalogue"], MessageBody=json.dumps({"Records": "nonsense"}))

    # When it has been delivered more times than the redrive policy allows
    for _ in range(8):
        pipeline.pollers["catalogue"].poll_once()

    # Then it has moved to the dead-letter queue, and left the queue
    assert queue_depth(aws.dead_letter_queue_urls["catalogue"]) == 1
    assert queue_depth(aws.queue_urls["catalogue"]) == 0


def test_a_notification_whose_object_cannot_be_read_is_retried_and_the_deposit_stays_open(aws, board_key):
    # Given an upload's notification on the catalogue queue, and the object no longer readable under its key
    _, key = board_key
    submission_id = deposit(key, make_pdf("Neglect was not recognised."))
    batch = take_batch(aws.queue_urls["catalogue"])
    [upload] = [record for record in batch["Records"] if "Records" in json.loads(record["body"])]  # no test event
    batch = {**batch, "Records": [upload]}
    object_key = unquote_plus(json.loads(upload["body"])["Records"][0]["s3"]["object"]["key"])
    client("s3").delete_object(Bucket=aws.names.bucket, Key=object_key)

    # When the catalogue function gets it, the only message of its batch
    with pytest.raises(BatchProcessingError, match="All records failed"):
        run_catalogue(batch)

    # Then the batch failed (the queue redelivers it), and the deposit is neither rejected nor catalogued
    assert submission_status(key, submission_id)["status"] == "processing"
