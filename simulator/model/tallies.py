"""Counting cases into tables in place: the live stock per stage and the month-end snapshot,
and sorting by counting (a batch's records grouped by replication).

Compiled single passes, because the engine counts every case that moves, every day, and
``np.bincount`` would allocate a temporary array the size of the table each time.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .prefetch import ahead


@njit(cache=True, nogil=True)
def count_into(out: np.ndarray, sign: int, ids: np.ndarray, cell: np.ndarray, stages: np.ndarray,
               stride: int) -> None:
    """``out[stages[i] * stride + cell[ids[i]]] += sign`` for every case (``stages`` may have
    length 0: then ``out[cell[ids[i]]]``)."""
    with_stage = len(stages) > 0
    for i in range(len(ids)):
        c = cell[ids[i]]
        if with_stage:
            c += stages[i] * stride
        out[c] += sign


@njit(cache=True, nogil=True)
def month_end(active: np.ndarray, stage: np.ndarray, lodged: np.ndarray, sx: np.ndarray,
              first_day: np.ndarray, prior: np.ndarray, deadline: np.ndarray, day: int,
              edges: np.ndarray, stock: np.ndarray, open_: np.ndarray, past: np.ndarray) -> int:
    """One pass over the cases that were in the system: keeps those still in it at the front
    of ``active`` (returns how many) and counts them into the flat tallies ``stock``
    (stage, sx, age band), ``open_`` (sx, age band; no first decision yet) and ``past`` (sx;
    undecided past the legal deadline)."""
    n_bands = len(edges)
    n_cells = len(open_)
    today = max(day, 0)
    kept = 0
    for j in range(len(active)):
        ahead(active, j, stage)
        ahead(active, j, lodged)
        c = active[j]
        s = stage[c]
        if s < 0:
            continue
        active[kept] = c
        kept += 1
        age = today - lodged[c]
        band = 0
        while band + 1 < n_bands and edges[band + 1] <= age:
            band += 1
        cell = sx[c] * n_bands + band
        stock[s * n_cells + cell] += 1
        if first_day[c] < 0 and not prior[c]:
            open_[cell] += 1
            if deadline[c] <= day:
                past[sx[c]] += 1
    return kept


@njit(cache=True, nogil=True)
def group_by(key: np.ndarray, n_groups: int) -> tuple[np.ndarray, np.ndarray]:
    """A stable counting sort by a small key in ``0 .. n_groups - 1``: the positions in key
    order (ties in their order) and where each key's share starts and ends."""
    bounds = np.zeros(n_groups + 1, dtype=np.int64)
    for k in range(len(key)):
        bounds[key[k] + 1] += 1
    for g in range(n_groups):
        bounds[g + 1] += bounds[g]
    at = bounds[:-1].copy()
    order = np.empty(len(key), dtype=np.int64)
    for k in range(len(key)):
        g = key[k]
        order[at[g]] = k
        at[g] += 1
    return order, bounds


_RADIX_FROM = 256  # elements: below this a merge sort is faster than the byte passes


@njit(cache=True, nogil=True)
def stable_order(keys: np.ndarray) -> np.ndarray:
    """``np.argsort(keys, kind="mergesort")`` (the order that sorts ``keys``, ties in the order
    given), for a long array by a least-significant-digit radix sort: one counting pass per byte
    in which the keys differ (the bytes they share, such as a line's rank and day, cost nothing).
    Four to five times faster than the merge sort on the few thousand cases joining a lane."""
    n = len(keys)
    if n < _RADIX_FROM:
        return np.argsort(keys, kind="mergesort")
    flip = np.uint64(1) << np.uint64(63)  # signed order as unsigned order
    k = np.empty(n, dtype=np.uint64)
    differ = np.uint64(0)
    for i in range(n):
        k[i] = np.uint64(keys[i]) ^ flip
        differ |= k[i] ^ k[0]
    order = np.arange(n)
    k2, o2 = np.empty(n, dtype=np.uint64), np.empty(n, dtype=np.int64)
    count = np.empty(257, dtype=np.int64)
    for b in range(8):
        shift = np.uint64(8 * b)
        if (differ >> shift) & np.uint64(255) == 0:
            continue
        count[:] = 0
        for i in range(n):
            count[((k[i] >> shift) & np.uint64(255)) + 1] += 1
        for d in range(256):
            count[d + 1] += count[d]
        for i in range(n):
            d = (k[i] >> shift) & np.uint64(255)
            at = count[d]
            k2[at], o2[at] = k[i], order[i]
            count[d] = at + 1
        k, k2 = k2, k
        order, o2 = o2, order
    return order
