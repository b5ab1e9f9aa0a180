"""Unit fixtures: the staff CLI with its stack faked."""

from __future__ import annotations

import pytest

from tests.unit.staff_cli import StaffCli


@pytest.fixture
def staff_cli(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> StaffCli:
    return StaffCli(monkeypatch, capsys)
