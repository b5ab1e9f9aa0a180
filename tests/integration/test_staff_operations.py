"""Staff operations on the embedded AWS and the real OpenSearch: queues and dead letters, index check and rebuild."""

from __future__ import annotations

import json
import uuid

import pytest

from case_reviews import bootstrap
from case_reviews.resources import index_definition
from case_reviews.services.operations import StaleDocument
from case_reviews_cli.stack import queue_settings
from infra.local.provision import Provisioned
from tests.integration.conftest import client, wire
from tests.integration.helpers import call_api, deposit, queue_depth, submission_status
from tests.integration.test_search_api import catalogue_without_pipeline, historic_record
from tests.support.events import load_event
from tests.support.pdfs import make_pdf


@pytest.fixture
def staff(aws: Provisioned, function_settings: dict[str, str], clock) -> Provisioned:
    """The queue settings the CLI gives bootstrap, for the provisioned queues."""
    function_settings.update(queue_settings(aws.queue_urls, aws.dead_letter_queue_urls))
    wire(function_settings, clock)
    return aws


def catalogued_event(reference: str) -> str:
    """The body EventBridge puts on the index queue when `reference` is catalogued."""
    event = json.loads(load_event("index/report_catalogued.json")["Records"][0]["body"])
    event["id"] = str(uuid.uuid4())
    event["detail"] = {"reference": reference, "submission_id": str(uuid.uuid4())}
    return json.dumps(event)


def fail_until_dead(pipeline, queue: str, aws: Provisioned) -> None:
    """Deliver the queue's messages more times than its redrive policy allows (each delivery failing)."""
    for _ in range(8):
        pipeline.pollers[queue].poll_once()
    assert queue_depth(aws.queue_urls[queue]) == 0


# ---------------------------------------------------------------- queues


def test_replayed_dead_letters_go_back_to_their_queue_and_are_processed_once(staff, search, pipeline):
    # Given two "catalogued" events that reached the index queue before their records existed,
    # and failed until they landed in the index dead-letter queue
    sqs = client("sqs")
    sqs.set_queue_attributes(QueueUrl=staff.queue_urls["index"], Attributes={"VisibilityTimeout": "0"})
    for reference in ("CR-1999-0001", "CR-1999-0002"):
        sqs.send_message(QueueUrl=staff.queue_urls["index"], MessageBody=catalogued_event(reference))
    fail_until_dead(pipeline, "index", staff)
    assert queue_depth(staff.dead_letter_queue_urls["index"]) == 2
    # ... and the records now exist
    for reference in ("CR-1999-0001", "CR-1999-0002"):
        assert bootstrap.services().records_store.add_record(historic_record(reference, "1999"))

    # When staff replay the index dead-letter queue, and the pipeline runs
    replayed = bootstrap.services().queues.replay("index")
    delivered = pipeline.drain()

    # Then both moved back, were each delivered once and indexed, and nothing is left anywhere
    assert (replayed.moved, replayed.not_moved) == (2, 0)
    assert delivered["index"] == 2
    assert queue_depth(staff.dead_letter_queue_urls["index"]) == 0
    assert queue_depth(staff.queue_urls["index"]) == 0
    for reference in ("CR-1999-0001", "CR-1999-0002"):
        indexed = bootstrap.services().search_index.get(reference)
        assert indexed is not None and indexed.record_version == 1
    assert pipeline.drain()["index"] == 0


def test_a_replay_keeps_bodies_and_attributes_and_stops_at_its_maximum(staff):
    # Given three messages with an attribute in the retention dead-letter queue
    sqs = client("sqs")
    bodies = [json.dumps({"task": "retention", "as_of": f"2031-12-0{day}"}) for day in (1, 2, 3)]
    for body in bodies:
        sqs.send_message(
            QueueUrl=staff.dead_letter_queue_urls["retention"],
            MessageBody=body,
            MessageAttributes={"origin": {"DataType": "String", "StringValue": "scheduler"}},
        )

    # When staff replay at most two of them
    replayed = bootstrap.services().queues.replay("retention", max_messages=2)

    # Then two are on the retention queue, unchanged, and one is still dead
    received = sqs.receive_message(
        QueueUrl=staff.queue_urls["retention"], MaxNumberOfMessages=10, MessageAttributeNames=["All"]
    )["Messages"]
    assert replayed.moved == 2
    assert len(received) == 2
    assert {message["Body"] for message in received} <= set(bodies)
    assert all(message["MessageAttributes"]["origin"]["StringValue"] == "scheduler" for message in received)
    assert queue_depth(staff.dead_letter_queue_urls["retention"]) == 1


