"""The model's verification figures as a table: exact queueing results against the engine. Used by
the report's validation document and ``scripts/verification_table.py``; the validation against
published figures is the backtest (:mod:`simulator.experiment.backtest`)."""

from __future__ import annotations

import pandas as pd

from .verification import single_stage_comparison, t_interval, tandem_comparison


def verification_table(scale: float = 1.0) -> pd.DataFrame:
    """Exact against simulated mean backlog (99% interval) for one stage at utilisation 0.5, 0.8,
    0.95 (and the share of days that end empty) and a two-stage tandem; ``scale`` < 1 shortens the
    runs (wider intervals)."""
    rows = []
    for rho in (0.5, 0.8, 0.95):
        years, reps = (12, 8) if rho < 0.9 else (25, 10)
        r = single_stage_comparison(rho, years=max(4, round(years * scale)), reps=max(4, round(reps * scale)))
        lo, hi = t_interval(r["means"])
        rows.append(("one stage, c = 10/day", rho, r["exact_mean"], r["means"].mean(), lo, hi, len(r["means"]),
                     r["exact_empty"], r["empty"].mean()))
    for lam, c1, c2 in ((2.0, 4, 3), (3.2, 4, 4)):
        r = tandem_comparison(lam, c1, c2, years=max(4, round(10 * scale)), reps=max(4, round(8 * scale)))
        for stage in (0, 1):
            lo, hi = t_interval(r["means"][:, stage])
            c = (c1, c2)[stage]
            rows.append((f"tandem λ = {lam:g}/day, stage {stage + 1} (c = {c}/day)", lam / c, r["exact"][stage],
                         r["means"][:, stage].mean(), lo, hi, len(r["means"]), float("nan"), float("nan")))
    out = pd.DataFrame(rows, columns=["network", "utilisation", "exact", "simulated", "low_99", "high_99",
                                      "replications", "exact_empty", "simulated_empty"])
    out["inside"] = (out.low_99 <= out.exact) & (out.exact <= out.high_99)
    return out
