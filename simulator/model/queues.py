"""The waiting line of one pool: case ids kept sorted by a 64-bit discipline key.

A key packs (priority rank, primary time, 32-bit tie-break hash of the case), so first-in-first-
out, oldest-first and priority orders are all "smallest key first". Each priority rank has its
own lane, so high-priority work never has to be inserted in front of a long line; within a lane
new work nearly always sorts last and is appended. A day's work takes a prefix of the lanes in
rank order; work added today becomes visible at the next :meth:`PoolQueue.intake`.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import pairwise

import numpy as np

_TIME_OFFSET = 1 << 23
_RANK_SHIFT = np.int64(56)
_TIME_SHIFT = np.int64(32)
_EPS = 1e-9


def make_keys(rank: np.ndarray | int, primary: np.ndarray, tiebreak: np.ndarray) -> np.ndarray:
    """Sort keys for cases: lower rank first, then earlier primary time, then tie-break."""
    r = np.asarray(rank, dtype=np.int64)
    t = np.asarray(primary, dtype=np.int64) + _TIME_OFFSET
    h = (np.asarray(tiebreak, dtype=np.uint64) >> np.uint64(32)).astype(np.int64)
    return (r << _RANK_SHIFT) | (t << _TIME_SHIFT) | h


def _runs(values: np.ndarray) -> list[tuple[int, int]]:
    """(start, stop) of each run of equal values in a sorted array."""
    edges = [0, *(np.flatnonzero(values[1:] != values[:-1]) + 1).tolist(), len(values)]
    return list(pairwise(edges))


class _Lane:
    """A sorted run of (key, id) in a buffer that grows by doubling; the head moves on serve."""

    __slots__ = ("_ids", "_keys", "head", "tail")

    def __init__(self) -> None:
        self._keys = np.zeros(256, dtype=np.int64)
        self._ids = np.zeros(256, dtype=np.int64)
        self.head = self.tail = 0

    @property
    def keys(self) -> np.ndarray:
        return self._keys[self.head: self.tail]

    @property
    def ids(self) -> np.ndarray:
        return self._ids[self.head: self.tail]

    def __len__(self) -> int:
        return self.tail - self.head

    def pop(self, n: int) -> None:
        self.head += n

    def _reserve(self, extra: int) -> None:
        size = self.tail - self.head
        if self.tail + extra <= len(self._keys):
            return
        cap = max(2 * (size + extra), 256)
        keys, ids = np.zeros(cap, dtype=np.int64), np.zeros(cap, dtype=np.int64)
        keys[:size], ids[:size] = self.keys, self.ids
        self._keys, self._ids, self.head, self.tail = keys, ids, 0, size

    def merge(self, keys: np.ndarray, ids: np.ndarray) -> None:
        n = len(keys)
        if self.tail == self.head or keys[0] >= self._keys[self.tail - 1]:
            self._reserve(n)
            self._keys[self.tail: self.tail + n] = keys
            self._ids[self.tail: self.tail + n] = ids
            self.tail += n
            return
        at = np.searchsorted(self.keys, keys, side="right")
        merged_keys, merged_ids = np.insert(self.keys, at, keys), np.insert(self.ids, at, ids)
        self._keys, self._ids, self.head, self.tail = merged_keys, merged_ids, 0, len(merged_keys)
        self._reserve(0)

    def keep(self, mask: np.ndarray) -> None:
        keys, ids = self.keys[mask], self.ids[mask]
        self._keys, self._ids, self.head, self.tail = keys, ids, 0, len(keys)


class PoolQueue:
    """Cases visible to one pool's work, smallest key first (one lane per priority rank)."""

    def __init__(self) -> None:
        self.lanes: dict[int, _Lane] = {}
        self._last_served = 64

    def __len__(self) -> int:
        return sum(len(lane) for lane in self.lanes.values())

    @property
    def ids(self) -> np.ndarray:
        """All visible waiting case ids in service order."""
        parts = [self.lanes[r].ids for r in sorted(self.lanes)]
        return np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)

    def merge(self, keys: np.ndarray, ids: np.ndarray) -> None:
        """Merge work sorted by key into the lanes."""
        first, last = int(keys[0] >> _RANK_SHIFT), int(keys[-1] >> _RANK_SHIFT)
        if first == last:
            lane = self.lanes.get(first)
            if lane is None:
                lane = self.lanes[first] = _Lane()
            lane.merge(keys, ids)
            return
        ranks = keys >> _RANK_SHIFT
        for lo, hi in _runs(ranks):
            self.lanes.setdefault(int(ranks[lo]), _Lane()).merge(keys[lo:hi], ids[lo:hi])

    def rekey(self, keys_of: Callable[[np.ndarray], np.ndarray]) -> None:
        """Re-sort everything under a new discipline (after a change of rules)."""
        ids = self.ids
        self.lanes = {}
        if len(ids):
            keys = keys_of(ids)
            order = np.argsort(keys, kind="stable")
            self.merge(keys[order], ids[order])

    def serve(self, hours: float, need: Callable[[np.ndarray], np.ndarray]
              ) -> tuple[np.ndarray, float, int, float]:
        """Spend ``hours`` on the head of the line, lane by lane in rank order.

        ``need(ids)`` gives the hours each case still needs. Returns the finished case ids, the
        hours used, and the id and hours given to a case that was started but not finished
        (-1 and 0.0 when none).
        """
        done: list[np.ndarray] = []
        left = hours
        partial_id, partial = -1, 0.0
        for rank in sorted(self.lanes):
            if left <= _EPS:
                break
            lane = self.lanes[rank]
            n_all = len(lane)
            if n_all == 0:
                continue
            k = min(max(64, 2 * self._last_served), n_all)
            while True:
                head = lane.ids[:k]
                cum = np.cumsum(need(head))
                if cum[-1] <= left + _EPS and k < n_all:
                    k = min(4 * k, n_all)
                    continue
                break
            n = int(np.searchsorted(cum, left + _EPS, side="right"))
            used = float(cum[n - 1]) if n else 0.0
            done.append(head[:n].copy())
            lane.pop(n)
            if n < k:
                partial_id, partial = int(head[n]), left - used
                left = 0.0
                break
            left -= used
        finished = done[0] if len(done) == 1 else np.concatenate(done) if done else np.zeros(0, dtype=np.int64)
        self._last_served = max(len(finished), 1)
        return finished, hours - max(left, 0.0), partial_id, partial

    def remove(self, ids_to_drop: np.ndarray) -> None:
        """Take cases out of the line."""
        for lane in self.lanes.values():
            lane.keep(~np.isin(lane.ids, ids_to_drop))


