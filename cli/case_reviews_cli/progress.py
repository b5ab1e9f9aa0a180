"""Progress of long work on stderr: a rich bar on a terminal, a line every N otherwise (a log).

The import, an index rebuild, a queue replay and a retention run report through one: called with
the count done so far (the services' `progress` callback), its total when known. stdout stays the
command's result (JSON with --json), whatever is shown here.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TYPE_CHECKING, Self

if TYPE_CHECKING:
    from rich.progress import Progress as RichProgress
    from rich.progress import TaskID

# Without a terminal: a line each time the count passes a multiple of this, and one at the end.
EVERY = 100


class Progress:
    def __init__(self, what: str, total: int | None = None, every: int = EVERY, live: bool | None = None) -> None:
        self.what = what
        self.total = total
        self.every = every
        self.count = 0
        self._live = live
        self._printed = 0
        self._bar: RichProgress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> Self:
        from rich.console import Console

        console = Console(stderr=True)
        if self._live is None:
            self._live = console.is_terminal
        if self._live:
            from rich import progress as rich

            self._bar = rich.Progress(
                rich.SpinnerColumn(),
                rich.TextColumn("{task.description}"),
                rich.BarColumn(),
                rich.MofNCompleteColumn(),
                rich.TimeElapsedColumn(),
                console=console,
            )
            self._bar.start()
            self._task = self._bar.add_task(self.what, total=self.total)
        return self

    def __call__(self, count: int) -> None:
        """The count done so far."""
        self.count = count
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, completed=count, total=self.total)
        elif count // self.every > self._printed // self.every:
            self._line()

    def set_total(self, total: int | None) -> None:
        self.total = total
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, total=total)

    def note(self, message: str) -> None:
        """A line for the reader (above the bar on a terminal)."""
        if self._bar is not None:
            self._bar.console.print(message, markup=False, highlight=False)
        else:
            print(message, file=sys.stderr, flush=True)

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        if self._bar is not None:
            self._bar.stop()
        elif kind is None and (self.count != self._printed or self.count == 0):
            self._line()

    def _line(self) -> None:
        done = f"{self.count}/{self.total}" if self.total is not None else str(self.count)
        print(f"{done} {self.what}", file=sys.stderr, flush=True)
        self._printed = self.count
