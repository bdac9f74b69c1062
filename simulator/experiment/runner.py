"""Experiments: many replications of one or more scenarios, in parallel, reproducibly.

Every scenario in an experiment runs with the same seed, so replication r of two scenarios sees
the same arrivals and the same per-case random draws (common random numbers): their difference
is the effect of the policy, not noise. Results never depend on the number of workers: each
replication is a pure function of (scenario, seed, replication number), and results are put
back in (scenario, replication) order.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import multiprocessing as mp
import os
import signal
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from functools import partial

import numpy as np
import pandas as pd
from scipy import stats

from .. import __version__
from ..errors import IndsimError
from ..lifeline import die_with_parent
from ..model import FIGURES, METRICS, Compiled, Replication, compile_scenario, run_batch
from ..model.rng import Tag, seed_key
from ..scenario import Scenario, scenario_hash
from .cache import ResultCache


@dataclass(frozen=True)
class Task:
    """One replication to run; plain data, so it can travel to a worker process or cluster."""

    scenario: Scenario
    replication: int
    seed: int
    keep_cases: bool
    inflow_factor: float = 1.0
    # Changes to the scenario's numbers, made where the task runs (an exploration's variants are
    # built and compiled on the workers): see simulator.experiment.explore.space.with_overrides.
    overrides: tuple = ()
    # Only the yearly table (the outcomes of an exploration, a requirements search or a
    # sensitivity run): the monthly snapshots and the metrics table, about a fifth of a
    # replication's time, are not made.
    yearly_only: bool = False

    def build(self) -> Scenario:
        """The scenario this task runs (with its overrides, if any)."""
        if not self.overrides:
            return self.scenario
        from .explore.space import with_overrides

        return with_overrides(self.scenario, self.overrides)


def run_tasks(tasks: list[Task], advanced: Callable[[float], None] | None = None) -> list[Replication]:
    """Run replications of one or more scenarios in as few batches as their structures allow
    (module-level, so that process pools and Dask workers can import it). Each scenario (or
    variant) is built and compiled once; the numbers equal those of each task run alone.
    ``advanced(share)`` hears now and then what share of the tasks' simulated days is done."""
    built: dict[tuple, Scenario] = {}
    compiled: dict[tuple, Compiled] = {}
    groups: dict[tuple, list[int]] = {}
    for i, t in enumerate(tasks):
        key = (id(t.scenario), t.overrides)
        if key not in compiled:
            built[key] = t.build()
            compiled[key] = compile_scenario(built[key])
        groups.setdefault(compiled[key].structure.signature, []).append(i)
    out: list[Replication | None] = [None] * len(tasks)
    finished = 0
    for group in groups.values():
        batch = [tasks[i] for i in group]
        keys = [(id(t.scenario), t.overrides) for t in batch]
        tell = None if advanced is None else partial(_overall, advanced, finished, len(batch), len(tasks))
        reps = run_batch([built[k] for k in keys], [t.replication for t in batch], [t.seed for t in batch],
                         [t.keep_cases for t in batch], [t.inflow_factor for t in batch],
                         compiled=[compiled[k] for k in keys], metrics_of=[not t.yearly_only for t in batch],
                         advanced=tell)
        finished += len(batch)
        for i, rep in zip(group, reps, strict=True):
            out[i] = rep if rep.metrics is None else dataclasses.replace(rep, metrics=labels_as_categories(rep.metrics))
    return out  # type: ignore[return-value]


def _overall(advanced: Callable[[float], None], before: int, size: int, total: int, share: float) -> None:
    """A batch's share of its days as the share of all the tasks (``before`` of them done)."""
    advanced((before + share * size) / total)


def labels_as_categories(frame: pd.DataFrame) -> pd.DataFrame:
    """The table with its text columns as categoricals. A metrics table is mostly a handful of
    repeated labels (scenario, metric, stream, stage, ...): as categories they cost one byte a row
    instead of about sixteen, which is what keeps an experiment's tables small in the parent
    process and on their way from the workers (issue 15: the 6 x 30 comparison)."""
    text = [c for c in frame.columns if pd.api.types.is_string_dtype(frame[c].dtype)
            and not isinstance(frame[c].dtype, pd.CategoricalDtype)]
    return frame.astype(dict.fromkeys(text, "category")) if text else frame


