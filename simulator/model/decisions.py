"""The log of every decision taken in a run: which case, on which day, at which stage, with
which outcome. The engine appends a day's decisions at a time; the tables read the columns."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import spare
from .tallies import group_by


@dataclass(frozen=True)
class Decisions:
    """Decisions in the order taken (so by day): four columns of equal length."""

    ids: np.ndarray  # case id
    days: np.ndarray
    stages: np.ndarray
    outcomes: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)


class DecisionLog:
    """Columns that grow by doubling as the engine appends each day's decisions: the four of
    :class:`Decisions` and the replication of each case, noted while its row is at hand (reading
    it back at the hand-out cost a scattered read of the case rows per decision)."""

    def __init__(self, capacity: int = 1 << 16) -> None:
        self._cols = [spare.empty(f"decisions.{j}", max(capacity, 1024), np.int64) for j in range(5)]
        self.n = 0
        self._grouped: tuple[tuple[np.ndarray, np.ndarray], int] | None = None

    def append(self, ids: np.ndarray, day: int, stages: np.ndarray, outcomes: np.ndarray, reps: np.ndarray) -> None:
        n, k = self.n, len(ids)
        if n + k > len(self._cols[0]):
            cap = 2 * (n + k)
            for j, col in enumerate(self._cols):
                grown = np.empty(cap, dtype=np.int64)
                grown[:n] = col[:n]
                self._cols[j] = grown
        for col, values in zip(self._cols, (ids, day, stages, outcomes, reps), strict=True):
            col[n: n + k] = values
        self.n = n + k

    def give_back(self) -> None:
        """Hand the columns on to the next log made in this process (see :mod:`spare`)."""
        for j, col in enumerate(self._cols):
            spare.give_back(f"decisions.{j}", col)
        self._cols = [np.zeros(0, dtype=np.int64) for _ in range(5)]
        self.n, self._grouped = 0, None

    def of_replication(self, i: int, n_reps: int) -> Decisions:
        """Replication ``i``'s decisions, in the order taken, as copies (the log's own columns
        may be given back). The log is grouped by replication once, for all of them; each
        replication's rows are copied out when it is taken, so the copies of one replication
        are freed (and their memory used again) before the next one's are made."""
        if n_reps == 1:
            return Decisions(*(col[: self.n].copy() for col in self._cols[:4]))
        if self._grouped is None or self._grouped[1] != self.n:
            self._grouped = (group_by(self._cols[4][: self.n], n_reps), self.n)
        (order, bounds), n = self._grouped
        mine = order[bounds[i]: bounds[i + 1]]
        return Decisions(*(col[:n][mine] for col in self._cols[:4]))

