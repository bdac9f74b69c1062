"""Turning uniforms into draws by inversion, so that draws are monotone in their parameters.

Inversion keeps common random numbers strong: with the same uniform, a larger mean gives a
larger draw, and a higher Poisson rate never gives fewer arrivals. Exponentials and logarithms
come from :mod:`portable`, not numpy, whose results depend on the processor in the last bit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import IntEnum
from functools import lru_cache

import llvmlite.binding as llvm
import numpy as np
from numba import njit, types
from numba.extending import get_cython_function_address
from scipy import special

from ..scenario.types import Dist
from . import portable
from .prefetch import ahead
from .rng import uniform64


class Kind(IntEnum):
    """Distribution kinds, as stored in the compiled stage tables (never renumber)."""

    FIXED = 0
    EXPONENTIAL = 1
    LOGNORMAL = 2
    GAMMA = 3
    UNIFORM = 4
    TRIANGULAR = 5


def _scipy(name: str, n_args: int) -> types.ExternalFunction:
    """A function of ``scipy.special`` for compiled code: the C function that scipy's ufunc
    applies to each element (from ``scipy.special.cython_special``, so the same bits), called by
    a symbol name of our own, which numba's disk cache can keep (an address it could not)."""
    symbol = f"indsim_scipy_{name}"
    llvm.add_symbol(symbol, get_cython_function_address("scipy.special.cython_special", name))
    return types.ExternalFunction(symbol, types.float64(*[types.float64] * n_args, types.intc))  # + skip_dispatch


_gammaincinv = _scipy("gammaincinv", 2)
_ndtri = _scipy("ndtri", 1)


