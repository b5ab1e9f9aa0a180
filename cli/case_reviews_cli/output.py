"""What staff see on stdout: JSON with --json; otherwise text, and lists as tables on a terminal.

Scripts read --json. Plain text (through a pipe, in a log) keeps the lines the CLI has always
printed, one per item (`<board id>\\t<name>`, `<reference>\\tavailable until <day>`...); on a
terminal a list is a rich table instead. Values are never read as rich markup.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable, Sequence
from typing import Any

Row = dict[str, Any]
# A table's column: its heading, and the row's key or a function of the row.
Column = tuple[str, str | Callable[[Row], Any]]


def as_json(result: Any) -> str:
    return json.dumps(result, indent=2, default=str)


class Output:
    def __init__(self, as_json: bool, terminal: bool | None = None) -> None:
        self.json = as_json
        self._terminal = terminal

    @property
    def terminal(self) -> bool:
        """Whether stdout is a terminal (a person reading), not a pipe or a file."""
        if self._terminal is None:
            self._terminal = sys.stdout.isatty()
        return self._terminal

    def emit(self, result: Any, text: str | Callable[[], str]) -> None:
        """`result` as JSON with --json, else `text`."""
        if self.json:
            print(as_json(result))
        else:
            print(text() if callable(text) else text)

    def listing(
        self,
        rows: Sequence[Row],
        columns: Sequence[Column],
        line: Callable[[Row], str],
        empty: str,
        result: Any = None,
    ) -> None:
        """A list: JSON (`result`, default the rows), a table of `columns` on a terminal,
        else one `line(row)` per row; `empty` when there is nothing."""
        if self.json:
            print(as_json(list(rows) if result is None else result))
        elif not rows:
            print(empty)
        elif self.terminal:
            self.table(rows, columns)
        else:
            print("\n".join(line(row) for row in rows))

    def table(self, rows: Sequence[Row], columns: Sequence[Column]) -> None:
        from rich.console import Console
        from rich.table import Table
        from rich.text import Text

        table = Table(*(heading for heading, _ in columns), header_style="bold")
        for row in rows:
            table.add_row(*(Text(_cell(value(row) if callable(value) else row.get(value))) for _, value in columns))
        Console().print(table)


def _cell(value: Any) -> str:
    if value is None or value == "":
        return "-"
    if isinstance(value, list | tuple):
        return ", ".join(str(each) for each in value) or "-"
    return str(value)
