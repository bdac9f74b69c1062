"""Counter-based random numbers: every draw is a fixed function of (source, case, step).

Why: a case's fate (its group, hours at each stage, route after each stage) must not depend on
how many other cases came before it. Then two scenarios run with the same seed differ only where
their parameters differ (strong common random numbers), reordering a scenario file changes
nothing, and more inflow leaves the existing cases' draws alone.

Keys come from ``numpy.random.SeedSequence`` (one per replication and source of randomness); the
mixing function is SplitMix64's finaliser, applied to 64-bit keys with wrap-around arithmetic. It
is written once (:func:`mix64`), compiled, and used by every kernel that draws.

:class:`Source` and :class:`Tag` are the registry of random streams: their numbers are part of
the model's definition (renumbering one changes every result), so they live here and nowhere else.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from enum import IntEnum

import numpy as np
from numba import njit

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_ONE = np.uint64(1)
_INV53 = 1.0 / (1 << 53)
_BELOW_ONE = float(np.nextafter(1.0, 0.0))


class Source(IntEnum):
    """Sources of randomness: each replication has one key per source (never renumber)."""

    ARRIVALS = 0
    GROUPS = 1
    HOURS = 2
    DELAYS = 3
    ROUTING = 4
    STOCK = 5
    NOTICES = 6
    SPAWN = 7


class Tag(IntEnum):
    """Salts that tell apart several draws of one source for the same case (never renumber)."""

    MONTH = 0xA11CE  # arrivals: the month's volume noise
    RESIDUAL = 0xBEEF  # delays: how far the initial stock is through its waiting time
    LIMIT = 0x11A17  # delays: a procedure's time limit
    COUNT = 0xC0C0  # spawn: number of follow-on cases
    ELIGIBLE = 0xE1E1  # spawn: whether the rules admit a follow-on case
    STOCK_AGE = 0x5EED  # initial stock: age within its band
    NONTIMELY = 0x7A7E  # the key of a court case about a case not decided in time
    INFLOW_LEVEL = 0x1F10  # experiments: a replication's inflow level (SeedSequence spawn key)
    PARAMETERS = 0x9A2A  # experiments: a replication's draw from a parameter posterior
    REGROUP = 0x6E06  # routing: the group a route moves a case into


@njit(cache=True, nogil=True, inline="always")
def mix64(x):
    """SplitMix64's finaliser (uint64, wraps modulo 2**64)."""
    x ^= x >> np.uint64(30)
    x *= _M1
    x ^= x >> np.uint64(27)
    x *= _M2
    x ^= x >> np.uint64(31)
    return x


@njit(cache=True, nogil=True, inline="always")
def unit_float(h) -> float:
    """A hash value as a float strictly inside (0, 1): the top value would round to exactly 1.0
    (an infinite inverse-CDF draw), so it is clamped to the largest float below 1."""
    u = (float(h >> np.uint64(11)) + 0.5) * _INV53
    return min(u, _BELOW_ONE)


@njit(cache=True, nogil=True, inline="always")
def uniform64(key, step, source) -> float:
    """One SplitMix64 draw in (0, 1): the stream ``key ^ source`` advanced ``step + 1`` times."""
    return unit_float(mix64((np.uint64(step) + _ONE) * _GOLDEN + (key ^ source)))


@njit(cache=True, nogil=True, inline="always")
def combine64(a, b):
    """Two keys hashed into one: mix(a ^ mix(b + golden))."""
    return mix64(a ^ mix64(b + _GOLDEN))


@njit(cache=True, nogil=True)
def uniforms(keys: np.ndarray, steps: np.ndarray, table: np.ndarray, rep: np.ndarray) -> np.ndarray:
    """:func:`uniform64` of each element: ``keys`` (uint64), ``steps`` (integers) and ``rep``
    (positions in the source key ``table``) are arrays of one common length or of length 1."""
    n = max(len(keys), len(steps), len(rep))
    if min(len(keys), len(steps), len(rep)) == 0:
        n = 0
    out = np.empty(n, dtype=np.float64)
    k1, s1, r1 = len(keys) == 1, len(steps) == 1, len(rep) == 1
    for i in range(n):
        out[i] = uniform64(keys[0] if k1 else keys[i], steps[0] if s1 else steps[i],
                           table[rep[0] if r1 else rep[i]])
    return out


