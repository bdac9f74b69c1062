"""Compiled inner loops of the engine (numba), for work that numpy would do in many passes.

Each kernel computes exactly what the numpy code it replaces computed (same integer and IEEE
float operations in the same order), so results do not depend on whether a kernel is used;
``tests/model/test_kernels.py`` and ``test_sampling.py`` check each against its numpy twin. Compiled once per machine
and cached beside this file.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numba.typed import List

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_ONE = np.uint64(1)
_INV53 = 1.0 / (1 << 53)
_BELOW_ONE = float(np.nextafter(1.0, 0.0))


@njit(cache=True, nogil=True, inline="always")
def _uniform(key, step, source) -> float:
    """One SplitMix64 draw in (0, 1): mix((step + 1) * golden + (key ^ source))."""
    x = _mix((np.uint64(step) + _ONE) * _GOLDEN + (key ^ source))
    u = (float(x >> np.uint64(11)) + 0.5) * _INV53
    return min(u, _BELOW_ONE)


@njit(cache=True, nogil=True, inline="always")
def _mix(x):
    """SplitMix64's finaliser."""
    x ^= x >> np.uint64(30)
    x *= _M1
    x ^= x >> np.uint64(27)
    x *= _M2
    x ^= x >> np.uint64(31)
    return x


@njit(cache=True, nogil=True)
def spawn_keys(parents: np.ndarray, key: np.ndarray, step: np.ndarray, stream_key) -> np.ndarray:
    """Keys of follow-on cases: ``combine(combine(key, step), stream_key)`` of each parent,
    where ``combine(a, b) = mix(a ^ mix(b + golden))`` (see :func:`rng.combine`)."""
    out = np.empty(len(parents), dtype=np.uint64)
    salt = _mix(np.uint64(stream_key) + _GOLDEN)
    for i in range(len(parents)):
        p = parents[i]
        out[i] = _mix(_mix(key[p] ^ _mix(np.uint64(step[p]) + _GOLDEN)) ^ salt)
    return out


@njit(cache=True, nogil=True)
def uniforms(keys: np.ndarray, steps: np.ndarray, table: np.ndarray, rep: np.ndarray) -> np.ndarray:
    """SplitMix64 draws in (0, 1): mix((step + 1) * golden + (key ^ table[rep])).

    ``keys`` (uint64), ``steps`` (integers) and ``rep`` (positions in the source key ``table``)
    are arrays of one common length or of length 1 (shared by all).
    """
    n = max(len(keys), len(steps), len(rep))
    if min(len(keys), len(steps), len(rep)) == 0:
        n = 0
    out = np.empty(n, dtype=np.float64)
    k1, s1, r1 = len(keys) == 1, len(steps) == 1, len(rep) == 1
    for i in range(n):
        out[i] = _uniform(keys[0] if k1 else keys[i], steps[0] if s1 else steps[i],
                          table[rep[0] if r1 else rep[i]])
    return out


@njit(cache=True, nogil=True)
def route_choice(ids: np.ndarray, stages: np.ndarray, group: np.ndarray, cum: np.ndarray, key: np.ndarray,
                 step: np.ndarray, rep: np.ndarray, table: np.ndarray) -> np.ndarray:
    """The option each case takes at the end of its stage: how many cumulative route
    probabilities ``cum[stage, group]`` its routing uniform reaches (capped at the last)."""
    k = cum.shape[2]
    out = np.zeros(len(ids), dtype=np.int64)
    if k == 1:
        return out
    for i in range(len(ids)):
        c = ids[i]
        u = _uniform(key[c], step[c], table[rep[c]])
        row = cum[stages[i], group[c]]
        n = 0
        for j in range(k):
            if u >= row[j]:
                n += 1
        out[i] = min(n, k - 1)
    return out


@njit(cache=True, nogil=True)
def draw_closed(kind: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray, rows: np.ndarray,
                keys: np.ndarray, steps: np.ndarray, rep: np.ndarray, table: np.ndarray):
    """Draws from per-row distributions (``sampling.KINDS`` codes in ``kind``; parameters
    ``a``, ``b``, ``c``) for elements of row ``rows[i]``, by inversion of their own uniform.

    Fixed, uniform and triangular draws are done here with the arithmetic of
    ``sampling.inverse``; for the others only the uniform is filled in. Returns the draws,
    the uniforms (0 where not needed) and the number of elements per kind.
    """
    n = len(rows)
    out = np.empty(n)
    u = np.zeros(n)
    counts = np.zeros(6, dtype=np.int64)
    for i in range(n):
        r = rows[i]
        code = kind[r]
        counts[code] += 1
        if code == 0:
            out[i] = a[r]
            continue
        x = _uniform(keys[i], steps[i], table[rep[i]])
        u[i] = x
        if code == 4:
            out[i] = a[r] + (b[r] - a[r]) * x
        elif code == 5:
            width = max(c[r] - a[r], 1e-300)
            if x < (b[r] - a[r]) / width:
                out[i] = a[r] + np.sqrt(x * width * (b[r] - a[r]))
            else:
                out[i] = c[r] - np.sqrt((1 - x) * width * (c[r] - b[r]))
    return out, u, counts


@njit(cache=True, nogil=True)
def empty_arrays(n: int):
    """A numba typed list of ``n`` empty int64 arrays (growable buckets for compiled code)."""
    out = List()
    for _ in range(n):
        out.append(np.zeros(0, dtype=np.int64))
    return out


@njit(cache=True, nogil=True)
def count_into(out: np.ndarray, sign: int, ids: np.ndarray, cell: np.ndarray, stages: np.ndarray,
               stride: int) -> None:
    """``out[stages[i] * stride + cell[ids[i]]] += sign`` for every case (``stages`` may have
    length 0: then ``out[cell[ids[i]]]``); a tally without the temporary arrays of ``np.bincount``."""
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