def test_queue_depths_are_reported_for_every_queue(staff, pipeline):
    # Given nothing pending (S3's test notification delivered), then three messages on the
    # acknowledge queue, one of them taken by a consumer, and two in the retention dead-letter queue
    pipeline.drain()
    sqs = client("sqs")
    for number in range(3):
        sqs.send_message(QueueUrl=staff.queue_urls["acknowledge"], MessageBody=f"message {number}")
    sqs.receive_message(QueueUrl=staff.queue_urls["acknowledge"], MaxNumberOfMessages=1, VisibilityTimeout=300)
    for number in range(2):
        sqs.send_message(QueueUrl=staff.dead_letter_queue_urls["retention"], MessageBody=f"dead {number}")

    # When staff look at the queues
    statuses = {status.queue: status.model_dump() for status in bootstrap.services().queues.show()}

    # Then each queue shows what it holds
    assert statuses == {
        "catalogue": {"queue": "catalogue", "waiting": 0, "in_flight": 0, "dead_letters": 0},
        "index": {"queue": "index", "waiting": 0, "in_flight": 0, "dead_letters": 0},
        "acknowledge": {"queue": "acknowledge", "waiting": 2, "in_flight": 1, "dead_letters": 0},
        "retention": {"queue": "retention", "waiting": 0, "in_flight": 0, "dead_letters": 2},
        "digest": {"queue": "digest", "waiting": 0, "in_flight": 0, "dead_letters": 0},
        "alerts": {"queue": "alerts", "waiting": 0, "in_flight": 0, "dead_letters": 0},
    }


# ---------------------------------------------------------------- index


def first_index(alias: str) -> str:
    """The concrete index the first write creates behind the alias: `<alias>-v<schema version>`."""
    return f"{alias}-v{index_definition()['schema_version']}"


def test_the_index_check_says_when_the_alias_serves_an_index_of_an_older_definition(aws, search):
    # Given an alias that serves an index built from an older schema version (as after a release that
    # changed the mapping or the synonyms)
    client = bootstrap.services().search_index.client
    client.indices.create(index=f"{search}-v1", body={"aliases": {search: {"is_write_index": True}}})
    # When staff check the index
    drift = bootstrap.services().index_upkeep.check()
    # Then it is out of sync until rebuilt
    assert (drift.schema_current, drift.in_sync) == (False, False)
    bootstrap.services().index_upkeep.rebuild()
    assert bootstrap.services().index_upkeep.check().in_sync


def test_the_index_check_finds_missing_extra_and_stale_documents(aws, search, board_key):
    # Given two records indexed as catalogued (and a board and its key in the same table)
    catalogue_without_pipeline(historic_record("CR-1980-0001", "1980"), historic_record("CR-1980-0002", "1980"))
    # ... a record never indexed, a document whose record is not catalogued,
    # and a record at version 2 whose document is still at version 1
    index = bootstrap.services().search_index
    assert bootstrap.services().records_store.add_record(historic_record("CR-1980-0003", "1980"))
    assert index.put(historic_record("CR-1980-0099", "1980"), None)
    assert bootstrap.services().records_store.add_record(historic_record("CR-1980-0004", "1980", version=2))
    assert index.put(historic_record("CR-1980-0004", "1980", version=1), None)

    # When staff check the index
    drift = bootstrap.services().index_upkeep.check()

    # Then each difference is named, and the index is not in sync
    assert drift.missing == ["CR-1980-0003"]
    assert drift.extra == ["CR-1980-0099"]
    assert drift.stale == [StaleDocument(reference="CR-1980-0004", indexed_version=1, catalogue_version=2)]
    assert (drift.catalogued, drift.indexed) == (4, 4)
    assert drift.in_sync is False


