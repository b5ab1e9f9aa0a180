"""Boards and their credentials."""

from __future__ import annotations

import hashlib
import re
import secrets
import uuid
from collections.abc import Sequence

from case_reviews.domain.boards import Board, Credential
from case_reviews.domain.errors import NotFound, Unauthorised
from case_reviews.ports import BoardStore, Clock

KEY_PREFIX = "crk_"


def hash_key(key: str) -> str:
    """Only this hash is stored: a leaked table does not leak credentials."""
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def board_id_for(name: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:40] or "board"
    return f"{slug}-{uuid.uuid4().hex[:6]}"


class BoardService:
    """Registers boards, issues their credentials and recognises a board by its credential."""

    def __init__(self, store: BoardStore, clock: Clock) -> None:
        self.store = store
        self.clock = clock

    def add_board(self, name: str, board_id: str | None = None) -> Board:
        board = Board(board_id=board_id or board_id_for(name), name=name.strip())
        self.store.save_board(board, created_at=self.clock.now())
        return board

    def issue_key(self, board_id: str) -> str:
        """A new credential for the board; it is shown once and never stored in clear."""
        if self.store.get_board(board_id) is None:
            raise NotFound(f"No board {board_id}.")
        key = KEY_PREFIX + secrets.token_urlsafe(32)
        self.store.save_credential(Credential(key_hash=hash_key(key), board_id=board_id, created_at=self.clock.now()))
        return key

    def revoke_keys(self, board_id: str, key: str | None = None) -> int:
        """Revoke all the board's keys, or only `key`; the next request with a revoked key gets 401."""
        if self.store.get_board(board_id) is None:
            raise NotFound(f"No board {board_id}.")
        revoked = self.store.revoke_credentials(board_id, self.clock.now(), key_hash=hash_key(key) if key else None)
        if key and not revoked:
            raise NotFound(f"That key is not a live key of board {board_id}.")
        return revoked

    def authenticate(self, authorization: str | None) -> Board:
        """The board behind an `Authorization: Bearer <key>` header."""
        scheme, _, key = (authorization or "").strip().partition(" ")
        key = key.strip()
        if scheme.lower() != "bearer" or not key.startswith(KEY_PREFIX):
            raise Unauthorised("Send your board's key as 'Authorization: Bearer <key>'.")
        credential = self.store.get_credential(hash_key(key))
        board = self.store.get_board(credential.board_id) if credential else None
        if credential is None or board is None or not credential.admits(board):
            raise Unauthorised("This key is not valid (it may have been revoked).")
        return board

    def list_boards(self) -> list[Board]:
        return self.store.list_boards()

    def show(self, board_id: str) -> Board:
        """One board as staff keep it: its name, whether it is active, its contacts and aliases."""
        board = self.store.get_board(board_id)
        if board is None:
            raise NotFound(f"No board {board_id}.")
        return board

    def set_contacts(self, board_id: str, addresses: Sequence[str]) -> Board:
        """Replace the board's contact addresses (at least one): where its expiry warnings go from now on."""
        return self._update(self.show(board_id).with_contacts(addresses))

    def set_aliases(self, board_id: str, aliases: Sequence[str]) -> Board:
        """Replace the other names the board's reports may use for it (an empty list clears them)."""
        return self._update(self.show(board_id).with_aliases(aliases))

    def set_review_policy(self, board_id: str, review_every_deposit: bool) -> Board:
        """Whether staff check every deposit of the board before it is published."""
        return self._update(self.show(board_id).with_review_policy(review_every_deposit))

    def _update(self, board: Board) -> Board:
        # Not audited: the audit trail is a record's, and a board's details are not a ruling on a record.
        if not self.store.update_board(board):
            raise NotFound(f"No board {board.board_id}.")
        return board
