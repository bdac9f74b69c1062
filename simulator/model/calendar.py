"""Things due on a later day: cases waiting out a delay, procedure time limits, follow-on cases.

Each day of the horizon has a bucket (a growable array in a numba typed list) of what is due
that day, in the order it was added. Adding sorts a batch into the buckets in one compiled pass;
popping a day takes its bucket whole. Nothing is due beyond the horizon: it would never come.
"""

from __future__ import annotations

import numpy as np
from numba import njit
from numba.typed import List

from . import spare

_MIN_BUCKET = 16
_NO_IDS = np.zeros(0, dtype=np.int64)  # what an empty day pops (shared: it has nothing to change)


@njit(cache=True, nogil=True)
def empty_arrays(n: int):
    """A numba typed list of ``n`` empty int64 arrays: growable buckets for compiled code."""
    out = List()
    for _ in range(n):
        out.append(np.zeros(0, dtype=np.int64))
    return out


@njit(cache=True, nogil=True)
def _add(buckets, fill, days, values) -> None:
    """Append ``values[i]`` to the bucket of ``days[i]``, in order; days beyond the horizon are
    dropped. Values are first grouped by day (a stable counting sort over the days present), so
    each bucket is fetched from the typed list and grown once per call, not once per value."""
    n_days = len(fill)
    lo, hi = n_days, -1
    for i in range(len(days)):
        d = days[i]
        if 0 <= d < n_days:
            lo, hi = min(lo, d), max(hi, d)
    if hi < lo:
        return
    start = np.zeros(hi - lo + 2, dtype=np.int64)
    for i in range(len(days)):
        d = days[i]
        if 0 <= d < n_days:
            start[d - lo + 1] += 1
    for k in range(hi - lo + 1):
        start[k + 1] += start[k]
    at = start[:-1].copy()
    grouped = np.empty(start[-1], dtype=np.int64)
    for i in range(len(days)):
        d = days[i]
        if 0 <= d < n_days:
            grouped[at[d - lo]] = values[i]
            at[d - lo] += 1
    for k in range(hi - lo + 1):
        n = start[k + 1] - start[k]
        if n == 0:
            continue
        d = lo + k
        bucket = buckets[d]
        f = fill[d]
        if f + n > len(bucket):
            grown = np.empty(max(2 * (f + n), _MIN_BUCKET), dtype=np.int64)
            grown[:f] = bucket[:f]
            buckets[d] = grown
            bucket = grown
        bucket[f: f + n] = grouped[start[k]: start[k + 1]]
        fill[d] = f + n


@njit(cache=True, nogil=True)
def _hold(buckets, fill, day, wait, ids, stages, rows):
    """Cases whose waiting time (``wait`` days, rounded to whole days) ends after ``day`` go
    into the buckets of their ready days, in order; returns the others' ids, stages and rows."""
    n = len(ids)
    ready = np.empty(n, dtype=np.int64)
    m = 0
    for i in range(n):
        ready[i] = day + np.int64(np.floor(wait[i] + 0.5))
        if ready[i] <= day:
            m += 1
    now_ids, now_stages = np.empty(m, dtype=np.int64), np.empty(m, dtype=np.int64)
    now_rows = np.empty(m, dtype=np.int64)
    later_days, later_ids = np.empty(n - m, dtype=np.int64), np.empty(n - m, dtype=np.int64)
    a, b = 0, 0
    for i in range(n):
        if ready[i] <= day:
            now_ids[a], now_stages[a], now_rows[a] = ids[i], stages[i], rows[i]
            a += 1
        else:
            later_days[b], later_ids[b] = ready[i], ids[i]
            b += 1
    _add(buckets, fill, later_days, later_ids)
    return now_ids, now_stages, now_rows


@njit(cache=True, nogil=True)
def _take(buckets, fill, day) -> np.ndarray:
    out = buckets[day][: fill[day]].copy()
    buckets[day] = np.zeros(0, dtype=np.int64)
    fill[day] = 0
    return out


