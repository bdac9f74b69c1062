"""All cases of a batch as one numpy array of rows, read and written column by column.

Plain rows instead of objects keep a 20-year run with millions of cases small in memory and let
the engine move whole batches of cases at once; each column (``cases.stage``...) is a view of
one field of the rows.
"""

from __future__ import annotations

from collections.abc import Collection

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


# One row per case, its columns side by side: the compiled passes touch a dozen columns of each
# case they move, at scattered rows, and a row of 128 bytes aligned to the cache line costs two
# cache lines (the columns most passes read come first) where separate arrays cost a dozen.
_HOT = ("key", "rep", "sx", "stage", "group", "step", "entered", "hours", "done")
_COLD = sorted((c for c in COLUMNS if c not in _HOT), key=lambda c: -np.dtype(COLUMNS[c][0]).itemsize)  # aligned
_NAMES = [*_HOT, *_COLD]
_WIDTH = sum(np.dtype(COLUMNS[c][0]).itemsize for c in _NAMES)
ROW = np.dtype({"names": [*_NAMES, "_pad"], "formats": [*(COLUMNS[c][0] for c in _NAMES), f"V{128 - _WIDTH}"]})
assert ROW.itemsize == 128, ROW.itemsize
DEFAULTS = np.array((*(COLUMNS[c][1] for c in _NAMES), b""), dtype=ROW)
_LINE = 64


def _aligned(n: int) -> np.ndarray:
    """An uninitialised array of ``n`` rows whose first row starts a cache line."""
    raw = np.empty(n * ROW.itemsize + _LINE, dtype=np.uint8)
    skip = -raw.ctypes.data % _LINE
    return raw[skip: skip + n * ROW.itemsize].view(ROW)


def _fill(rows: np.ndarray) -> None:
    """Set every row to its defaults, copying bytes (a field-by-field assignment is far slower)."""
    rows.view(np.uint8).reshape(-1, ROW.itemsize)[:] = DEFAULTS.reshape(1).view(np.uint8)


class Cases:
    """Growable store of rows (:data:`ROW`), its columns as attributes; ``n`` rows are in use.

    Columns are allocated empty and each row gets its default when it is reserved, so a
    generous capacity costs no memory traffic until the rows are used.
    """

    FILL_BLOCK = 1 << 16  # rows given their defaults at a time
    COPY_BLOCK = 1 << 12  # rows copied out at a time (512 KiB: within the cache)

    def __init__(self, capacity: int, reuse: bool = False):
        """``reuse``: take the rows another store handed on (:meth:`give_back`), if large enough;
        for the engine's store, which is made once per batch."""
        self.n = 0
        self._filled = 0  # rows below this hold their defaults (or data)
        want = max(int(capacity), 1024)
        self._rows = spare.empty("cases", want, ROW, _aligned) if reuse else _aligned(want)
        self._cap = len(self._rows)
        self._views()

    def _views(self) -> None:
        for name in COLUMNS:
            setattr(self, name, self._rows[name])

    @property
    def capacity(self) -> int:
        """Rows the columns hold before they must grow."""
        return self._cap

    def add(self, count: int) -> slice:
        """Reserve ``count`` new rows (set to their defaults) and return them (ids ``start`` to
        ``stop``)."""
        n = self.n
        if self._rows is None:
            raise ValueError("a subset of cases cannot grow")
        if n + count > self._cap:
            rows = _aligned(max(self._cap * 2, n + count))
            rows.view(np.uint8)[: n * ROW.itemsize] = self._rows[:n].view(np.uint8)
            self._rows, self._cap, self._filled = rows, len(rows), n
            self._views()
        if n + count > self._filled:  # defaults in blocks, not one small fill per call
            hi = min(self._cap, max(n + count, self._filled + self.FILL_BLOCK))
            _fill(self._rows[self._filled: hi])
            self._filled = hi
        self.n = n + count
        return slice(n, n + count)

    def give_back(self) -> None:
        """Hand the rows on to the next store made in this process (see :mod:`spare`);
        this store is empty afterwards."""
        if self._rows is None:  # a subset's columns are its own
            return
        spare.give_back("cases", self._rows)
        self._rows = np.zeros(0, dtype=ROW)
        self._views()
        self.n = self._cap = self._filled = 0

    def column(self, name: str) -> np.ndarray:
        return getattr(self, name)[: self.n]

    def subset(self, rows: np.ndarray | None, new_id: np.ndarray | None,
               names: Collection[str] | None = None) -> Cases:
        """The given rows (ascending ids) as a store of their own, parent ids renumbered by
        ``new_id`` (old id -> new id; the parents of these rows must be among them). ``names``:
        only these columns (default all; the others are then missing, not wrong). ``rows`` and
        ``new_id`` None: all rows, ids as they are (a batch of one replication).

        A replication taken out of a batch so looks exactly as if it had run alone. The subset
        holds each column as an array of its own (the tables read whole columns, which a row
        layout would make twelve times the memory traffic); it cannot grow. Rows are copied in
        blocks that stay in the cache while their columns are read out: column by column from
        all rows, each row was fetched from memory once per column.
        """
        words = self._rows.view(np.uint64).reshape(-1, ROW.itemsize // 8)
        m = self.n if rows is None else len(rows)
        out = Cases.__new__(Cases)
        out.n = out._filled = out._cap = m
        out._rows = None  # columns only
        columns = {name: np.empty(m, dtype=kind) for name, (kind, _) in COLUMNS.items()
                   if names is None or name in names}
        for lo in range(0, m, self.COPY_BLOCK):
            hi = min(lo + self.COPY_BLOCK, m)  # whole rows: in place, or gathered as words
            block = self._rows[lo: hi] if rows is None else words[rows[lo: hi]].view(ROW).reshape(-1)
            for name, column in columns.items():
                column[lo: lo + len(block)] = block[name]
        for name, column in columns.items():
            setattr(out, name, column)
        if "parent" in columns and new_id is not None:
            parent = out.parent
            linked = parent >= 0
            parent[linked] = new_id[parent[linked]]
        return out
