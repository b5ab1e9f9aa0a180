"""The real PDF worker (its privileges dropped and its limits set as always), started by the real inspector,
with only the reading of the file replaced: it reports what the parser's process can see instead.

Its "text" is a JSON report: its environment, and what opening the parent's /proc/<ppid>/environ and
/proc/<ppid>/mem did.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from case_reviews.adapters import pdf_worker


def _try_open(path: str) -> str:
    """ "readable" if the file opens (the kernel checks access on opening), else the error's name."""
    try:
        with open(path, "rb"):
            pass
    except OSError as error:
        return type(error).__name__
    return "readable"


def report(request: dict[str, Any]) -> dict[str, Any]:
    parent = os.getppid()
    seen = {
        "environment": dict(os.environ),
        "parent": {name: _try_open(f"/proc/{parent}/{name}") for name in ("environ", "mem")},
    }
    Path(request["text_path"]).write_text(json.dumps(seen), encoding="utf-8")
    Path(request["stored_path"]).write_bytes(Path(request["source"]).read_bytes())
    return {"page_count": 1, "text_chars": 0, "text_layer": False, "metadata_stripped": False}


if __name__ == "__main__":
    pdf_worker.inspect = report
    sys.exit(pdf_worker.main(sys.argv))
