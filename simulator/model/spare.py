"""Large arrays handed from one batch to the next within a process.

Fresh memory costs a page fault per 4 KiB page when it is first written (about 1 ns per byte
on the benchmark machine). A batch of 10 replications writes some 700 MB of case and decision
columns, and faulting that in took about 5% of the batch. A batch that is done gives its
columns back here; the next one takes them with their pages already mapped. Contents are
garbage: takers must write before they read, as with ``np.empty``.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

_SPARE: dict[str, np.ndarray] = {}  # one array per purpose, at most


HEADROOM = 1.25  # a fresh array is this much larger than asked, so that the next batch, whose
# size differs by chance, still fits in it; pages never written cost nothing


def empty(purpose: str, n: int, dtype, make: Callable[[int], np.ndarray] | None = None) -> np.ndarray:
    """An uninitialised array of at least ``n`` elements (a spare one if it is large enough);
    ``make(m)``, if given, makes a fresh one of ``m`` elements (say, aligned)."""
    spare = _SPARE.pop(purpose, None)
    if spare is not None and len(spare) >= n and spare.dtype == np.dtype(dtype):
        return spare
    m = int(n * HEADROOM)
    return np.empty(m, dtype=dtype) if make is None else make(m)


def give_back(purpose: str, array: np.ndarray) -> None:
    """Keep ``array`` for the next :func:`empty` of this purpose; the giver must not use it again."""
    _SPARE[purpose] = array
