"""The servers the local stack starts die with it, however it dies.

MotoServer and OpenSearchServer start their server in a session (and process group) of its own:
a Ctrl-C, or a signal to the stack's process group, then reaches only the stack, which stops
the API, the pollers and then each server in order (see stack.py), and OpenSearchServer.stop()
can signal the server's whole process group. The price is that a signal to the stack's group
never reaches the servers, and a stack killed with SIGKILL cannot stop them: they were left
running, re-parented to PID 1 and holding their ports.

The Linux parent-death signal closes that gap: `die_with_parent()` is a `preexec_fn` that asks
the kernel to SIGKILL the child as soon as its parent goes, whatever kills the parent. It is kept
across exec (bin/opensearch `exec`s java, so java inherits it) but cleared when the child changes
its credentials, which is why `setpriv` is given `SETPRIV_DIE_WITH_PARENT` to set it again
after it has dropped to the service user.

Caveats:

* The signal fires when the *thread* that forked the child exits, not the whole process. Start
  children only from a thread that lives as long as the stack, i.e. the main thread (stack.py
  does). A child started from a short-lived thread would be killed when that thread ends.
* `preexec_fn` is not safe once other threads run (a fork copies locks held by them). The stack
  starts its servers from the main thread before it starts any other thread.
* Only the direct child gets the signal; what it forks itself does not (bin/opensearch runs two
  short java helpers before its `exec`, which end on their own).
* Not on Linux: `die_with_parent()` returns None and nothing is arranged; stop() still stops the
  children.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from collections.abc import Callable

_PR_SET_PDEATHSIG = 1  # <linux/prctl.h>

# For `setpriv ... --` (util-linux 2.33 or later): set the parent-death signal again after the
# credential change that clears it.
SETPRIV_DIE_WITH_PARENT = ("--pdeathsig", "KILL")

_libc = ctypes.CDLL(None, use_errno=True) if sys.platform.startswith("linux") else None


def die_with_parent() -> Callable[[], None] | None:
    """A `preexec_fn` for subprocess.Popen: the child gets SIGKILL when this thread or process dies.

    Call it in the thread that calls Popen (see the module's caveats). None where Linux's
    prctl(PR_SET_PDEATHSIG) is not available.
    """
    if _libc is None:
        return None
    prctl = _libc.prctl
    parent = os.getpid()

    def preexec() -> None:  # runs in the child, between fork and exec
        if prctl(_PR_SET_PDEATHSIG, int(signal.SIGKILL), 0, 0, 0) != 0:
            errno = ctypes.get_errno()
            raise OSError(errno, f"prctl(PR_SET_PDEATHSIG): {os.strerror(errno)}")
        # The parent may have died between fork and prctl: then no signal will ever come.
        if os.getppid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)

    return preexec