def test_a_rebuild_replaces_the_index_behind_the_alias_with_one_that_finds_everything(aws, search, pipeline, board_key):
    # Given a deposited report whose text holds a rare word, three historic records,
    # and one more record that never reached the index
    _, key = board_key
    submission_id = deposit(key, make_pdf("The review found a zebrafinch pattern of missed visits."))
    pipeline.drain()
    deposited = submission_status(key, submission_id)["reference"]
    historic = [historic_record(f"CR-1985-000{n}", "1985") for n in (1, 2, 3)]
    catalogue_without_pipeline(*historic)
    assert bootstrap.services().records_store.add_record(historic_record("CR-1985-0004", "1985"))
    every = {deposited, *(record.reference for record in historic), "CR-1985-0004"}
    index = bootstrap.services().search_index
    assert bootstrap.services().index_maintenance.indices_behind_alias() == [first_index(search)]
    counted: list[int] = []

    # When staff rebuild the index
    rebuilt = bootstrap.services().index_upkeep.rebuild(progress=counted.append)

    # Then the alias points at the new index alone, the old one is gone, and search finds every record
    assert rebuilt.index.startswith(f"{first_index(search)}-")
    assert rebuilt.replaced == [first_index(search)]
    assert (rebuilt.indexed, rebuilt.with_text, rebuilt.caught_up) == (5, 1, 0)
    assert counted == [1, 2, 3, 4, 5]
    assert sorted(index.client.indices.get_alias(name=search)) == [rebuilt.index]
    assert not index.client.indices.exists(index=first_index(search))
    _, by_text, _ = call_api("GET", "/reviews?q=zebrafinch")
    assert [item["reference"] for item in by_text["items"]] == [deposited]
    _, listed, _ = call_api("GET", "/reviews?page_size=50")
    assert {item["reference"] for item in listed["items"]} == every
    assert bootstrap.services().index_upkeep.check().in_sync

    # When they rebuild again
    again = bootstrap.services().index_upkeep.rebuild()

    # Then the second index replaces the first the same way, and full text is still found
    assert again.index != rebuilt.index
    assert again.replaced == [rebuilt.index]
    assert sorted(index.client.indices.get_alias(name=search)) == [again.index]
    assert not index.client.indices.exists(index=rebuilt.index)
    _, by_text, _ = call_api("GET", "/reviews?q=zebrafinch")
    assert [item["reference"] for item in by_text["items"]] == [deposited]


def test_after_a_rebuild_the_index_function_writes_to_the_new_index_and_creates_none(
    aws, search, function_settings, clock
):
    # Given an index rebuilt behind its alias
    catalogue_without_pipeline(historic_record("CR-1986-0001", "1986"))
    rebuilt = bootstrap.services().index_upkeep.rebuild()
    # ... and a new record, indexed by a fresh index function (a cold start: it has not seen the alias yet)
    assert bootstrap.services().records_store.add_record(historic_record("CR-1986-0002", "1986"))
    wire(function_settings, clock)

    # When the index function indexes it
    written = bootstrap.services().indexing.index_record("CR-1986-0002")

    # Then it went to the rebuilt index through the alias, and no `<alias>-v1` index came back
    client = bootstrap.services().search_index.client
    assert written
    assert sorted(client.indices.get_alias(name=search)) == [rebuilt.index]
    assert not client.indices.exists(index=first_index(search))
    assert client.get(index=rebuilt.index, id="CR-1986-0002")["_source"]["reference"] == "CR-1986-0002"


def test_a_record_indexed_while_the_rebuild_loads_is_in_the_new_index(aws, search):
    # Given two indexed records
    catalogue_without_pipeline(historic_record("CR-1987-0001", "1987"), historic_record("CR-1987-0002", "1987"))
    late = historic_record("CR-1987-0003", "1987")

    def meanwhile(count: int) -> None:
        # While the rebuild loads its first record, a report is catalogued and indexed (into the old index)
        if count == 1:
            assert bootstrap.services().records_store.add_record(late)
            assert bootstrap.services().indexing.index_record(late.reference)

    # When staff rebuild the index
    rebuilt = bootstrap.services().index_upkeep.rebuild(progress=meanwhile)

    # Then the late record was caught up after the switch, and the new index holds all three
    assert (rebuilt.indexed, rebuilt.caught_up) == (2, 1)
    assert bootstrap.services().search_index.get(late.reference) is not None
    assert bootstrap.services().index_upkeep.check().in_sync
