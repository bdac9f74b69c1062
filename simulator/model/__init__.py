"""The discrete-event model: builds the chain from a scenario, runs one replication, returns tables.

No plotting, no files, no user interface here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from ..scenario import Scenario
from .compiled import Compiled, compile_scenario
from .engine import Engine
from .recorder import Run
from .results import FIGURES, METRIC_COLUMNS, METRICS, YEARLY_COLUMNS, cases_table, daily, metrics, yearly

__all__ = ["FIGURES", "METRICS", "METRIC_COLUMNS", "YEARLY_COLUMNS", "Compiled", "Engine", "Replication",
           "Run", "compile_scenario", "run_replication", "run_replications"]


@dataclass
class Replication:
    """The plain tables of one run of one scenario with one random seed."""

    scenario: str
    replication: int
    seed: int
    metrics: pd.DataFrame
    yearly: pd.DataFrame
    cases: pd.DataFrame | None
    daily: pd.DataFrame
    records: Run | None = None
    inflow_factor: float = 1.0


def run_replication(scenario: Scenario, replication: int = 0, seed: int | None = None,
                    keep_cases: bool = True, compiled: Compiled | None = None,
                    keep_records: bool = False, inflow_factor: float = 1.0) -> Replication:
    """Run replication number ``replication`` of a scenario (seed defaults to the scenario's).

    ``inflow_factor`` multiplies all outside inflow (uncertainty about the inflow level).
    """
    return run_replications(scenario, [replication], seed, [keep_cases], compiled, keep_records,
                            [inflow_factor])[0]


def run_replications(scenario: Scenario, replications: Sequence[int], seed: int | None = None,
                     keep_cases: Sequence[bool] | bool = False, compiled: Compiled | None = None,
                     keep_records: bool = False, inflow_factors: Sequence[float] | None = None,
                     ) -> list[Replication]:
    """Run several replications of one scenario as one batch (much faster than one by one).

    Each result is identical to running that replication alone. ``keep_cases`` may be given per
    replication; ``keep_records`` keeps each replication's records (:class:`recorder.Run`).
    """
    seed = scenario.seed if seed is None else seed
    reps = list(replications)
    keep = [keep_cases] * len(reps) if isinstance(keep_cases, bool) else list(keep_cases)
    factors = [1.0] * len(reps) if inflow_factors is None else list(inflow_factors)
    engine = Engine(compiled or compile_scenario(scenario), seed, reps, factors).run()
    out = []
    for i, (replication, keep_i, factor) in enumerate(zip(reps, keep, factors, strict=True)):
        run = engine.take(i)
        m = metrics(run)
        m.insert(0, "replication", replication)
        m.insert(0, "scenario", scenario.name)
        y = yearly(run)
        y.insert(0, "replication", replication)
        y.insert(0, "scenario", scenario.name)
        out.append(Replication(
            scenario=scenario.name,
            replication=replication,
            seed=seed,
            metrics=m[METRIC_COLUMNS],
            yearly=y[YEARLY_COLUMNS],
            cases=_with_scenario(cases_table(run), scenario.name) if keep_i else None,
            daily=daily(run),
            records=run if keep_records else None,
            inflow_factor=factor,
        ))
    if not keep_records:
        engine.give_back()
    return out


def _with_scenario(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    frame.insert(0, "scenario", name)
    return frame
