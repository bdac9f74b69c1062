"""What do we need from others? The smallest extra capacity per lever that meets a target.

For each lever (IND asylum staff, the courts, lawyers, the chain partner, ...) a bisection on
extra FTE from a start date finds the least capacity with which the target is met in at least the
requested share of replications. Extra staff in a pool that hires arrive through hiring, so its
training delay and yearly intake cap apply; other pools get the FTE at once. All evaluations share
the seed, so the search compares like with like.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ..scenario import Scenario
from .cache import ResultCache
from .figures import Target
from .runner import execute, tasks_for
from .stats import interval
from .variants import Lever, add_capacity, default_levers, variant

COLUMNS = ["lever", "pools", "current_fte", "extra_fte", "reachable", "probability", "figure_mean",
           "figure_low", "figure_high", "training_months", "intake_cap", "start"]


@dataclass
class Evaluation:
    extra: float
    probability: float
    mean: float
    low: float
    high: float


def evaluate(s: Scenario, target: Target, lever: Lever, extra: float, start: dt.date,
             replications: int, seed: int, workers: int | None, cache: ResultCache | None) -> Evaluation:
    """Share of replications meeting the target with ``extra`` FTE on ``lever`` from ``start``."""
    last = target.last_year(s.end.year)
    name = f"{s.name}+{lever.name}+{extra:g}"
    v = variant(s, name, (lambda d: add_capacity(d, lever, extra, start)) if extra > 0 else (lambda d: None),
                last)
    reps = execute(tasks_for([v], replications, seed, keep_cases="none"), workers, cache=cache)
    yearly = pd.concat([r.yearly for r in reps], ignore_index=True)
    met = target.met(yearly)
    sel = yearly[(yearly.figure == target.figure) & (yearly.category == target.category)
                 & (yearly.year == target.year)]
    mean, low, high = interval(sel.value.to_numpy())
    return Evaluation(extra, float(met.mean()), mean, low, high)


def search(s: Scenario, target: Target, lever: Lever, probability: float, start: dt.date,
           replications: int, seed: int, workers: int | None = None, cache: ResultCache | None = None,
           max_extra: float | None = None, resolution: float | None = None,
           progress: Callable[[str], None] | None = None) -> tuple[Evaluation, bool]:
    """The least extra FTE meeting the target (and whether it was reachable within max_extra)."""
    current = sum(s.pools[p].fte.value for p in lever.pools)
    max_extra = max_extra if max_extra is not None else max(50.0, 3 * current)
    resolution = resolution if resolution is not None else max(1.0, round(0.01 * current))

    def at(x: float) -> Evaluation:
        e = evaluate(s, target, lever, x, start, replications, seed, workers, cache)
        if progress:
            progress(f"{lever.name}: +{x:g} FTE -> target met in {e.probability:.0%} of replications")
        return e

    none = at(0.0)
    if none.probability >= probability:
        return none, True
    top = at(max_extra)
    if top.probability < probability:
        return top, False
    lo, hi, best = 0.0, max_extra, top
    while hi - lo > resolution:
        mid = round((lo + hi) / 2 / resolution) * resolution
        if mid <= lo or mid >= hi:
            break
        e = at(mid)
        if e.probability >= probability:
            hi, best = mid, e
        else:
            lo = mid
    return best, True


def requirements(s: Scenario, target: Target, probability: float = 0.8, levers: list[Lever] | None = None,
                 start: dt.date | None = None, replications: int = 10, seed: int | None = None,
                 workers: int | None = None, cache: ResultCache | None = None,
                 max_extra: float | None = None, resolution: float | None = None,
                 progress: Callable[[str], None] | None = None) -> tuple[pd.DataFrame, Evaluation]:
    """Per lever the least extra capacity for the target; and the situation without any."""
    seed = s.seed if seed is None else seed
    start = start or s.start
    levers = levers or default_levers(s)
    rows = []
    without = None
    for lever in levers:
        best, reachable = search(s, target, lever, probability, start, replications, seed, workers, cache,
                                 max_extra, resolution, progress)
        if without is None:
            without = evaluate(s, target, lever, 0.0, start, replications, seed, workers, cache)
        hiring = [s.pools[p].hiring for p in lever.pools]
        rows.append((lever.name, ", ".join(lever.pools), sum(s.pools[p].fte.value for p in lever.pools),
                     best.extra if reachable else None, reachable, best.probability, best.mean, best.low,
                     best.high, max((h.training_months.value for h in hiring if h), default=0.0),
                     sum(h.intake_cap_per_year.value for h in hiring if h and h.intake_cap_per_year) or None,
                     start.isoformat()))
    table = pd.DataFrame(rows, columns=COLUMNS)
    table.attrs.update(target=str(target), probability=probability, replications=replications, seed=seed,
                       scenario=s.name)
    return table, without
