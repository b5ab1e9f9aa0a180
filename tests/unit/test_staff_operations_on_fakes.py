"""Keeping the index and the queues in order, on fakes (services/indexing.py, services/operations.py,
services/health.py): a record's document, the queues' depths and replays, the index's drift and rebuild,
a record as staff see it, and which part of the stack is down."""

from __future__ import annotations

from datetime import date

import pytest

from case_reviews.adapters.clock import SetClock
from case_reviews.domain.errors import NotFound, ServiceUnavailable
from case_reviews.domain.queues import QueueRoute
from case_reviews.services.health import HealthService
from case_reviews.services.indexing import IndexingService, RecordNotFound
from case_reviews.services.operations import IndexUpkeep, QueueOperations, RecordInspection
from tests.unit.catalogue_on_fakes import Catalogue
from tests.unit.factories import a_record, removed_copy
from tests.unit.fakes import InMemoryIndexMaintenance, InMemoryMessageQueues, InMemorySearchIndex

# ---------------------------------------------------------------- one record's document


@pytest.fixture
def catalogue() -> Catalogue:
    catalogue = Catalogue()
    catalogue.with_copy(1, until=date(2031, 11, 26))
    catalogue.records.records["CR-2016-0002"] = a_record(reference="CR-2016-0002", electronic_copy=removed_copy())
    catalogue.records.records["CR-1998-0001"] = a_record(reference="CR-1998-0001", electronic_copy=None)
    return catalogue


@pytest.fixture
def search() -> InMemorySearchIndex:
    return InMemorySearchIndex()


def test_a_record_is_indexed_with_its_text_only_while_the_library_holds_its_copy(catalogue, search) -> None:
    # Given a record with a copy, one whose copy was removed (its text still in the bucket, as between a
    # removal's record write and its deletes), and a catalogue-only one
    catalogue.files.objects["text/CR-2016-0002.txt"] = [b"the words of a removed copy"]
    indexing = IndexingService(catalogue.records, catalogue.files, search)
    # When each is indexed
    written = [indexing.index_record(reference) for reference in ("CR-2016-0001", "CR-2016-0002", "CR-1998-0001")]
    # Then each has its document; only the one with a copy carries the text
    assert written == [True, True, True]
    bodies = {reference: body for reference, (_, body) in search.documents.items()}
    assert bodies == {"CR-2016-0001": "the words of CR-2016-0001", "CR-2016-0002": None, "CR-1998-0001": None}


def test_a_copy_whose_text_is_not_there_yet_fails_so_that_it_is_indexed_again(catalogue, search) -> None:
    # Given a record with a copy whose text the bucket does not hold (yet)
    del catalogue.files.objects["text/CR-2016-0001.txt"]
    # When it is indexed
    # Then it fails, and no document without its text is written
    with pytest.raises(KeyError):
        IndexingService(catalogue.records, catalogue.files, search).index_record("CR-2016-0001")
    assert search.documents == {}


def test_an_older_version_does_not_overwrite_a_newer_document(catalogue, search) -> None:
    # Given a document of version 2 already indexed
    newer = catalogue.record("CR-2016-0001").model_copy(update={"version": 2, "title": "Corrected"})
    search.put(newer, None)
    # When an older event makes the index write version 1
    written = IndexingService(catalogue.records, catalogue.files, search).index_record("CR-2016-0001")
    # Then it is refused and the newer document stays
    assert written is False and search.documents["CR-2016-0001"][0].title == "Corrected"


def test_an_event_for_a_record_the_table_does_not_hold_is_redelivered(catalogue, search) -> None:
    # Given no record CR-2016-0099
    # When it is to be indexed
    # Then the message goes back to its queue
    with pytest.raises(RecordNotFound):
        IndexingService(catalogue.records, catalogue.files, search).index_record("CR-2016-0099")


# ---------------------------------------------------------------- a record as staff see it


def test_staff_see_every_field_of_a_record_the_anonymous_one_s_board_included(catalogue) -> None:
    # Given an anonymous record
    anonymous = a_record(reference="CR-2016-0003", anonymous=True)
    catalogue.records.records[anonymous.reference] = anonymous
    # When staff show it, and an unknown one
    shown = RecordInspection(catalogue.records).show("CR-2016-0003")
    # Then they see it whole, board and all; the unknown one is not found
    assert shown == anonymous and shown.board_name == anonymous.board_name
    with pytest.raises(NotFound, match="No record CR-2016-0099"):
        RecordInspection(catalogue.records).show("CR-2016-0099")


