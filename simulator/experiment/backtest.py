"""The backtest table: every published observation inside a run's horizon against the model.

One function makes it, for ``indsim backtest`` (``backtest.csv``), the report's
``assurance/validation.md`` and the tests. ``low``/``high`` are the 5th and 95th percentiles of
the replications (a 90% band of single futures; with ``--parameter-uncertainty`` it includes
what we do not know about the calibrated parameters). ``error`` is (model mean - published) /
published. ``used_for_fit`` is true for observations a calibration fitted and for the scenario's
own inputs: such rows are not tests.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from ..scenario import load_scenario
from .calibration import read_spec
from .published import Published, load_published, model_values
from .runner import Results, simulate

BACKTEST_COLUMNS = ["series", "year", "published", "model_mean", "low", "high", "error", "used_for_fit", "source"]
ROOT = Path(__file__).resolve().parents[2]
HISTORY = ROOT / "scenarios" / "history_2023_2025.yaml"
CALIBRATION = ROOT / "scenarios" / "calibration" / "history.yaml"
TOLERANCE = 0.15  # the target for held-back series: within 10-15% of the published figure


def backtest_frame(results: Results, published: Published, fit: set[tuple[str, int]],
                   scenario: str | None = None) -> pd.DataFrame:
    """:data:`BACKTEST_COLUMNS` plus ``label``, ``unit``, ``bound``, ``comparable``, ``role``,
    ``note`` and ``within`` (inside the tolerance, or on the right side of a bound)."""
    name = scenario or results.names[0]
    s = results.scenarios[name]
    yearly = results.yearly[results.yearly.scenario == name]
    metrics = results.metrics[results.metrics.scenario == name]
    runs = pd.MultiIndex.from_frame(yearly[["scenario", "replication"]].drop_duplicates())
    rows = []
    for series, year in published.observations(s.start, s.end):
        ser = published.series[series]
        obs = ser.values[year]
        v = model_values(ser, year, yearly, metrics, runs).to_numpy(float)
        mean = float(np.nanmean(v)) if np.isfinite(v).any() else np.nan
        low, high = (np.nanquantile(v, [0.05, 0.95]) if np.isfinite(v).any() else (np.nan, np.nan))
        error = (mean - obs.value) / obs.value if obs.value else np.nan
        if obs.bound == "lower":
            within = mean >= obs.value * (1 - TOLERANCE)
        elif obs.bound == "upper":
            within = mean <= obs.value * (1 + TOLERANCE)
        else:
            within = abs(error) <= TOLERANCE
        role = ser.role_of(year)
        rows.append({"series": series, "year": year, "published": obs.value, "model_mean": mean,
                     "low": float(low), "high": float(high), "error": error,
                     "used_for_fit": (series, year) in fit or role == "input", "source": obs.source,
                     "label": ser.label.text("en"), "unit": ser.unit.text("en"), "bound": obs.bound,
                     "comparable": obs.comparable, "role": role,
                     "note": obs.reason or "", "within": bool(within) if obs.comparable else None})
    return pd.DataFrame(rows, columns=[*BACKTEST_COLUMNS, "label", "unit", "bound", "comparable", "role", "note",
                                       "within"])


def fitted_observations(spec: str | Path | None = CALIBRATION) -> set[tuple[str, int]]:
    """The (series, year) pairs a calibration specification fits (none without one)."""
    if spec is None:
        return set()
    return {(s, y) for s, years in read_spec(spec).fit.items() for y in years}


def backtest(replications: int = 10, scenario: str | Path = HISTORY, published: Published | None = None,
             fit: set[tuple[str, int]] | None = None, **kw) -> tuple[Results, pd.DataFrame]:
    """Run the backtest scenario and compare it with every published observation in its horizon.

    ``fit`` defaults to the observations fitted by ``scenarios/calibration/history.yaml`` (or by
    the posterior given as ``parameter_uncertainty``); ``kw`` goes to :func:`simulate`."""
    published = published or load_published()
    pu = kw.get("parameter_uncertainty")
    if fit is None:
        fit = {tuple(k) for k in pu.meta.get("fit", [])} if pu is not None else fitted_observations()
    results = simulate(load_scenario(scenario), replications=replications, keep_cases="none", **kw)
    return results, backtest_frame(results, published, fit)


def held_back(frame: pd.DataFrame) -> tuple[int, int]:
    """Held-back comparable observations within tolerance, and their number."""
    held = frame[~frame.used_for_fit & frame.comparable.astype(bool)]
    return int(held.within.fillna(False).astype(bool).sum()), len(held)
