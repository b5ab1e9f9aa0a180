"""Submissions, and the reference counters they draw from, in the catalogue table."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from case_reviews.adapters.dynamodb import keys
from case_reviews.adapters.dynamodb.mapping import submission_from, submission_to_item
from case_reviews.adapters.dynamodb.table import Table
from case_reviews.domain.boards import Submission
from case_reviews.domain.errors import InvalidRequest
from case_reviews.domain.holds import ReviewHold
from case_reviews.domain.rules import format_reference
from case_reviews.domain.vocabulary import SubmissionStatus

# "Still open" in a condition: awaiting its upload, or being processed.
_IS_OPEN = "#status IN (:awaiting, :processing)"
_OPEN_VALUES = {":awaiting": keys.OPEN_STATUSES[0], ":processing": keys.OPEN_STATUSES[1]}
# How many of a board's submissions one read of their references returns.
_REFERENCES_PAGE = 100


def allocate(table: Table, year: int, count: int) -> list[str]:
    """`count` fresh references of `year` from its counter, in one write (never reused; gaps are fine)."""
    counter = table.update(
        keys.counter_key(year),
        UpdateExpression="ADD #value :count",
        ExpressionAttributeNames={"#value": "value"},
        ExpressionAttributeValues={":count": count},
        ReturnValues="UPDATED_NEW",
    )
    assert counter is not None
    last = int(counter["value"])
    return [format_reference(year, number) for number in range(last - count + 1, last + 1)]


class DynamoSubmissionStore:
    """Submissions move from open to a final outcome by conditional writes: every step is safe to repeat."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def create_submission(self, submission: Submission) -> None:
        self.table.put(submission_to_item(submission), condition="attribute_not_exists(pk)")

    def get_submission(self, submission_id: str) -> Submission | None:
        found = self.table.get(keys.submission_key(submission_id))
        return submission_from(found) if found else None

    def board_submissions(
        self, board_id: str, limit: int, after: dict[str, str] | None = None
    ) -> tuple[list[Submission], dict[str, str] | None]:
        """One page of a board's own submissions, newest first, and where the next page starts."""
        if after is not None and after.get("gsi1pk") != keys.board_partition(board_id):
            # A position of another listing (or made up): never a way into another board's deposits.
            raise InvalidRequest("The cursor is not one this API issued for your deposits.", location="query.cursor")
        found, last = self._board_page(board_id, limit, after)
        return [submission_from(item) for item in found], ({k: str(v) for k, v in last.items()} if last else None)

    def _board_page(
        self, board_id: str, limit: int, after: Mapping[str, Any] | None, attributes: tuple[str, ...] = ()
    ) -> tuple[list[dict[str, Any]], dict[str, Any] | None]:
        """One page of the board's submission items (its partition of gsi1), newest first."""
        return self.table.query_page(
            keys.BOARDS_INDEX,
            "gsi1pk",
            keys.board_partition(board_id),
            sort_name="gsi1sk",
            prefix="SUBMISSION#",
            limit=limit,
            after=after,
            attributes=attributes,
        )

    def catalogued_references(self, board_id: str) -> list[str]:
        """The references of the board's catalogued submissions, newest first, each once. Only each
        submission's status and reference are read (a few pages at most: a board deposits a handful of
        reports a year), not the whole submission: the acknowledgement lists them beside each deposit."""
        catalogued = SubmissionStatus.CATALOGUED.value
        references: list[str] = []
        after: dict[str, Any] | None = None
        while True:
            found, after = self._board_page(board_id, _REFERENCES_PAGE, after, attributes=("status", "reference"))
            references += [
                item["reference"] for item in found if item.get("status") == catalogued and item.get("reference")
            ]
            if after is None:
                return list(dict.fromkeys(references))

    def start_processing(self, submission_id: str, now: datetime) -> Submission:
        """Move an open submission to `processing`; a final one comes back unchanged (a redelivery)."""
        moved = self.table.update(
            keys.submission_key(submission_id),
            UpdateExpression="SET #status = :processing, updated_at = :now",
            ConditionExpression=f"attribute_exists(pk) AND {_IS_OPEN}",
            ExpressionAttributeNames={"#status": "status"},
            ExpressionAttributeValues={**_OPEN_VALUES, ":now": now.isoformat()},
            ReturnValues="ALL_NEW",
        )
        if moved is not None:
            return submission_from(moved)
        current = self.get_submission(submission_id)
        if current is None:
            raise LookupError(submission_id)
        return current

    def assign_reference(self, submission: Submission, year: int) -> str:
        """The submission's reference: the one it has (as the caller last read it, so no read here), or else
        one allocated from the year's counter and written only where none is yet."""
        if submission.reference:
            return submission.reference
        submission_id = submission.submission_id
        [reference] = allocate(self.table, year, 1)
        written = self.table.update(
            keys.submission_key(submission_id),
            UpdateExpression="SET #reference = :reference",
            ConditionExpression="attribute_exists(pk) AND attribute_not_exists(#reference)",
            ExpressionAttributeNames={"#reference": "reference"},
            ExpressionAttributeValues={":reference": reference},
        )
        if written is None:
            # A concurrent delivery got there first: its reference wins, this number stays unused.
            winner = self.get_submission(submission_id)
            assert winner and winner.reference, "a submission lost its reference"
            return winner.reference
        return reference

    def submissions_in_review(self) -> list[Submission]:
        """Every submission held for the library's check, oldest first.

        A Scan: nothing indexes submissions by status, and the few that wait are read only by
        staff (`case-reviews review list`), never on a request path.
        """
        found = self.table.scan(
            "begins_with(pk, :prefix) AND #status = :in_review",
            {":prefix": "SUBMISSION#", ":in_review": SubmissionStatus.IN_REVIEW.value},
            names={"#status": "status"},
        )
        return sorted((submission_from(item) for item in found), key=lambda submission: submission.created_at)

    def close_submission(
        self,
        submission_id: str,
        status: SubmissionStatus,
        now: datetime,
        reason: str | None = None,
        reference: str | None = None,
        hold: ReviewHold | None = None,
    ) -> Submission:
        """Record an outcome (rejected, duplicate, or held for review with its hold) unless another delivery
        (or a staff decision) already decided it."""
        names = {"#status": "status"}
        values: dict[str, Any] = {":status": status.value, ":now": now.isoformat(), **keys.UNDECIDED_VALUES}
        assignments = ["#status = :status", "updated_at = :now"]
        held = hold.model_dump(mode="json") if hold else None
        for name, value in (("reason", reason), ("reference", reference), ("hold", held)):
            if value is not None:
                assignments.append(f"#{name} = :{name}")
                names[f"#{name}"] = name
                values[f":{name}"] = value
        self.table.update(
            keys.submission_key(submission_id),
            UpdateExpression="SET " + ", ".join(assignments),
            ConditionExpression=keys.IS_UNDECIDED,
            ExpressionAttributeNames=names,
            ExpressionAttributeValues=values,
        )
        closed = self.get_submission(submission_id)
        assert closed is not None
        return closed
