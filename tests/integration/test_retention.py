"""The retention function: electronic copies past their five years are removed; the records stay."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from case_reviews import bootstrap
from case_reviews.domain.vocabulary import CopyStatus
from functions.retention import app as retention
from infra.local.lambda_runtime import LocalContext
from tests.integration.conftest import client
from tests.integration.helpers import call_api, deposit, queue_depth, submission_status
from tests.support.events import load_event, sqs_event
from tests.support.pdfs import make_pdf


@pytest.fixture
def deposited_today(aws, search, pipeline, board_key) -> str:
    _, key = board_key
    submission_id = deposit(key, make_pdf("A report deposited today about quarrelsome neighbours."))
    pipeline.drain()
    return submission_status(key, submission_id)["reference"]


def run_retention(as_of) -> dict:
    """One run of the retention function for `as_of`, as staff ask for it."""
    event = sqs_event([json.dumps({"task": "retention", "as_of": as_of.isoformat()})])
    return retention.lambda_handler(event, LocalContext(function_name="retention", timeout_s=120))


def day_after_last(reference: str):
    return bootstrap.services().records_store.get_record(reference).electronic_copy.available_until + timedelta(days=1)


def stored_versions(prefix: str) -> list[str]:
    """Every version and delete marker the bucket holds under `prefix`."""
    listed = client("s3").list_object_versions(
        Bucket=bootstrap.services().settings.storage.reports_bucket_name, Prefix=prefix
    )
    return [entry["Key"] for entry in [*listed.get("Versions", []), *listed.get("DeleteMarkers", [])]]


def test_a_copy_is_listed_only_after_its_last_available_day(deposited_today):
    # Given a copy deposited today, available for five years
    today = bootstrap.services().clock.now().date()
    last_day = bootstrap.services().records_store.get_record(deposited_today).electronic_copy.available_until
    assert (last_day - today).days in (1826, 1827)  # five years, with one or two 29 Februaries

    # When staff ask what today, the last available day and the day after bring
    service = bootstrap.services().retention
    listed = {
        when: [c.reference for c in service.copies_due(when)]
        for when in (today, last_day, last_day + timedelta(days=1))
    }

    # Then the copy is listed only from the day after its last available day
    assert listed == {today: [], last_day: [], last_day + timedelta(days=1): [deposited_today]}


@pytest.mark.parametrize("sample", ["retention/scheduled.json", "retention/on_demand_as_of.json"])
def test_the_scheduled_and_the_on_demand_runs_succeed(deposited_today, sample):
    # Given the message as Scheduler sends it, or as staff send it with an as_of date
    event = load_event(sample)

    # When the function runs
    response = retention.lambda_handler(event, LocalContext(function_name="retention"))

    # Then every message is done
    assert response == {"batchItemFailures": []}


def test_a_run_with_an_unknown_field_is_refused_rather_than_guessed(aws):
    # Given a message with a misspelt date field
    event = sqs_event([json.dumps({"task": "retention", "asof": "2031-01-01"})])

    # When the function gets it
    with pytest.raises(BatchProcessingError) as failure:
        retention.lambda_handler(event, LocalContext(function_name="retention"))

    # Then the invocation fails (the whole batch failed: SQS retries it, then the DLQ keeps it), not run for today
    assert "asof" in str(failure.value)


def test_a_copy_past_its_five_years_is_removed_and_its_record_stays(deposited_today, pipeline):
    # Given a catalogued copy whose PDF was also overwritten once (so the bucket holds two versions)
    reference = deposited_today
    pdf_key = f"reports/{reference}.pdf"
    client("s3").put_object(
        Bucket=bootstrap.services().settings.storage.reports_bucket_name, Key=pdf_key, Body=b"%PDF-1.7 second version"
    )
    assert len(stored_versions(pdf_key)) == 2

    # When the retention function runs on its last available day, and then on the day after
    on_last_day = run_retention(day_after_last(reference) - timedelta(days=1))
    kept = bootstrap.services().records_store.get_record(reference).electronic_copy.status
    after = run_retention(day_after_last(reference))
    pipeline.drain()

    # Then nothing goes on the last day; the day after, every version of the file and its text is gone,
    # the record says so (keeping its checksum), the link is 410, and the record is still found by its title
    assert on_last_day == after == {"batchItemFailures": []}
    assert kept is CopyStatus.AVAILABLE
    assert stored_versions(f"reports/{reference}") == stored_versions(f"text/{reference}") == []
    copy = bootstrap.services().records_store.get_record(reference).electronic_copy
    assert (copy.status, copy.removed_on, copy.object_key) == (
        CopyStatus.REMOVED,
        bootstrap.services().clock.now().date(),
        None,
    )
    assert copy.sha256 and copy.page_count >= 1
    status, record, _ = call_api("GET", f"/reviews/{reference}")
    assert status == 200
    assert record["electronic_copy"]["status"] == "removed"
    assert record["electronic_copy"]["reason"] == "The five-year availability period ended."
    assert call_api("GET", f"/reviews/{reference}/download")[0] == 410
    by_title = call_api("GET", "/reviews?q=Child%20K")[1]
    by_text = call_api("GET", "/reviews?q=quarrelsome")[1]
    assert [item["reference"] for item in by_title["items"]] == [reference]
    # (search and the yearly list say the same of the copy as the record does)
    assert by_title["items"][0]["electronic_copy"] == record["electronic_copy"]
    year = call_api("GET", f"/years/{record['publication_date'][:4]}")[1]
    assert [item["electronic_copy"] for item in year["items"] if item["reference"] == reference] == [
        record["electronic_copy"]
    ]
    assert by_text["total"] == 0
    assert bootstrap.services().retention.copies_due(day_after_last(reference) + timedelta(days=365)) == []


def test_a_second_run_finds_nothing_to_do(deposited_today, pipeline):
    # Given a copy already removed by a run
    as_of = day_after_last(deposited_today)
    run_retention(as_of)
    pipeline.drain()
    version = bootstrap.services().records_store.get_record(deposited_today).version

    # When the same run is delivered again
    again = bootstrap.services().retention.apply(as_of, has_time=lambda: True)

    # Then it removes and announces nothing, and the record is not written again
    assert (again.removed, again.announced, again.failed) == ([], [], [])
    assert bootstrap.services().records_store.get_record(deposited_today).version == version
    assert pipeline.drain()["index"] == 0


def test_a_run_that_stops_after_deleting_the_file_is_finished_by_the_rerun(deposited_today, pipeline, monkeypatch):
    # Given a run that deletes the file and then fails to save the record
    reference = deposited_today
    as_of = day_after_last(reference)
    repository, retention_store = bootstrap.services().records_store, bootstrap.services().retention_store
    saving = retention_store.save_copy_removed

    def fail_once(*_args):
        monkeypatch.setattr(retention_store, "save_copy_removed", saving)
        raise ConnectionError("the table did not answer")

    monkeypatch.setattr(retention_store, "save_copy_removed", fail_once)
    with pytest.raises(BatchProcessingError) as first:
        run_retention(as_of)
    between = repository.get_record(reference).electronic_copy.status
    files_between = stored_versions(f"reports/{reference}")

    # When the run's message comes back
    second = run_retention(as_of)
    pipeline.drain()

    # Then the first run failed the invocation (SQS redelivers) with the file gone but the record not yet
    # marked, and the rerun marked it, announced it, and left nothing due
    assert "All records failed" in str(first.value)
    assert between is CopyStatus.AVAILABLE
    assert files_between == []
    assert second == {"batchItemFailures": []}
    assert repository.get_record(reference).electronic_copy.status is CopyStatus.REMOVED
    assert call_api("GET", "/reviews?q=quarrelsome")[1]["total"] == 0
    assert bootstrap.services().retention.copies_due(as_of) == []


def test_a_run_that_stops_before_announcing_is_announced_by_the_next(deposited_today, pipeline, monkeypatch):
    # Given a run that removes the copy and saves the record, but cannot reach the bus
    reference = deposited_today
    as_of = day_after_last(reference)
    service = bootstrap.services().retention
    publish = service.events.publish

    def unreachable(*_args, **_kwargs):
        raise ConnectionError("the bus did not answer")

    monkeypatch.setattr(service.events, "publish", unreachable)
    first = service.apply(as_of, has_time=lambda: True)
    pipeline.drain()
    still_indexed = call_api("GET", "/reviews?q=quarrelsome")[1]["total"]

    # When the next run comes, with the bus back
    monkeypatch.setattr(service.events, "publish", publish)
    second = service.apply(as_of, has_time=lambda: True)
    pipeline.drain()

    # Then the first run failed that copy after saving it, the search still showed the text in between,
    # and the next run announced it without removing anything again
    assert first.failed == [reference]
    assert repository_status(reference) is CopyStatus.REMOVED
    assert still_indexed == 1
    assert (second.removed, second.announced, second.failed) == ([], [reference], [])
    assert call_api("GET", "/reviews?q=quarrelsome")[1]["total"] == 0


def repository_status(reference: str) -> CopyStatus:
    return bootstrap.services().records_store.get_record(reference).electronic_copy.status


def test_a_run_out_of_time_queues_the_rest_of_itself(aws, search, pipeline, board_key, monkeypatch):
    # Given three copies due on the same day
    _, key = board_key
    references = []
    for number in range(3):
        submission_id = deposit(key, make_pdf(f"Report number {number} of three."), title=f"Review {number}")
        pipeline.drain()
        references.append(submission_status(key, submission_id)["reference"])
    as_of = day_after_last(references[0])
    service = bootstrap.services().retention
    budget = iter([True, False])

    # When a run has time for only one removal
    outcome = service.apply(as_of, has_time=lambda: next(budget, False))
    queued = queue_depth(aws.queue_urls["retention"])
    received = pipeline.drain()

    # Then it removes one, queues a run for the same day, and that run removes the other two
    assert (len(outcome.removed), outcome.continued) == (1, True)
    assert queued == 1
    assert received["retention"] == 1
    assert all(repository_status(reference) is CopyStatus.REMOVED for reference in references)


def test_a_copy_left_more_than_a_day_past_its_last_day_is_counted_overdue(deposited_today, monkeypatch):
    # Given a copy whose last day was two days before the run, and a removal that fails this time
    as_of = day_after_last(deposited_today) + timedelta(days=1)
    service = bootstrap.services().retention
    removing = service._remove

    def refuse(*_args, **_kwargs):
        raise ConnectionError("the bucket did not answer")

    monkeypatch.setattr(service, "_remove", refuse)
    failing = service.apply(as_of, has_time=lambda: True)

    # When the next run succeeds, and a run on the day after the last day finds it due but not yet overdue
    monkeypatch.setattr(service, "_remove", removing)
    fresh = bootstrap.services().retention.apply(day_after_last(deposited_today), lambda: False)
    succeeding = service.apply(as_of, has_time=lambda: True)

    # Then the failing run counts it overdue (the alarm's measure), a day-one run does not, and the
    # successful run leaves nothing overdue
    assert (failing.failed, failing.overdue) == ([deposited_today], 1)
    assert fresh.overdue == 0
    assert (succeeding.removed, succeeding.overdue) == ([deposited_today], 0)


# ---------------------------------------------------------------- a run staff follow (its run id)


def run_part_items(run_id: str) -> list[dict]:
    """The catalogue table's items of a followed run, as stored."""
    return client("dynamodb").query(
        TableName=bootstrap.services().settings.table.catalogue_table_name,
        KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"RETENTION_RUN#{run_id}"}},
    )["Items"]


