"""What do we need from others? The smallest extra capacity per lever that meets a target.

For each lever (IND asylum staff, the courts, lawyers, the chain partner, ...) a bisection on
extra FTE from a start date finds the least capacity with which the target is met in at least the
requested share of replications. Extra staff in a pool that hires arrive through hiring, so its
training delay and yearly intake cap apply; other pools get the FTE at once. All evaluations share
the seed, so the search compares like with like.

When a lever cannot reach the target, the result says what limits it: the training delay, the
hiring cap, another pool that binds first, or that more of this capacity makes the figure worse
(extra work in progress at a pool that is already full). Results are typed objects; the words
are the report layer's.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace

import pandas as pd

from ..model import POOL_FIGURES
from ..scenario import Scenario
from .binding import binding_pools
from .cache import ResultCache
from .figures import Target, check_shown, late_decisions, of_year
from .runner import execute, tasks_for
from .stats import interval
from .variants import Lever, add_capacity, default_levers, variant

COLUMNS = ["lever", "pools", "current_fte", "extra_fte", "reachable", "probability", "figure_mean",
           "figure_low", "figure_high", "training_months", "intake_cap", "start", "limit", "binding_pool"]
FULL = 0.97  # a pool used at least this much over the target year is full (it binds)
Limit = str  # "", "training", "hiring_cap", "worse", "other_pool", "too_small"


@dataclass(frozen=True)
class Evaluation:
    """The target's figure with ``extra`` FTE: share of replications meeting it, mean and 95%
    interval, the IND pool that binds in the target year (outside the lever; ``binding``), and
    people in reception then."""

    extra: float
    probability: float
    mean: float
    low: float
    high: float
    binding: str = ""
    utilisation: float = float("nan")
    reception: float = float("nan")
    values: tuple[float, ...] = ()  # the figure per replication (for paired comparisons)
    # in the target's category and year: first decisions on cases already past their term, and
    # cases open past their term at the end (what moves a within-term share against intuition)
    late: float = float("nan")
    past_term: float = float("nan")


@dataclass(frozen=True)
class LeverResult:
    """The answer for one lever: the least extra FTE (``reachable``) or why there is none."""

    lever: Lever
    current_fte: float
    reachable: bool
    best: Evaluation  # the least extra that meets the target; unreachable: the largest tried
    none: Evaluation  # no extra capacity
    max_extra: float
    training_months: float
    intake_cap: float | None
    hireable: float | None  # FTE hiring can make productive by the end of the target year (None: no cap)
    limit: Limit = ""


@dataclass(frozen=True)
class Requirements:
    """All levers' answers for one target, with what is needed to trace them."""

    scenario: Scenario
    target: Target
    probability: float
    replications: int
    seed: int
    start: dt.date
    without: Evaluation
    levers: list[LeverResult] = field(default_factory=list)

    def table(self) -> pd.DataFrame:
        rows = [(r.lever.name, ", ".join(r.lever.pools), r.current_fte, r.best.extra if r.reachable else None,
                 r.reachable, r.best.probability, r.best.mean, r.best.low, r.best.high, r.training_months,
                 r.intake_cap, self.start.isoformat(), r.limit, r.best.binding) for r in self.levers]
        return pd.DataFrame(rows, columns=COLUMNS)


