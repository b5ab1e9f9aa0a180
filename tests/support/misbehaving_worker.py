"""Stand-ins for the PDF worker that fail the way a native parser can: `crash` (SIGSEGV) or `hang`."""

from __future__ import annotations

import os
import signal
import sys
import threading

if __name__ == "__main__":
    if os.environ.get("MISBEHAVIOUR") == "hang":
        threading.Event().wait()  # until the parent kills it
    os.kill(os.getpid(), signal.SIGSEGV)
    sys.exit(0)