@njit(cache=True, nogil=True)
def _combine(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    n = max(len(a), len(b))
    out = np.empty(n, dtype=np.uint64)
    a1, b1 = len(a) == 1, len(b) == 1
    for i in range(n):
        out[i] = combine64(a[0] if a1 else a[i], b[0] if b1 else b[i])
    return out


@njit(cache=True, nogil=True)
def _mix(x: np.ndarray) -> np.ndarray:
    out = np.empty(len(x), dtype=np.uint64)
    for i in range(len(x)):
        out[i] = mix64(x[i])
    return out


@njit(cache=True, nogil=True)
def _unit_floats(h: np.ndarray) -> np.ndarray:
    out = np.empty(len(h), dtype=np.float64)
    for i in range(len(h)):
        out[i] = unit_float(h[i])
    return out


def _keys(x) -> np.ndarray:
    """Any integer scalar or array as a 1-d uint64 array (integers wrap, as in C)."""
    return np.atleast_1d(np.asarray(x)).astype(np.uint64, copy=False)


def mix(x) -> np.ndarray:
    """SplitMix64 finaliser on uint64 values (vectorised; wraps modulo 2**64)."""
    return _mix(_keys(x))


def combine(a, b) -> np.ndarray:
    """Hash two uint64 keys (arrays of one length, or scalars) into one: mix(a ^ mix(b + golden))."""
    return _combine(_keys(a), _keys(b))


def name_key(name: str) -> np.uint64:
    """A stable 64-bit key for a name (independent of where it appears in the file)."""
    raw = name.encode()
    return np.uint64((zlib.crc32(raw) << 32) | zlib.crc32(raw[::-1] + b"\x01"))


def to_uniform(h: np.ndarray) -> np.ndarray:
    """Hash values to floats strictly inside (0, 1) (see :func:`unit_float`)."""
    return _unit_floats(_keys(h))


def seed_key(seed: int, replication: int, tag: Tag) -> np.uint64:
    """A key of its own for one replication and purpose, outside the engine's sources, so that
    drawing it never disturbs the randomness inside the run."""
    return np.random.SeedSequence(seed, spawn_key=(int(replication), int(tag))).generate_state(1, np.uint64)[0]


class Streams:
    """The keys of one or more replications: one per replication and source of randomness.

    Replication r's keys come from ``SeedSequence(seed, spawn_key=(r,))`` whatever else runs
    beside it, so a replication draws the same numbers alone or in a batch. ``seeds`` may give
    each replication a seed of its own.
    """

    def __init__(self, seeds: int | Sequence[int], replications: int | Sequence[int]):
        reps = [replications] if np.ndim(replications) == 0 else list(replications)
        seeds = [seeds] * len(reps) if np.ndim(seeds) == 0 else list(seeds)
        children = [np.random.SeedSequence(int(s), spawn_key=(int(r),)).spawn(len(Source))
                    for s, r in zip(seeds, reps, strict=True)]
        self.keys = {source: np.array([kids[source].generate_state(2, np.uint64)[0] for kids in children],
                                      dtype=np.uint64) for source in Source}

    def uniform(self, source: Source, case_keys: np.ndarray, step=0, rep=0) -> np.ndarray:
        """One uniform per case for this source at this step (step may be an array).

        ``rep`` is the position of each case's replication in the batch (scalar or per case).
        """
        steps = np.atleast_1d(np.uint64(int(step)) if np.ndim(step) == 0 else np.asarray(step))
        return uniforms(_keys(case_keys), steps, self.keys[source], np.atleast_1d(rep))
