"""Means and confidence intervals over replications."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


def interval(values: np.ndarray, level: float = 0.95,
             within: tuple[float, float] = (-np.inf, np.inf)) -> tuple[float, float, float]:
    """Mean and two-sided t-interval of the mean (nan bounds with fewer than two values), cut to
    ``within``, the values the mean can take. With few replications or values near a limit, a
    t-interval reaches past it (a share above 100%, fewer cases than none); the true mean never
    does, so cutting the interval there keeps its coverage and drops only impossible values."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if len(v) == 0:
        return np.nan, np.nan, np.nan
    mean = float(v.mean())
    if len(v) < 2:
        return mean, np.nan, np.nan
    half = float(stats.t.ppf(0.5 + level / 2, len(v) - 1) * v.std(ddof=1) / np.sqrt(len(v)))
    return mean, max(mean - half, within[0]), min(mean + half, within[1])


def possible(unit: str) -> tuple[float, float]:
    """The values a main figure in ``unit`` can take: a share lies between 0 and 1; counts, days,
    persons, euros and FTE are never negative."""
    return (0.0, 1.0) if unit == "share" else (0.0, np.inf)


def paired(values: np.ndarray, base: np.ndarray, unit: str, level: float = 0.95) -> tuple[float, float, float]:
    """Mean difference ``values - base`` over paired replications (pairs with a gap left out) and
    its t-interval, cut where it would put the scenario's mean outside the figure's possible
    values, given the base's mean: a backlog cannot fall by more than all of it."""
    v, b = np.asarray(values, dtype=float), np.asarray(base, dtype=float)
    both = ~(np.isnan(v) | np.isnan(b))
    if not both.any():
        return np.nan, np.nan, np.nan
    lowest, highest = possible(unit)
    at = float(b[both].mean())
    return interval(v[both] - b[both], level, (lowest - at, highest - at))


def summarize(table: pd.DataFrame, by: list[str], value: str = "value",
              level: float = 0.95) -> pd.DataFrame:
    """Mean, interval bounds and replication count of ``value`` per group of ``by``; a ``unit``
    column of the table travels along (after ``by``), so the summary says what it counts, and
    bounds each interval to the unit's possible values (:func:`possible`)."""
    if "unit" in table.columns and "unit" not in by:
        by = [*by, "unit"]
    rows = []
    for key, grp in table.groupby(by, sort=True, observed=True):
        within = possible(grp["unit"].iloc[0]) if "unit" in by else (-np.inf, np.inf)
        mean, low, high = interval(grp[value].to_numpy(), level, within)
        rows.append((*key, mean, low, high, grp[value].notna().sum()))
    return pd.DataFrame(rows, columns=[*by, "mean", "low", "high", "n"])


def bands(metrics: pd.DataFrame, q: tuple[float, float] = (0.1, 0.9)) -> pd.DataFrame:
    """Per date: mean and the q-band over replications of one metric series."""
    g = metrics.groupby(["scenario", "date"], sort=True).value
    out = g.mean().rename("mean").to_frame()
    out["low"] = g.quantile(q[0])
    out["high"] = g.quantile(q[1])
    return out.reset_index()


def uncertainty_split(yearly: pd.DataFrame, levels: pd.DataFrame, figure: str, category: str,
                      year: int) -> pd.DataFrame:
    """Both kinds of uncertainty for one figure, per scenario: the 95% interval of the mean (how
    precisely the replications pin down the expected value), the 10-90% range of single futures,
    and the share of their variance explained by the inflow level each replication drew (R^2 of a
    linear fit; the rest is randomness within a run)."""
    sel = yearly[(yearly.figure == figure) & (yearly.category == category) & (yearly.year == year)]
    sel = sel.merge(levels, on=["scenario", "replication"], how="left")
    rows = []
    for name, grp in sel.groupby("scenario", sort=False):
        v, f = grp.value.to_numpy(float), grp.inflow_factor.to_numpy(float)
        mean, low, high = interval(v)
        r2 = float(np.corrcoef(f, v)[0, 1] ** 2) if len(v) > 2 and f.std() > 0 and v.std() > 0 else 0.0
        rows.append((name, mean, low, high, float(np.quantile(v, 0.1)), float(np.quantile(v, 0.9)), r2, len(v)))
    return pd.DataFrame(rows, columns=["scenario", "mean", "low", "high", "p10", "p90", "inflow_share", "n"])
