"""The log of every decision taken in a run: which case, on which day, at which stage, with
which outcome. The engine appends a day's decisions at a time; the tables read the columns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from . import spare


@dataclass(frozen=True)
class Decisions:
    """Decisions in the order taken (so by day): four columns of equal length."""

    ids: np.ndarray  # case id
    days: np.ndarray
    stages: np.ndarray
    outcomes: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


@njit(cache=True, nogil=True)
def _by_replication(rep, ids, days, stages, outcomes, n_reps):
    """A stable counting sort of the log by the replication of each case; returns the sorted
    columns and where each replication's share starts and ends."""
    bounds = np.zeros(n_reps + 1, dtype=np.int64)
    for k in range(len(ids)):
        bounds[rep[ids[k]] + 1] += 1
    for r in range(n_reps):
        bounds[r + 1] += bounds[r]
    at = bounds[:-1].copy()
    out = (np.empty_like(ids), np.empty_like(days), np.empty_like(stages), np.empty_like(outcomes))
    for k in range(len(ids)):
        r = rep[ids[k]]
        p = at[r]
        at[r] = p + 1
        out[0][p], out[1][p], out[2][p], out[3][p] = ids[k], days[k], stages[k], outcomes[k]
    return out, bounds


class DecisionLog:
    """Columns that grow by doubling as the engine appends each day's decisions."""

    def __init__(self, capacity: int = 1 << 16) -> None:
        self._cols = [spare.empty(f"decisions.{j}", max(capacity, 1024), np.int64) for j in range(4)]
        self.n = 0
        self._grouped: tuple[tuple[np.ndarray, ...], np.ndarray, int] | None = None

    def append(self, ids: np.ndarray, day: int, stages: np.ndarray, outcomes: np.ndarray) -> None:
        n, k = self.n, len(ids)
        if n + k > len(self._cols[0]):
            cap = 2 * (n + k)
            for j, col in enumerate(self._cols):
                grown = np.empty(cap, dtype=np.int64)
                grown[:n] = col[:n]
                self._cols[j] = grown
        for col, values in zip(self._cols, (ids, day, stages, outcomes), strict=True):
            col[n: n + k] = values
        self.n = n + k

    def give_back(self) -> None:
        """Hand the columns on to the next log made in this process (see :mod:`spare`)."""
        for j, col in enumerate(self._cols):
            spare.give_back(f"decisions.{j}", col)
        self._cols = [np.zeros(0, dtype=np.int64) for _ in range(4)]
        self.n, self._grouped = 0, None

    def of_replication(self, i: int, rep: np.ndarray, n_reps: int) -> Decisions:
        """Replication ``i``'s decisions (``rep``: each case's replication), in the order taken.
        The log is grouped by replication once, for all of them."""
        if self._grouped is None or self._grouped[2] != self.n:
            grouped, bounds = _by_replication(rep, *(col[: self.n] for col in self._cols), n_reps)
            self._grouped = (grouped, bounds, self.n)  # copies: the log's own columns may be given back
        columns, bounds, _ = self._grouped
        return Decisions(*(c[bounds[i]: bounds[i + 1]] for c in columns))