def concat_tables(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Tables concatenated with categorical columns kept categorical: each column's categories
    become the sorted union, so codes of different replications mean the same label and sorting
    by the column sorts by its text, as before."""
    frames = [labels_as_categories(f) for f in frames]
    if not frames:
        return pd.DataFrame()
    for col in frames[0].columns:
        if isinstance(frames[0][col].dtype, pd.CategoricalDtype):
            union = sorted(set().union(*(f[col].cat.categories for f in frames)))
            frames = [f.assign(**{col: f[col].cat.set_categories(union)}) for f in frames]
    return pd.concat(frames, ignore_index=True)


# Replications per batch at most. Alone, larger batches are faster per replication (measured on
# 2026-11-28, before the compiled loops of the lines and the calendar: the 5-year
# combined scenario: 2.45 s in a batch of 10, 2.05 s in a batch of 30, at 1.5 and 3.7 GB), but
# two workers with batches of 15 finished the experiment benchmark in 274 s against 252 s with
# batches of 10: two large batches side by side contend for cache and memory bandwidth.
# MAX_BATCH_DAYS bounds memory for long horizons: replications x simulated days per batch.
MAX_BATCH = 10
MAX_BATCH_DAYS = 10 * 1826


def _family(s: Scenario) -> tuple:
    """Scenarios that may share a batch start on one day, run as long, work the same days and
    name the same streams, stages, pools, procedures and outcomes (the structure a batch shares,
    :attr:`compiled.Structure.signature`, read without compiling; :func:`run_tasks` splits a
    batch further where the compiled structures still differ). Variants of one scenario are one
    family; two shock files seldom are, and a batch cut in two at their border runs as two small
    batches, which cost more a replication."""
    return (s.start, s.n_days, tuple(s.calendar.workdays), tuple(s.calendar.holidays), tuple(s.streams),
            tuple(s.stages), tuple(s.pools), tuple(s.procedures), tuple(s.outcomes))


def batches(tasks: list[Task], todo: list[int], workers: int, most: int | None = None) -> list[list[int]]:
    """Task indices grouped into batches of one family of scenarios (in task order, so each
    batch holds few scenarios), small enough to keep every worker busy (at most ``most``
    replications each, default :data:`MAX_BATCH`, and at most :data:`MAX_BATCH_DAYS`
    replication-days). The batches come in whole rounds of ``workers``, by splitting the largest
    further: 29 batches of 7 on 2 workers take 15 rounds, the last with one worker idle; 30
    batches of 6-7 take 15 shorter ones."""
    most = MAX_BATCH if most is None else most
    groups: dict[tuple, list[int]] = {}
    for i in todo:
        groups.setdefault(_family(tasks[i].scenario), []).append(i)
    families = list(groups.values())
    counts = []
    for group in families:
        by_memory = MAX_BATCH_DAYS // tasks[group[0]].scenario.n_days
        size = max(1, min(most, by_memory, -(-len(group) // max(1, workers))))
        counts.append(-(-len(group) // size))
    if workers > 1 and sum(counts) > workers:  # whole rounds: as many, each shorter, no worker idle in the last
        for _ in range(-sum(counts) % workers):
            k = max(range(len(families)), key=lambda k: len(families[k]) / counts[k])
            if len(families[k]) == counts[k]:
                break
            counts[k] += 1
    out = []
    for group, n in zip(families, counts, strict=True):  # sizes one apart at most: a small last batch costs more
        out += [group[k * len(group) // n: (k + 1) * len(group) // n] for k in range(n)]
    return out


def inflow_factors(scenario: Scenario, seed: int, replications: int) -> list[float]:
    """Inflow level per replication, from the scenario's ``uncertainty.inflow_level`` band.

    Replication r uses the same uniform in every scenario (common random numbers), drawn from
    its own SeedSequence child so that it never disturbs the randomness inside the run.
    """
    band = scenario.uncertainty.inflow_level
    if band is None:
        raise ValueError(f"scenario {scenario.name!r} has no uncertainty.inflow_level band")
    out = []
    for r in range(replications):
        state = seed_key(seed, r, Tag.INFLOW_LEVEL)
        u = (float(state >> np.uint64(11)) + 0.5) / 2**53
        c = (band.mode - band.low) / (band.high - band.low) if band.high > band.low else 0.5
        out.append(float(stats.triang.ppf(u, c, loc=band.low, scale=band.high - band.low))
                   if band.high > band.low else band.low)
    return out


@dataclass
class Results:
    """Everything an experiment produced, as plain tables plus what is needed to trace it."""

    scenarios: dict[str, Scenario]
    seed: int
    replications: int
    metrics: pd.DataFrame
    yearly: pd.DataFrame
    cases: pd.DataFrame | None
    levels: pd.DataFrame = field(default_factory=pd.DataFrame)
    inflow_band: bool = False
    parameter_uncertainty: dict | None = None
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
            "inflow_band": self.inflow_band,
            **({"parameter_uncertainty": self.parameter_uncertainty} if self.parameter_uncertainty else {}),
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
              keep_cases: str = "first", inflow_band: bool = False, parameter_uncertainty=None,
              yearly_only: bool = False) -> list[Task]:
    """The replications of an experiment, in canonical (scenario, replication) order.

    ``parameter_uncertainty`` (:class:`~.posterior.ParameterUncertainty`): replication r of every
    scenario runs with the same posterior sample (a variant of the scenario, same name).
    ``yearly_only``: for a search that reads the yearly table only (see :class:`Task`)."""
    out = []
    for s in scenarios:
        factors = inflow_factors(s, seed, replications) if inflow_band else [1.0] * replications
        for r in range(replications):
            keep = keep_cases == "all" or (keep_cases == "first" and r == 0)
            run = parameter_uncertainty.variant(s, seed, r)[0] if parameter_uncertainty else s
            out.append(Task(run, r, seed, keep, factors[r], yearly_only=yearly_only))
    return out


def _pool_context():
    """Workers forked from this process where the system can: they start at once, with the
    simulator loaded and its kernels compiled. The default is not always fork: a dashboard
    computation runs in a child of a fork server (:mod:`.jobs`), whose default would start a
    fork server of its own, a fresh interpreter without the compiled kernels; its workers began
    their batches 2.3 s after the pool was made (0.3 s forked) and ran them colder."""
    return mp.get_context("fork" if "fork" in mp.get_all_start_methods() else None)


def execute(tasks: list[Task], workers: int | None = None,
            progress: Callable[[int, int], None] | None = None, cluster=None,
            cache: ResultCache | None = None,
            on_result: Callable[[int, Replication], None] | None = None) -> list[Replication]:
    """Run tasks and return their results in task order, whatever finishes first.

    Local processes by default (``workers=1``: in this process); ``cluster``: a Dask scheduler
    address, Client or cluster. Replications of one scenario run in batches (:func:`batches`).
    Tasks in ``cache`` are not run again; new results are stored as soon as their batch
    finishes, so an interrupted experiment loses only the running batches. ``on_result(i, rep)``
    sees every result as it arrives (cached ones first), e.g. to stream it to disk.
    ``progress(done, total)`` hears the replications' worth of work done (see :class:`Tally`),
    from this thread only; it may raise to stop the run.
    """
    results: list[Replication | None] = [cache.get(t) if cache else None for t in tasks]
    todo = [i for i, r in enumerate(results) if r is None]
    if on_result:
        for i, r in enumerate(results):
            if r is not None:
                on_result(i, r)
    tally = Tally(progress, len(tasks), len(tasks) - len(todo))

    def finish_batch(batch: list[int], reps: list[Replication]) -> None:
        for i, rep in zip(batch, reps, strict=True):
            results[i] = rep
            if cache:
                cache.put(tasks[i], rep)
            if on_result:
                on_result(i, rep)
            tally.finished()

    n = default_workers() if workers is None else max(1, workers)
    if not todo:
        pass
    elif cluster is not None:
        _on_dask(tasks, todo, cluster, finish_batch)
    elif n == 1 or len(todo) == 1:
        for k, batch in enumerate(batches(tasks, todo, 1)):
            tell = None if progress is None else partial(tally.advanced, k, len(batch))
            reps = run_tasks([tasks[i] for i in batch], tell)
            tally.closed(k)
            finish_batch(batch, reps)
    else:
        _in_pool(tasks, batches(tasks, todo, n), n, tally, finish_batch)
    return results  # type: ignore[return-value]


def _in_pool(tasks: list[Task], groups: list[list[int]], n: int, tally: Tally, finish_batch) -> None:
    """The batches in a pool of ``n`` local worker processes, each passed on as it finishes, and
    (when someone listens) the workers' reports of how far they are, every :data:`HEAR_S`."""
    ctx = _pool_context()
    heard = ctx.SimpleQueue() if tally.progress else None  # (batch, size, share) from the workers
    pool = ProcessPoolExecutor(max_workers=min(n, len(groups)), mp_context=ctx, initializer=_start_worker,
                               initargs=(heard,))
    try:
        futures = {pool.submit(_run_batch, k, [tasks[i] for i in batch]): k for k, batch in enumerate(groups)}
        pending = set(futures)
        while pending:
            ready, pending = wait(pending, timeout=None if heard is None else HEAR_S, return_when=FIRST_COMPLETED)
            while heard is not None and not heard.empty():
                tally.advanced(*heard.get())
            for fut in ready:
                tally.closed(futures[fut])
                finish_batch(groups[futures[fut]], fut.result())
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown(wait=True)


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool at once (Ctrl-C, SIGTERM, an error): batches not begun are dropped and running
    ones killed, as they would be lost anyway. Waiting for the pool, as its own shutdown does,
    first ran every queued batch: Ctrl-C in an exploration took half a minute and more."""
    workers = list((pool._processes or {}).values())  # Python 3.14 has pool.terminate_workers()
    pool.shutdown(wait=False, cancel_futures=True)
    for worker in workers:
        with contextlib.suppress(OSError, ValueError):
            worker.terminate()
    # SIGTERM (SystemExit) between the pool's forks and the start of its thread leaves a thread
    # that shutdown cannot join: its RuntimeError must not hide why we stop
    with contextlib.suppress(RuntimeError):
        pool.shutdown(wait=True)


HEAR_S = 0.5  # how often the parent passes on how far the workers' batches are


class Tally:
    """What an experiment's ``progress(done, total)`` hears: replications' worth of work done,
    never going back. A finished replication counts whole; a running batch counts the share of
    its simulated days done, at most all but one of its replications until they are finished.
    A batch of 5 replications of 7 years takes seconds, and a bar that only moved when
    batches finished would stand still for them (the dashboard's what-if: 10 s)."""

    def __init__(self, progress: Callable[[int, int], None] | None, total: int, done: int):
        self.progress, self.total, self.done, self.shown = progress, total, done, done
        self.running: dict[int, int] = {}
        self.over: set[int] = set()
        if progress:
            progress(done, total)

    def advanced(self, batch: int, size: int, share: float) -> None:
        """Batch number ``batch`` of ``size`` replications has simulated ``share`` of its days."""
        if batch not in self.over:
            self.running[batch] = min(int(share * size), size - 1)
            self._tell(False)

    def closed(self, batch: int) -> None:
        """The batch's run is over; its replications are passed on one by one (:meth:`finished`)."""
        self.over.add(batch)
        self.running.pop(batch, None)

    def finished(self) -> None:
        """One more replication done (told every time, so a caller may stop after any one)."""
        self.done += 1
        self._tell(True)

    def _tell(self, always: bool) -> None:
        value = max(self.shown, min(self.done + sum(self.running.values()), self.total))
        if self.progress and (always or value > self.shown):
            self.shown = value
            self.progress(value, self.total)


_heard = None  # in a worker of execute's pool: where to tell the parent how far its batch is


def _start_worker(heard) -> None:
    global _heard
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the whole process group: the parent stops us
    _heard = heard


def _run_batch(k: int, tasks: list[Task]) -> list[Replication]:
    """:func:`run_tasks` in a worker of :func:`execute`, telling the parent how far it is."""
    heard = _heard
    return run_tasks(tasks, None if heard is None else lambda share: heard.put((k, len(tasks), share)))


CONNECT_TIMEOUT_S = 10  # a dead scheduler address fails after this long, with one line


def _on_dask(tasks: list[Task], todo: list[int], cluster, finish_batch) -> None:
    """Run on a Dask distributed scheduler; a batch on a worker that dies is run again elsewhere."""
    from dask.distributed import Client
    from dask.distributed import as_completed as dask_completed

    own = not isinstance(cluster, Client)
    try:
        client = Client(cluster, timeout=f"{CONNECT_TIMEOUT_S}s") if own else cluster
    except (OSError, TimeoutError) as exc:
        raise IndsimError(f"Dask scheduler {cluster}: no answer within {CONNECT_TIMEOUT_S} s "
                          f"({str(exc).splitlines()[0] if str(exc) else type(exc).__name__}); "
                          "check --cluster or INDSIM_DASK_SCHEDULER") from None
    try:
        groups = batches(tasks, todo, max(1, sum(client.nthreads().values())))
        futures = client.map(run_tasks, [[tasks[i] for i in batch] for batch in groups], pure=False, retries=3)
        index = {f.key: batch for f, batch in zip(futures, groups, strict=True)}
        for fut in dask_completed(futures):
            finish_batch(index[fut.key], fut.result())
    finally:
        if own:
            client.close()


def simulate(scenarios: Scenario | Iterable[Scenario], replications: int = 1, seed: int | None = None,
             workers: int | None = None, keep_cases: str = "first",
             progress: Callable[[int, int], None] | None = None, cluster=None,
             cache: ResultCache | None = None, inflow_band: bool = False,
             parameter_uncertainty=None) -> Results:
    """Run an experiment and gather its tables.

    ``seed`` defaults to the first scenario's seed; every scenario uses it (common random
    numbers). ``keep_cases``: "first" (per-case table of replication 0), "all" or "none".
    ``inflow_band``: draw each replication's inflow level from the scenarios' uncertainty band.
    ``parameter_uncertainty``: a :class:`~.posterior.ParameterUncertainty`; each replication
    draws one posterior sample (``levels.posterior_sample`` says which).
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
    pu = parameter_uncertainty
    tasks = tasks_for(scenarios, replications, seed, keep_cases, inflow_band, pu)
    results = assemble(scenarios, execute(tasks, workers, progress, cluster, cache), seed, replications,
                       inflow_band)
    if pu is not None:
        results.levels["posterior_sample"] = [pu.index(seed, int(r)) for r in results.levels.replication]
        results.parameter_uncertainty = pu.describe()
    return results


def with_units(table: pd.DataFrame, column: str, units: dict[str, tuple[str, str]]) -> pd.DataFrame:
    """The table with a ``unit`` column before ``value`` (lead times in days, shares as 0-1, euro),
    so that no reader has to guess what a number counts."""
    at = list(table.columns).index("value")
    key = table[column]
    if isinstance(key.dtype, pd.CategoricalDtype):  # look up each label once, keep the codes
        names = [units.get(c, ("", ""))[0] for c in key.cat.categories]
        kinds = sorted(set(names))
        where = np.array([kinds.index(n) for n in names], dtype=np.int64)
        unit = pd.Categorical.from_codes(where[key.cat.codes.to_numpy()], categories=kinds)
    else:
        unit = key.map({k: u for k, (u, _) in units.items()}).fillna("")
    return table.assign(unit=unit)[[*table.columns[:at], "unit", *table.columns[at:]]]


def assemble(scenarios: list[Scenario], reps: list[Replication], seed: int, replications: int,
             inflow_band: bool = False) -> Results:
    """Gather replications into one Results, in (scenario, replication) order."""
    order = {s.name: i for i, s in enumerate(scenarios)}
    reps = sorted(reps, key=lambda r: (order[r.scenario], r.replication))
    cases = [r.cases for r in reps if r.cases is not None]
    return Results(
        scenarios={s.name: s for s in scenarios},
        seed=seed,
        replications=replications,
        metrics=with_units(concat_tables([r.metrics for r in reps]), "metric", METRICS),
        yearly=with_units(pd.concat([r.yearly for r in reps], ignore_index=True), "figure", FIGURES),
        cases=pd.concat(cases, ignore_index=True) if cases else None,
        levels=pd.DataFrame({"scenario": [r.scenario for r in reps],
                             "replication": [r.replication for r in reps],
                             "inflow_factor": [r.inflow_factor for r in reps]}),
        inflow_band=inflow_band,
    )