def default_start(s: Scenario, today: dt.date | None = None) -> dt.date:
    """The first day of the coming month (extra staff cannot start in the past), at the earliest
    the scenario's start; a scenario that lies wholly in the past (a backtest) starts at its start."""
    today = today or dt.date.today()
    first = dt.date(today.year + today.month // 12, today.month % 12 + 1, 1)
    return s.start if first > s.end else max(first, s.start)


def evaluate(s: Scenario, target: Target, lever: Lever, extra: float, start: dt.date,
             replications: int, seed: int, workers: int | None, cache: ResultCache | None) -> Evaluation:
    """Share of replications meeting the target with ``extra`` FTE on ``lever`` from ``start``."""
    last = target.last_year(s.end.year)
    name = f"{s.name}+{lever.name}+{extra:g}"
    v = variant(s, name, (lambda d: add_capacity(d, lever, extra, start)) if extra > 0 else (lambda d: None),
                last)
    reps = execute(tasks_for([v], replications, seed, keep_cases="none", yearly_only=True), workers, cache=cache)
    yearly = pd.concat([r.yearly for r in reps], ignore_index=True)
    met = target.met(yearly)
    sel = yearly[(yearly.figure == target.figure) & (yearly.category == target.category)
                 & (yearly.year == target.year)]
    mean, low, high = interval(sel.value.to_numpy())
    reception = yearly[(yearly.figure == "reception_end") & (yearly.year == target.year)].value.sum() / len(reps)
    ind = [p for p, pool in s.pools.items() if pool.owner == "ind" and p not in lever.pools]
    rows = yearly[yearly.figure.isin(POOL_FIGURES) & yearly.category.isin(ind)]
    pools = binding_pools(rows) if not rows.empty else pd.DataFrame(columns=["year", "pool", "saturated"])
    here = pools[pools.year == target.year]
    binding = str(here.pool.iloc[0]) if len(here) and bool(here.saturated.iloc[0]) else ""
    values = tuple(float(v) for v in sel.sort_values("replication").value)
    year = of_year(yearly, name, target.year, target.category)
    late = late_decisions(year).mean() if {"first_decisions", "within_term_share"} <= set(year) else float("nan")
    past = year.past_term_end.mean() if "past_term_end" in year else float("nan")
    return Evaluation(extra, float(met.mean()), mean, low, high, binding,
                      float(here.utilisation.iloc[0]) if len(here) else float("nan"), float(reception), values,
                      float(late), float(past))


def _hiring(s: Scenario, lever: Lever, start: dt.date, year: int) -> tuple[float, float | None, float | None]:
    """(training months, yearly intake cap, FTE hiring can make productive by the end of
    ``year``) over the lever's pools that hire; no cap: None."""
    hiring = [s.pools[p].hiring for p in lever.pools if s.pools[p].hiring is not None]
    training = max((h.training_months.value for h in hiring), default=0.0)
    caps = [h.intake_cap_per_year.value for h in hiring if h.intake_cap_per_year is not None]
    if not caps:
        return training, None, None
    productive = (dt.date(year, 12, 31) - start).days / 365.25 - training / 12
    return training, sum(caps), max(0.0, sum(caps) * productive)


def limit(target: Target, lever_result: LeverResult, top: Evaluation, end: dt.date, start: dt.date) -> Limit:
    """Why a lever cannot reach the target: training, hiring cap, worse, another pool, too small."""
    r = lever_result
    if r.training_months and start + dt.timedelta(days=r.training_months * 30.44) > end:
        return "training"
    diff = [a - b for a, b in zip(top.values, r.none.values, strict=True)]
    _, low, high = interval(diff) if len(diff) > 1 else (0.0, float("nan"), float("nan"))
    worse = (low > 0) if target.op in ("<=", "<") else (high < 0)  # paired: beyond the replications' noise
    if worse:
        return "worse"
    if r.hireable is not None and r.hireable < r.max_extra:
        return "hiring_cap"
    if abs(top.mean - r.none.mean) <= 0.02 * max(abs(r.none.mean), 1e-9) and top.binding:
        return "other_pool"
    return "too_small"


def search(s: Scenario, target: Target, lever: Lever, probability: float, start: dt.date,
           replications: int, seed: int, workers: int | None = None, cache: ResultCache | None = None,
           max_extra: float | None = None, resolution: float | None = None,
           progress: Callable[[Lever, Evaluation], None] | None = None) -> LeverResult:
    """The least extra FTE meeting the target, or the largest tried and what limits it."""
    current = sum(s.pools[p].fte.value for p in lever.pools)
    max_extra = max_extra if max_extra is not None else max(50.0, 3 * current)
    resolution = resolution if resolution is not None else max(1.0, round(0.01 * current))

    def at(x: float) -> Evaluation:
        e = evaluate(s, target, lever, x, start, replications, seed, workers, cache)
        if progress:
            progress(lever, e)
        return e

    training, cap, hireable = _hiring(s, lever, start, target.year)
    none = at(0.0)

    def result(best: Evaluation, reachable: bool) -> LeverResult:
        return LeverResult(lever, current, reachable, best, none, max_extra, training, cap, hireable)

    if none.probability >= probability:
        return result(none, True)
    top = at(max_extra)
    if top.probability < probability:
        r = result(top, False)
        end = dt.date(s.end.year if target.every_year_from else target.year, 12, 31)
        return replace(r, limit=limit(target, r, top, end, start))
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
    return result(best, True)


def requirements(s: Scenario, target: Target, probability: float = 0.8, levers: list[Lever] | None = None,
                 start: dt.date | None = None, replications: int = 10, seed: int | None = None,
                 workers: int | None = None, cache: ResultCache | None = None,
                 max_extra: float | None = None, resolution: float | None = None,
                 progress: Callable[[Lever, Evaluation], None] | None = None,
                 today: dt.date | None = None) -> Requirements:
    """Per lever the least extra capacity for the target; and the situation without any.
    Extra capacity starts on ``start`` (default: the first day of the coming month)."""
    check_shown(s, target, "target")
    seed = s.seed if seed is None else seed
    start = start or default_start(s, today)
    levers = levers or default_levers(s)
    found = [search(s, target, lever, probability, start, replications, seed, workers, cache, max_extra,
                    resolution, progress) for lever in levers]
    return Requirements(s, target, probability, replications, seed, start, found[0].none, found)
