"""No worker process outlives the process that started it.

Without this, ``kill -9`` or SIGTERM of ``indsim run --workers 2`` left both workers running on,
adopted by PID 1, holding 1.5 GB each until their batch finished. Two pieces:

* :func:`die_with_parent` runs in every local worker when it starts (the process pool's
  initializer): Linux delivers SIGKILL to the worker the moment its parent dies, whatever killed
  the parent (``prctl(PR_SET_PDEATHSIG)``; a no-op on other systems).
* :func:`stop_on_sigterm` makes SIGTERM in the command line kill its workers at once and then
  unwind like Ctrl-C (SystemExit), so output staging folders are removed on the way out; the
  process pool's shutdown would otherwise wait for every queued batch.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import os
import signal

_PR_SET_PDEATHSIG = 1


def die_with_parent() -> None:
    """Pool initializer: be killed when the parent dies; the parent's SIGTERM handler is not ours."""
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a forked worker inherits the command line's handler
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
        if os.getppid() == 1:  # the parent died before prctl took effect
            os._exit(1)


def kill_workers() -> None:
    """Kill this process's worker processes (those started by multiprocessing) now."""
    for child in multiprocessing.active_children():
        with contextlib.suppress(OSError):
            child.kill()


def _on_sigterm(signum, frame) -> None:
    kill_workers()
    raise SystemExit(128 + signum)


def stop_on_sigterm() -> None:
    """In the main process: SIGTERM kills the workers and exits through the normal clean-up."""
    signal.signal(signal.SIGTERM, _on_sigterm)
