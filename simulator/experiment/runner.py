"""Experiments: many replications of one or more scenarios, in parallel, reproducibly.

Every scenario in an experiment runs with the same seed, so replication r of two scenarios sees
the same arrivals and the same per-case random draws (common random numbers): their difference
is the effect of the policy, not noise. Results never depend on the number of workers: each
replication is a pure function of (scenario, seed, replication number), and results are put
back in (scenario, replication) order.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field

import pandas as pd

from .. import __version__
from ..model import Replication, run_replication
from ..scenario import Scenario, scenario_hash


@dataclass(frozen=True)
class Task:
    """One replication to run; plain data, so it can travel to a worker process or cluster."""

    scenario: Scenario
    replication: int
    seed: int
    keep_cases: bool


def run_task(task: Task) -> Replication:
    """Run one task (module-level so that process pools and Dask workers can import it)."""
    return run_replication(task.scenario, task.replication, task.seed, keep_cases=task.keep_cases)


@dataclass
class Results:
    """Everything an experiment produced, as plain tables plus what is needed to trace it."""

    scenarios: dict[str, Scenario]
    seed: int
    replications: int
    metrics: pd.DataFrame
    yearly: pd.DataFrame
    cases: pd.DataFrame | None
    created: str = field(default_factory=lambda: dt.datetime.now(dt.UTC).isoformat(timespec="seconds"))

    @property
    def names(self) -> list[str]:
        return list(self.scenarios)

    def manifest(self) -> dict:
        """Provenance: which scenario content, code version and seeds produced these tables."""
        return {
            "package": "indsim",
            "version": __version__,
            "created": self.created,
            "seed": self.seed,
            "replications": self.replications,
            "scenarios": {
                name: {
                    "hash": scenario_hash(s),
                    "title": s.title.nl,
                    "start": s.start.isoformat(),
                    "end": s.end.isoformat(),
                }
                for name, s in self.scenarios.items()
            },
        }


def default_workers() -> int:
    """All local cores (at least one)."""
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1)


def tasks_for(scenarios: Iterable[Scenario], replications: int, seed: int,
              keep_cases: str = "first") -> list[Task]:
    """The replications of an experiment, in canonical (scenario, replication) order."""
    out = []
    for s in scenarios:
        for r in range(replications):
            keep = keep_cases == "all" or (keep_cases == "first" and r == 0)
            out.append(Task(s, r, seed, keep))
    return out


def execute(tasks: list[Task], workers: int | None = None,
            progress: Callable[[int, int], None] | None = None) -> list[Replication]:
    """Run tasks on local processes (``workers=1``: in this process) in task order."""
    workers = default_workers() if workers is None else max(1, workers)
    done: list[Replication] = []
    if workers == 1 or len(tasks) == 1:
        for i, t in enumerate(tasks):
            done.append(run_task(t))
            if progress:
                progress(i + 1, len(tasks))
        return done
    with ProcessPoolExecutor(max_workers=min(workers, len(tasks))) as pool:
        for i, rep in enumerate(pool.map(run_task, tasks)):
            done.append(rep)
            if progress:
                progress(i + 1, len(tasks))
    return done


def simulate(scenarios: Scenario | Iterable[Scenario], replications: int = 1, seed: int | None = None,
             workers: int | None = None, keep_cases: str = "first",
             progress: Callable[[int, int], None] | None = None) -> Results:
    """Run an experiment and gather its tables.

    ``seed`` defaults to the first scenario's seed; every scenario uses it (common random
    numbers). ``keep_cases``: "first" (per-case table of replication 0), "all" or "none".
    """
    scenarios = [scenarios] if isinstance(scenarios, Scenario) else list(scenarios)
    if not scenarios:
        raise ValueError("simulate needs at least one scenario")
    names = [s.name for s in scenarios]
    if len(set(names)) != len(names):
        raise ValueError(f"scenario names must differ, got {names}")
    if replications < 1:
        raise ValueError("replications must be at least 1")
    seed = scenarios[0].seed if seed is None else seed
    reps = execute(tasks_for(scenarios, replications, seed, keep_cases), workers, progress)
    cases = [r.cases for r in reps if r.cases is not None]
    return Results(
        scenarios={s.name: s for s in scenarios},
        seed=seed,
        replications=replications,
        metrics=pd.concat([r.metrics for r in reps], ignore_index=True),
        yearly=pd.concat([r.yearly for r in reps], ignore_index=True),
        cases=pd.concat(cases, ignore_index=True) if cases else None,
    )