def test_a_followed_run_records_each_invocation_and_its_successor_keeps_the_run_id(aws, search, pipeline, board_key):
    # Given three copies due on the same day, and a run staff follow that has time for one removal only
    _, key = board_key
    references = []
    for number in range(3):
        submission_id = deposit(key, make_pdf(f"Followed report number {number}."), title=f"Followed {number}")
        pipeline.drain()
        references.append(submission_status(key, submission_id)["reference"])
    as_of = day_after_last(references[0])
    service = bootstrap.services().retention
    budget = iter([True, False])

    # When the first invocation runs, then the function receives what it queued
    first = service.apply(as_of, has_time=lambda: next(budget, False), run_id="run-1")
    after_first = service.run_report("run-1")
    queued = client("sqs").receive_message(QueueUrl=aws.queue_urls["retention"], VisibilityTimeout=0)["Messages"]
    pipeline.drain()
    report = service.run_report("run-1")

    # Then the first part is recorded as continued, the successor carries the same run id, and once it
    # has run the report is finished with all three removed, in two invocations
    assert (len(first.removed), first.continued) == (1, True)
    assert (after_first.finished, after_first.invocations, after_first.removed) == (False, 1, first.removed)
    assert [json.loads(message["Body"]) for message in queued] == [
        {"task": "retention", "as_of": as_of.isoformat(), "run_id": "run-1"}
    ]
    assert (report.finished, report.invocations, report.as_of) == (True, 2, as_of)
    assert sorted(report.removed) == sorted(references)
    assert report.failed == report.held == []
    # ... each part a small item under the run's own partition, kept a few days by DynamoDB's TTL
    items = run_part_items("run-1")
    assert len(items) == 2 and all(item["sk"]["S"].startswith("PART#") for item in items)
    now = bootstrap.services().clock.now().timestamp()
    assert all(now < int(item["ttl"]["N"]) <= now + 4 * 86400 for item in items)


