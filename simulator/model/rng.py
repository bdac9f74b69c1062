"""Counter-based random numbers: every draw is a fixed function of (source, case, step).

Why: a case's fate (its group, hours at each stage, route after each stage) must not depend on
how many other cases came before it. Then two scenarios run with the same seed differ only where
their parameters differ (strong common random numbers), reordering a scenario file changes
nothing, and more inflow leaves the existing cases' draws alone.

Keys come from ``numpy.random.SeedSequence`` (one per replication and source of randomness); the
mixing function is SplitMix64's finaliser, applied to 64-bit keys with wrap-around arithmetic.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence

import numpy as np

from .kernels import _BELOW_ONE, _GOLDEN, _INV53, _M1, _M2, uniforms  # SplitMix64's constants, defined once

_GOLDEN_INT, _M1_INT, _M2_INT = int(_GOLDEN), int(_M1), int(_M2)
_MASK = (1 << 64) - 1
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)

# Sources of randomness; the numbers are part of the model's definition (do not renumber).
SOURCES = {"arrivals": 0, "groups": 1, "hours": 2, "delays": 3, "routing": 4, "stock": 5,
           "notices": 6, "spawn": 7}


def _mix_into(x: np.ndarray) -> np.ndarray:
    """SplitMix64's finaliser, in place on a uint64 array the caller owns."""
    x ^= x >> _S30
    x *= _M1
    x ^= x >> _S27
    x *= _M2
    x ^= x >> _S31
    return x


def _mix_int(x: int) -> np.uint64:
    """The finaliser for one value in plain integers (cheaper than a one-element array)."""
    x &= _MASK
    x ^= x >> 30
    x = (x * _M1_INT) & _MASK
    x ^= x >> 27
    x = (x * _M2_INT) & _MASK
    return np.uint64(x ^ (x >> 31))


def mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser on uint64 values (vectorised; wraps modulo 2**64)."""
    return _mix_into(np.array(x, dtype=np.uint64, ndmin=1))  # arrays: integer ufuncs wrap silently


def combine(a, b) -> np.ndarray:
    """Hash two uint64 keys (arrays broadcast) into one: mix(a ^ mix(b + golden))."""
    if np.ndim(b) == 0:
        x = np.array(a, dtype=np.uint64, ndmin=1)
        x ^= _mix_int(int(b) + _GOLDEN_INT)
        return _mix_into(x)
    x = np.array(b, dtype=np.uint64, ndmin=1)
    x += _GOLDEN
    return _mix_into(_mix_into(x) ^ np.asarray(a, dtype=np.uint64))


def name_key(name: str) -> np.uint64:
    """A stable 64-bit key for a name (independent of where it appears in the file)."""
    raw = name.encode()
    return np.uint64((zlib.crc32(raw) << 32) | zlib.crc32(raw[::-1] + b"\x01"))


def to_uniform(h: np.ndarray) -> np.ndarray:
    """Hash values to floats strictly inside (0, 1).

    The top hash value would round to exactly 1.0 (an infinite inverse-CDF draw), so it is
    clamped to the largest float below 1.
    """
    u = (h >> np.uint64(11)).astype(np.float64)
    u += 0.5
    u *= _INV53
    return np.minimum(u, _BELOW_ONE, out=u)


class Streams:
    """The keys of one or more replications: one per replication and source of randomness.

    Replication r's keys come from ``SeedSequence(seed, spawn_key=(r,))`` whatever else runs
    beside it, so a replication draws the same numbers alone or in a batch.
    """

    def __init__(self, seed: int, replications: int | Sequence[int]):
        reps = [replications] if np.ndim(replications) == 0 else list(replications)
        children = [np.random.SeedSequence(seed, spawn_key=(int(r),)).spawn(len(SOURCES)) for r in reps]
        self.keys = {name: np.array([kids[i].generate_state(2, np.uint64)[0] for kids in children], dtype=np.uint64)
                     for i, name in enumerate(SOURCES)}

    def uniform(self, source: str, case_keys: np.ndarray, step=0, rep=0) -> np.ndarray:
        """One uniform per case for this source at this step (step may be an array).

        ``rep`` is the position of each case's replication in the batch (scalar or per case).
        This is SplitMix64 itself: the stream (case key XOR source key) advanced ``step + 1``
        times, one mix per draw.
        """
        steps = np.atleast_1d(np.uint64(int(step)) if np.ndim(step) == 0 else np.asarray(step))
        return uniforms(np.atleast_1d(np.asarray(case_keys, dtype=np.uint64)), steps, self.keys[source],
                        np.atleast_1d(rep))