# ---------------------------------------------------------------- queues

ROUTES = {
    "index": QueueRoute(url="sqs/index", dead_letter_url="sqs/index-dlq"),
    "acknowledge": QueueRoute(url="sqs/ack", dead_letter_url="sqs/ack-dlq"),
}


@pytest.fixture
def queues() -> InMemoryMessageQueues:
    return InMemoryMessageQueues()


def test_each_queue_shows_what_waits_what_is_in_flight_and_its_dead_letters(queues) -> None:
    # Given messages waiting on the index queue, one of them received, and two dead letters of acknowledge
    queues.add("sqs/index", "a", "b", "c")
    queues.receive("sqs/index", 1, visibility_timeout_s=30)
    queues.add("sqs/ack-dlq", "x", "y")
    # When staff look at the queues
    statuses = QueueOperations(queues, ROUTES).show()
    # Then each is listed, in the routes' order, with its counts
    assert [status.model_dump() for status in statuses] == [
        {"queue": "index", "waiting": 2, "in_flight": 1, "dead_letters": 0},
        {"queue": "acknowledge", "waiting": 0, "in_flight": 0, "dead_letters": 2},
    ]


def test_a_replay_moves_the_dead_letters_back_to_their_queue_unchanged(queues) -> None:
    # Given 23 dead letters of the index queue
    bodies = [f'{{"reference": "CR-2016-{n:04d}"}}' for n in range(23)]
    queues.add("sqs/index-dlq", *bodies)
    operations = QueueOperations(queues, ROUTES)
    # When staff replay them, following the progress
    seen: list[int] = []
    result = operations.replay("index", progress=seen.append)
    # Then all are back on the index queue, in order, ten at a time, and none is left dead
    assert (result.moved, result.not_moved, seen) == (23, 0, [10, 20, 23])
    assert queues.bodies("sqs/index") == bodies
    assert (operations.replayable("index"), queues.depth("sqs/index-dlq").in_flight) == (0, 0)


def test_a_replay_moves_at_most_what_staff_ask_for(queues) -> None:
    # Given 5 dead letters
    queues.add("sqs/ack-dlq", *"abcde")
    # When staff replay 3
    result = QueueOperations(queues, ROUTES).replay("acknowledge", max_messages=3)
    # Then 3 move and 2 stay
    assert (result.moved, queues.bodies("sqs/ack"), queues.bodies("sqs/ack-dlq")) == (3, ["a", "b", "c"], ["d", "e"])


def test_dead_letters_the_queue_refuses_stay_dead_to_be_replayed_again(queues) -> None:
    # Given dead letters, and a queue that accepts none of them
    queues.add("sqs/index-dlq", "a", "b")
    queues.refusing.add("sqs/index")
    # When staff replay them
    result = QueueOperations(queues, ROUTES).replay("index")
    # Then none moved: they are still in the dead-letter queue (hidden a while, not deleted)
    assert (result.moved, result.not_moved) == (0, 2)
    assert queues.depth("sqs/index-dlq").in_flight == 2 and queues.bodies("sqs/index") == []


def test_replaying_an_unknown_queue_names_the_known_ones(queues) -> None:
    # Given the index and acknowledge queues
    # When staff replay "indx"
    # Then they are told which queues there are
    with pytest.raises(NotFound, match="No queue indx: it is one of index, acknowledge"):
        QueueOperations(queues, ROUTES).replay("indx")


# ---------------------------------------------------------------- the index's upkeep


@pytest.fixture
def upkeep(catalogue, search, clock: SetClock) -> IndexUpkeep:
    return IndexUpkeep(catalogue.records, catalogue.files, search, InMemoryIndexMaintenance(search), clock)


