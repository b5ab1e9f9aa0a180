"""Boards and their credentials in the catalogue table."""

from __future__ import annotations

from datetime import datetime

from case_reviews.adapters.dynamodb import keys
from case_reviews.adapters.dynamodb.mapping import (
    board_from,
    board_to_item,
    board_update,
    credential_from,
    credential_to_item,
)
from case_reviews.adapters.dynamodb.table import Table
from case_reviews.domain.boards import Board, Credential


class DynamoBoardStore:
    """Boards (listed by name in gsi1) and their hashed credentials (listed under their board)."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def save_board(self, board: Board, created_at: datetime) -> None:
        self.table.put(board_to_item(board, created_at))

    def update_board(self, board: Board) -> bool:
        """Write a registered board's details (contacts, aliases...) over its own; False if there is no such board."""
        return self.table.update(keys.board_key(board.board_id), **board_update(board)) is not None

    def get_board(self, board_id: str) -> Board | None:
        found = self.table.get(keys.board_key(board_id))
        return board_from(found) if found else None

    def list_boards(self) -> list[Board]:
        return [board_from(found) for found in self.table.query("gsi1pk", keys.BOARDS, index=keys.BOARDS_INDEX)]

    def save_credential(self, credential: Credential) -> None:
        self.table.put(credential_to_item(credential), condition="attribute_not_exists(pk)")

    def get_credential(self, key_hash: str) -> Credential | None:
        # Strongly consistent: a key revoked a moment ago is refused at once.
        found = self.table.get(keys.credential_key(key_hash), consistent=True)
        return credential_from(found) if found else None

    def revoke_credentials(self, board_id: str, revoked_at: datetime, key_hash: str | None = None) -> int:
        """Revoke the board's live credentials (or only the one with this hash); returns how many."""
        revoked = 0
        listed = self.table.query(
            "gsi1pk", keys.board_partition(board_id), index=keys.BOARDS_INDEX, sort_name="gsi1sk", prefix="KEY#"
        )
        for found in listed:
            credential = credential_from(found)
            if credential.revoked or (key_hash is not None and credential.key_hash != key_hash):
                continue
            changed = self.table.update(
                keys.credential_key(credential.key_hash),
                UpdateExpression="SET revoked = :true, revoked_at = :at",
                # Only a live credential: a concurrent revoke is not counted twice.
                ConditionExpression="attribute_exists(pk) AND revoked = :false",
                ExpressionAttributeValues={":true": True, ":false": False, ":at": revoked_at.isoformat()},
            )
            revoked += changed is not None
        return revoked
