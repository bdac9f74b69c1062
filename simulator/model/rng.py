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

import numpy as np

_M1 = np.uint64(0xBF58476D1CE4E5B9)
_M2 = np.uint64(0x94D049BB133111EB)
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_S30, _S27, _S31 = np.uint64(30), np.uint64(27), np.uint64(31)
_INV53 = 1.0 / (1 << 53)

# Sources of randomness; the numbers are part of the model's definition (do not renumber).
SOURCES = {"arrivals": 0, "groups": 1, "hours": 2, "delays": 3, "routing": 4, "stock": 5,
           "notices": 6, "spawn": 7}


def mix(x: np.ndarray) -> np.ndarray:
    """SplitMix64 finaliser on uint64 values (vectorised; wraps modulo 2**64)."""
    x = np.array(x, dtype=np.uint64, ndmin=1)  # arrays: integer ufuncs wrap without warnings
    x ^= x >> _S30
    x *= _M1
    x ^= x >> _S27
    x *= _M2
    x ^= x >> _S31
    return x


def combine(a, b) -> np.ndarray:
    """Hash two uint64 keys (arrays broadcast) into one."""
    b = np.array(b, dtype=np.uint64, ndmin=1)
    b += _GOLDEN
    return mix(np.asarray(a, dtype=np.uint64) ^ mix(b))


def name_key(name: str) -> np.uint64:
    """A stable 64-bit key for a name (independent of where it appears in the file)."""
    raw = name.encode()
    return np.uint64((zlib.crc32(raw) << 32) | zlib.crc32(raw[::-1] + b"\x01"))


def to_uniform(h: np.ndarray) -> np.ndarray:
    """Hash values to floats strictly inside (0, 1)."""
    return ((h >> np.uint64(11)).astype(np.float64) + 0.5) * _INV53


class Streams:
    """The keys of one replication: one per source of randomness, from a SeedSequence."""

    def __init__(self, seed: int, replication: int):
        ss = np.random.SeedSequence(seed, spawn_key=(replication,))
        self.keys = {
            name: np.uint64(child.generate_state(2, np.uint64)[0])
            for name, child in zip(SOURCES, ss.spawn(len(SOURCES)), strict=True)
        }

    def uniform(self, source: str, case_keys: np.ndarray, step=0) -> np.ndarray:
        """One uniform per case for this source at this step (step may be an array).

        This is SplitMix64 itself: the stream (case key XOR source key) advanced ``step + 1``
        times, one mix per draw.
        """
        advance = np.array(step, dtype=np.uint64, ndmin=1)
        advance += np.uint64(1)
        advance *= _GOLDEN
        return to_uniform(mix((np.asarray(case_keys, dtype=np.uint64) ^ self.keys[source]) + advance))
