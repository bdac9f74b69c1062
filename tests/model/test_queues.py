"""The compiled lanes of :class:`QueueSet` behave like plain sorted Python lists.

The oracle keeps each line as one list sorted by (key, order added): the lanes, their in-place
merges, growth, removal and re-keying must give the same service order and the same day's work.
"""

from __future__ import annotations

import numpy as np
import pytest

from simulator.model import spare
from simulator.model.queues import EPS, QueueSet, case_keys, make_keys


class Oracle:
    def __init__(self, n: int) -> None:
        self.lines: list[list[tuple[int, int, int]]] = [[] for _ in range(n)]  # (key, seq, id)
        self.pending: list[tuple[int, int, int, int]] = []  # (line, key, seq, id)
        self.seq = 0

    def add(self, lines, keys, ids) -> None:
        for q, k, i in zip(lines, keys, ids, strict=True):
            self.pending.append((int(q), int(k), self.seq, int(i)))
            self.seq += 1

    def intake(self) -> None:
        for q, k, s, i in self.pending:
            self.lines[q].append((k, s, i))
        for line in self.lines:
            line.sort()
        self.pending = []

    def waiting(self, q: int) -> list[int]:
        return [i for _, _, i in self.lines[q]] + [i for line, _, _, i in self.pending if line == q]

    def serve(self, lines, hours, required, done):
        out = []
        for q in lines:
            left, finished, pid, part = hours, [], -1, 0.0
            for rank in sorted({k >> 56 for k, _, _ in self.lines[q]}):
                if left <= EPS:
                    break
                lane = [x for x in self.lines[q] if x[0] >> 56 == rank]
                total = spent = 0.0
                k = 0
                for _, _, i in lane:
                    total += max(required[i] - done[i], 0.0)
                    if total > left + EPS:
                        break
                    spent, k = total, k + 1
                finished += [i for _, _, i in lane[:k]]
                served = set(lane[:k])
                self.lines[q] = [x for x in self.lines[q] if x not in served]
                if k < len(lane):
                    pid, part, left = lane[k][2], left - spent, 0.0
                    break
                left -= spent
            out.append((finished, hours - max(left, 0.0), pid, part))
        return out

    def remove(self, q, drop) -> None:
        drop = set(drop.tolist())
        self.lines[q] = [x for x in self.lines[q] if x[2] not in drop]
        self.pending = [x for x in self.pending if not (x[0] == q and x[3] in drop)]

    def rekey(self, q, keys_of) -> None:
        mine = [x for x in self.pending if x[0] == q]
        self.pending = [x for x in self.pending if x[0] != q]
        self.lines[q] = sorted(self.lines[q] + [(k, s, i) for _, k, s, i in mine])
        ids = np.array([i for _, _, i in self.lines[q]], dtype=np.int64)
        self.lines[q] = []
        if len(ids):
            self.add(np.full(len(ids), q), keys_of(ids), ids)
            mine = [x for x in self.pending if x[0] == q]
            self.pending = [x for x in self.pending if x[0] != q]
            self.lines[q] = sorted((k, s, i) for _, k, s, i in mine)


@pytest.mark.parametrize("seed, reuse", [(1, False), (2, False), (3, True)])
def test_lanes_match_sorted_lists(seed, reuse):
    """``reuse``: the table of keys by case id comes from an earlier set, full of its old keys
    (all of a rank beyond these lanes): none of them may be read as the key of a case."""
    rng = np.random.default_rng(seed)
    n_lines, n_ranks, n_cases = 5, 3, 80_000
    required = rng.gamma(2.0, 2.0, n_cases)
    required[rng.random(n_cases) < 0.1] = 0.0
    done = np.zeros(n_cases)
    old = make_keys(np.full(n_cases, 60), np.arange(n_cases), np.zeros(n_cases, dtype=np.uint64))
    if reuse:
        spare.give_back("queues.key_of", old)
    queues, oracle = QueueSet(n_lines, n_ranks, ids=n_cases, reuse=reuse), Oracle(n_lines)
    assert (queues._key_of is old) == reuse
    next_id = 0
    side_used = 0  # most cases held in side runs (work sorting inside a line) at one time
    for day in range(60):
        for _ in range(rng.integers(1, 4)):  # adds, one line for all or a line per case
            n = int(rng.integers(0, 400))
            ids = np.arange(next_id, next_id + n, dtype=np.int64)
            next_id += n
            lines = int(rng.integers(n_lines)) if rng.random() < 0.5 else rng.integers(0, n_lines, n)
            primary = day - rng.integers(0, 3 if rng.random() < 0.7 else 200, n)  # mostly appended
            tiebreak = rng.integers(0, 4, n, dtype=np.uint64) << np.uint64(32)  # many equal keys
            keys = make_keys(rng.integers(0, n_ranks, n), primary, tiebreak)
            queues.add(lines, keys, ids)
            oracle.add(np.broadcast_to(lines, n), keys, ids)
        if day % 7 == 3:  # remove some cases, visible and pending
            q = int(rng.integers(n_lines))
            drop = rng.choice(next_id + 1000, 50)  # some never added (not in any line)
            queues.remove(q, drop)
            oracle.remove(q, drop)
        if day % 11 == 5:  # a new discipline for one line
            q = int(rng.integers(n_lines))
            salt = int(rng.integers(1000))

            def keys_of(ids, salt=salt):
                return make_keys(ids % n_ranks, (ids * 7 + salt) % 50, np.zeros(len(ids), dtype=np.uint64))

            queues.rekey(q, keys_of)
            oracle.rekey(q, keys_of)
        for q in range(n_lines):
            assert queues.waiting(q).tolist() == oracle.waiting(q)
        assert queues.lengths().tolist() == [len(oracle.waiting(q)) for q in range(n_lines)]
        queues.intake()
        oracle.intake()
        side_used = max(side_used, int((queues._tail - queues._head)[queues._side:].sum()))
        lines = rng.permutation(n_lines)[: rng.integers(1, n_lines + 1)]
        hours = float(rng.choice([0.0, 5.0, 60.0, 2000.0, 30_000.0]))  # the last often empties lanes
        ids, bounds, used, pid, part = queues.serve(lines, hours, required, done)
        expected = oracle.serve(lines.tolist(), hours, required, done)
        for k, (finished, used_k, pid_k, part_k) in enumerate(expected):
            assert ids[bounds[k]: bounds[k + 1]].tolist() == finished
            assert (used[k], pid[k], part[k]) == (used_k, pid_k, part_k)  # bit for bit
        done[pid[pid >= 0]] += part[pid >= 0]
    assert side_used > 0  # the side runs, their folds and take-overs were exercised


