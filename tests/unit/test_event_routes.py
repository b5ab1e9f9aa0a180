"""The one routing table of events (domain/events.py) is what template.yaml's rules deliver."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from case_reviews.domain.events import DETAILS as DETAIL_MODELS
from case_reviews.domain.events import EVENT_SOURCE, ROUTES, DetailType
from case_reviews.messages import BoardNotificationRecord, CatalogueChangeRecord
from tests.support.events import load_event
from tests.support.template import resources


def template_routes() -> dict[str, set[str]]:
    """Each queue's consumer (IndexQueue → index) with the detail types the template's rules send it."""
    routes: dict[str, set[str]] = {}
    for resource in resources().values():
        if resource["Type"] != "AWS::Events::Rule" or "EventPattern" not in resource["Properties"]:
            continue
        pattern = resource["Properties"]["EventPattern"]
        assert pattern["source"] == [EVENT_SOURCE]
        for target in resource["Properties"]["Targets"]:
            queue = target["Arn"]["GetAtt"].removesuffix(".Arn").removesuffix("Queue")
            routes.setdefault(queue.lower(), set()).update(pattern["detail-type"])
    return routes


def test_template_rules_deliver_to_each_consumer_what_the_routing_table_says() -> None:
    # Given the routing table and the template's EventBridge rules
    # When each rule's targets are read
    routes = template_routes()
    # Then each consumer's queue gets exactly the detail types the table routes to it
    assert routes == {consumer: {str(detail) for detail in details} for consumer, details in ROUTES.items()}


# A detail of each type, as the catalogue publishes it.
DETAILS = {
    DetailType.REPORT_CATALOGUED: {"reference": "CR-2016-0001", "submission_id": "s-1", "board_id": "northshire"},
    DetailType.SUBMISSION_REJECTED: {"submission_id": "s-1", "reason": "The file is not a PDF."},
    DetailType.SUBMISSION_DUPLICATE: {"submission_id": "s-1", "reference": "CR-2016-0001"},
    DetailType.COPY_REMOVED: {"reference": "CR-2016-0001", "removed_on": "2031-11-27"},
    DetailType.RECORD_CHANGED: {"reference": "CR-2016-0001", "version": 2},
    DetailType.EXPIRY_APPROACHING: {"reference": "CR-2016-0001", "available_until": "2031-11-26"},
    DetailType.EXPIRY_SUMMARY_DUE: {"as_of": "2031-10-27", "until": "2031-11-26"},
}


def bus_message(detail_type: DetailType) -> dict[str, Any]:
    """An SQS record whose body is the EventBridge event of `detail_type`, as a rule's target gets it."""
    event = load_event("index/report_catalogued.json")["Records"][0]
    body = json.loads(event["body"])
    event["body"] = json.dumps({**body, "detail-type": str(detail_type), "detail": DETAILS[detail_type]})
    return event


@pytest.mark.parametrize("detail_type", list(DetailType))
def test_each_consumer_reads_exactly_the_events_routed_to_it(detail_type: DetailType) -> None:
    # Given an event of one detail type on a consumer's queue
    # When each consumer's message model reads it
    read = {}
    for consumer, model in (("index", CatalogueChangeRecord), ("acknowledge", BoardNotificationRecord)):
        try:
            model.model_validate(bus_message(detail_type))
            read[consumer] = True
        except ValidationError:
            read[consumer] = False
    # Then a consumer reads it exactly when the routing table routes it there
    assert read == {consumer: detail_type in ROUTES[consumer] for consumer in read}


# What makes two deliveries of each detail one (its consumers' idempotency key). A field added to a detail
# must not change it, or an event announced across a deploy would be handled twice: pinned here.
OCCASIONS = {
    DetailType.REPORT_CATALOGUED: {"reference", "submission_id"},
    DetailType.SUBMISSION_REJECTED: {"submission_id", "reason"},
    DetailType.SUBMISSION_DUPLICATE: {"submission_id", "reference"},
    DetailType.COPY_REMOVED: {"reference", "removed_on"},
    DetailType.RECORD_CHANGED: {"reference", "version"},
    DetailType.EXPIRY_APPROACHING: {"reference", "available_until"},
    DetailType.EXPIRY_SUMMARY_DUE: {"as_of", "until"},
}


@pytest.mark.parametrize("detail_type", list(DetailType))
def test_each_detail_s_occasion_is_the_fields_it_was_first_announced_with(detail_type: DetailType) -> None:
    # Given a detail of each type, as the catalogue publishes it
    detail = DETAIL_MODELS[detail_type].model_validate(DETAILS[detail_type])
    # When its occasion is taken
    # Then it is made of the fields it was first announced with, and only those
    assert set(detail.occasion().model_dump()) == OCCASIONS[detail_type]
