"""The model's verification and validation figures as tables: exact queueing results against the
engine, and the 2023-2025 backtest against published backlogs. Used by the report's validation
document and by ``scripts/verification_table.py`` / ``scripts/history_comparison.py``."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..scenario import load_scenario
from .runner import simulate
from .stats import summarize
from .verification import single_stage_comparison, t_interval, tandem_comparison

# Open asylum cases at first instance, ../shared/DOMAIN.md section 2.3.
PUBLISHED = {
    2023: (50_000, "~50,000 end 2023 (IND 2 Feb 2024); 44,030 Dec 2023 excl. nareis (NHnieuws Dec 2023)"),
    2024: (51_000, "~51,000 end 2024 (upday Jan 2025, IND jaarcijfers 2024)"),
    2025: (51_000, ">51,000 early 2026 (upday 3 Feb 2026, IND jaarcijfers 2025)"),
}
HISTORY = Path(__file__).resolve().parents[2] / "scenarios" / "history_2023_2025.yaml"


def verification_table(scale: float = 1.0) -> pd.DataFrame:
    """Exact against simulated mean backlog (99% interval) for one stage at utilisation 0.5, 0.8,
    0.95 and a two-stage tandem; ``scale`` < 1 shortens the runs (wider intervals)."""
    rows = []
    for rho in (0.5, 0.8, 0.95):
        years, reps = (12, 8) if rho < 0.9 else (25, 10)
        r = single_stage_comparison(rho, years=max(4, round(years * scale)), reps=max(4, round(reps * scale)))
        lo, hi = t_interval(r["means"])
        rows.append(("one stage, c = 10/day", rho, r["exact_mean"], r["means"].mean(), lo, hi, len(r["means"])))
    for lam, c1, c2 in ((2.0, 4, 3), (3.2, 4, 4)):
        r = tandem_comparison(lam, c1, c2, years=max(4, round(10 * scale)), reps=max(4, round(8 * scale)))
        for stage in (0, 1):
            lo, hi = t_interval(r["means"][:, stage])
            c = (c1, c2)[stage]
            rows.append((f"tandem, stage {stage + 1}, c = {c}/day", lam / c, r["exact"][stage],
                         r["means"][:, stage].mean(), lo, hi, len(r["means"])))
    out = pd.DataFrame(rows, columns=["network", "utilisation", "exact", "simulated", "low_99", "high_99",
                                      "replications"])
    out["inside"] = (out.low_99 <= out.exact) & (out.exact <= out.high_99)
    return out


def history_table(replications: int = 10, **kw) -> pd.DataFrame:
    """The backtest's asylum backlog at each year end against the published figure, with the error."""
    r = simulate(load_scenario(HISTORY), replications=replications, keep_cases="none", **kw)
    y = r.yearly[(r.yearly.figure == "backlog_end") & (r.yearly.category == "asylum")]
    table = summarize(y, ["year"])
    table["published"] = [PUBLISHED[int(y)][0] for y in table.year]
    table["source"] = [PUBLISHED[int(y)][1] for y in table.year]
    table["error"] = (table["mean"] - table.published) / table.published
    return table
