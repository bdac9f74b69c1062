"""The compiled steps of a case's moves equal the numpy code they replaced (the engine's former
``_route``, ``_decide``, ``_exit``, ``_enter`` and ``_after_wait``), bit for bit, tallies included."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.model.queues import case_keys, make_keys
from simulator.model.rng import Source, Streams
from simulator.model.routing import enter, finish, join, sort_finished
from simulator.model.sampling import Kind, draw_rows

N_CASES, N_STAGES, N_GROUPS, N_CELLS = 4000, 5, 3, 12


@pytest.fixture
def world():
    """Random case columns (as in :class:`cases.Cases`), stage tables and tallies."""
    rng = np.random.default_rng(21)
    n = N_CASES
    cols = {
        "key": rng.integers(0, 2**64 - 1, n, dtype=np.uint64, endpoint=True),
        "step": rng.integers(0, 6, n).astype(np.int32),
        "rep": rng.integers(0, 3, n),
        "group": rng.integers(0, N_GROUPS, n),
        "sx": rng.integers(0, N_CELLS, n),
        "prior": rng.random(n) < 0.2,
        "stage": rng.integers(0, N_STAGES, n),
        "first_day": np.where(rng.random(n) < 0.5, -1, rng.integers(0, 50, n)).astype(np.int32),
        "first_outcome": rng.integers(-1, 3, n).astype(np.int16),
        "last_outcome": rng.integers(-1, 3, n).astype(np.int16),
        "decisions": rng.integers(0, 3, n).astype(np.int16),
        "exit_day": np.full(n, -1, dtype=np.int32),
        "lodged": rng.integers(-400, 100, n).astype(np.int32),
        "entered": rng.integers(0, 100, n).astype(np.int32),
        "done": rng.random(n),
        "hours": rng.random(n),
    }
    probs = rng.random((N_STAGES, N_GROUPS, 4))
    cum = np.cumsum(probs, axis=2) / probs.sum(axis=2, keepdims=True)
    cum[:, :, -1] = 1.0
    cum[1] = [0.3, 1.0, 1.0, 1.0]  # a stage whose last options are never taken
    tables = {
        "cum": cum,
        "to": rng.integers(-1, N_STAGES, (N_STAGES, 4)),
        "outcome": rng.integers(-1, 3, (N_STAGES, 4)),
        "ind_stage": np.array([True, True, False, True, False]),
    }
    # a case has a first outcome only once its first decision is issued (the engine holds one back
    # only where a later stage completes the decision, which these tables have none of)
    cols["first_outcome"][cols["first_day"] < 0] = -1
    ids = rng.permutation(n)[: n // 2]
    return rng, cols, tables, ids


def _finish_reference(ids, stages, rows, day, t, c, stock, open_, u):
    """Route, decide and exit as the engine did with numpy before :func:`routing.finish`."""
    np.add.at(stock, stages * N_CELLS + c["sx"][ids], -1)
    k = t["cum"].shape[2]
    choice = np.minimum((u[:, None] >= t["cum"][rows, c["group"][ids]]).sum(axis=1), k - 1)
    outcome = t["outcome"][rows, choice]
    decided = outcome >= 0
    d, o = ids[decided], outcome[decided]
    c["decisions"][d] += 1
    c["last_outcome"][d] = o
    first = t["ind_stage"][stages[decided]] & (c["first_day"][d] < 0) & ~c["prior"][d]
    c["first_day"][d[first]] = day
    c["first_outcome"][d[first]] = o[first]
    np.add.at(open_, c["sx"][d[first]], -1)
    to = t["to"][rows, choice]
    gone = ids[to < 0]
    c["stage"][gone] = -1
    c["exit_day"][gone] = day
    np.add.at(open_, c["sx"][gone[(c["first_day"][gone] < 0) & ~c["prior"][gone]]], -1)
    return choice, outcome, to


def test_finishing_a_stage_routes_decides_and_exits_as_the_numpy_steps_did(world):
    _, cols, tables, ids = world
    stages = cols["stage"][ids].copy()
    rows = stages.copy()
    streams = Streams(5, [0, 1, 2])
    table = streams.keys[Source.ROUTING]
    ref_cols = {k: v.copy() for k, v in cols.items()}
    ref_stock, ref_open = np.zeros(N_STAGES * N_CELLS, dtype=np.int64), np.zeros(N_CELLS, dtype=np.int64)
    u = streams.uniform(Source.ROUTING, cols["key"][ids], cols["step"][ids], cols["rep"][ids])
    want = _finish_reference(ids, stages, rows, 77, tables, ref_cols, ref_stock, ref_open, u)
    stock, open_ = np.zeros_like(ref_stock), np.zeros_like(ref_open)
    c = cols
    no_stage_completes = np.zeros(N_STAGES, dtype=bool)  # every decision issued where it is taken
    got = finish(ids, stages, rows, 77, tables["cum"], tables["to"], tables["outcome"], tables["ind_stage"],
                 no_stage_completes, c["key"], c["step"], c["rep"], c["group"], c["sx"], c["prior"], c["stage"],
                 c["first_day"], c["first_outcome"], c["last_outcome"], c["decisions"], c["exit_day"], stock, open_,
                 table)
    for g, w in zip(got, want, strict=True):
        assert np.array_equal(g, w)
    for name in cols:
        assert np.array_equal(cols[name], ref_cols[name]), name
    assert np.array_equal(stock, ref_stock) and np.array_equal(open_, ref_open)
    assert (got[1] >= 0).any() and (got[2] < 0).any() and (ref_open < 0).any()  # decisions, exits, first ones


@pytest.mark.parametrize("residual", [False, True])
def test_entering_a_stage_records_it_and_draws_the_wait_as_the_numpy_steps_did(world, residual):
    rng, cols, _, ids = world
    stages = rng.integers(0, N_STAGES, len(ids))
    rows = stages
    delay = (np.array([Kind.FIXED, Kind.UNIFORM, Kind.TRIANGULAR, Kind.GAMMA, Kind.FIXED]),
             np.array([3.0, 2.0, 1.0, 2.0, 0.0]), np.array([0.0, 9.0, 4.0, 1.5, 0.0]),
             np.array([0.0, 0.0, 20.0, 0.0, 0.0]))
    court = np.array([False, False, True, False, True])
    streams = Streams(5, [0, 1, 2])
    table = streams.keys[Source.DELAYS]
    ref = {k: v.copy() for k, v in cols.items()}
    ref_stock, ref_court = np.zeros(N_STAGES * N_CELLS, dtype=np.int64), np.zeros(N_CELLS, dtype=np.int32)
    ref["stage"][ids] = stages
    ref["step"][ids] += 1
    ref["entered"][ids] = ref["lodged"][ids] if residual else 40
    ref["done"][ids] = 0.0
    ref["hours"][ids] = np.nan
    np.add.at(ref_stock, stages * N_CELLS + ref["sx"][ids], 1)
    if not residual:
        np.add.at(ref_court, ref["sx"][ids[court[stages]]], 1)
    want = draw_rows(delay, rows, ids, ref["key"], ref["step"], ref["rep"], table)
    stock, court_in = np.zeros_like(ref_stock), np.zeros_like(ref_court)
    c = cols
    wait, timed = enter(ids, stages, rows, 40, residual, *delay, c["key"], c["rep"], c["sx"], c["lodged"],
                        c["stage"], c["step"], c["entered"], c["done"], c["hours"], court, stock, court_in,
                        N_CELLS, table)
    assert np.array_equal(wait, want) and timed
    assert (delay[0][rows] == Kind.GAMMA).any() and (delay[0][rows] == Kind.FIXED).any()
    for name in cols:
        assert np.array_equal(cols[name], ref[name], equal_nan=name == "hours"), name
    assert np.array_equal(stock, ref_stock) and np.array_equal(court_in, ref_court)


@pytest.mark.parametrize("stock", [False, True])
def test_joining_a_line_draws_hours_and_keys_as_the_numpy_steps_did(world, stock):
    """Cases at stages without a pool are left out (their positions returned); the others get
    the visible day, hours and discipline key that draw_rows and case_keys gave them, on a
    batch of two parameter sets (pool-table row set x pool)."""
    rng, cols, _, ids = world
    n_pools, set_of_rep = 2, np.array([0, 1, 1])
    cols = {**cols, "stream": rng.integers(0, 4, N_CASES), "ordered": rng.random(N_CASES) < 0.1}
    rows = cols["rep"][ids] // 2 * N_STAGES + rng.integers(0, N_STAGES, len(ids))  # set 0 for rep 0, else 1
    pool = np.array([0, -1, 1, 0, 1, 1, 0, -1, 0, 1])  # by stage-table row
    hours = (np.array([Kind.GAMMA, Kind.FIXED, Kind.LOGNORMAL, Kind.TRIANGULAR, Kind.UNIFORM] * 2),
             np.array([2.0, 3.0, 1.0, 1.0, 2.0] * 2), np.array([1.5, 0.0, 0.5, 4.0, 9.0] * 2),
             np.array([0.0, 0.0, 0.0, 20.0, 0.0] * 2))
    by_lodging = np.array([True, False, False, True])  # pool-table rows: set 0 pools 0, 1; set 1 pools 0, 1
    rank_by = np.array([-1, 0, 1, 2])
    rank = rng.integers(0, 3, (4, 5))
    head_start = rng.integers(0, 90, (4, 5))
    first = rng.random(2 * N_STAGES) < 0.2  # by stage-table row: its work goes first (lane 0)
    table = Streams(5, [0, 1, 2]).keys[Source.HOURS]
    ref = {k: v.copy() for k, v in cols.items()}
    pools = pool[rows]
    busy = ids[pools >= 0]
    if not stock:
        ref["entered"][busy] = 41
    ref["hours"][busy] = draw_rows(hours, rows[pools >= 0], busy, ref["key"], ref["step"], ref["rep"], table)
    reps, p = ref["rep"][busy], pools[pools >= 0]
    want_keys = case_keys(busy, set_of_rep[reps] * n_pools + p, by_lodging, rank_by, rank, head_start, ref["stage"],
                          ref["stream"], ref["group"], ref["lodged"], ref["entered"], ref["key"], ref["ordered"])
    lead = first[rows[pools >= 0]]  # the same time and tie-break, in lane 0
    primary, tiebreak = (want_keys[lead] >> 32 & (2**24 - 1)) - 2**23, want_keys[lead].astype(np.uint64) << 32
    want_keys[lead] = make_keys(0, primary, tiebreak)
    c = cols
    idle, got, lines, keys = join(
        ids, rows, 41, stock, pool, first, n_pools, set_of_rep, *hours, c["key"], c["step"], c["rep"], c["entered"],
        c["hours"], table, by_lodging, rank_by, rank, head_start, c["stage"], c["stream"], c["group"], c["lodged"],
        c["ordered"])
    assert np.array_equal(idle, np.flatnonzero(pools < 0)) and np.array_equal(got, busy)
    assert np.array_equal(lines, reps * n_pools + p) and np.array_equal(keys, want_keys)
    kinds = hours[0][rows[pools >= 0]]
    assert (kinds == Kind.GAMMA).any() and (kinds == Kind.LOGNORMAL).any() and len(idle) > 0
    for name in cols:
        assert np.array_equal(cols[name], ref[name]), name


def test_sorting_finished_cases_equals_the_numpy_masks():
    """Decisions, group moves, exits and next stages, each in the order given; follow-on cases
    grouped by stage and option."""
    rng = np.random.default_rng(3)
    n, n_rows, k = 500, 7, 3
    ids, stages, rows = rng.permutation(2000)[:n], rng.integers(0, 5, n), rng.integers(0, n_rows, n)
    choice, outcome, to = rng.integers(0, k, n), rng.integers(-1, 3, n), rng.integers(-1, 5, n)
    spawn, moves, rep = rng.random((n_rows, k)) < 0.3, rng.random((n_rows, k)) < 0.3, rng.integers(0, 4, 2000)
    decided, moving, spawning, groups, leaving, staying, next_stages = sort_finished(
        ids, stages, rows, choice, outcome, to, spawn, moves, rep)
    d = outcome >= 0
    for got, want in zip(decided, (ids[d], stages[d], outcome[d], rep[ids[d]]), strict=True):
        np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(moving, np.flatnonzero(moves[rows, choice]))
    at = np.flatnonzero(spawn[rows, choice])  # grouped by (stage, option), each group in the order given
    np.testing.assert_array_equal(spawning, at[np.lexsort((choice[at], stages[at]))])
    pairs = sorted(set(zip(stages[at].tolist(), choice[at].tolist(), strict=True)))
    assert [tuple(g[:2]) for g in groups.tolist()] == pairs and groups[0, 2] == 0 and groups[-1, 3] == len(at)
    for s_, o, first, end in groups.tolist():
        np.testing.assert_array_equal(spawning[first: end], at[(stages[at] == s_) & (choice[at] == o)])
    np.testing.assert_array_equal(leaving, ids[to < 0])
    np.testing.assert_array_equal(staying, ids[to >= 0])
    np.testing.assert_array_equal(next_stages, to[to >= 0])
    assert 0 < len(leaving) < n and 0 < len(moving) < n and 0 < len(decided[0]) < n
