"""The waiting lines of the pools: case ids kept sorted by a 64-bit discipline key.

A key packs (priority rank, primary time, 32-bit tie-break hash of the case), so first-in-first-
out, oldest-first and priority orders are all "smallest key first". Each priority rank has its
own lane, so high-priority work never has to be inserted in front of a long line; within a lane
new work nearly always sorts last and is appended. A day's work takes a prefix of the lanes in
rank order; work added today becomes visible at the next :meth:`QueueSet.intake`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from itertools import pairwise

import numpy as np

from .kernels import fit

_TIME_OFFSET = 1 << 23
_RANK_SHIFT = np.int64(56)
_TIME_SHIFT = np.int64(32)
_EPS = 1e-9
_NO_IDS = np.zeros(0, dtype=np.int64)


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

    def lane(self, rank: int) -> _Lane:
        """The lane of a priority rank (made when first needed)."""
        lane = self.lanes.get(rank)
        if lane is None:
            lane = self.lanes[rank] = _Lane()
        return lane

    def merge(self, keys: np.ndarray, ids: np.ndarray) -> None:
        """Merge work sorted by key into the lanes."""
        first, last = int(keys[0] >> _RANK_SHIFT), int(keys[-1] >> _RANK_SHIFT)
        if first == last:
            self.lane(first).merge(keys, ids)
            return
        ranks = keys >> _RANK_SHIFT
        for lo, hi in _runs(ranks):
            self.lane(int(ranks[lo])).merge(keys[lo:hi], ids[lo:hi])

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
        """Spend ``hours`` on the head of the line, lane by lane in rank order (one line alone;
        :meth:`QueueSet.serve` does the same for many lines at once).

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
        finished = done[0] if len(done) == 1 else np.concatenate(done) if done else _NO_IDS
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
        self._pending: list[tuple[int | np.ndarray, np.ndarray, np.ndarray]] = []  # (line(s), keys, ids) per add

    def __getitem__(self, q: int) -> PoolQueue:
        return self.queues[q]

    def add(self, lines: np.ndarray | int, keys: np.ndarray, ids: np.ndarray) -> None:
        """Queue new work (line per case, or one line for all); visible at the next :meth:`intake`."""
        if len(ids):
            self._pending.append((int(lines) if np.ndim(lines) == 0 else lines, keys, ids))

    def _expanded(self) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Pending work with a line per case."""
        return [(np.full(len(ids), q) if isinstance(q, int) else q, keys, ids) for q, keys, ids in self._pending]

    def intake(self) -> None:
        """Merge the work added since the last intake into the sorted lines."""
        if not self._pending:
            return
        if all(isinstance(q, int) for q, _, _ in self._pending):  # one line per add: sort line by line
            per_line: dict[int, list[tuple[np.ndarray, np.ndarray]]] = {}
            for q, keys, ids in self._pending:
                per_line.setdefault(q, []).append((keys, ids))
            self._pending = []
            for q, parts in per_line.items():
                keys, ids = (np.concatenate(x) for x in zip(*parts, strict=True)) if len(parts) > 1 else parts[0]
                order = np.argsort(keys, kind="stable")
                self.queues[q].merge(keys[order], ids[order])
            return
        lines, keys, ids = (np.concatenate(x) for x in zip(*self._expanded(), strict=True))
        self._pending = []
        order = np.lexsort((keys, lines))
        lines, keys, ids = lines[order], keys[order], ids[order]
        ranks = keys >> _RANK_SHIFT
        cut = np.flatnonzero((lines[1:] != lines[:-1]) | (ranks[1:] != ranks[:-1])) + 1
        starts = [0, *cut.tolist()]
        for lo, hi, q, rank in zip(starts, [*starts[1:], len(keys)], lines[starts].tolist(), ranks[starts].tolist(),
                                   strict=True):
            self.queues[q].lane(rank).merge(keys[lo:hi], ids[lo:hi])

    def serve(self, lines: Sequence[int], hours: float, need: Callable[[np.ndarray], np.ndarray]
              ) -> list[tuple[np.ndarray, float, int, float]]:
        """Each line spends ``hours`` on the head of its line, lane by lane in rank order.

        ``need(ids)`` gives the hours each case still needs. Returns per line the finished case
        ids, the hours used, and the id and hours given to a case that was started but not
        finished (-1 and 0.0 when none). All lines are served together: each round looks at one
        chunk of one lane per line in a single vectorised pass, so a batch of replications costs
        about what one costs. The result for a line never depends on the other lines.
        """
        if len(lines) == 1:
            return [self.queues[lines[0]].serve(hours, need)]
        queues = [self.queues[q] for q in lines]
        ranks = [sorted(queue.lanes) for queue in queues]
        at = [0] * len(queues)  # position in ranks
        chunk = [0] * len(queues)  # size of the chunk being looked at; 0 = next lane
        left = [hours] * len(queues)
        done: list[list[np.ndarray]] = [[] for _ in queues]
        partial = [(-1, 0.0)] * len(queues)
        active = list(range(len(queues)))
        while active:
            batch = []
            for i in active:
                if left[i] <= _EPS:
                    continue
                lanes, queue = queues[i].lanes, queues[i]
                if chunk[i] == 0:
                    while at[i] < len(ranks[i]) and len(lanes[ranks[i][at[i]]]) == 0:
                        at[i] += 1
                    if at[i] == len(ranks[i]):
                        continue
                    chunk[i] = min(max(64, 2 * queue._last_served), len(lanes[ranks[i][at[i]]]))
                batch.append(i)
            if not batch:
                break
            picked = [queues[i].lanes[ranks[i][at[i]]] for i in batch]
            sizes = [chunk[i] for i in batch]
            heads = np.concatenate([lane._ids[lane.head: lane.head + k] for lane, k in zip(picked, sizes, strict=True)])
            count, last = fit(need(heads), np.array(sizes, dtype=np.int64), np.array([left[i] for i in batch]) + _EPS)
            starts, served, used = np.cumsum([0, *sizes[:-1]]).tolist(), count.tolist(), last.tolist()
            active = []
            for i, lane, k, start, n, u in zip(batch, picked, sizes, starts, served, used, strict=True):
                if n == k and k < len(lane):  # the whole chunk fits: look at a larger one
                    chunk[i] = min(4 * k, len(lane))
                    active.append(i)
                    continue
                done[i].append(heads[start: start + n])
                lane.pop(n)
                chunk[i] = 0
                if n < k:
                    partial[i] = (int(heads[start + n]), left[i] - u)
                    left[i] = 0.0
                else:
                    left[i] -= u
                    at[i] += 1
                    active.append(i)
        out = []
        for queue, parts, rest, (pid, part) in zip(queues, done, left, partial, strict=True):
            finished = parts[0] if len(parts) == 1 else np.concatenate(parts) if parts else _NO_IDS
            queue._last_served = max(len(finished), 1)
            out.append((finished, hours - max(rest, 0.0), pid, part))
        return out

    def waiting(self, q: int) -> np.ndarray:
        """All case ids waiting in line ``q``, including work added since the last intake."""
        return np.concatenate([self.queues[q].ids, *(ids[lines == q] for lines, _, ids in self._expanded())])

    def remove(self, q: int, ids_to_drop: np.ndarray) -> None:
        """Take cases out of line ``q`` (and out of its pending work)."""
        self.queues[q].remove(ids_to_drop)
        kept = []
        for lines, keys, ids in self._expanded():
            keep = ~((lines == q) & np.isin(ids, ids_to_drop))
            kept.append((lines[keep], keys[keep], ids[keep]))
        self._pending = kept

    def rekey(self, q: int, keys_of: Callable[[np.ndarray], np.ndarray]) -> None:
        """Line ``q`` re-sorted under a new discipline; its pending work joins it at once."""
        pending = self._expanded()
        mine = [(keys[lines == q], ids[lines == q]) for lines, keys, ids in pending]
        self._pending = [(lines[lines != q], keys[lines != q], ids[lines != q]) for lines, keys, ids in pending]
        if mine:
            keys, ids = (np.concatenate(x) for x in zip(*mine, strict=True))
            if len(ids):
                order = np.argsort(keys, kind="stable")
                self.queues[q].merge(keys[order], ids[order])
        self.queues[q].rekey(keys_of)

    def lengths(self) -> np.ndarray:
        """Cases waiting per line, pending work included."""
        out = np.array([len(queue) for queue in self.queues], dtype=np.int64)
        for lines, _, _ in self._expanded():
            out += np.bincount(lines, minlength=len(out))
        return out