class QueueSet:
    """The lines of all pools (of all replications in a batch), with one shared intake.

    Work added during a day is pending: it becomes visible at the next :meth:`intake`, which
    sorts everything pending in one go (by line, then key, ties in the order added) and merges
    each line's share into it.
    """

    def __init__(self, n: int) -> None:
        self.queues = [PoolQueue() for _ in range(n)]
        self._pending: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []  # (line, key, id) per add

    def __getitem__(self, q: int) -> PoolQueue:
        return self.queues[q]

    def add(self, lines: np.ndarray | int, keys: np.ndarray, ids: np.ndarray) -> None:
        """Queue new work (line per case, or one line for all); visible at the next :meth:`intake`."""
        if len(ids):
            self._pending.append((np.broadcast_to(np.asarray(lines, dtype=np.int64), ids.shape), keys, ids))

    def intake(self) -> None:
        """Merge the work added since the last intake into the sorted lines."""
        if not self._pending:
            return
        parts, self._pending = self._pending, []
        lines, keys, ids = (np.concatenate(x) for x in zip(*parts, strict=True))
        if lines[0] == lines.min() == lines.max():
            order = np.argsort(keys, kind="stable")
            self.queues[int(lines[0])].merge(keys[order], ids[order])
            return
        order = np.lexsort((keys, lines))
        lines, keys, ids = lines[order], keys[order], ids[order]
        for lo, hi in _runs(lines):
            self.queues[int(lines[lo])].merge(keys[lo:hi], ids[lo:hi])

    def waiting(self, q: int) -> np.ndarray:
        """All case ids waiting in line ``q``, including work added since the last intake."""
        return np.concatenate([self.queues[q].ids, *(ids[lines == q] for lines, _, ids in self._pending)])

    def remove(self, q: int, ids_to_drop: np.ndarray) -> None:
        """Take cases out of line ``q`` (and out of its pending work)."""
        self.queues[q].remove(ids_to_drop)
        kept = []
        for lines, keys, ids in self._pending:
            keep = ~((lines == q) & np.isin(ids, ids_to_drop))
            kept.append((lines[keep], keys[keep], ids[keep]))
        self._pending = kept

    def rekey(self, q: int, keys_of: Callable[[np.ndarray], np.ndarray]) -> None:
        """Line ``q`` re-sorted under a new discipline; its pending work joins it at once."""
        mine = [(keys[lines == q], ids[lines == q]) for lines, keys, ids in self._pending]
        self._pending = [(lines[lines != q], keys[lines != q], ids[lines != q]) for lines, keys, ids in self._pending]
        if mine:
            keys, ids = (np.concatenate(x) for x in zip(*mine, strict=True))
            if len(ids):
                order = np.argsort(keys, kind="stable")
                self.queues[q].merge(keys[order], ids[order])
        self.queues[q].rekey(keys_of)

    def lengths(self) -> np.ndarray:
        """Cases waiting per line, pending work included."""
        out = np.array([len(queue) for queue in self.queues], dtype=np.int64)
        for lines, _, _ in self._pending:
            out += np.bincount(lines, minlength=len(out))
        return out