def test_serve_takes_lanes_in_rank_order_and_carries_work_over():
    queues = QueueSet(1, 2)
    ids = np.arange(4, dtype=np.int64)
    queues.add(0, make_keys(np.array([1, 1, 0, 0]), np.array([0, 1, 5, 6]), np.zeros(4, dtype=np.uint64)), ids)
    queues.intake()
    required, done = np.array([1.0, 1.0, 1.5, 1.5]), np.zeros(4)
    finished, _, used, pid, part = queues.serve([0], 3.5, required, done)
    assert finished.tolist() == [2, 3] and used[0] == 3.5 and pid[0] == 0 and part[0] == 0.5
    done[0] += part[0]
    finished, *_ = queues.serve([0], 1.0, required, done)
    assert finished.tolist() == [0]  # half done yesterday: finished with the first half hour
    assert queues.lengths().tolist() == [1]


def test_a_rank_beyond_the_lanes_is_refused():
    queues = QueueSet(1, 2)
    with pytest.raises(ValueError, match="rank 2"):
        queues.add(0, make_keys(2, np.array([0]), np.zeros(1, dtype=np.uint64)), np.array([0]))


def test_case_keys_follow_each_pools_discipline_after_court_orders():
    rng = np.random.default_rng(9)
    n = 5000
    stage, stream, group = (rng.integers(0, k, n) for k in (6, 3, 4))
    lodged, entered = rng.integers(-900, 400, n).astype(np.int32), rng.integers(0, 400, n).astype(np.int32)
    key = rng.integers(0, 2**64 - 1, n, dtype=np.uint64, endpoint=True)
    ordered = rng.random(n) < 0.1
    ids = rng.permutation(n)[:3000]
    pools = rng.integers(0, 6, len(ids))
    by_lodging = np.array([False, True, True, False, False, True])
    rank_by = np.array([-1, -1, 0, 2, 1, 2])  # none, none, by stage, by group, by stream, by group
    rank = np.array([[0] * 6, [0] * 6, [2, 0, 1, 2, 2, 1], [1, 0, 3, 2, 0, 0], [0] * 6, [1, 0, 1, 1, 0, 0]])
    head_start = np.zeros_like(rank)
    head_start[4, :3] = [70, 0, 21]  # head starts by stream, in one lane
    head_start[5, :4] = [0, 30, 0, 91]  # head starts by group, within the ranks
    got = case_keys(ids, pools, by_lodging, rank_by, rank, head_start, stage, stream, group, lodged, entered, key,
                    ordered)
    for p, column in enumerate([None, None, stage, group, stream, group]):
        sel = pools == p
        r = 1 + (0 if column is None else rank[p, column[ids[sel]]])
        r = np.where(ordered[ids[sel]], 0, r)  # a court order goes first
        primary = (lodged if by_lodging[p] else entered)[ids[sel]].astype(np.int64)
        if column is not None:
            primary -= head_start[p, column[ids[sel]]]
        assert np.array_equal(got[sel], make_keys(r, primary, key[ids[sel]]))
    ahead = (pools == 4) & (stream[ids] == 0) & ~ordered[ids]
    same_day = (pools == 4) & (stream[ids] == 1) & ~ordered[ids]
    assert (got[ahead] >> 32).min() < (got[same_day] >> 32).min()  # 70 days ahead in the same lane
