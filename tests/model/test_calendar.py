"""What is due later comes out on its day, in the order it was added, and can be forgotten."""

from __future__ import annotations

import numpy as np

from simulator.model.calendar import Calendar, DelayStore


def test_delay_store_keeps_order_per_day_and_forgets_removed_ids():
    rng = np.random.default_rng(4)
    store, expected = DelayStore(50), {d: [] for d in range(60)}
    next_id = 0
    for _ in range(40):
        n = int(rng.integers(0, 300))
        ready = rng.integers(0, 60, n)  # some beyond the horizon: never due
        ids = np.arange(next_id, next_id + n)
        next_id += n
        store.add(ready, ids)
        for d, i in zip(ready.tolist(), ids.tolist(), strict=True):
            expected[d].append(i)
    drop = rng.choice(next_id, 500, replace=False)
    store.remove(drop)
    gone = set(drop.tolist())
    assert len(store) == sum(len([i for i in v if i not in gone]) for d, v in expected.items() if d < 50)
    for d in range(50):
        assert store.pop(d).tolist() == [i for i in expected[d] if i not in gone]
        assert store.pop(d).tolist() == []  # popped once
    assert len(store) == 0


def test_calendar_returns_whole_rows_on_their_day():
    cal = Calendar(10, key=np.uint64, parent=np.int64)
    for k in range(3000):  # grows past its first capacity
        cal.add(np.array([k % 7, 3]), key=np.array([k, 2**63 + k], dtype=np.uint64), parent=np.array([k, -k]))
    rows = cal.pop_rows(3)
    assert len(rows["key"]) == 3000 + len(range(3, 3000, 7))
    assert rows["parent"][:5].tolist() == [0, -1, -2, 3, -3]
    assert rows["key"][4] == 2**63 + 3
    assert cal.pop_rows(3) is None and cal.pop_rows(9) is None
