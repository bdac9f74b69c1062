"""The compiled kernels give exactly what the numpy code they replaced gave."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.model.compiled import AGE_EDGES_DAYS
from simulator.model.rng import _GOLDEN, combine, mix, uniforms
from simulator.model.tallies import month_end, stable_order


def _mix_numpy(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser with numpy's wrapping integer ufuncs (the reference)."""
    x = np.array(x, dtype=np.uint64, ndmin=1)
    x ^= x >> np.uint64(30)
    x *= np.uint64(0xBF58476D1CE4E5B9)
    x ^= x >> np.uint64(27)
    x *= np.uint64(0x94D049BB133111EB)
    x ^= x >> np.uint64(31)
    return x


def _uniforms_numpy(keys, steps, sources):
    x = np.asarray(steps, dtype=np.uint64) + np.uint64(1)
    x = x * _GOLDEN + (np.asarray(keys, dtype=np.uint64) ^ np.asarray(sources, dtype=np.uint64))
    u = ((_mix_numpy(x) >> np.uint64(11)).astype(np.float64) + 0.5) / 2**53
    return np.minimum(u, np.nextafter(1.0, 0.0))


@pytest.mark.parametrize("shape", [(50, 50, 50), (50, 1, 1), (1, 50, 1), (1, 1, 50), (0, 1, 1), (1, 0, 0)])
@pytest.mark.parametrize("step_type", [np.uint64, np.int32])
def test_uniforms_equal_numpy_splitmix(shape, step_type):
    rng = np.random.default_rng(7)
    keys, steps = (rng.integers(0, 2**64 - 1, n, dtype=np.uint64, endpoint=True) for n in shape[:2])
    steps[: len(steps) // 2] %= 40  # small steps, as the engine uses, and huge tags
    if step_type is np.int32:
        steps = (steps % 1000).astype(np.int32)
    table = rng.integers(0, 2**64 - 1, 7, dtype=np.uint64, endpoint=True)  # a source key per replication
    rep = rng.integers(0, 7, shape[2])
    got = uniforms(keys, steps, table, rep)
    assert np.array_equal(got, _uniforms_numpy(keys, steps.astype(np.uint64), table[rep]))
    assert len(got) == (0 if 0 in shape else max(shape))
    assert ((got > 0) & (got < 1)).all()


def _unmix(h: int) -> int:
    """The input whose SplitMix64 finaliser is ``h`` (each step of the finaliser is invertible)."""
    mask = (1 << 64) - 1

    def unshift(x: int, s: int) -> int:
        y = x
        for _ in range(64 // s + 1):
            y = x ^ (y >> s)
        return y

    x = unshift(h, 31)
    x = (x * pow(0x94D049BB133111EB, -1, 1 << 64)) & mask
    x = unshift(x, 27)
    x = (x * pow(0xBF58476D1CE4E5B9, -1, 1 << 64)) & mask
    return unshift(x, 30)


def test_uniforms_never_reach_one():
    """The draw whose hash is all ones would round to 1.0: it is the largest float below 1."""
    top = (1 << 64) - 1
    x = _unmix(top)
    assert int(mix(np.array([x], dtype=np.uint64))[0]) == top
    key = np.array([(x - 1 * 0x9E3779B97F4A7C15) % (1 << 64)], dtype=np.uint64)  # step 0: x = golden + key
    u = uniforms(key, np.zeros(1, dtype=np.uint64), np.zeros(1, dtype=np.uint64), np.zeros(1, dtype=np.int64))
    assert u[0] == np.nextafter(1.0, 0.0)


def test_month_end_equals_numpy_tallies():
    rng = np.random.default_rng(5)
    n, n_stages, n_sx, day = 5000, 6, 8, 900
    n_bands = len(AGE_EDGES_DAYS)
    stage = rng.integers(-1, n_stages, n)
    lodged = rng.integers(-2000, day + 1, n).astype(np.int32)
    sx = rng.integers(0, n_sx, n)
    first_day = np.where(rng.random(n) < 0.5, -1, 10).astype(np.int32)
    prior = rng.random(n) < 0.1
    deadline = rng.integers(0, 2 * day, n).astype(np.int32)
    active = np.sort(rng.choice(n, 3000, replace=False)).astype(np.int64)
    stock = np.zeros(n_stages * n_sx * n_bands, dtype=np.int64)
    open_, past = np.zeros(n_sx * n_bands, dtype=np.int64), np.zeros(n_sx, dtype=np.int64)
    expect_active = active[stage[active] >= 0]
    kept = month_end(active, stage, lodged, sx, first_day, prior, deadline, day,
                     AGE_EDGES_DAYS, stock, open_, past)
    assert np.array_equal(active[:kept], expect_active)
    a = expect_active
    band = np.clip(np.searchsorted(AGE_EDGES_DAYS, day - lodged[a], side="right") - 1, 0, n_bands - 1)
    cell = sx[a] * n_bands + band
    assert np.array_equal(stock, np.bincount(stage[a] * n_sx * n_bands + cell, minlength=len(stock)))
    undecided = (first_day[a] < 0) & ~prior[a]
    assert np.array_equal(open_, np.bincount(cell[undecided], minlength=len(open_)))
    late = undecided & (deadline[a] <= day)
    assert np.array_equal(past, np.bincount(sx[a][late], minlength=n_sx))
    assert stock.sum() == len(a) and 0 < past.sum() < open_.sum()


def test_follow_on_keys_equal_combine_twice():
    from simulator.model.followons import _NO_TABLES, _admitted

    rng = np.random.default_rng(8)
    key = rng.integers(0, 2**64 - 1, 300, dtype=np.uint64, endpoint=True)
    step = rng.integers(0, 30, 300).astype(np.int32)
    parents = rng.integers(0, 300, 1000)
    stream_key = np.uint64(0xFEDCBA9876543210)
    want = combine(combine(key[parents], step[parents].astype(np.uint64)), stream_key)
    zeros = np.zeros(300, dtype=np.intp)
    kept, keys, *_ = _admitted(parents, key, step, zeros, zeros[:1], stream_key, np.ones(1),
                               np.zeros(1, dtype=np.uint64), False, *_NO_TABLES)
    assert np.array_equal(kept, parents) and np.array_equal(keys, want)


def test_arrival_day_order_is_lexsort_by_day_replication_stream():
    from simulator.model.arrivals import _day_order

    rng = np.random.default_rng(7)
    for n in (0, 1, 5_000):
        day, rep, stream = rng.integers(0, 40, n), rng.integers(0, 3, n), rng.integers(0, 4, n)  # many ties
        assert np.array_equal(_day_order(day, rep, stream, 40, 3, 4), np.lexsort((stream, rep, day)))


@pytest.mark.parametrize("n", [0, 1, 5, 255, 256, 1000, 5000])
def test_stable_order_equals_merge_argsort(n):
    """The radix sort of a lane's new work gives numpy's stable order, ties in the order given:
    random keys, keys as a line's are (a shared rank, two days, a hash with many ties), negative
    keys and keys in reverse order."""
    rng = np.random.default_rng(n)
    line_like = (np.int64(1) << 56) | ((rng.integers(0, 2, n) + 2**23) << 32) | rng.integers(0, 40, n)
    for keys in (rng.integers(0, 2**62, n), line_like, rng.integers(-2**62, 2**62, n),
                 np.sort(rng.integers(0, 1000, n))[::-1]):
        keys = np.ascontiguousarray(keys, dtype=np.int64)
        np.testing.assert_array_equal(stable_order(keys), np.argsort(keys, kind="mergesort"))