def test_the_check_finds_missing_extra_and_stale_documents(catalogue, search, upkeep) -> None:
    # Given one record indexed at an older version, one not indexed, and a document for no record
    record = catalogue.record("CR-2016-0001")
    search.put(record, None)
    catalogue.records.records[record.reference] = record.model_copy(update={"version": 3})
    search.put(a_record(reference="CR-2016-0002"), None)
    search.put(a_record(reference="CR-2099-0001"), None)
    # When staff check the index
    drift = upkeep.check()
    # Then each difference is named, and the index is not in sync
    assert (drift.catalogued, drift.indexed, drift.missing, drift.extra) == (3, 3, ["CR-1998-0001"], ["CR-2099-0001"])
    assert [stale.model_dump() for stale in drift.stale] == [
        {"reference": "CR-2016-0001", "indexed_version": 1, "catalogue_version": 3}
    ]
    assert drift.in_sync is False


def test_an_index_of_an_old_definition_is_not_in_sync_even_with_every_document(catalogue, search, clock) -> None:
    # Given every record indexed, by an index built from an older definition
    for record in catalogue.records.all_records():
        search.put(record, None)
    upkeep = IndexUpkeep(catalogue.records, catalogue.files, search, InMemoryIndexMaintenance(search, False), clock)
    # When staff check it
    drift = upkeep.check()
    # Then nothing is missing, but it must be rebuilt
    assert (drift.missing, drift.extra, drift.stale, drift.schema_current, drift.in_sync) == ([], [], [], False, False)


def test_a_rebuild_loads_every_record_into_a_new_index_and_moves_the_alias_to_it(catalogue, search, upkeep) -> None:
    # Given an index that holds a document for no record
    search.put(a_record(reference="CR-2099-0001"), None)
    # When staff rebuild it, following the progress
    seen: list[int] = []
    result = upkeep.rebuild(progress=seen.append)
    # Then the alias serves a new index holding every record (text only where a copy is held); the old one is gone
    assert search.alias == result.index != "reviews-1" and result.replaced == ["reviews-1"]
    assert sorted(search.documents) == ["CR-1998-0001", "CR-2016-0001", "CR-2016-0002"]
    assert (result.indexed, result.with_text, result.caught_up, seen) == (3, 1, 0, [1, 2, 3])
    assert list(search.indices) == [result.index]
    assert upkeep.check().in_sync


def test_a_record_changed_while_the_new_index_loaded_is_indexed_again_after_the_switch(catalogue, search, upkeep, now):
    # Given staff holding a record's copy while the rebuild is loading (after that record was loaded)
    load = upkeep.maintenance.load

    def load_then_change(index, records):
        loaded = load(index, records)
        current = catalogue.record("CR-2016-0001")
        catalogue.records.records[current.reference] = current.with_hold("Court order", now)
        return loaded

    upkeep.maintenance.load = load_then_change  # type: ignore[method-assign]
    # When the rebuild finishes
    result = upkeep.rebuild()
    # Then that record is indexed again at its new version, through the alias
    assert result.caught_up == 1 and search.documents["CR-2016-0001"][0].version == 2


def test_a_rebuild_that_fails_leaves_the_old_index_serving_and_drops_the_half_built_one(
    catalogue, search, upkeep
) -> None:
    # Given an index serving one document, and an index that fails after loading one record
    search.put(catalogue.record("CR-2016-0001"), "old text")
    upkeep.maintenance.fail_after = 1
    # When staff rebuild it
    with pytest.raises(ConnectionError):
        upkeep.rebuild()
    # Then the alias still serves the old index, and only it is left
    assert (search.alias, list(search.indices)) == ("reviews-1", ["reviews-1"])
    assert search.documents["CR-2016-0001"][1] == "old text"


# ---------------------------------------------------------------- health


def test_health_names_each_part_down_whether_it_raises_or_answers_false() -> None:
    # Given a table that answers, a search index that answers False, a bucket that raises, and a breaker open
    def raises() -> None:
        raise ConnectionError("no route to host")

    def breaker_open() -> None:
        raise ServiceUnavailable("search is down", retry_after_seconds=30)

    checks = {"catalogue": lambda: {"Table": {}}, "search": lambda: False, "files": raises, "breaker": breaker_open}
    # When health is checked
    results = HealthService(checks).check()
    # Then only the table is up
    assert results == {"catalogue": True, "search": False, "files": False, "breaker": False}