@dataclass(frozen=True)
class Sampler:
    """A compiled distribution in model units (hours or days)."""

    kind: Kind
    a: float = 0.0
    b: float = 0.0
    c: float = 0.0

    @property
    def is_zero(self) -> bool:
        return self.kind == Kind.FIXED and self.a == 0.0

    @property
    def mean(self) -> float:
        if self.kind in (Kind.FIXED, Kind.EXPONENTIAL):
            return self.a
        if self.kind == Kind.LOGNORMAL:
            return portable.exp1(self.a + self.b * self.b / 2)
        if self.kind == Kind.GAMMA:
            return self.a * self.b
        if self.kind == Kind.UNIFORM:
            return (self.a + self.b) / 2
        return (self.a + self.b + self.c) / 3

    def draw(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF at ``u`` (vectorised)."""
        n = len(u)
        return inverse(self.kind, np.full(n, self.a), np.full(n, self.b), np.full(n, self.c), u)


def table(samplers: Sequence[Sampler]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Samplers as the rows of a table ``(kind, a, b, c)``, as :func:`draw_at` reads it."""
    return (np.array([int(x.kind) for x in samplers], dtype=np.int64),
            np.array([x.a for x in samplers], dtype=np.float64), np.array([x.b for x in samplers], dtype=np.float64),
            np.array([x.c for x in samplers], dtype=np.float64))


def inverse(kind: Kind, a: np.ndarray, b: np.ndarray, c: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Inverse CDF of a distribution of the given kind with per-element parameters (arrays of
    one shape, or that broadcast to one): :func:`inverse_at` of each element."""
    arrays = np.broadcast_arrays(*(np.asarray(x, dtype=np.float64) for x in (a, b, c, u)))
    return _inverse(int(kind), *(x.ravel() for x in arrays)).reshape(arrays[0].shape)


@njit(cache=True, nogil=True)
def _inverse(kind: int, a: np.ndarray, b: np.ndarray, c: np.ndarray, u: np.ndarray) -> np.ndarray:
    out = np.empty(len(u))
    for i in range(len(u)):
        out[i] = inverse_at(kind, a[i], b[i], c[i], u[i])
    return out


def draw_rows(dists: tuple[np.ndarray, ...], rows: np.ndarray, ids: np.ndarray, key: np.ndarray, step: np.ndarray,
              rep: np.ndarray, source_keys: np.ndarray) -> np.ndarray:
    """Draws for cases ``ids`` whose distribution is row ``rows[i]`` of a table ``(kind, a, b, c)``
    (one entry per stage, say), each by inversion of its own uniform (SplitMix64 of the case's
    key and step and its replication's source key, see :class:`rng.Streams`); ``key``, ``step``
    and ``rep`` are columns indexed by case id. One compiled pass (:func:`draw_at`)."""
    return _draw(*dists, rows, ids, key, step, rep, source_keys)


@njit(cache=True, nogil=True, inline="always")
def inverse_at(k: int, a: float, b: float, c: float, x: float) -> float:
    """The draw at uniform ``x`` of a distribution of kind ``k`` with parameters ``a``, ``b``,
    ``c`` (see :class:`Sampler`): exponential and lognormal with exp and log from
    :mod:`portable`, the normal and gamma quantiles from scipy's C functions."""
    if k == Kind.FIXED:
        return a
    if k == Kind.EXPONENTIAL:
        return -a * portable.log1p1(-x)
    if k == Kind.LOGNORMAL:
        return portable.exp1(a + b * _ndtri(x, 0))
    if k == Kind.GAMMA:
        return _gammaincinv(a, x, 0) * b
    if k == Kind.UNIFORM:
        return a + (b - a) * x
    width = max(c - a, 1e-300)  # triangular
    if x < (b - a) / width:
        return a + np.sqrt(x * width * (b - a))
    return c - np.sqrt((1 - x) * width * (c - b))


@njit(cache=True, nogil=True, inline="always")
def draw_at(kind, a, b, c, r, key, step, source):
    """The draw of row ``r`` of a table ``(kind, a, b, c)`` for a case with this key and step
    (``source``: its replication's source key); a fixed value needs no uniform."""
    k = kind[r]
    x = 0.0
    if k != Kind.FIXED:
        x = uniform64(key, step, source)
    return inverse_at(k, a[r], b[r], c[r], x)


@njit(cache=True, nogil=True)
def _draw(kind: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray, rows: np.ndarray, ids: np.ndarray,
          key: np.ndarray, step: np.ndarray, rep: np.ndarray, table: np.ndarray) -> np.ndarray:
    """The compiled pass of :func:`draw_rows`."""
    out = np.empty(len(rows))
    for i in range(len(rows)):
        ahead(ids, i, key)
        case = ids[i]
        out[i] = draw_at(kind, a, b, c, rows[i], key[case], step[case], table[rep[case]])
    return out


ZERO = Sampler(Kind.FIXED, 0.0)


def sampler(d: Dist | None, scale: float | None = None) -> Sampler:
    """Compile a scenario distribution; ``scale`` converts its unit to model units."""
    if d is None:
        return ZERO
    k = d.scale if scale is None else scale
    kind = Kind[d.dist.upper()]
    if kind in (Kind.FIXED, Kind.EXPONENTIAL):
        return Sampler(kind, d.mean * k)
    if kind == Kind.LOGNORMAL:
        sigma2 = portable.log1p1(d.cv * d.cv)
        return Sampler(kind, portable.log1(d.mean * k) - sigma2 / 2 if d.mean > 0 else -np.inf,
                       float(np.sqrt(sigma2)))
    if kind == Kind.GAMMA:
        shape = 1.0 / (d.cv * d.cv)
        return Sampler(kind, shape, d.mean * k / shape)
    if kind == Kind.UNIFORM:
        return Sampler(kind, d.low * k, d.high * k)
    return Sampler(kind, d.low * k, d.mode * k, d.high * k)


def poisson(u: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """Poisson counts by inversion (monotone in the mean for a fixed uniform).

    The same arithmetic as ``scipy.stats.poisson.ppf`` for ``0 < u < 1``, without its argument
    checking, which costs far more than the sum for the small batches the engine draws each day.
    """
    mean = np.broadcast_to(np.asarray(mean, dtype=float), np.shape(u))
    vals = np.ceil(special.pdtrik(u, mean))
    below = np.maximum(vals - 1, 0)
    counts = np.where(special.pdtr(below, mean) >= u, below, vals)
    return np.where(mean > 0, counts, 0).astype(np.int64)


def poisson_tables(means: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Tables of the Poisson CDF at 0, 1, ... for several means, one row each (padded with inf),
    and each row's length: for :func:`poisson_rows` and :func:`count_at`."""
    rows = [_poisson_cdf(float(m)) if m > 0 else np.array([np.inf]) for m in means]
    table = np.full((len(rows), max(len(r) for r in rows)), np.inf)
    for i, r in enumerate(rows):
        table[i, :len(r)] = r
    return table, np.array([len(r) for r in rows], dtype=np.int64)


def poisson_rows(u: np.ndarray, means: np.ndarray, tables: tuple[np.ndarray, np.ndarray], of: np.ndarray
                 ) -> np.ndarray:
    """:func:`poisson` with element i's mean ``means[of[i]]`` (``tables`` from
    :func:`poisson_tables`): the same counts, read from the tables in one pass whatever the
    number of means (the inverse-CDF iteration per element costs far more)."""
    counts = _search_rows(u, *tables, of)
    return past_tables(counts, u, means, of)


def past_tables(counts: np.ndarray, u: np.ndarray, means: np.ndarray, of: np.ndarray) -> np.ndarray:
    """Counts :func:`count_at` found beyond the far tail of the tables (-1) drawn by :func:`poisson`."""
    beyond = counts < 0
    if beyond.any():
        counts[beyond] = poisson(u[beyond], means[of[beyond]])
    return counts


@njit(cache=True, nogil=True, inline="always")
def count_at(u: float, cdf: np.ndarray, length: np.ndarray, k: int) -> int:
    """The smallest count whose CDF in row ``k`` of the tables reaches ``u``; -1 beyond the row
    (see :func:`past_tables`)."""
    n = np.searchsorted(cdf[k, :length[k]], u)
    return -1 if n >= length[k] else n


@njit(cache=True, nogil=True)
def _search_rows(u: np.ndarray, cdf: np.ndarray, length: np.ndarray, of: np.ndarray) -> np.ndarray:
    out = np.empty(len(u), dtype=np.int64)
    for i in range(len(u)):
        out[i] = count_at(u[i], cdf, length, of[i])
    return out


@lru_cache(maxsize=256)
def _poisson_cdf(mean: float) -> np.ndarray:
    """The Poisson CDF at 0, 1, ... up to far in its tail (kept: every change of the rules makes
    the spawn rules' tables again)."""
    cdf = special.pdtr(np.arange(int(mean + 12 * np.sqrt(mean) + 30)), mean)
    cdf.flags.writeable = False
    return cdf


def gamma_factor(u: np.ndarray, cv: float) -> np.ndarray:
    """Multiplicative noise with mean 1 and coefficient of variation ``cv``."""
    if cv <= 0:
        return np.ones_like(u)
    shape = 1.0 / (cv * cv)
    return special.gammaincinv(shape, u) / shape
