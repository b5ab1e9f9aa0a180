"""What the PDF worker and each file's fork give up, and are bounded by, before any file is read.

The worker drops every capability and makes itself non-dumpable (`drop_privileges`, `close_to_siblings`),
bounds its own address space (`limit_worker`); each file's fork then gets that file's memory, CPU and
output limits (`limit_file_process`). Standard library only: this runs before PDFium or pypdf is imported.
"""

from __future__ import annotations

import ctypes
import resource
import sys
from pathlib import Path
from typing import Any

# <linux/prctl.h>, <linux/capability.h>
_PR_SET_DUMPABLE = 4
_PR_CAPBSET_DROP = 24
_PR_SET_CHILD_SUBREAPER = 36
_PR_SET_NO_NEW_PRIVS = 38
_PR_CAP_AMBIENT = 47
_PR_CAP_AMBIENT_CLEAR_ALL = 4
_LINUX_CAPABILITY_VERSION_3 = 0x20080522


class _CapHeader(ctypes.Structure):
    _fields_ = (("version", ctypes.c_uint32), ("pid", ctypes.c_int))


class _CapData(ctypes.Structure):
    _fields_ = (("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32))


def drop_privileges() -> None:
    """Give up every capability, for good, before the file is read.

    The parent is not dumpable (`adapters/pdf.py`), so a process of the same user can read neither its
    environment nor its memory, unless it holds CAP_SYS_PTRACE. In Lambda the function's user holds no
    capability and this changes nothing; where the parent runs as root (a container, this project's CI)
    it is what keeps that true of this process. No new privileges: nothing it could exec gains any.
    """
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_NO_NEW_PRIVS) failed")
    try:
        last_capability = int(Path("/proc/sys/kernel/cap_last_cap").read_text())
    except (OSError, ValueError):
        last_capability = 63
    # Only with CAP_SETPCAP (root); without it there is nothing in the bounding set worth dropping.
    for capability in range(last_capability + 1):
        libc.prctl(_PR_CAPBSET_DROP, capability, 0, 0, 0)
    libc.prctl(_PR_CAP_AMBIENT, _PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0)
    # Lowering the effective, permitted and inheritable sets to nothing is allowed to every process.
    if libc.capset(ctypes.byref(_CapHeader(_LINUX_CAPABILITY_VERSION_3, 0)), (_CapData * 2)()) != 0:
        raise OSError(ctypes.get_errno(), "capset failed")


def close_to_siblings() -> None:
    """Make this process non-dumpable, so a fork of it (which has no capability) can neither trace it nor read
    its memory: a hostile file's fork must not reach the worker that makes the next file's fork. And make it
    the subreaper of what its forks start, so that nothing a file's process leaves running escapes it
    (`worker.end_leftovers`)."""
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(_PR_SET_DUMPABLE, 0, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_DUMPABLE, 0) failed")
    # Defence in depth, not a boundary: where a kernel refuses it, what a file leaves goes to init, as it
    # would from any process.
    libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)


def limit_worker(config: dict[str, Any]) -> None:
    """The worker's own bounds: the address space a file's fork gets too, and no core dumps."""
    memory = int(config["memory_bytes"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def limit_file_process(request: dict[str, Any]) -> None:
    """Bound memory, CPU and file size before anything reads the file; no core dumps of board data.

    Set in the file's own fork: its address space is the worker's, and its CPU time started at zero when
    it was forked (its warm-up's few milliseconds are not held against the file), so each file gets the
    whole of each limit, whatever came before it.
    """
    memory = int(request["memory_bytes"])
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = int(request["cpu_seconds"]) + int(usage.ru_utime + usage.ru_stime)
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    output = int(request["max_output_bytes"])
    resource.setrlimit(resource.RLIMIT_FSIZE, (output, output))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