def test_a_run_staff_ask_for_through_the_queue_reports_what_it_removed_and_held(
    deposited_today, search, pipeline, aws, board_key
):
    # Given a copy past its last day, and another one past it but on legal hold
    _, key = board_key
    submission_id = deposit(key, make_pdf("A report to keep for the inquiry."), title="Held Review")
    pipeline.drain()
    held = submission_status(key, submission_id)["reference"]
    rulings = bootstrap.services().rulings
    rulings.hold(held, "Preserve for the inquiry", "local:staff")
    as_of = day_after_last(deposited_today)

    # When staff ask for a run with a run id (as the CLI does) and the function runs it
    bootstrap.services().retention.request_run(as_of, run_id="run-2")
    pipeline.drain()
    report = bootstrap.services().retention.run_report("run-2")

    # Then its one invocation is recorded: the due copy removed, the held one listed as held, nothing failed
    assert (report.finished, report.invocations) == (True, 1)
    assert (report.removed, report.held, report.failed) == ([deposited_today], [held], [])


def test_a_run_without_a_run_id_records_nothing(deposited_today, pipeline):
    # Given the schedule's own run (no run id)
    as_of = day_after_last(deposited_today)
    # When it runs
    outcome = bootstrap.services().retention.apply(as_of, has_time=lambda: True)
    # Then it removes the copy, and no run part is written anywhere
    assert outcome.removed == [deposited_today]
    scanned = client("dynamodb").scan(
        TableName=bootstrap.services().settings.table.catalogue_table_name,
        FilterExpression="begins_with(pk, :prefix)",
        ExpressionAttributeValues={":prefix": {"S": "RETENTION_RUN#"}},
    )
    assert scanned["Items"] == []
