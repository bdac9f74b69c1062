"""exp and log that give the same bits on every machine.

numpy's exp and log take their own vectorised code path on processors with AVX-512 and the C
library's on the others, and the C library in turn picks a variant by processor (with or without
FMA): for about 5% of arguments the last bit of the result depends on the machine. A replication's
numbers must not (same seed, same result, on any machine), so the draws of the engine take their
exponentials and logarithms from here: the algorithms of fdlibm (Sun's freely distributable libm,
also the basis of Java's StrictMath) in plain IEEE-754 double arithmetic (+, -, *, / and exact
scaling by powers of two), which every processor rounds alike. Numba does not fuse a multiply and
an add unless told to (fastmath), so the compiled code rounds exactly like the Python source
(``.py_func``); tests/model/test_portable.py checks both that and the accuracy (within one unit in
the last place of the C library's results).
"""

from __future__ import annotations

import math

from numba import njit, vectorize

_LN2_HI = 6.93147180369123816490e-01  # ln 2 in two parts: the high part has 32 trailing zero bits,
_LN2_LO = 1.90821492927058770002e-10  # so k * _LN2_HI is exact for |k| < 2**20
_INV_LN2 = 1.44269504088896338700e+00
_EXP_MAX = 7.09782712893383973096e+02  # above: overflow; below _EXP_MIN: underflow to 0
_EXP_MIN = -7.45133219101941108420e+02
# minimax polynomial for R(r^2) on [0, (ln 2 / 2)^2], fdlibm e_exp.c
_P1, _P2, _P3 = 1.66666666666666019037e-01, -2.77777777770155933842e-03, 6.61375632143793436117e-05
_P4, _P5 = -1.65339022054652515390e-06, 4.13813679705723846039e-08
# minimax polynomial for log(1+f) = f - s*(f - R(s)), fdlibm e_log.c
_LG1, _LG2, _LG3 = 6.666666666666735130e-01, 3.999999999940941908e-01, 2.857142874366239149e-01
_LG4, _LG5, _LG6 = 2.222219843214978396e-01, 1.818357216161805012e-01, 1.531383769920937332e-01
_LG7 = 1.479819860511658591e-01
_SQRT_HALF = 0.70710678118654752440


@njit(cache=True, nogil=True)
def exp1(x: float) -> float:
    """e**x (fdlibm's exp: x = k ln 2 + r with |r| <= ln 2 / 2, a rational approximation on r,
    then scaling by 2**k)."""
    if x != x:
        return x
    if x > _EXP_MAX:
        return math.inf
    if x < _EXP_MIN:
        return 0.0
    if abs(x) < 3.725290298461914e-09:  # 2**-28: 1 + x is exact to rounding
        return 1.0 + x
    k = math.floor(_INV_LN2 * x + 0.5)
    hi = x - k * _LN2_HI
    lo = k * _LN2_LO
    r = hi - lo
    t = r * r
    c = r - t * (_P1 + t * (_P2 + t * (_P3 + t * (_P4 + t * _P5))))
    y = 1.0 - ((lo - (r * c) / (2.0 - c)) - hi)
    return math.ldexp(y, int(k))


@njit(cache=True, nogil=True)
def log1(x: float) -> float:
    """Natural logarithm (fdlibm's log: x = 2**k (1 + f) with sqrt(2)/2 <= 1 + f < sqrt(2), and a
    polynomial in s = f / (2 + f))."""
    if x != x or x == math.inf:
        return x
    if x < 0.0:
        return math.nan
    if x == 0.0:
        return -math.inf
    m, e = math.frexp(x)  # x = m 2**e, 1/2 <= m < 1; exact
    if m < _SQRT_HALF:
        m, e = m * 2.0, e - 1
    f = m - 1.0  # exact: m is within a factor 2 of 1
    k = float(e)
    s = f / (2.0 + f)
    z = s * s
    w = z * z
    R = z * (_LG1 + w * (_LG3 + w * (_LG5 + w * _LG7))) + w * (_LG2 + w * (_LG4 + w * _LG6))
    hfsq = 0.5 * f * f
    return k * _LN2_HI - ((hfsq - (s * (hfsq + R) + k * _LN2_LO)) - f)


@njit(cache=True, nogil=True)
def log1p1(x: float) -> float:
    """log(1 + x), accurate for small x: the logarithm of u = 1 + x, corrected by the rounding
    error of u (as fdlibm's log1p does)."""
    u = 1.0 + x
    if u == 1.0:
        return x
    if u <= 0.0 or u == math.inf or x != x:
        return log1(u)
    return log1(u) + (x - (u - 1.0)) / u


@vectorize(["float64(float64)"], cache=True)
def exp(x: float) -> float:
    """:func:`exp1` elementwise (a numpy ufunc)."""
    return exp1(x)


@vectorize(["float64(float64)"], cache=True)
def log1p(x: float) -> float:
    """:func:`log1p1` elementwise (a numpy ufunc)."""
    return log1p1(x)
