"""The random-number and sampling kernels agree with their slow, obvious definitions.

The engine's kernels are written for speed on small daily batches; these tests pin them to a
plain reference so that a faster version can never change a replication's numbers.
"""

from __future__ import annotations

import numpy as np
from scipy import special, stats

from simulator.model import portable
from simulator.model.rng import Source, Streams, combine, mix, to_uniform
from simulator.model.sampling import Kind, draw_rows, inverse, poisson, poisson_rows, poisson_tables

MASK = (1 << 64) - 1


def _mix_reference(x: int) -> int:
    """SplitMix64's finaliser in plain Python integers."""
    x ^= x >> 30
    x = (x * 0xBF58476D1CE4E5B9) & MASK
    x ^= x >> 27
    x = (x * 0x94D049BB133111EB) & MASK
    return x ^ (x >> 31)


def test_poisson_equals_scipy_inversion():
    rng = np.random.default_rng(7)
    u = np.r_[rng.random(50_000), 1e-300, 0.5, 1 - 1e-16]
    for mean in (0.0, 1e-9, 0.05, 0.7, 3.0, 42.0, 900.0):
        expected = stats.poisson.ppf(u, np.full(len(u), mean)).astype(np.int64)
        np.testing.assert_array_equal(poisson(u, np.full(len(u), mean)), expected)
        np.testing.assert_array_equal(poisson_rows(u, np.array([mean]), poisson_tables([mean]), np.zeros(len(u), int)),
                                      expected)
    means = rng.random(len(u)) * 60
    np.testing.assert_array_equal(poisson(u, means), stats.poisson.ppf(u, means).astype(np.int64))


def test_poisson_rows_draw_each_element_with_its_own_mean():
    # a batch of parameter sets draws each parent's number with its own set's mean in one pass
    rng = np.random.default_rng(11)
    u = np.r_[rng.random(20_000), 1e-300, 0.5, 1 - 1e-16, 1 - 1e-17]
    means = np.array([0.0, 0.13, 0.9, 1.3, 42.0])
    of = rng.integers(0, len(means), len(u))
    got = poisson_rows(u, means, poisson_tables(means), of)
    for k in range(len(means)):
        mine = of == k
        alone = poisson_rows(u[mine], means[k: k + 1], poisson_tables(means[k: k + 1]), np.zeros(mine.sum(), int))
        np.testing.assert_array_equal(got[mine], alone)
    cdf, length = poisson_tables(means)
    short = np.minimum(length, 2)  # tables cut short: counts beyond them come from the inversion
    cut, far = poisson_rows(u, means, (cdf, short), of), got >= short[of]
    assert far.sum() > 1000
    np.testing.assert_array_equal(cut[~far], got[~far])
    np.testing.assert_array_equal(cut[far], poisson(u[far], means[of[far]]))


def test_mix_combine_and_uniform_match_plain_integers():
    rng = np.random.default_rng(3)
    keys = rng.integers(0, 2**63, 500, dtype=np.uint64) * np.uint64(2) + np.uint64(1)
    steps = rng.integers(0, 40, 500)
    assert [int(v) for v in mix(keys)] == [_mix_reference(int(k)) for k in keys]
    golden = 0x9E3779B97F4A7C15
    pairs = list(zip(keys.tolist(), steps.tolist(), strict=True))
    expected = [_mix_reference(k ^ _mix_reference((s + golden) & MASK)) for k, s in pairs]
    assert [int(v) for v in combine(keys, steps)] == expected
    streams = Streams(11, 2)
    for source in Source:
        src = int(streams.keys[source][0])
        raw = [_mix_reference(((k ^ src) + (s + 1) * golden) & MASK) for k, s in pairs]
        want = [((h >> 11) + 0.5) / 2**53 for h in raw]
        assert streams.uniform(source, keys, steps).tolist() == want
        scalar = streams.uniform(source, keys, 5)
        np.testing.assert_array_equal(scalar, streams.uniform(source, keys, np.full(500, 5)))
    batch = Streams(11, [0, 2])  # a replication draws the same numbers alone or in a batch
    for source in Source:
        np.testing.assert_array_equal(batch.uniform(source, keys, steps, rep=1), streams.uniform(source, keys, steps))
    u = to_uniform(np.array([0, MASK], dtype=np.uint64))
    assert 0.0 < u[0] < u[1] < 1.0


def test_inverse_gives_the_bits_of_scipys_and_portables_array_functions():
    """The compiled inverse CDFs call scipy's C functions element by element: the same bits as
    its ufuncs (and exp and log from portable's array forms)."""
    rng = np.random.default_rng(5)
    n = 50_000
    u = rng.random(n)
    a, b = rng.uniform(0.05, 30.0, n), rng.uniform(0.01, 3.0, n)
    same = [
        (Kind.GAMMA, special.gammaincinv(a, u) * b),
        (Kind.LOGNORMAL, portable.exp(a + b * special.ndtri(u))),
        (Kind.EXPONENTIAL, -a * portable.log1p(-u)),
        (Kind.UNIFORM, a + (b - a) * u),
    ]
    for kind, want in same:
        assert np.array_equal(inverse(kind, a, b, b, u).view(np.int64), want.view(np.int64)), kind.name


def test_draw_rows_equals_inverse_of_each_elements_uniform():
    """The compiled draws equal numpy's inverse CDFs at the same uniforms, bit for bit."""
    kind = np.array([0, 1, 2, 3, 4, 5, 5, 0])
    a = np.array([2.5, 3.0, 1.2, 2.0, 1.0, 1.0, 0.0, 0.0])
    b = np.array([0.0, 0.0, 0.4, 1.5, 9.0, 2.0, 0.0, 0.0])
    c = np.array([0.0, 0.0, 0.0, 0.0, 0.0, 8.0, 0.0, 0.0])  # the last triangular is degenerate
    rng = np.random.default_rng(11)
    n = 20_000
    rows = rng.integers(0, len(kind), n)
    keys = rng.integers(0, 2**64 - 1, n, dtype=np.uint64, endpoint=True)
    steps = rng.integers(0, 9, n).astype(np.int32)
    streams = Streams(3, [0, 1, 2])
    rep = rng.integers(0, 3, n)
    ids = rng.permutation(n)  # the draws are for cases, whose columns are indexed by id
    got = draw_rows((kind, a, b, c), rows, ids, keys, steps, rep, streams.keys[Source.HOURS])
    u = streams.uniform(Source.HOURS, keys[ids], steps[ids], rep[ids])
    for k in Kind:
        sel = kind[rows] == k
        want = inverse(k, a[rows[sel]], b[rows[sel]], c[rows[sel]], u[sel])
        assert np.array_equal(got[sel], want), k.name
