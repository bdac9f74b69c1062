"""The discrete-event model: builds the chain from a scenario, runs one replication, returns tables.

No plotting, no files, no user interface here.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import pandas as pd

from ..scenario import Scenario
from .compiled import Compiled, compile_scenario
from .engine import Engine, Member, members
from .memory import prepare as prepare_memory
from .recorder import Run
from .results import (
    FIGURES,
    METRIC_COLUMNS,
    METRICS,
    POOL_FIGURES,
    YEARLY_CASE_COLUMNS,
    YEARLY_COLUMNS,
    cases_table,
    daily,
    metrics,
    yearly,
)

__all__ = ["FIGURES", "METRICS", "METRIC_COLUMNS", "POOL_FIGURES", "YEARLY_COLUMNS", "Compiled", "Engine", "Member",
           "Replication", "Run", "compile_scenario", "members", "run_batch", "run_replication", "run_replications"]


@dataclass
class Replication:
    """The plain tables of one run of one scenario with one random seed (``metrics`` is None
    when only the yearly figures were asked for, ``cases`` unless the cases were)."""

    scenario: str
    replication: int
    seed: int
    metrics: pd.DataFrame | None
    yearly: pd.DataFrame
    cases: pd.DataFrame | None
    daily: pd.DataFrame
    records: Run | None = None
    inflow_factor: float = 1.0


def run_replication(scenario: Scenario, replication: int = 0, seed: int | None = None,
                    keep_cases: bool = True, compiled: Compiled | None = None,
                    keep_records: bool = False, inflow_factor: float = 1.0) -> Replication:
    """Run replication number ``replication`` of a scenario (seed defaults to the scenario's).

    ``inflow_factor`` multiplies the outside inflow of the streams of the scenario's inflow band
    (all when it names none): uncertainty about the inflow level.
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
    n = len(replications)
    return run_batch([scenario] * n, replications, [scenario.seed if seed is None else seed] * n,
                     [keep_cases] * n if isinstance(keep_cases, bool) else keep_cases,
                     [1.0] * n if inflow_factors is None else inflow_factors,
                     compiled=None if compiled is None else [compiled] * n, keep_records=keep_records)


def run_batch(scenarios: Sequence[Scenario], replications: Sequence[int], seeds: Sequence[int],
              keep_cases: Sequence[bool], inflow_factors: Sequence[float],
              compiled: Sequence[Compiled] | None = None, keep_records: bool = False,
              metrics_of: Sequence[bool] | None = None,
              advanced: Callable[[float], None] | None = None) -> list[Replication]:
    """Run replications of scenarios that share a structure (the same names, dates and calendar,
    other numbers) side by side in one batch: one entry per replication in every sequence.

    A replication's numbers never depend on what else is in its batch. Each distinct scenario
    object is compiled once (unless ``compiled`` gives it). ``metrics_of``: per replication,
    whether to make its metrics table (default: all). ``advanced``: see :meth:`Engine.run`.
    """
    prepare_memory()
    if compiled is None:
        made: dict[int, Compiled] = {}
        for s in scenarios:
            if id(s) not in made:
                made[id(s)] = compile_scenario(s)
        compiled = [made[id(s)] for s in scenarios]
    batch = [Member(c, int(seed), int(r), float(f))
             for c, seed, r, f in zip(compiled, seeds, replications, inflow_factors, strict=True)]
    wanted = [True] * len(batch) if metrics_of is None else metrics_of
    engine = Engine(batch, year_ends_only=not keep_records and not any(wanted)).run(advanced)
    out = []
    for i, (s, m, keep_i, with_metrics) in enumerate(zip(scenarios, batch, keep_cases, wanted, strict=True)):
        run = engine.take(i, None if with_metrics or keep_i or keep_records else YEARLY_CASE_COLUMNS)
        frame = None
        if with_metrics:
            frame = metrics(run)
            frame.insert(0, "replication", m.replication)
            frame.insert(0, "scenario", s.name)
        y = yearly(run)
        y.insert(0, "replication", m.replication)
        y.insert(0, "scenario", s.name)
        out.append(Replication(
            scenario=s.name,
            replication=m.replication,
            seed=m.seed,
            metrics=None if frame is None else frame[METRIC_COLUMNS],
            yearly=y[YEARLY_COLUMNS],
            cases=_with_scenario(cases_table(run), s.name) if keep_i else None,
            daily=daily(run),
            records=run if keep_records else None,
            inflow_factor=m.inflow_factor,
        ))
    if not keep_records:
        engine.give_back()
    return out


def _with_scenario(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    frame.insert(0, "scenario", name)
    return frame
