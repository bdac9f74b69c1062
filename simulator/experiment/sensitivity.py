"""One-at-a-time sensitivity: each parameter down and up by a fraction, effect on one figure.

All variants share the seed with the base run, so each effect is a paired difference per
replication with its own interval; a tornado chart shows them sorted by size.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..errors import ScenarioError
from ..scenario import Scenario
from .cache import ResultCache
from .figures import Figure
from .runner import execute, tasks_for
from .stats import interval
from .variants import Parameter, default_parameters, variant

COLUMNS = ["parameter", "base", "low", "high", "effect_low", "effect_low_ci", "effect_high",
           "effect_high_ci", "swing"]


@dataclass(frozen=True)
class Sensitivity:
    """The effects on one figure, sorted by swing, with what is needed to trace them.
    ``parameters`` follow the table's row order. ``skipped``: (parameter, 'low' or 'high', why)
    for a side that gives no valid scenario (its effect is NaN; the swing is the other side's)."""

    scenario: Scenario
    figure: Figure
    fraction: float
    replications: int
    seed: int
    parameters: list[Parameter]
    table: pd.DataFrame
    skipped: tuple[tuple[str, str, str], ...] = ()


def sensitivity(s: Scenario, figure: Figure, parameters: list[Parameter] | None = None,
                fraction: float = 0.2, replications: int = 5, seed: int | None = None,
                workers: int | None = None, cache: ResultCache | None = None,
                progress: Callable[[int, int], None] | None = None) -> Sensitivity:
    """Effect on ``figure`` of each parameter at (1 - fraction) and (1 + fraction).

    A side that makes the scenario invalid is left out and said, not fatal: a rate varied on the
    base's routes can collide with what an intervention adds to them later (the combined
    scenario's chain partner raises the appeal rate by 3 points, so +20% on it leaves a negative
    share for the rejections nobody appeals)."""
    seed = s.seed if seed is None else seed
    parameters = parameters or default_parameters(s)
    base = variant(s, s.name, lambda d: None, figure.year)
    scenarios, skipped = [base], []
    for i, p in enumerate(parameters):
        for sign, factor in (("low", 1 - fraction), ("high", 1 + fraction)):
            try:
                scenarios.append(variant(s, f"{s.name}~{i}~{sign}", lambda d, p=p, f=factor: p.apply(d, f),
                                         figure.year))
            except ScenarioError as exc:
                skipped.append((p.name, sign, exc.lines()[0].split(": ", 1)[-1]))
    reps = execute(tasks_for(scenarios, replications, seed, keep_cases="none", yearly_only=True), workers,
                   progress, cache=cache)
    yearly = pd.concat([r.yearly for r in reps], ignore_index=True)
    values = figure.values(yearly).pivot_table(index="replication", columns="scenario", values="value")
    b = values[base.name]
    rows = []
    for i, p in enumerate(parameters):
        lo, hi = (values.get(f"{s.name}~{i}~{sign}", pd.Series(float("nan"), index=b.index))
                  for sign in ("low", "high"))
        d_lo, d_hi = (interval((x - b).to_numpy()) if x.notna().all() else (float("nan"),) * 3 for x in (lo, hi))
        swing = abs(np.nan_to_num(d_hi[0]) - np.nan_to_num(d_lo[0]))  # a side left out: from the base
        rows.append((p.name, b.mean(), lo.mean(), hi.mean(), d_lo[0], (d_lo[2] - d_lo[1]) / 2,
                     d_hi[0], (d_hi[2] - d_hi[1]) / 2, swing))
    out = pd.DataFrame(rows, columns=COLUMNS).sort_values("swing", ascending=False)
    order = [parameters[i] for i in out.index]
    return Sensitivity(s, figure, fraction, replications, seed, order, out.reset_index(drop=True), tuple(skipped))
