"""Which capacity binds: the pool that limits a scenario's outcome in a year.

A pool binds when it works flat out (utilisation at or near 100%) and its line still grows: more
work arrives than it can do, so cases wait for it. When several pools are flat out, the one whose
line grew most binds (the others would run dry first if it got more staff); when none is, the
busiest pool is shown, as the nearest limit. The figures come from the yearly table's pool rows
(``utilisation``, ``queue_end``; category is the pool's name).
"""

from __future__ import annotations

import pandas as pd

from ..model import POOL_FIGURES

SATURATED = 0.95  # utilisation from which a pool counts as working flat out
COLUMNS = ["scenario", "year", "pool", "utilisation", "queue_end", "queue_growth", "saturated"]


def pool_table(yearly: pd.DataFrame) -> pd.DataFrame:
    """Mean utilisation and year-end line per scenario, year and pool (over replications), with
    the line's growth in the year."""
    rows = yearly[yearly.figure.isin(POOL_FIGURES)]
    wide = rows.pivot_table(index=["scenario", "year", "category"], columns="figure", values="value",
                            aggfunc="mean").reset_index().rename(columns={"category": "pool"})
    wide = wide.sort_values(["scenario", "pool", "year"])
    before = wide.groupby(["scenario", "pool"]).queue_end.shift(1)
    wide["queue_growth"] = (wide.queue_end - before).fillna(0.0)
    wide["saturated"] = wide.utilisation >= SATURATED
    return wide.reset_index(drop=True)


def binding_pools(yearly: pd.DataFrame) -> pd.DataFrame:
    """One row per scenario and year: the pool that binds (see the module docstring)."""
    table = pool_table(yearly)
    if table.empty:
        return pd.DataFrame(columns=COLUMNS)
    ranked = table.sort_values(["scenario", "year", "saturated", "queue_growth", "utilisation"],
                               ascending=[True, True, False, False, False])
    return ranked.groupby(["scenario", "year"], sort=True).head(1)[COLUMNS].reset_index(drop=True)
