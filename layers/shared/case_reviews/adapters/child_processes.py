"""Child processes that die with their parent, however the parent dies (Linux's parent-death signal).

A child in a session of its own (the PDF worker, the local stack's servers) is out of reach of a signal to
its parent's process group, and a parent killed with SIGKILL cannot stop it: it would be re-parented to
PID 1 and live on. `die_with_parent()` asks the kernel to SIGKILL the child as soon as its parent goes.
The request is kept across exec, but cleared when the child changes its credentials (so the local stack
gives `setpriv` its own `--pdeathsig` after dropping to a service user).

Caveats:

* The signal fires when the *thread* that started the child exits, not the whole process. Start children
  from a thread that lives as long as they should: Lambda calls the handler on its main thread, the local
  stack starts its servers from its main thread and its pollers are threads that live as long as it does.
  A child started from a short-lived thread is killed when that thread ends (the PDF inspector then starts
  another worker for the next file).
* Only the direct child gets the signal; what it forks itself must arrange its own (the PDF worker does,
  for each file's fork).
* Not on Linux: `die_with_parent()` returns None and nothing is arranged.

Standard library only: the PDF worker calls this in each file's fork.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def die_with_parent() -> Callable[[], None] | None:
    """What a child runs first (a `preexec_fn` for subprocess.Popen, or the first call after `os.fork()`) to get
    SIGKILL when this thread or process dies.

    Call it in the parent, in the thread that starts the child (see the module's caveats); it kills the
    child at once if the parent is gone by the time the child runs it. None where Linux's
    prctl(PR_SET_PDEATHSIG) is not available.
    """
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl
    parent = os.getpid()

    def in_child() -> None:  # runs in the child: between fork and exec, or first thing after fork
        if prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) != 0:
            errno = ctypes.get_errno()
            raise OSError(errno, f"prctl(PR_SET_PDEATHSIG): {os.strerror(errno)}")
        # The parent may have died between fork and prctl: then no signal will ever come.
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)

    return in_child
