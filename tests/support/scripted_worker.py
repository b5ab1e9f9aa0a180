"""The real PDF worker (privileges, limits, warm process and a fork per file, as always) whose reading of a file
is replaced by a script the file itself names, so one worker can be shown several behaviours in turn.

A file whose bytes are `crash` dies of SIGSEGV, `hang` writes its pid to `<workdir>/hang.pid` and never
returns, `eat` allocates until its address-space limit stops it, `orphan` leaves a process running (in a
session of its own, its parent gone) whose pid it writes to `<workdir>/orphan.pid`; any other file is
"read": its process reports, as its text, the worker's pid, its own pid, the limits it runs under and the CPU
time it had used when it started.
"""

from __future__ import annotations

import json
import os
import resource
import signal
import sys
import threading
from pathlib import Path
from typing import Any

from case_reviews.adapters.pdf_worker import worker

LIMITS = {"memory": resource.RLIMIT_AS, "cpu": resource.RLIMIT_CPU, "file_size": resource.RLIMIT_FSIZE}


def scripted(request: dict[str, Any]) -> dict[str, Any]:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    script = Path(request["source"]).read_bytes()
    if script == b"crash":
        os.kill(os.getpid(), signal.SIGSEGV)
    if script == b"hang":
        (Path(request["text_path"]).parent / "hang.pid").write_text(str(os.getpid()))
        threading.Event().wait()
    if script == b"orphan":
        _leave_an_orphan(Path(request["text_path"]).parent / "orphan.pid")
    if script == b"eat":
        eaten = []
        while True:
            eaten.append(bytearray(64 * 1024 * 1024))
    seen = {
        "worker_pid": os.getppid(),
        "pid": os.getpid(),
        "limits": {name: list(resource.getrlimit(limit)) for name, limit in LIMITS.items()},
        "cpu_used_at_start_s": usage.ru_utime + usage.ru_stime,
    }
    Path(request["text_path"]).write_text(json.dumps(seen), encoding="utf-8")
    Path(request["stored_path"]).write_bytes(script)
    return {"page_count": 1, "text_chars": 0, "text_layer": False, "metadata_stripped": False}


def _leave_an_orphan(pid_file: Path) -> None:
    """Start a process that outlives this one, as an exploit would to stay behind for the next files."""
    if os.fork() == 0:
        os.setsid()
        if os.fork() == 0:
            pid_file.write_text(str(os.getpid()))
            threading.Event().wait()
        os._exit(0)
    while not pid_file.exists():
        os.sched_yield()


if __name__ == "__main__":
    sys.exit(worker.main(sys.argv, inspect=scripted))
