"""How the model asks the operating system for memory.

A batch allocates and drops hundreds of MB in arrays of a few MB each, and every page of fresh
memory costs a fault when it is first written. On the 2-core reference machine (a virtual one)
a fault costs 5-45 µs of system time, far more than the ~1 µs of a bare machine, so this is
where a batch's system time goes. Two settings keep it down; numbers never depend on either.

* numpy advises Linux to back every array of 4 MB or more with transparent huge pages (2 MB).
  Where the kernel answers that advice by compacting memory at the moment of the first write
  (``transparent_hugepage/defrag`` set to ``madvise``, a common default), a fresh process pays
  seconds of system time for it: a first batch of 5 replications of the 7-year
  Tweestatusstelsel scenario took 3.0-3.3 s of system time with the advice and 0.7-0.9 s
  without, and later batches 0.6 s against 0.1-0.2 s, with the same user time: fewer
  address-translation misses did not pay for the compaction. :func:`plain_pages` stops it.
* The C library (glibc) hands arrays above a threshold (at most 32 MB) back to the system when
  they are freed, and trims the top of its heap, so the next batch faults the same memory in
  again: 45,000-135,000 faults in every batch of 10 experiments of the 5-year combined scenario
  after the first. :func:`recycled_pages` has it keep freed memory for reuse (all allocations
  from its heap, never trimmed): 0-8,000 faults from the third batch on. A process that runs
  batches keeps its peak memory (a worker of the exploration: 2.9-3.4 GB instead of 2.2 GB).
"""

from __future__ import annotations

import contextlib
import ctypes
import os

import numpy as np

_M_TRIM_THRESHOLD, _M_MMAP_MAX = -1, -4  # glibc's mallopt parameters (malloc.h)
_KEEP = "INDSIM_KEEP_FREED_MEMORY"  # "0": leave the C library's defaults alone
_recycling = False


def prepare() -> None:
    """The memory policy for a process that runs batches (see the module's docstring)."""
    plain_pages()
    recycled_pages()


def plain_pages() -> None:
    """Stop numpy's huge-page advice for this process and the ones it forks, unless the user
    chose with numpy's own switch, ``NUMPY_MADVISE_HUGEPAGE``."""
    if "NUMPY_MADVISE_HUGEPAGE" in os.environ:
        return
    with contextlib.suppress(AttributeError):  # a private numpy switch; without it, numpy's default
        np._core.multiarray._set_madvise_hugepage(False)


def recycled_pages() -> bool:
    """Have the C library keep the memory this process frees, for its next allocations (and
    those of the processes it forks), unless ``INDSIM_KEEP_FREED_MEMORY=0``. Returns whether it
    does: only glibc has these settings; elsewhere nothing changes."""
    global _recycling
    if _recycling or os.environ.get(_KEEP, "1").strip() == "0":
        return _recycling
    with contextlib.suppress(OSError, AttributeError):
        mallopt = ctypes.CDLL(None).mallopt
        mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
        _recycling = bool(mallopt(_M_MMAP_MAX, 0)) and bool(mallopt(_M_TRIM_THRESHOLD, 2**31 - 1))
    return _recycling