@njit(cache=True, nogil=True)
def _drop(buckets, fill, sorted_values) -> None:
    """Remove every entry that is in ``sorted_values``, keeping the order of the rest."""
    for d in range(len(fill)):
        bucket = buckets[d]
        w = 0
        for k in range(fill[d]):
            v = bucket[k]
            at = np.searchsorted(sorted_values, v)
            if at < len(sorted_values) and sorted_values[at] == v:
                continue
            bucket[w] = v
            w += 1
        fill[d] = w


class DelayStore:
    """Case ids released on their ready day (within a horizon of ``n_days``)."""

    def __init__(self, n_days: int) -> None:
        self._buckets = empty_arrays(n_days)
        self._fill = np.zeros(n_days, dtype=np.int64)

    def add(self, ready: np.ndarray, ids: np.ndarray) -> None:
        if len(ids):
            _add(self._buckets, self._fill, np.asarray(ready, dtype=np.int64), np.asarray(ids, dtype=np.int64))

    def hold(self, day: int, wait: np.ndarray, ids: np.ndarray, stages: np.ndarray, rows: np.ndarray
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Cases starting a waiting time of ``wait`` days today (rounded to whole days): those
        whose wait ends after today are kept until their ready day; returns the others (their
        ids, stages and stage-table rows), in their order."""
        return _hold(self._buckets, self._fill, day, wait, ids, stages, rows)

    def pop(self, day: int) -> np.ndarray:
        """Ids due today, in the order they were added (removed from the store). Most stores have
        nothing due on most days: those days skip the compiled call, whose typed list of buckets
        costs microseconds to pass, four stores a day."""
        if not self._fill[day]:
            return _NO_IDS
        return _take(self._buckets, self._fill, day)

    def remove(self, ids: np.ndarray) -> None:
        """Forget waiting cases (they were moved elsewhere)."""
        if len(ids):
            _drop(self._buckets, self._fill, np.unique(np.asarray(ids, dtype=np.int64)))

    def __len__(self) -> int:
        return int(self._fill.sum())


class Calendar:
    """Rows of a table of whole numbers (``width`` fields a row) due on a given day: a
    :class:`DelayStore` of row numbers.

    The table keeps a row's fields side by side, so a day's rows come out in one gather of whole
    rows. It is made with room for ``capacity`` rows (pages never written cost nothing) and
    handed on to the next calendar of its ``purpose`` in the process (see :mod:`spare`): growing
    it by doubling from a small start copied and faulted in about twice its final size, some
    1.4 s of a batch of 10 replications of the 5-year combined scenario."""

    def __init__(self, n_days: int, width: int, capacity: int = 1024, purpose: str | None = None) -> None:
        self._due = DelayStore(n_days)
        self._purpose = purpose
        size = max(int(capacity), 64) * width
        flat = np.empty(size, dtype=np.int64) if purpose is None else spare.empty(purpose, size, np.int64)
        self._table = flat[: len(flat) // width * width].reshape(-1, width)
        self._flat = flat
        self._n = 0

    def add(self, ready: np.ndarray, rows: np.ndarray) -> None:
        """Rows (``rows[:, i]``, the first ``width`` fields) due on the days ``ready[i]``."""
        n = len(ready)
        if not n:
            return
        width = self._table.shape[1]
        if self._n + n > len(self._table):
            grown = np.empty((2 * (self._n + n), width), dtype=np.int64)
            grown[: self._n] = self._table[: self._n]
            self._table = self._flat = grown
        self._table[self._n: self._n + n] = rows[:width].T
        self._due.add(ready, np.arange(self._n, self._n + n, dtype=np.int64))
        self._n += n

    def pop_rows(self, day: int) -> np.ndarray | None:
        """All rows due today (removed from the calendar) in the order added, as a table
        (fields by rows, one column a row), or None."""
        rows = self._due.pop(day)
        if not len(rows):
            return None
        return np.ascontiguousarray(self._table[rows].T)

    def give_back(self) -> None:
        """Hand the table on to the next calendar of this purpose (see :mod:`spare`); this
        calendar must not be used afterwards."""
        if self._purpose is not None:
            spare.give_back(self._purpose, self._flat.reshape(-1))
        self._table = self._flat = np.zeros((0, self._table.shape[1]), dtype=np.int64)

    def __len__(self) -> int:
        return len(self._due)
