"""The real PDF worker (its privileges dropped and its limits set as always, a fork per file of the warm
worker), started by the real inspector, with only the reading of the file replaced: the file's process
reports what it can see instead.

Its "text" is a JSON report: its environment, the worker's pid, and what opening /proc/<pid>/environ and
/proc/<pid>/mem of the worker (its parent) and of the function (the worker's parent) did.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from case_reviews.adapters.pdf_worker import worker


def _try_open(path: str) -> str:
    """ "readable" if the file opens (the kernel checks access on opening), else the error's name."""
    try:
        with open(path, "rb"):
            pass
    except OSError as error:
        return type(error).__name__
    return "readable"


def _parent_of(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("PPid:"):
            return int(line.split()[1])
    raise LookupError(f"no parent of {pid}")


def report(request: dict[str, Any]) -> dict[str, Any]:
    worker = os.getppid()
    seen = {
        "environment": dict(os.environ),
        "worker_pid": worker,
        **{
            role: {name: _try_open(f"/proc/{pid}/{name}") for name in ("environ", "mem")}
            for role, pid in (("worker", worker), ("function", _parent_of(worker)))
        },
    }
    Path(request["text_path"]).write_text(json.dumps(seen), encoding="utf-8")
    Path(request["stored_path"]).write_bytes(Path(request["source"]).read_bytes())
    return {"page_count": 1, "text_chars": 0, "text_layer": False, "metadata_stripped": False}


if __name__ == "__main__":
    sys.exit(worker.main(sys.argv, inspect=report))
