"""Comparing scenarios: differences to a base scenario with intervals from paired replications.

All scenarios of an experiment share the seed, so replication r of each sees the same arrivals
and per-case draws. The difference per replication then carries only the policy's effect plus
the noise it causes, and its interval is far narrower than that of two independent runs.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .runner import Results
from .stats import paired

COLUMNS = ["figure", "category", "year", "unit", "scenario", "base", "value", "difference", "low", "high", "n"]


@dataclass(frozen=True)
class Comparison:
    """Paired differences to a base scenario: which base, and the table (one row per figure,
    category, year and scenario; ``base`` and ``value`` are the two means, in ``unit``)."""

    base: str
    table: pd.DataFrame


def paired_differences(results: Results, base: str) -> Comparison:
    """Main figures of every scenario next to ``base``: mean, and mean difference with 95% interval."""
    y = results.yearly
    if "unit" not in y.columns:
        y = y.assign(unit="")
    wide = y.pivot_table(index=["figure", "category", "year", "unit", "replication"], columns="scenario",
                         values="value", observed=True)
    rows = []
    for (figure, category, year, unit), block in wide.groupby(level=[0, 1, 2, 3], sort=True):
        b = block[base].to_numpy()
        for name in results.names:
            if name == base:
                continue
            v = block[name].to_numpy()
            mean, low, high = paired(v, b, unit)
            rows.append((figure, category, year, unit, name, np.nanmean(b), np.nanmean(v), mean, low, high,
                         int(np.sum(~np.isnan(v - b)))))
    return Comparison(base, pd.DataFrame(rows, columns=COLUMNS))


def monthly_differences(results: Results, base: str, metric: str, **dims) -> pd.DataFrame:
    """Per scenario and month: mean and 10-90% band of the paired difference to ``base``."""
    m = results.metrics
    sel = m.metric == metric
    for d in ("category", "stream", "stage", "pool", "outcome", "age_band"):
        sel &= m[d] == dims.get(d, "")
    frame = m[sel].pivot_table(index=["date", "replication"], columns="scenario", values="value")
    out = []
    for name in results.names:
        if name == base or name not in frame:
            continue
        d = (frame[name] - frame[base]).groupby(level=0)
        out.append(pd.DataFrame({"scenario": name, "mean": d.mean(), "low": d.quantile(0.1),
                                 "high": d.quantile(0.9)}).reset_index())
    return pd.concat(out, ignore_index=True) if out else pd.DataFrame(
        columns=["date", "scenario", "mean", "low", "high"])
