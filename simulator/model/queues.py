"""The waiting lines of the pools: case ids kept sorted by a 64-bit discipline key.

A key packs (priority rank, primary time, 32-bit tie-break hash of the case), so first-in-first-
out, oldest-first and priority orders are all "smallest key first". Each line has one lane per
priority rank, so high-priority work never has to be inserted in front of a long line; within a
lane new work nearly always sorts last and is appended. A day's work takes a prefix of the lanes
in rank order; work added today becomes visible at the next :meth:`QueueSet.intake`. Work that
sorts inside a long lane (an old lodging date in an oldest-first line) joins the lane's small
side run instead of shifting the lane, and serving takes the two runs' heads in key order.

The lanes of all lines live in numba typed lists, and the two daily operations (merging the
day's work into the lanes, serving the head of every line) are compiled loops over all lines of
a batch at once: with many replications side by side the lines number in the hundreds, and a
Python loop over them cost more than the work itself.

Taking a case out of a line (a court order moves it to the front, a procedure's time limit
pulls it out) leaves a tombstone: its id is set to -1 where a binary search on its key finds
it, and serving passes over it. Compacting the line instead cost a pass over the whole line
per removal, a quarter of a batch's time in scenarios with many court orders.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
from numba import njit

from . import spare
from .calendar import empty_arrays
from .compiled import Params, PoolParams
from .prefetch import AHEAD, ahead, prefetch
from .tallies import group_by, stable_order

_TIME_OFFSET = 1 << 23
_RANK_SHIFT = 56
_TIME_SHIFT = 32
_LINE_SHIFT = 40  # (line, case id) packed in one integer: case ids stay below 2**40
EPS = 1e-9  # hours: work that fits up to this rounding slack is done today
_MIN_LANE = 256
_MIN_SIDE = 64  # a side run is folded into its main run beyond this size and a quarter of it
_NO_IDS = np.zeros(0, dtype=np.int64)


def make_keys(rank: np.ndarray | int, primary: np.ndarray, tiebreak: np.ndarray) -> np.ndarray:
    """Sort keys for cases: lower rank first, then earlier primary time, then tie-break."""
    r = np.asarray(rank, dtype=np.int64)
    t = np.asarray(primary, dtype=np.int64) + _TIME_OFFSET
    h = (np.asarray(tiebreak, dtype=np.uint64) >> np.uint64(32)).astype(np.int64)
    return (r << np.int64(_RANK_SHIFT)) | (t << np.int64(_TIME_SHIFT)) | h


@njit(cache=True, nogil=True, inline="always")
def case_key(c, p, by_lodging, rank_by, rank, head_start, stage, stream, group, lodged, entered, key, ordered):
    """The :func:`make_keys` key of case ``c`` joining a pool of pool-table row ``p``, under its
    discipline: ``by_lodging[p]`` (primary time is the lodging day, else the day the work became
    visible), ``rank_by[p]`` (-1: no ranking; 0, 1, 2: by stage, stream or group), the rank of
    each stage, stream or group in the row ``rank[p]`` and its head start in days
    ``head_start[p]`` (taken off the primary time). A case a court ordered to be decided
    (``ordered``) goes before all of them: lane 0; the discipline's ranks take lanes 1 and up.
    The work of a stage served first goes to lane 0 too (:func:`in_lane_0`, by the caller, who
    knows the stage-table row: read here, through the case's stage, it cost 20 ns a case)."""
    # Every array is read whatever the branch: with the reads inside the branches, the loops that
    # inline this helper took about 100 ns more a case (measured in routing.join: 124 -> 19 ns).
    by = rank_by[p]
    s, t, g, o, lo, en = stage[c], stream[c], group[c], ordered[c], lodged[c], entered[c]
    x = s if by == 0 else (t if by == 1 else (g if by == 2 else 0))
    primary = (np.int64(lo) if by_lodging[p] else np.int64(en)) - head_start[p, x]
    ranked = rank[p, x] + 1
    r = np.int64(0) if o else (np.int64(1) if by < 0 else ranked)
    return (r << _RANK_SHIFT) | ((primary + _TIME_OFFSET) << _TIME_SHIFT) | np.int64(key[c] >> np.uint64(32))


@njit(cache=True, nogil=True, inline="always")
def in_lane_0(k):
    """A :func:`make_keys` key moved to lane 0 (before every rank), its time and tie-break kept."""
    return k & np.int64((1 << _RANK_SHIFT) - 1)


@njit(cache=True, nogil=True)
def case_keys(ids: np.ndarray, pools: np.ndarray, by_lodging: np.ndarray, rank_by: np.ndarray, rank: np.ndarray,
              head_start: np.ndarray, stage: np.ndarray, stream: np.ndarray, group: np.ndarray, lodged: np.ndarray,
              entered: np.ndarray, key: np.ndarray, ordered: np.ndarray) -> np.ndarray:
    """:func:`case_key` of cases ``ids`` joining pools of the pool-table rows ``pools``."""
    out = np.empty(len(ids), dtype=np.int64)
    for i in range(len(ids)):
        ahead(ids, i, key)
        ahead(ids, i, lodged)
        out[i] = case_key(ids[i], pools[i], by_lodging, rank_by, rank, head_start, stage, stream, group, lodged,
                          entered, key, ordered)
    return out


class Disciplines:
    """How each pool orders its line under the rules in force: the tables :func:`case_keys` reads,
    one row per (parameter set, pool) (see :class:`rules.Rules`)."""

    def __init__(self) -> None:
        self._for: tuple[int, ...] = ()
        self._tables: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None

    def tables(self, now: Sequence[Params]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """The tables of :func:`case_key` (by pool-table row) under the rules in force."""
        if self._for != tuple(map(id, now)):
            self._for, self._tables = tuple(map(id, now)), self._make([pp for p in now for pp in p.pools])
        return self._tables

    def keys(self, now: Sequence[Params], pool_rows: np.ndarray, ids: np.ndarray, cases,
             first: np.ndarray | None = None) -> np.ndarray:
        """Discipline keys of cases joining the pools of the given pool-table rows; ``first``:
        per case, whether its stage is served first (lane 0, as :func:`routing.join` gives it)."""
        cs = cases
        out = case_keys(ids, pool_rows, *self.tables(now), cs.stage, cs.stream, cs.group, cs.lodged, cs.entered,
                        cs.key, cs.ordered)
        if first is not None and first.any():
            out[first] = in_lane_0(out[first])
        return out

    @staticmethod
    def _make(pools: list[PoolParams]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Per pool: order by lodging day?, what it ranks by (-1 nothing, 0 stage, 1 stream,
        2 group), and the rank and head start (days) of each stage, stream or group."""
        by_lodging = np.array([pp.order == "oldest_first" or (pp.order == "priority" and pp.then == "oldest_first")
                               for pp in pools])
        rank_by = np.array([-1 if pp.rank_by is None else ("stage", "stream", "group").index(pp.rank_by)
                            for pp in pools], dtype=np.int64)
        rank = np.zeros((len(pools), max([len(pp.rank) for pp in pools] + [1])), dtype=np.int64)
        head_start = np.zeros_like(rank)
        for j, pp in enumerate(pools):
            if pp.rank_by is not None:
                rank[j, : len(pp.rank)] = pp.rank
                head_start[j, : len(pp.head_start)] = pp.head_start
        return by_lodging, rank_by, rank, head_start


@njit(cache=True, nogil=True)
def _merge(lane_keys, lane_ids, head, tail, dead, lane, keys, ids, lo, hi) -> None:
    """Merge ``keys[lo:hi]`` (sorted) into a lane; new work goes after equal keys already there."""
    n = hi - lo
    h, t = head[lane], tail[lane]
    buf_k, buf_i = lane_keys[lane], lane_ids[lane]
    if t + n > len(buf_k):  # grow, moving the live part to the front without its tombstones
        size = t - h - dead[lane]
        cap = max(2 * (size + n), _MIN_LANE)
        new_k, new_i = np.empty(cap, dtype=np.int64), np.empty(cap, dtype=np.int64)
        w = 0
        for x in range(h, t):
            if buf_i[x] >= 0:
                new_k[w], new_i[w] = buf_k[x], buf_i[x]
                w += 1
        lane_keys[lane], lane_ids[lane] = new_k, new_i
        buf_k, buf_i, h, t = new_k, new_i, 0, size
        head[lane], dead[lane] = 0, 0
    i, j, w = t - 1, hi - 1, t + n - 1  # merge from the back, in place
    while j >= lo:
        if i >= h and buf_k[i] > keys[j]:
            buf_k[w], buf_i[w] = buf_k[i], buf_i[i]
            i -= 1
        else:
            buf_k[w], buf_i[w] = keys[j], ids[j]
            j -= 1
        w -= 1
    tail[lane] = t + n


@njit(cache=True, nogil=True, inline="always")
def _skip(ids, a, t):
    """The first position from ``a`` on in a run (ending at ``t``) that holds a case and not a
    tombstone; ``t`` if there is none."""
    while a < t and ids[a] < 0:
        a += 1
    return a


# Which of a lane's two runs goes next, once both heads are past their tombstones (see
# _skip): 0 the main run, 1 the side run, -1 both empty; on equal keys the main run's case, as it
# came earlier. Written out where it is used: as an inlined helper returning (a, b, run), with its
# array reads inside branches, it made serving slower by half (measured: 90 -> 50 ns a served case).
@njit(cache=True, nogil=True)
def _interleave(lane_keys, lane_ids, head, tail, lane, side, out_k, out_i, w) -> int:
    """Write the live cases of a lane's two runs into ``out_k``/``out_i`` from ``w`` on, in key
    order; returns the new end."""
    k1, i1, k2, i2 = lane_keys[lane], lane_ids[lane], lane_keys[side], lane_ids[side]
    a, t1, b, t2 = head[lane], tail[lane], head[side], tail[side]
    while True:
        a, b = _skip(i1, a, t1), _skip(i2, b, t2)
        run = 0 if a < t1 and (b >= t2 or k1[a] <= k2[b]) else (1 if b < t2 else -1)
        if run == 0:
            out_k[w], out_i[w] = k1[a], i1[a]
            a += 1
        elif run == 1:
            out_k[w], out_i[w] = k2[b], i2[b]
            b += 1
        else:
            return w
        w += 1


@njit(cache=True, nogil=True)
def _fold(lane_keys, lane_ids, head, tail, dead, lane, side) -> None:
    """Merge a lane's side run into its main run, leaving the tombstones of both behind."""
    size = tail[lane] - head[lane] - dead[lane] + tail[side] - head[side] - dead[side]
    cap = max(2 * size, _MIN_LANE)
    new_k, new_i = np.empty(cap, dtype=np.int64), np.empty(cap, dtype=np.int64)
    w = _interleave(lane_keys, lane_ids, head, tail, lane, side, new_k, new_i, 0)
    lane_keys[lane], lane_ids[lane] = new_k, new_i
    head[lane], tail[lane], dead[lane] = 0, w, 0
    head[side], tail[side], dead[side] = 0, 0, 0


@njit(cache=True, nogil=True)
def _extent(keys: np.ndarray, ids: np.ndarray) -> tuple[int, int]:
    """The highest priority rank among ``keys`` and one past the highest id (both non-empty)."""
    top_key, top_id = keys[0], ids[0]
    for i in range(1, len(keys)):
        top_key = max(top_key, keys[i])
        top_id = max(top_id, ids[i])
    return top_key >> _RANK_SHIFT, top_id + 1


@njit(cache=True, nogil=True)
def _merge_all(lane_keys, lane_ids, head, tail, dead, n_ranks, lines, keys, ids) -> None:
    """Merge work into the lanes: grouped by lane (line and rank) with a counting sort, then
    each lane's share sorted by key (stably: ties keep the order given) and merged in.

    Work that sorts at or after the end of a lane's main run is appended to it; work that sorts
    inside it (an old lodging date in an oldest-first line) is merged into the lane's small side
    run instead, so a line of tens of thousands is not shifted for it. The side run is folded
    into the main run when it grows past a quarter of it, and becomes the main run when that
    one has been served empty. Every key in the side run is below the main run's last key, so
    on equal keys the main run's case came first.
    """
    n_main = len(head) // 2
    order, start = group_by(lines * n_ranks + (keys >> _RANK_SHIFT), n_main)
    by_lane_keys, by_lane_ids = keys[order], ids[order]
    for lane in range(n_main):
        lo, hi = start[lane], start[lane + 1]
        if hi == lo:
            continue
        order = stable_order(by_lane_keys[lo:hi]) + lo
        ks, cs = by_lane_keys[order], by_lane_ids[order]
        side = n_main + lane
        if head[lane] == tail[lane] and tail[side] > head[side]:  # main run served empty: the side run takes over
            lane_keys[lane], lane_keys[side] = lane_keys[side], lane_keys[lane]
            lane_ids[lane], lane_ids[side] = lane_ids[side], lane_ids[lane]
            head[lane], head[side] = head[side], head[lane]
            tail[lane], tail[side] = tail[side], tail[lane]
            dead[lane], dead[side] = dead[side], dead[lane]
        cut = 0
        if tail[lane] > head[lane]:
            cut = np.searchsorted(ks, lane_keys[lane][tail[lane] - 1])  # below the main run's last key
        if cut < hi - lo:
            _merge(lane_keys, lane_ids, head, tail, dead, lane, ks, cs, cut, hi - lo)  # appended
        if cut > 0:
            _merge(lane_keys, lane_ids, head, tail, dead, side, ks, cs, 0, cut)
            if tail[side] - head[side] - dead[side] > max(_MIN_SIDE, (tail[lane] - head[lane] - dead[lane]) // 4):
                _fold(lane_keys, lane_ids, head, tail, dead, lane, side)


@njit(cache=True, nogil=True)
def _serve(lane_ids, lane_keys, head, tail, dead, n_ranks, lines, hours, required, done):
    """Each line spends its ``hours[i]`` on its head, lane by lane in rank order; see :meth:`QueueSet.serve`.

    Within a lane the hours needed are summed from the head of its two runs in key order,
    passing over tombstones; the cases whose running sum stays within what is left (plus
    :data:`EPS`) are finished, the next one is started.
    """
    n, n_main = len(lines), len(head) // 2
    out = np.empty(1024, dtype=np.int64)
    m = 0
    bounds = np.zeros(n + 1, dtype=np.int64)
    used = np.zeros(n)
    partial_id = np.full(n, -1, dtype=np.int64)
    partial = np.zeros(n)
    for i in range(n):
        left = hours[i]
        for r in range(n_ranks):
            if left <= EPS:
                break
            lane = lines[i] * n_ranks + r
            side = n_main + lane
            a, t1, b, t2 = head[lane], tail[lane], head[side], tail[side]
            if a == t1 and b == t2:
                continue
            k1, i1, k2, i2 = lane_keys[lane], lane_ids[lane], lane_keys[side], lane_ids[side]
            limit = left + EPS
            total = 0.0
            spent = 0.0
            passed_a = 0
            passed_b = 0
            started = -1
            while True:
                if a + AHEAD < t1 and i1[a + AHEAD] >= 0:
                    prefetch(required, i1[a + AHEAD])
                na, nb = _skip(i1, a, t1), _skip(i2, b, t2)
                run = 0 if na < t1 and (nb >= t2 or k1[na] <= k2[nb]) else (1 if nb < t2 else -1)
                passed_a += na - a
                passed_b += nb - b
                a, b = na, nb
                if run < 0:
                    break
                c = i1[a] if run == 0 else i2[b]
                need = required[c] - done[c]
                if need < 0.0:
                    need = 0.0
                total += need
                if total > limit:
                    started = c
                    break
                spent = total
                if m == len(out):
                    grown = np.empty(2 * len(out), dtype=np.int64)
                    grown[:m] = out[:m]
                    out = grown
                out[m] = c
                m += 1
                if run == 0:
                    a += 1
                else:
                    b += 1
            head[lane], head[side] = a, b
            dead[lane] -= passed_a
            dead[side] -= passed_b
            if started >= 0:
                partial_id[i], partial[i] = started, left - spent
                left = 0.0
                break
            left -= spent
        used[i] = hours[i] - max(left, 0.0)
        bounds[i + 1] = m
    return out[:m].copy(), bounds, used, partial_id, partial


@njit(cache=True, nogil=True)
def _line_ids(lane_ids, lane_keys, head, tail, dead, first_lane, n_ranks) -> np.ndarray:
    """The ids of one line's lanes, in service order (tombstones left out)."""
    n_main = len(head) // 2
    size = 0
    for lane in range(first_lane, first_lane + n_ranks):
        size += tail[lane] - head[lane] - dead[lane] + tail[n_main + lane] - head[n_main + lane] - dead[n_main + lane]
    keys, out = np.empty(size, dtype=np.int64), np.empty(size, dtype=np.int64)
    m = 0
    for lane in range(first_lane, first_lane + n_ranks):
        m = _interleave(lane_keys, lane_ids, head, tail, lane, n_main + lane, keys, out, m)
    return out


@njit(cache=True, nogil=True)
def _bury(lane_keys, lane_ids, head, tail, dead, n_ranks, key_of, lines, ids) -> np.ndarray:
    """Tombstone case ``ids[i]`` in line ``lines[i]``, found by a binary search on its key
    ``key_of[id]`` in the runs of the lane of its rank. Returns which cases were found there."""
    n_main = len(head) // 2
    found = np.zeros(len(ids), dtype=np.bool_)
    for i in range(len(ids)):
        c = ids[i]
        if c < 0 or c >= len(key_of) or key_of[c] < 0:
            continue
        k = key_of[c]
        main = lines[i] * n_ranks + (k >> _RANK_SHIFT)
        for lane in (main, n_main + main):
            keys, lids, t = lane_keys[lane], lane_ids[lane], tail[lane]
            at = head[lane] + np.searchsorted(keys[head[lane]: t], k)
            while at < t and keys[at] == k:
                if lids[at] == c:
                    lids[at] = -1
                    dead[lane] += 1
                    found[i] = True
                    break
                at += 1
            if found[i]:
                break
    return found


class QueueSet:
    """The lines of all pools (of all replications in a batch), with one shared intake.

    Work added during a day is pending: it becomes visible at the next :meth:`intake`, which
    sorts everything pending in one go (by line, then key, ties in the order added) and merges
    each line's share into it. Priority ranks must be below ``n_ranks``.
    """

    KEY_BLOCK = 1 << 16  # case ids marked "in no line" at a time

    def __init__(self, n: int, n_ranks: int = 1, ids: int = 1024, reuse: bool = False) -> None:
        """``ids``: the case ids expected (the table of keys by id grows past it if need be);
        ``reuse``: take that table from the last set that gave it back (see :mod:`spare`)."""
        self.n_lines, self.n_ranks = n, n_ranks
        lanes = 2 * n * n_ranks  # a main run and a side run per lane (see _merge_all)
        self._keys, self._ids = empty_arrays(lanes), empty_arrays(lanes)
        self._head = np.zeros(lanes, dtype=np.int64)
        self._tail = np.zeros(lanes, dtype=np.int64)
        self._dead = np.zeros(lanes, dtype=np.int64)  # tombstones between head and tail
        self._side = n * n_ranks  # side run of lane l: lane self._side + l
        self._key_of = (spare.empty("queues.key_of", max(ids, 1024), np.int64) if reuse
                        else np.empty(max(ids, 1024), dtype=np.int64))  # by case id: its key in its line
        self._marked = 0  # ids below this have a key, or -1 (in no line); above it, garbage
        self._pending: list[tuple[int | np.ndarray, np.ndarray, np.ndarray]] = []  # (line(s), keys, ids) per add

    def add(self, lines: np.ndarray | int, keys: np.ndarray, ids: np.ndarray) -> None:
        """Queue new work (line per case, or one line for all); visible at the next :meth:`intake`."""
        if len(ids):
            self._note(keys, ids)
            self._pending.append((int(lines) if np.ndim(lines) == 0 else lines, keys, ids))

    def _note(self, keys: np.ndarray, ids: np.ndarray) -> None:
        """Remember each case's key, for finding it again in its lane (:meth:`remove`); a key
        whose rank has no lane is an error."""
        rank, top = _extent(keys, ids)
        if rank >= self.n_ranks:
            raise ValueError(f"priority rank {rank} >= {self.n_ranks} lanes")
        if top > len(self._key_of):
            grown = np.empty(max(top, 2 * len(self._key_of)), dtype=np.int64)
            grown[: self._marked] = self._key_of[: self._marked]
            self._key_of = grown
        if top > self._marked:  # in blocks, not one small fill per call
            hi = min(len(self._key_of), max(top, self._marked + self.KEY_BLOCK))
            self._key_of[self._marked: hi] = -1
            self._marked = hi
        self._key_of[ids] = keys

    def give_back(self) -> None:
        """Hand the table of keys on to the next set made with ``reuse`` (see :mod:`spare`)."""
        spare.give_back("queues.key_of", self._key_of)
        self._key_of, self._marked = np.empty(0, dtype=np.int64), 0

    def _expanded(self) -> list[tuple[np.ndarray, np.ndarray, np.ndarray]]:
        """Pending work with a line per case."""
        return [(np.full(len(ids), q, dtype=np.int64) if isinstance(q, int) else q, keys, ids)
                for q, keys, ids in self._pending]

    def _merge(self, lines: np.ndarray, keys: np.ndarray, ids: np.ndarray) -> None:
        """Merge work into the lines: sorted by line, then key, ties in the given order."""
        _merge_all(self._keys, self._ids, self._head, self._tail, self._dead, self.n_ranks, lines, keys, ids)

    def intake(self) -> None:
        """Merge the work added since the last intake into the sorted lines."""
        if self._pending:
            lines, keys, ids = (np.concatenate(x) for x in zip(*self._expanded(), strict=True))
            self._pending = []
            self._merge(lines.astype(np.int64, copy=False), keys, ids)

    def serve(self, lines: Sequence[int] | np.ndarray, hours: float | np.ndarray, required: np.ndarray,
              done: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Each line spends its ``hours`` (one figure for all, or one per line) on the head of its
        line, lane by lane in rank order.

        A case needs ``max(required - done, 0)`` more hours (columns indexed by case id).
        Returns the finished ids of all lines (line after line, each in service order), the
        bounds of each line's share of them, the hours each line used, and per line the id and
        hours given to a case that was started but not finished (-1 and 0.0 when none).
        The result for a line never depends on the other lines.
        """
        lines = np.asarray(lines, dtype=np.int64)
        hours = np.full(len(lines), hours) if np.ndim(hours) == 0 else np.asarray(hours, dtype=np.float64)
        return _serve(self._ids, self._keys, self._head, self._tail, self._dead, self.n_ranks, lines, hours,
                      required, done)

    def waiting(self, q: int) -> np.ndarray:
        """All case ids waiting in line ``q``, including work added since the last intake."""
        return np.concatenate([self._line(q), *(ids[lines == q] for lines, _, ids in self._expanded())])

    def _line(self, q: int) -> np.ndarray:
        return _line_ids(self._ids, self._keys, self._head, self._tail, self._dead, q * self.n_ranks, self.n_ranks)

    def remove(self, lines: np.ndarray | int, ids: np.ndarray) -> None:
        """Take cases out of their lines (one line for all, or a line per case), pending work
        included; a case not in its line is left alone."""
        ids = np.asarray(ids, dtype=np.int64)
        lines = np.full(len(ids), lines, dtype=np.int64) if np.ndim(lines) == 0 else lines.astype(np.int64)
        found = _bury(self._keys, self._ids, self._head, self._tail, self._dead, self.n_ranks,
                      self._key_of[: self._marked], lines, ids)
        if self._pending and not found.all():
            rest = (lines[~found] << _LINE_SHIFT) | ids[~found]
            kept = []
            for q, keys, pending in self._expanded():
                keep = ~np.isin((q << _LINE_SHIFT) | pending, rest)
                kept.append((q[keep], keys[keep], pending[keep]))
            self._pending = kept

    def requeue(self, lines: np.ndarray, keys: np.ndarray, ids: np.ndarray) -> None:
        """Cases already waiting in the given lines move to the places their new keys give them."""
        self.remove(lines, ids)
        self.add(lines, keys, ids)

    def rekey(self, q: int, keys_of: Callable[[np.ndarray], np.ndarray]) -> None:
        """Line ``q`` re-sorted under a new discipline; its pending work joins it at once."""
        pending = self._expanded()
        mine = [(keys[lines == q], ids[lines == q]) for lines, keys, ids in pending]
        self._pending = [(lines[lines != q], keys[lines != q], ids[lines != q]) for lines, keys, ids in pending]
        keys, ids = (np.concatenate(x) for x in zip(*mine, strict=True)) if mine else (_NO_IDS, _NO_IDS)
        if len(ids):
            self._merge(np.full(len(ids), q, dtype=np.int64), keys, ids)
        first = q * self.n_ranks
        ids = self._line(q)
        for runs in (slice(first, first + self.n_ranks), slice(self._side + first, self._side + first + self.n_ranks)):
            self._tail[runs] = self._head[runs]
            self._dead[runs] = 0
        if len(ids):
            keys = keys_of(ids)
            self._note(keys, ids)
            self._merge(np.full(len(ids), q, dtype=np.int64), keys, ids)

    def lengths(self) -> np.ndarray:
        """Cases waiting per line, pending work included."""
        out = (self._tail - self._head - self._dead).reshape(2, self.n_lines, self.n_ranks).sum(axis=(0, 2))
        for lines, _, _ in self._expanded():
            out += np.bincount(lines, minlength=len(out))
        return out
