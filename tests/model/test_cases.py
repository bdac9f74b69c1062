"""The case store: rows of one cache-line-aligned layout, their columns as views."""

from __future__ import annotations

import numpy as np

from simulator.model.cases import COLUMNS, ROW, Cases


def _defaults_hold(cs: Cases, rows: slice) -> None:
    for name, (_, fill) in COLUMNS.items():
        col = getattr(cs, name)[rows]
        assert (np.isnan(col).all() if isinstance(fill, float) and np.isnan(fill) else (col == fill).all()), name


def test_rows_are_aligned_and_new_rows_hold_their_defaults():
    cs = Cases(1000)
    assert ROW.itemsize == 128 and cs._rows.ctypes.data % 64 == 0
    rows = cs.add(700)
    _defaults_hold(cs, rows)
    assert cs.stage.base is not None and cs.stage.strides == (128,)  # a view of the rows


def test_growth_keeps_every_column_and_fills_the_new_rows():
    cs = Cases(1024)
    first = cs.add(1000)
    cs.key[first] = np.arange(1000, dtype=np.uint64) * 7
    cs.hours[first] = np.linspace(0, 1, 1000)
    cs.first_outcome[first] = 3
    grown = cs.add(5000)  # beyond the capacity: new rows, columns move with them
    assert cs.capacity >= 6000 and cs._rows.ctypes.data % 64 == 0
    assert (cs.key[first] == np.arange(1000, dtype=np.uint64) * 7).all()
    assert np.array_equal(cs.hours[first], np.linspace(0, 1, 1000))
    assert (cs.first_outcome[first] == 3).all()
    _defaults_hold(cs, grown)


def test_subset_renumbers_parents():
    cs = Cases(16)
    cs.add(4)
    cs.parent[:4] = [-1, 0, 1, 2]
    cs.stage[:4] = [5, 6, 7, 8]
    out = cs.subset(np.array([1, 3]), np.array([-1, 0, -1, 1]))
    assert list(out.stage[: out.n]) == [6, 8] and list(out.parent[: out.n]) == [-1, -1]


def test_subset_copies_every_column_of_rows_beyond_one_block():
    n = 3 * Cases.COPY_BLOCK + 17
    cs = Cases(n)
    cs.add(n)
    rng = np.random.default_rng(3)
    for name, (kind, _) in COLUMNS.items():
        getattr(cs, name)[:n] = rng.integers(0, 100, n).astype(kind)
    cs.parent[:n] = -1
    rows = np.sort(rng.choice(n, size=2 * Cases.COPY_BLOCK + 5, replace=False))
    out = cs.subset(rows, np.full(n, -1))
    for name in COLUMNS:
        assert np.array_equal(getattr(out, name), getattr(cs, name)[rows]), name
        assert getattr(out, name).flags.c_contiguous
