"""Where a case goes when it finishes a stage, and the keys of the follow-on cases it creates.

Both are compiled passes over a day's finished cases. The route is chosen by inverting the case's
own routing uniform through the stage's cumulative route probabilities (per group), so a case's
path depends only on its own key and step, never on the other cases.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .rng import _GOLDEN, combine64, mix64, uniform64


@njit(cache=True, nogil=True)
def route_choice(ids: np.ndarray, rows: np.ndarray, group: np.ndarray, cum: np.ndarray, key: np.ndarray,
                 step: np.ndarray, rep: np.ndarray, table: np.ndarray) -> np.ndarray:
    """The option each case takes at the end of its stage: how many cumulative route
    probabilities ``cum[row, group]`` its routing uniform reaches (capped at the last)."""
    k = cum.shape[2]
    out = np.zeros(len(ids), dtype=np.int64)
    if k == 1:
        return out
    for i in range(len(ids)):
        c = ids[i]
        u = uniform64(key[c], step[c], table[rep[c]])
        row = cum[rows[i], group[c]]
        n = 0
        for j in range(k):
            if u >= row[j]:
                n += 1
        out[i] = min(n, k - 1)
    return out


@njit(cache=True, nogil=True)
def spawn_keys(parents: np.ndarray, key: np.ndarray, step: np.ndarray, stream_key) -> np.ndarray:
    """Keys of follow-on cases: ``combine(combine(key, step), stream_key)`` of each parent
    (see :func:`rng.combine`)."""
    out = np.empty(len(parents), dtype=np.uint64)
    salt = mix64(np.uint64(stream_key) + _GOLDEN)
    for i in range(len(parents)):
        p = parents[i]
        out[i] = mix64(combine64(key[p], np.uint64(step[p])) ^ salt)
    return out
