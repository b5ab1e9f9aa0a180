"""The local stack leaves nothing behind when it is killed: no server, no port, no OpenSearch run dir.

This test starts a stack of its own (with its own OpenSearch), not the session's `stack`, because
it kills it.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import sys
import time
from pathlib import Path

import pytest

from infra.local import opensearch_server
from infra.local.launcher import running_stack
from infra.local.stack import QUEUE_FUNCTIONS

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc; the parent-death signal is Linux's"),
]

STARTUP_TIMEOUT_S = 240
GONE_WITHIN_S = 15
# Lighter than the default 1g, next to the test session's own OpenSearch.
OPENSEARCH_HEAP = "512m"
_TCP_LISTEN = "0A"


def _stat(pid: int) -> tuple[str, int, int] | None:
    """(state, parent pid, start time) of a process, from /proc/PID/stat; None once it is gone."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # the command name may hold spaces and brackets
    return fields[0], int(fields[1]), int(fields[19])


def descendants(root: int) -> dict[int, int]:
    """Every process whose parent chain leads to `root`: {pid: start time} (the start time tells pids apart)."""
    children: dict[int, list[int]] = {}
    started: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and (stat := _stat(int(entry.name))) is not None:
            children.setdefault(stat[1], []).append(int(entry.name))
            started[int(entry.name)] = stat[2]
    found: dict[int, int] = {}
    pending = list(children.get(root, []))
    while pending:
        pid = pending.pop()
        found[pid] = started[pid]
        pending += children.get(pid, [])
    return found


def alive(processes: dict[int, int]) -> dict[int, int]:
    """Those still running: the same process (same start time) and not merely a zombie awaiting its reaper."""
    running = {}
    for pid, started in processes.items():
        stat = _stat(pid)
        if stat is not None and stat[2] == started and stat[0] not in ("Z", "X"):
            running[pid] = started
    return running


def command_line(pid: int) -> str:
    with contextlib.suppress(OSError):
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    return ""


def _listening() -> dict[int, int]:
    """{socket inode: port} of every TCP socket listening on this machine."""
    sockets = {}
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if fields[3] == _TCP_LISTEN:
                    sockets[int(fields[9])] = int(fields[1].rsplit(":", 1)[1], 16)
    return sockets


def listening_ports(pids: list[int]) -> set[int]:
    """The TCP ports these processes listen on."""
    listening = _listening()
    ports = set()
    for pid in pids:
        with contextlib.suppress(OSError):
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                with contextlib.suppress(OSError):
                    target = os.readlink(fd)
                    if target.startswith("socket:[") and int(target[8:-1]) in listening:
                        ports.add(listening[int(target[8:-1])])
    return ports


def busy(ports: set[int]) -> set[int]:
    """Those of `ports` that something listens on, or that cannot be bound on 127.0.0.1 again."""
    taken = ports & set(_listening().values())
    for port in ports - taken:
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as servers bind: TIME_WAIT is no obstacle
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                taken.add(port)
    return taken


def test_a_stack_killed_with_sigkill_leaves_no_process_and_no_port_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    # Given a ready stack of its own (its own embedded AWS and OpenSearch), the processes under it and their ports
    monkeypatch.setenv(opensearch_server.HEAP_ENV_VAR, OPENSEARCH_HEAP)
    with running_stack(startup_timeout_s=STARTUP_TIMEOUT_S) as state:
        stack_pid = state["pid"]
        under_stack = descendants(stack_pid)
        commands = {pid: command_line(pid) for pid in under_stack}
        ports = listening_ports([stack_pid, *under_stack])
        runs = opensearch_server._cache_root() / "runs"
        try:
            # When the stack alone (its pid, not its process group) is killed with SIGKILL
            os.kill(stack_pid, signal.SIGKILL)
            deadline = time.monotonic() + GONE_WITHIN_S
            while (alive(under_stack) or busy(ports)) and time.monotonic() < deadline:
                time.sleep(0.1)
            survivors = {pid: commands[pid] for pid in alive(under_stack)}
            still_held = busy(ports)
            left_run_dirs = list(runs.glob(f"run-{stack_pid}-*"))
        finally:
            for pid in alive(under_stack):  # a failing run must not leave them behind either
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
    # ...and, once the killed stack is reaped (leaving the block does), a later OpenSearch start reaps stale runs
    opensearch_server._reap_stale_runs(runs)

    # Then the stack had started a moto server and OpenSearch's java, each listening on its port, and a process
    # for each queue-fed function
    assert any("moto.server" in command for command in commands.values()), commands
    assert any("org.opensearch.bootstrap.OpenSearch" in command for command in commands.values()), commands
    hosted = {command.split()[-1] for command in commands.values() if "infra.local.function_host" in command}
    assert hosted == set(QUEUE_FUNCTIONS), commands
    expected = {int(state[name].rsplit(":", 1)[1]) for name in ("api_url", "aws_endpoint_url", "opensearch_url")}
    assert expected <= ports, (expected, ports)
    # And within a few seconds of the kill none of its processes runs, and every port they held is free
    assert survivors == {}, f"still running {GONE_WITHIN_S} s after the stack was killed: {survivors}"
    assert still_held == set()
    # And the OpenSearch run dir it left is reaped by the next start
    assert left_run_dirs, f"no run dir of pid {stack_pid} under {runs}"
    assert not any(run_dir.exists() for run_dir in left_run_dirs)
