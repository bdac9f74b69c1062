"""exp and log of the same bits on every machine: accurate, and compiled exactly as written."""

from __future__ import annotations

import math

import numpy as np
import pytest

from simulator.model import portable
from simulator.model.sampling import Kind, inverse

RNG = np.random.default_rng(20261204)


def _ulps(got: np.ndarray, want: np.ndarray) -> np.ndarray:
    """Distance in units in the last place (same-sign finite doubles)."""
    return np.abs(np.asarray(got, dtype=float).view(np.int64) - np.asarray(want, dtype=float).view(np.int64))


EXP_ARGS = np.concatenate([RNG.uniform(-700, 700, 50_000), RNG.uniform(-3, 3, 50_000), RNG.uniform(-1e-7, 1e-7, 2_000),
                           [0.0, 1.0, -1.0, math.log(2), 709.7, -708.3]])
LOG_ARGS = np.concatenate([np.exp(RNG.uniform(-700, 700, 50_000)), RNG.uniform(0.5, 2.0, 50_000), [1.0, 2.0, 0.5]])
# the engine's uniforms: (k + 1/2) / 2**53, from close to 0 to close to 1
UNIFORMS = np.concatenate([(np.floor(RNG.random(50_000) * 2**53) + 0.5) / 2**53, 2.0 ** -RNG.uniform(1, 53, 20_000),
                           [0.5 / 2**53, 1 - 2.0**-53]])


@pytest.mark.parametrize(("name", "ours", "libm", "args"), [
    ("exp", portable.exp1, math.exp, EXP_ARGS),
    ("log", portable.log1, math.log, LOG_ARGS),
    ("log1p", portable.log1p1, math.log1p, -UNIFORMS),
    ("log1p, wide", portable.log1p1, math.log1p, RNG.uniform(-0.999, 50, 20_000)),
])
def test_within_one_unit_in_the_last_place_of_the_c_library(name, ours, libm, args):
    got = np.array([ours(x) for x in args])
    assert _ulps(got, [libm(x) for x in args]).max() <= 1, name


@pytest.mark.parametrize(("fn", "args"), [(portable.exp1, EXP_ARGS[::10]), (portable.log1, LOG_ARGS[::10]),
                                          (portable.log1p1, -UNIFORMS[::10])])
def test_compiled_code_rounds_exactly_as_the_python_source(fn, args):
    """No fused multiply-add or other re-association in the compiled code: the bits of plain
    Python float arithmetic, which are the same on every IEEE-754 machine."""
    assert [fn(x) for x in args] == [fn.py_func(x) for x in args]


def test_the_array_forms_apply_the_scalar_ones():
    np.testing.assert_array_equal(portable.exp(EXP_ARGS), [portable.exp1(x) for x in EXP_ARGS])
    np.testing.assert_array_equal(portable.log1p(-UNIFORMS), [portable.log1p1(-x) for x in UNIFORMS])


def test_special_values():
    assert portable.exp1(-math.inf) == 0.0 and portable.exp1(-800.0) == 0.0
    assert portable.exp1(math.inf) == math.inf and portable.exp1(710.0) == math.inf
    assert math.isnan(portable.exp1(math.nan)) and math.isnan(portable.log1(-1.0))
    assert portable.exp1(0.0) == 1.0 and portable.log1(1.0) == 0.0
    assert portable.log1(0.0) == -math.inf and portable.log1p1(-1.0) == -math.inf
    assert portable.log1(math.inf) == math.inf
    assert portable.log1p1(1e-300) == 1e-300  # tiny arguments keep their value


def test_exponential_and_lognormal_draws_use_them():
    u = UNIFORMS[:1000]
    a, b = np.full(len(u), 3.0), np.full(len(u), 0.4)
    np.testing.assert_array_equal(inverse(Kind.EXPONENTIAL, a, b, b, u), -3.0 * portable.log1p(-u))
    lognormal = inverse(Kind.LOGNORMAL, a, b, b, u)
    assert np.all(np.isfinite(lognormal)) and np.all(lognormal > 0)
    assert np.all(np.diff(lognormal[np.argsort(u)]) >= 0)  # monotone in the uniform
    zero_mean = inverse(Kind.LOGNORMAL, np.full(3, -np.inf), np.full(3, 0.4), np.full(3, 0.0), u[:3])
    np.testing.assert_array_equal(zero_mean, 0.0)
