"""Recognising a board by its key, with an in-memory store of boards and key hashes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from case_reviews.adapters.clock import SetClock
from case_reviews.domain.boards import Board
from case_reviews.domain.errors import NotFound, Unauthorised
from case_reviews.services.boards import KEY_PREFIX, BoardService, hash_key
from tests.unit.fakes import InMemoryBoardStore

NOW = datetime(2026, 11, 26, 10, 30, tzinfo=UTC)
BOARD = Board(board_id="northshire-1a2b3c", name="Northshire Safeguarding Children Partnership")


@pytest.fixture
def store() -> InMemoryBoardStore:
    store = InMemoryBoardStore()
    store.save_board(BOARD, created_at=NOW)
    return store


@pytest.fixture
def service(store: InMemoryBoardStore) -> BoardService:
    return BoardService(store, SetClock(NOW))


@pytest.mark.parametrize("header", ["Bearer {key}", "bearer {key}", "BEARER {key}", "  Bearer   {key}  "])
def test_a_board_is_recognised_by_its_key(service: BoardService, header: str) -> None:
    # Given a board with a key
    key = service.issue_key(BOARD.board_id)
    # When it sends the key as a bearer token (any case of the scheme, any spacing)
    board = service.authenticate(header.format(key=key))
    # Then it is recognised as that board
    assert board == BOARD


@pytest.mark.parametrize(
    "header",
    [None, "", "   ", "Bearer", "Bearer ", "Basic {key}", "Token {key}", "{key}", "Bearer {bare}", "Bearer x{key}"],
    ids=[
        "missing",
        "empty",
        "blank",
        "scheme only",
        "scheme and space",
        "basic scheme",
        "token scheme",
        "no scheme",
        "key without crk_ prefix",
        "prefix not at the start",
    ],
)
def test_a_malformed_header_is_refused_with_how_to_send_the_key(service: BoardService, header: str | None) -> None:
    # Given a board with a key, and a header that does not carry it as "Bearer crk_…"
    key = service.issue_key(BOARD.board_id)
    sent = header.format(key=key, bare=key.removeprefix(KEY_PREFIX)) if header is not None else None
    # When the header is authenticated
    with pytest.raises(Unauthorised) as refused:
        service.authenticate(sent)
    # Then the caller is told how to send the key
    assert str(refused.value) == "Send your board's key as 'Authorization: Bearer <key>'."


def test_an_unknown_key_is_refused_as_not_valid(service: BoardService) -> None:
    # Given a well-formed key that was never issued
    service.issue_key(BOARD.board_id)
    # When it is authenticated
    with pytest.raises(Unauthorised) as refused:
        service.authenticate("Bearer crk_never-issued")
    # Then it is refused as not valid (perhaps revoked)
    assert "not valid" in str(refused.value)


def test_issue_key_stores_only_the_hash_of_the_key(service: BoardService, store: InMemoryBoardStore) -> None:
    # Given a board
    # When a key is issued for it
    key = service.issue_key(BOARD.board_id)
    # Then the key is prefixed and random, and the store holds its SHA-256 hash, never the key
    assert key.startswith(KEY_PREFIX)
    assert len(key) > len(KEY_PREFIX) + 32
    assert {h: c.board_id for h, c in store.credentials.items()} == {hash_key(key): BOARD.board_id}
    assert all(key not in stored and stored != key for stored in store.credentials)
    assert len(next(iter(store.credentials))) == 64


def test_each_issued_key_is_different_and_each_works(service: BoardService, store: InMemoryBoardStore) -> None:
    # Given a board
    # When two keys are issued
    first, second = service.issue_key(BOARD.board_id), service.issue_key(BOARD.board_id)
    # Then they differ, both are stored (as hashes) and both authenticate
    assert first != second
    assert len(store.credentials) == 2
    assert service.authenticate(f"Bearer {first}") == service.authenticate(f"Bearer {second}") == BOARD


def test_a_key_cannot_be_issued_for_an_unknown_board(service: BoardService, store: InMemoryBoardStore) -> None:
    # Given no board "nowhere"
    # When a key is asked for it
    with pytest.raises(NotFound):
        service.issue_key("nowhere")
    # Then no credential is stored
    assert store.credentials == {}


def test_revoking_a_board_s_keys_refuses_every_one_of_them(service: BoardService) -> None:
    # Given a board with two keys
    first, second = service.issue_key(BOARD.board_id), service.issue_key(BOARD.board_id)
    # When its keys are revoked
    revoked = service.revoke_keys(BOARD.board_id)
    # Then both are counted and neither authenticates any more
    assert revoked == 2
    for key in (first, second):
        with pytest.raises(Unauthorised, match="revoked"):
            service.authenticate(f"Bearer {key}")


def test_revoking_one_key_leaves_the_board_s_other_keys_working(service: BoardService) -> None:
    # Given a board with an old and a new key
    old, new = service.issue_key(BOARD.board_id), service.issue_key(BOARD.board_id)
    # When only the old key is revoked
    revoked = service.revoke_keys(BOARD.board_id, key=old)
    # Then the old key is refused and the new one still works
    assert revoked == 1
    with pytest.raises(Unauthorised):
        service.authenticate(f"Bearer {old}")
    assert service.authenticate(f"Bearer {new}") == BOARD


def test_revoking_a_key_that_is_not_live_is_reported_not_found(service: BoardService) -> None:
    # Given a board whose only key has been revoked already
    key = service.issue_key(BOARD.board_id)
    service.revoke_keys(BOARD.board_id, key=key)
    # When the same key is revoked again, and when an unknown board's keys are revoked
    # Then both are reported as not found rather than silently succeeding
    with pytest.raises(NotFound):
        service.revoke_keys(BOARD.board_id, key=key)
    with pytest.raises(NotFound):
        service.revoke_keys("nowhere")
