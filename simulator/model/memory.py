"""How the model asks the operating system for memory.

A batch allocates and drops hundreds of MB in arrays of a few MB each. numpy advises Linux to
back every array of 4 MB or more with transparent huge pages (2 MB). Where the kernel answers
that advice by compacting memory at the moment of the first write (``transparent_hugepage/defrag``
set to ``madvise``, a common default), a fresh process pays seconds of system time for it: on
the 2-core reference machine, a first batch of 5 replications of the 7-year Tweestatusstelsel
scenario took 3.0-3.3 s of system time with the advice and 0.7-0.9 s without, and later batches
0.6 s against 0.1-0.2 s, with the same user time: fewer address-translation misses did not
pay for the compaction. Numbers never depend on this.
"""

from __future__ import annotations

import contextlib
import os

import numpy as np


def plain_pages() -> None:
    """Stop numpy's huge-page advice for this process and the ones it forks, unless the user
    chose with numpy's own switch, ``NUMPY_MADVISE_HUGEPAGE``."""
    if "NUMPY_MADVISE_HUGEPAGE" in os.environ:
        return
    with contextlib.suppress(AttributeError):  # a private numpy switch; without it, numpy's default
        np._core.multiarray._set_madvise_hugepage(False)
