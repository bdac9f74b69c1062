"""All cases of one replication as columns of numpy arrays (one row per case).

Columns instead of objects keep a 20-year run with millions of cases small in memory and let
the engine move whole batches of cases at once.
"""

from __future__ import annotations

import numpy as np

from . import spare

NONE = -1
COLUMNS: dict[str, tuple[type, int]] = {
    "key": (np.uint64, 0),
    "rep": (np.intp, 0),  # position of the case's replication in the engine's batch
    "sx": (np.intp, 0),  # rep * number of streams + stream: the cell the case is counted in
    "stream": (np.intp, NONE),
    "group": (np.intp, NONE),
    "parent": (np.int64, NONE),
    "lodged": (np.int32, 0),
    "deadline": (np.int32, 0),
    "stage": (np.intp, NONE),  # NONE once the case has left the system
    "step": (np.int32, 0),  # stages entered so far; keys the case's random draws
    "entered": (np.int32, 0),  # day the case entered its current stage
    "done": (np.float64, 0.0),  # hours of work already spent at the current stage
    "hours": (np.float64, np.nan),  # hours the current stage needs (drawn once; nan = not yet)
    "first_day": (np.int32, NONE),  # first decision by IND
    "first_outcome": (np.int16, NONE),
    "last_outcome": (np.int16, NONE),
    "decisions": (np.int16, 0),
    "exit_day": (np.int32, NONE),
    "prior": (np.bool_, False),  # not an open application: decided before the start (initial stock in
    # later stages), or a court case about one (an appeal for not deciding in time, with a parent)
    "ordered": (np.bool_, False),  # a court ordered IND to decide (after an appeal for not deciding in time)
    "proc": (np.intp, NONE),  # procedure the case is in (border, accelerated...) or NONE
    "proc_due": (np.int32, NONE),  # day its procedure's time limit passes
}


class Cases:
    """Growable column store; ``n`` rows are in use.

    Columns are allocated empty and each row gets its default when it is reserved, so a
    generous capacity costs no memory traffic until the rows are used.
    """

    FILL_BLOCK = 1 << 16  # rows given their defaults at a time

    def __init__(self, capacity: int, reuse: bool = False):
        """``reuse``: take columns another store handed on (:meth:`give_back`), if large enough;
        for the engine's store, which is made once per batch."""
        self.n = 0
        self._filled = 0  # rows below this hold their defaults (or data)
        self._cap = max(int(capacity), 1024)
        for name, (dtype, _) in COLUMNS.items():
            setattr(self, name, spare.empty(f"cases.{name}", self._cap, dtype) if reuse
                    else np.empty(self._cap, dtype=dtype))
        self._cap = min(len(getattr(self, name)) for name in COLUMNS)  # a spare one may be larger

    @property
    def capacity(self) -> int:
        """Rows the columns hold before they must grow."""
        return self._cap

    def add(self, count: int) -> slice:
        """Reserve ``count`` new rows (set to their defaults) and return them (ids ``start`` to
        ``stop``)."""
        n = self.n
        if n + count > self._cap:
            new_cap = max(self._cap * 2, n + count)
            for name, (dtype, _) in COLUMNS.items():
                col = np.empty(new_cap, dtype=dtype)
                col[:n] = getattr(self, name)[:n]
                setattr(self, name, col)
            self._cap, self._filled = new_cap, n
        if n + count > self._filled:  # defaults in blocks, not one small fill per column per call
            hi = min(self._cap, max(n + count, self._filled + self.FILL_BLOCK))
            for name, (_, fill) in COLUMNS.items():
                getattr(self, name)[self._filled: hi] = fill
            self._filled = hi
        self.n = n + count
        return slice(n, n + count)

    def give_back(self) -> None:
        """Hand the columns on to the next store made in this process (see :mod:`spare`);
        this store is empty afterwards."""
        for name in COLUMNS:
            spare.give_back(f"cases.{name}", getattr(self, name))
            setattr(self, name, np.zeros(0, dtype=getattr(self, name).dtype))
        self.n = self._cap = self._filled = 0

    def column(self, name: str) -> np.ndarray:
        return getattr(self, name)[: self.n]

    def subset(self, rows: np.ndarray) -> tuple[Cases, np.ndarray]:
        """The given rows (ascending ids) as a store of their own, and old id -> new id (-1 if left out).

        Parent ids are renumbered with the rows, so a replication taken out of a batch looks
        exactly as if it had run alone.
        """
        new_id = np.full(self.n, NONE, dtype=np.int64)
        new_id[rows] = np.arange(len(rows))
        out = Cases(len(rows))
        out.n = out._filled = len(rows)  # every column is filled from the rows below
        for name in COLUMNS:
            getattr(out, name)[: out.n] = getattr(self, name)[rows]
        parent = out.parent[: out.n]
        linked = parent >= 0
        parent[linked] = new_id[parent[linked]]
        return out, new_id


def split(values: np.ndarray, ids: np.ndarray):
    """Yield (value, ids having that value) in ascending value order, ids in their order;
    cheap when the whole batch shares one value."""
    if len(values) == 0:
        return
    lo, hi = values.min(), values.max()
    if lo == hi:
        yield int(lo), ids
        return
    shifted = values - lo
    counts = np.bincount(shifted)
    present = np.flatnonzero(counts)
    if len(present) <= 4:
        for v in present.tolist():
            yield v + int(lo), ids[shifted == v]
        return
    order = np.argsort(shifted.astype(np.int16) if hi - lo < 2**15 else shifted, kind="stable")  # radix
    grouped = ids[order]
    ends = np.cumsum(counts)
    for v in present.tolist():
        yield v + int(lo), grouped[ends[v] - counts[v]: ends[v]]


def pairs(a: np.ndarray, b: np.ndarray, ids: np.ndarray):
    """Yield ((a, b), ids) for each distinct pair of values (ascending)."""
    pair = a * (int(b.max()) + 1) + b
    for _, sel in split(pair, np.arange(len(ids))):
        yield (int(a[sel[0]]), int(b[sel[0]])), ids[sel]
