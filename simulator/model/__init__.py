"""The discrete-event model: builds the chain from a scenario, runs one replication, returns tables.

No plotting, no files, no user interface here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from ..scenario import Scenario
from .compiled import Compiled, compile_scenario
from .engine import Engine
from .results import FIGURES, METRIC_COLUMNS, METRICS, YEARLY_COLUMNS, cases_table, daily, metrics, yearly

__all__ = ["FIGURES", "METRICS", "METRIC_COLUMNS", "YEARLY_COLUMNS", "Compiled", "Engine", "Replication",
           "compile_scenario", "run_replication"]


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
    engine: Engine | None = None
    inflow_factor: float = 1.0


def run_replication(scenario: Scenario, replication: int = 0, seed: int | None = None,
                    keep_cases: bool = True, compiled: Compiled | None = None,
                    keep_engine: bool = False, inflow_factor: float = 1.0) -> Replication:
    """Run replication number ``replication`` of a scenario (seed defaults to the scenario's).

    ``inflow_factor`` multiplies all outside inflow (uncertainty about the inflow level).
    """
    seed = scenario.seed if seed is None else seed
    engine = Engine(compiled or compile_scenario(scenario), seed, replication, inflow_factor).run()
    m = metrics(engine)
    m.insert(0, "replication", replication)
    m.insert(0, "scenario", scenario.name)
    m = m[METRIC_COLUMNS]
    y = yearly(engine)
    y.insert(0, "replication", replication)
    y.insert(0, "scenario", scenario.name)
    return Replication(
        scenario=scenario.name,
        replication=replication,
        seed=seed,
        metrics=m,
        yearly=y[YEARLY_COLUMNS],
        cases=_with_scenario(cases_table(engine), scenario.name) if keep_cases else None,
        daily=daily(engine),
        engine=engine if keep_engine else None,
        inflow_factor=inflow_factor,
    )


def _with_scenario(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    frame.insert(0, "scenario", name)
    return frame
