"""A parser that dies of a segmentation fault, as native code can."""

from __future__ import annotations

import os
import signal

if __name__ == "__main__":
    os.kill(os.getpid(), signal.SIGSEGV)
