"""A retention run that staff follow: what each invocation did, and the run's outcome from its parts.

A run that staff ask for carries a run id. After each invocation, the retention function records
that invocation's part under the id: what it removed, held, failed and warned of, and whether it
stopped for time and queued the rest (`continued`; the successor carries the same id). The run
is finished once a part did not continue.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from pydantic import BaseModel


class RetentionRunPart(BaseModel):
    """One invocation of a followed run."""

    run_id: str
    as_of: date
    recorded_at: datetime
    removed: list[str] = []
    # Every copy past its date kept by a legal hold (each invocation lists them all).
    held: list[str] = []
    failed: list[str] = []
    warned: list[str] = []
    continued: bool = False


def _unique(references: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(references))


class RetentionRunReport(BaseModel):
    """A followed run so far: `finished` once an invocation did not continue."""

    run_id: str
    finished: bool
    invocations: int
    # The day the rule was applied for (None until the first invocation is recorded).
    as_of: date | None
    removed: list[str]
    held: list[str]
    # Copies no invocation could remove (one a later invocation removed is not listed).
    failed: list[str]
    warned: list[str]

    @classmethod
    def from_parts(cls, run_id: str, parts: Sequence[RetentionRunPart]) -> RetentionRunReport:
        ordered = sorted(parts, key=lambda part: part.recorded_at)
        removed = _unique(reference for part in ordered for reference in part.removed)
        failed = _unique(reference for part in ordered for reference in part.failed)
        gone = set(removed)
        return cls(
            run_id=run_id,
            finished=any(not part.continued for part in ordered),
            invocations=len(ordered),
            as_of=ordered[0].as_of if ordered else None,
            removed=removed,
            held=list(ordered[-1].held) if ordered else [],
            failed=[reference for reference in failed if reference not in gone],
            warned=_unique(reference for part in ordered for reference in part.warned),
        )
