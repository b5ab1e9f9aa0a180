"""A parser that never returns (until its parent kills it)."""

from __future__ import annotations

import threading

if __name__ == "__main__":
    threading.Event().wait()
