"""The retention function: which electronic copies are past their five years."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from aws_lambda_powertools.utilities.batch.exceptions import BatchProcessingError

from case_reviews import bootstrap
from functions.retention import app as retention
from infra.local.lambda_runtime import LocalContext
from tests.integration.helpers import deposit, submission_status
from tests.support.events import load_event, sqs_event
from tests.support.pdfs import make_pdf


@pytest.fixture
def deposited_today(aws, search, pipeline, board_key) -> str:
    _, key = board_key
    submission_id = deposit(key, make_pdf("A report deposited today."))
    pipeline.drain()
    return submission_status(key, submission_id)["reference"]


def test_a_copy_is_listed_only_after_its_last_available_day(deposited_today):
    # Given a copy deposited today, available for five years
    today = datetime.now(UTC).date()
    last_day = bootstrap.repository().get_record(deposited_today).electronic_copy.available_until
    assert (last_day - today).days in (1826, 1827)  # five years, with one or two 29 Februaries

    # When staff ask what today, the last available day and the day after bring
    service = bootstrap.retention_service()
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
