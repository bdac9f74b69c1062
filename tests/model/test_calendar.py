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
    cal = Calendar(10, 2)
    for k in range(3000):  # grows past its first capacity
        cal.add(np.array([k % 7, 3]), np.array([[k, -k], [2**62 + k, k], [99, 99]]))  # a third field is not kept
    rows = cal.pop_rows(3)
    assert rows.shape == (2, 3000 + len(range(3, 3000, 7)))
    assert rows[0, :5].tolist() == [0, -1, -2, 3, -3]
    assert rows[1, 4] == 3
    assert rows[1, 3] == 2**62 + 3
    assert cal.pop_rows(3) is None and cal.pop_rows(9) is None and len(cal) == 6000 - rows.shape[1]


def test_hold_keeps_cases_waiting_past_today_and_returns_the_rest_in_order():
    rng = np.random.default_rng(9)
    store, day = DelayStore(40), 10
    wait = np.r_[rng.uniform(0, 3, 500), 0.49999, 0.5, 29.4, 30.5]  # rounded to whole days; 30.5 is past the horizon
    ids = np.arange(len(wait)) + 100
    stages, rows = ids % 7, ids % 11
    now_ids, now_stages, now_rows = store.hold(day, wait, ids, stages, rows)
    ready = day + np.floor(wait + 0.5).astype(np.int64)
    assert now_ids.tolist() == ids[ready <= day].tolist()
    assert now_stages.tolist() == stages[ready <= day].tolist() and now_rows.tolist() == rows[ready <= day].tolist()
    for d in range(day + 1, 40):
        assert store.pop(d).tolist() == ids[ready == d].tolist()
    assert len(store) == 0 and 600 in ids[ready <= day] and 601 not in ids[ready <= day]


def test_a_calendar_hands_its_table_on_and_the_next_one_starts_empty():
    first = Calendar(10, 3, capacity=100, purpose="test.calendar")
    first.add(np.array([2, 2, 5]), np.arange(9).reshape(3, 3))
    table = first._flat
    first.give_back()
    second = Calendar(10, 3, capacity=50, purpose="test.calendar")  # fits in the table handed on
    assert np.shares_memory(second._table, table)
    assert len(second) == 0 and second.pop_rows(2) is None
    second.add(np.array([4]), np.array([[7], [8], [9]]))
    for _ in range(200):  # grows past the table it took over
        second.add(np.array([6]), np.array([[1], [2], [3]]))
    assert second.pop_rows(4).tolist() == [[7], [8], [9]]
    assert second.pop_rows(6).shape == (3, 200) and second.pop_rows(2) is None
