"""Turning uniforms into draws by inversion, so that draws are monotone in their parameters.

Inversion keeps common random numbers strong: with the same uniform, a larger mean gives a
larger draw, and a higher Poisson rate never gives fewer arrivals.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import special

from ..scenario.types import Dist
from .kernels import draw_closed


@dataclass(frozen=True)
class Sampler:
    """A compiled distribution in model units (hours or days)."""

    kind: str
    a: float = 0.0
    b: float = 0.0
    c: float = 0.0

    @property
    def is_zero(self) -> bool:
        return self.kind == "fixed" and self.a == 0.0

    @property
    def mean(self) -> float:
        if self.kind in ("fixed", "exponential"):
            return self.a
        if self.kind == "lognormal":
            return float(np.exp(self.a + self.b**2 / 2))
        if self.kind == "gamma":
            return self.a * self.b
        if self.kind == "uniform":
            return (self.a + self.b) / 2
        return (self.a + self.b + self.c) / 3

    @property
    def code(self) -> int:
        return KINDS.index(self.kind)

    def draw(self, u: np.ndarray) -> np.ndarray:
        """Inverse CDF at ``u`` (vectorised)."""
        n = len(u)
        return inverse(self.code, np.full(n, self.a), np.full(n, self.b), np.full(n, self.c), u)


KINDS = ("fixed", "exponential", "lognormal", "gamma", "uniform", "triangular")


def inverse(code: int, a: np.ndarray, b: np.ndarray, c: np.ndarray, u: np.ndarray) -> np.ndarray:
    """Inverse CDF of distribution ``KINDS[code]`` with per-element parameters."""
    if code == 0:
        return a.copy()
    if code == 1:
        return -a * np.log1p(-u)
    if code == 2:
        return np.exp(a + b * special.ndtri(u))
    if code == 3:
        return special.gammaincinv(a, u) * b
    if code == 4:
        return a + (b - a) * u
    width = np.maximum(c - a, 1e-300)
    left = a + np.sqrt(u * width * (b - a))
    right = c - np.sqrt((1 - u) * width * (c - b))
    return np.where(u < (b - a) / width, left, right)


def draw_rows(dists: tuple[np.ndarray, ...], rows: np.ndarray, keys: np.ndarray, steps: np.ndarray,
              rep: np.ndarray, source_keys: np.ndarray) -> np.ndarray:
    """Draws for elements whose distribution is row ``rows[i]`` of a table ``(kind, a, b, c)``
    (one entry per stage, say), each by inversion of its own uniform (SplitMix64 of key, step
    and its replication's source key, see :class:`rng.Streams`).

    One compiled pass does the uniforms and the closed-form kinds; exponential, lognormal and
    gamma draws then go through :func:`inverse` for the elements that need them.
    """
    kind, a, b, c = dists
    out, u, counts = draw_closed(kind, a, b, c, rows, keys, steps, rep, source_keys)
    for code in (1, 2, 3):
        if counts[code]:
            sel = kind[rows] == code
            r = rows[sel]
            out[sel] = inverse(code, a[r], b[r], c[r], u[sel])
    return out


ZERO = Sampler("fixed", 0.0)


def sampler(d: Dist | None, scale: float | None = None) -> Sampler:
    """Compile a scenario distribution; ``scale`` converts its unit to model units."""
    if d is None:
        return ZERO
    k = d.scale if scale is None else scale
    if d.dist in ("fixed", "exponential"):
        return Sampler(d.dist, d.mean * k)
    if d.dist == "lognormal":
        sigma2 = np.log1p(d.cv**2)
        return Sampler("lognormal", float(np.log(d.mean * k) - sigma2 / 2) if d.mean > 0 else -np.inf,
                       float(np.sqrt(sigma2)))
    if d.dist == "gamma":
        shape = 1.0 / d.cv**2
        return Sampler("gamma", shape, d.mean * k / shape)
    if d.dist == "uniform":
        return Sampler("uniform", d.low * k, d.high * k)
    return Sampler("triangular", d.low * k, d.mode * k, d.high * k)


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


def poisson_same(u: np.ndarray, mean: float) -> np.ndarray:
    """:func:`poisson` for one mean shared by all: the smallest k with CDF(k) >= u, read from
    a table of the CDF (the inverse-CDF iteration per element costs far more)."""
    if mean <= 0:
        return np.zeros(len(u), dtype=np.int64)
    cdf = special.pdtr(np.arange(int(mean + 12 * np.sqrt(mean) + 30)), mean)
    counts = np.searchsorted(cdf, u, side="left").astype(np.int64)
    beyond = counts >= len(cdf)
    if beyond.any():
        counts[beyond] = poisson(u[beyond], np.full(int(beyond.sum()), mean))
    return counts


def gamma_factor(u: np.ndarray, cv: float) -> np.ndarray:
    """Multiplicative noise with mean 1 and coefficient of variation ``cv``."""
    if cv <= 0:
        return np.ones_like(u)
    shape = 1.0 / cv**2
    return special.gammaincinv(shape, u) / shape
