"""Running an exploration through the project's runner, streaming finished experiments to a journal.

An experiment is one future (a point of the design) under one policy, run for R replications
with the exploration's seed (common random numbers: every experiment sees the same arrivals and
per-case draws wherever the rules agree). Each is a variant of one scenario: the tasks carry
plain overrides and the workers build and compile the variants, so variants of one structure
run side by side in the engine's batches (local processes or a Dask cluster, as ``execute``
chooses), and finished replications are kept in the result cache.

As each experiment finishes its outcomes are appended to a journal (one JSON line each, flushed).
A rerun with the same scenario, space, design, seed and replications reads the journal and runs
only the experiments not in it; a journal of another exploration is ignored.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ... import __version__
from ...errors import IndsimError
from ...model import POOL_FIGURES
from ...scenario import Scenario, scenario_hash
from ..binding import binding_pools
from ..cache import ResultCache
from ..runner import Task, execute
from .design import Design, make_design
from .space import Space

ID_COLUMNS = ["experiment", "future", "policy"]


@dataclass
class Exploration:
    """The experiments of an exploration: one row each, inputs then outcomes."""

    scenario: Scenario
    space: Space
    design: Design
    table: pd.DataFrame
    inputs: list[str]
    levers: list[str]
    outcomes: list[str]
    seed: int
    replications: int
    ran: int  # experiments run now (the others came from the journal)
    planned: int = 0  # experiments of the design (more than the table holds for an interim look)

    def info(self) -> dict:
        """Provenance for the manifest."""
        sp = self.space
        return {
            "kind": "exploration", "scenario": self.scenario.name, "scenario_hash": scenario_hash(self.scenario),
            "start": self.scenario.start.isoformat(), "end": self.scenario.end.isoformat(),
            "sampler": self.design.sampler, "sobol_base_samples": self.design.base if self.design.sampler == "sobol"
            else None, "futures": self.design.futures, "policies": [p.name for p in sp.policies],
            "experiments": len(self.table), "planned": self.planned or len(self.table),
            "interim": len(self.table) < (self.planned or len(self.table)),
            "replications": self.replications, "seed": self.seed,
            "spec_files": sp.files, "uncertainties": {k: v.model_dump(mode="json", exclude_defaults=True)
                                                 for k, v in sp.uncertainties.items()},
            "levers": {k: v.model_dump(mode="json", exclude_defaults=True) for k, v in sp.levers.items()},
            "never_year": sp.never_year(),
        }


def experiment_inputs(space: Space, design: Design) -> tuple[pd.DataFrame, list[tuple, ...]]:
    """One row per experiment (ids and input values) and its overrides and inflow factor."""
    dims = space.dims
    rows, changes = [], []
    for f, u in enumerate(design.units):
        values = {d.name: space.value(d, x) for d, x in zip(dims, u, strict=True)}
        for policy in space.policies:
            levers = {name: policy.levers.get(name, (it.values or [it.low])[0]) for name, it in space.levers.items()}
            rows.append({"experiment": len(rows), "future": f, "policy": policy.name, **values, **levers})
            changes.append(space.overrides(values, levers))
    return pd.DataFrame(rows), changes


def outcomes_of(reps) -> dict:
    """Main figures per category and year (mean over replications), and the binding pool per year."""
    yearly = pd.concat([r.yearly for r in reps], ignore_index=True)
    main = yearly[~yearly.figure.isin(POOL_FIGURES)]
    mean = main.groupby(["figure", "category", "year"], sort=True).value.mean()
    out = {f"{fig}.{cat}.{year}": float(v) for (fig, cat, year), v in mean.items()}
    yearly = yearly.assign(scenario="x")
    for row in binding_pools(yearly).itertuples():
        out[f"binding_pool.{row.year}"] = str(row.pool)
    return out


def _fingerprint(space: Space, design: Design, seed: int, replications: int, changes: list) -> str:
    blob = json.dumps({"scenario": scenario_hash(space.scenario), "units": design.units.round(12).tolist(),
                       "changes": changes, "seed": seed, "replications": replications,
                       "version": __version__}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:32]


def _read_journal(path: Path | None, fingerprint: str) -> dict[int, dict]:
    if path is None or not path.exists():
        return {}
    done: dict[int, dict] = {}
    with path.open(encoding="utf-8") as f:
        lines = f.read().splitlines()
    if not lines or json.loads(lines[0]).get("fingerprint") != fingerprint:
        return {}
    for line in lines[1:]:
        try:
            rec = json.loads(line)
        except json.JSONDecodeError:  # the line being written when the run stopped
            break
        done[int(rec["experiment"])] = rec["outcomes"]
    return done


def explore(space: Space, experiments: int, sampler: str = "lhs", seed: int | None = None,
            replications: int = 1, workers: int | None = None, cluster=None, cache: ResultCache | None = None,
            journal: Path | None = None, progress: Callable[[int, int], None] | None = None,
            stop_after: int | None = None, journal_only: bool = False) -> Exploration:
    """Run an exploration of ``space.scenario``: about ``experiments`` experiments (futures x
    policies), each ``replications`` replications. ``journal``: the file finished experiments
    stream to (and are resumed from). ``stop_after``: stop after that many new experiments
    (for tests of resuming; raises KeyboardInterrupt as a user would). ``journal_only``: run
    nothing, analyse the experiments the journal holds (an interim look at a long exploration)."""
    s = space.scenario
    seed = s.seed if seed is None else seed
    design = make_design(space, experiments, sampler, seed)
    inputs, changes = experiment_inputs(space, design)
    fingerprint = _fingerprint(space, design, seed, replications, changes)
    done = _read_journal(journal, fingerprint)
    if journal_only and not done:
        raise IndsimError(f"{journal}: no finished experiments of this exploration to analyse")
    # Tasks in chunks of futures (whole Saltelli blocks, so that an interrupted exploration can
    # already be analysed), within a chunk ordered by structure (see _structure_key).
    chunk = 2 * (len(set(design.groups)) + 2) if design.sampler == "sobol" else 32
    futures = inputs.future.to_numpy()
    todo = sorted((e for e in range(len(inputs)) if e not in done),
                  key=lambda e: (futures[e] // chunk, _structure_key(changes[e][0]), e))
    tasks, owner = [], []
    for e in todo:
        overrides, inflow = changes[e]
        for r in range(replications):
            tasks.append(Task(s, r, seed, False, inflow, overrides, yearly_only=True))
            owner.append(e)
    handle = None
    if journal is not None:
        journal.parent.mkdir(parents=True, exist_ok=True)
        fresh = not done
        handle = None if journal_only else journal.open("w" if fresh else "a", encoding="utf-8")
        if fresh and handle is not None:
            handle.write(json.dumps({"fingerprint": fingerprint}) + "\n")
            handle.flush()
    pending: dict[int, list] = {}
    new = 0

    def on_result(i: int, rep) -> None:
        nonlocal new
        e = owner[i]
        pending.setdefault(e, []).append(rep)
        if len(pending[e]) < replications:
            return
        done[e] = outcomes_of(pending.pop(e))
        new += 1
        if handle is not None:
            handle.write(json.dumps({"experiment": e, "outcomes": done[e]}) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        if progress:
            progress(len(done), len(inputs))
        if stop_after is not None and new >= stop_after:
            raise KeyboardInterrupt("stopped after the requested number of experiments")

    try:
        if tasks and not journal_only:
            execute(tasks, workers, None, cluster, cache, on_result=on_result)
    finally:
        if handle is not None:
            handle.close()
    if not done:
        raise IndsimError("no finished experiments to analyse")
    outcomes = pd.DataFrame.from_dict(done, orient="index").sort_index()
    outcome_cols = sorted(outcomes.columns, key=_outcome_order)
    table = inputs.loc[outcomes.index].join(outcomes[outcome_cols]).reset_index(drop=True)
    return Exploration(s, space, design, table, [d.name for d in space.dims], list(space.levers), outcome_cols,
                       seed, replications, 0 if journal_only else len(todo), len(inputs))


def _structure_key(overrides: tuple) -> tuple:
    """Which interventions a variant switches on or off: variants that agree on this share a
    structure (the same stages, outcomes and procedures over their versions), so ordering the
    tasks by it lets the runner's batches hold one structure each instead of being split."""
    return tuple((keys, value) for op, keys, value in overrides if keys[-1] == "enabled")


def _outcome_order(col: str) -> tuple:
    parts = col.split(".")
    return (parts[0] == "binding_pool", parts[0], parts[1] if len(parts) > 2 else "", parts[-1])


def numeric_inputs(ex: Exploration) -> pd.DataFrame:
    """Inputs for PRIM and CART: numbers as floats, choices as categories."""
    x = ex.table[ex.inputs + ex.levers].copy()
    for c in x.columns:
        if x[c].dtype == object or str(x[c].dtype).startswith(("str", "string")):
            x[c] = x[c].astype(str).astype("category")
        else:
            x[c] = x[c].astype(float)
    return x
