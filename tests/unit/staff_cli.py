"""The staff CLI run in process with the stack's services faked: what it was given, called and printed.

Nothing reaches AWS or a local stack: `case_reviews_cli.stack.connect` hands out a MagicMock for
the services, and records the options each command line resolved to.
"""

from __future__ import annotations

from dataclasses import dataclass
from unittest.mock import MagicMock

import pytest

from case_reviews_cli import app, stack
from case_reviews_cli.options import Options


@dataclass(frozen=True)
class Ran:
    status: int
    out: str
    err: str


class StaffCli:
    def __init__(self, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
        self.capsys = capsys
        self.services = MagicMock(name="services")
        self.connected: list[Options] = []
        monkeypatch.setattr(stack, "connect", self._connect)
        monkeypatch.delenv("CASE_REVIEWS_STACK_NAME", raising=False)

    def _connect(self, options: Options) -> MagicMock:
        self.connected.append(options)
        return self.services

    @property
    def options(self) -> Options:
        """The options of the last command that used the stack."""
        assert self.connected, "no command used the stack"
        return self.connected[-1]

    def __call__(self, *arguments: str) -> Ran:
        self.capsys.readouterr()
        status = app.main(list(arguments))
        captured = self.capsys.readouterr()
        return Ran(status, captured.out, captured.err)
