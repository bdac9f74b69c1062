"""Means and confidence intervals over replications."""

from __future__ import annotations

import numpy as np
import pandas as pd
from scipy import stats


def interval(values: np.ndarray, level: float = 0.95) -> tuple[float, float, float]:
    """Mean and two-sided t-interval of the mean (nan bounds with fewer than two values)."""
    v = np.asarray(values, dtype=float)
    v = v[~np.isnan(v)]
    if len(v) == 0:
        return np.nan, np.nan, np.nan
    mean = float(v.mean())
    if len(v) < 2:
        return mean, np.nan, np.nan
    half = float(stats.t.ppf(0.5 + level / 2, len(v) - 1) * v.std(ddof=1) / np.sqrt(len(v)))
    return mean, mean - half, mean + half


def summarize(table: pd.DataFrame, by: list[str], value: str = "value",
              level: float = 0.95) -> pd.DataFrame:
    """Mean, interval bounds and replication count of ``value`` per group of ``by``; a ``unit``
    column of the table travels along (after ``by``), so the summary says what it counts."""
    if "unit" in table.columns and "unit" not in by:
        by = [*by, "unit"]
    rows = []
    for key, grp in table.groupby(by, sort=True, observed=True):
        mean, low, high = interval(grp[value].to_numpy(), level)
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
