"""The 10x yardstick: this engine against the idiomatic simpy model of the same network.

The idiomatic model has one simpy process per case and a ``simpy.Resource`` per stage, with c
servers taking exactly one day per case (so each stage serves up to c cases a day, M/D/c), and
Poisson arrivals at the same rate. Both run in this one invocation on the same number of cases;
the script prints each one's cases per second, the ratio, and both mean numbers of cases in the
system as a check that both ran a stable queue at the same load. They differ by design: the
idiomatic model holds every case in service for a whole day at each stage (about 2 x 150 in
service), the engine counts a day's cases waiting between its two daily work phases (about 150).

The engine runs as the tool's commands run it: with the model's memory policy (freed memory kept
for the next run, :mod:`simulator.model.memory`) and each run's columns handed on to the next.
``--memory default`` leaves the C library's defaults, so every run faults its memory in afresh.

    uv run python benchmarks/yardstick.py [--network tandem|single] [--runs 3] [--memory tool|default]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

import numpy as np
import simpy

from simulator.model import compile_scenario, prepare_memory
from simulator.model.engine import Engine, members
from simulator.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
NETWORKS = {"tandem": "scenarios/verification/tandem_ind_scale.yaml",
            "single": "scenarios/verification/single_stage.yaml"}


def idiomatic(lam: float, capacities: list[int], n_cases: int, seed: int = 1) -> tuple[int, float, float]:
    """One process per case, a Resource per stage; returns (cases done, seconds, mean queue)."""
    env = simpy.Environment()
    rng = np.random.default_rng(seed)
    stages = [simpy.Resource(env, capacity=c) for c in capacities]
    inside = [0]
    arrived = [0]
    samples: list[int] = []

    def case(env):
        inside[0] += 1
        for res in stages:
            with res.request() as req:
                yield req
                yield env.timeout(1.0)
        inside[0] -= 1

    def source(env):
        for _ in range(n_cases):
            yield env.timeout(rng.exponential(1.0 / lam))
            arrived[0] += 1
            env.process(case(env))

    def observe(env):
        while arrived[0] < n_cases or inside[0] > 0:
            yield env.timeout(1.0)
            samples.append(inside[0])

    env.process(source(env))
    env.process(observe(env))
    start = time.perf_counter()
    env.run()
    return n_cases, time.perf_counter() - start, float(np.mean(samples))


def engine(path: Path, seed: int) -> tuple[int, float, float]:
    """One replication as the tool's commands run it (:func:`simulator.model.run_batch`): in a
    process with the model's memory policy, handing its columns on to the next run."""
    s = load_scenario(path)
    compiled = compile_scenario(s)
    start = time.perf_counter()
    e = Engine(members(compiled, seed)).run()
    run = e.take(0)
    e.give_back()
    seconds = time.perf_counter() - start
    return run.cases.n, seconds, float(run.daily.stock.sum(axis=(1, 2)).mean())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--network", choices=sorted(NETWORKS), default="tandem")
    ap.add_argument("--runs", type=int, default=3, help="timed runs of each (median reported)")
    ap.add_argument("--memory", choices=["tool", "default"], default="tool",
                    help="the memory policy of the tool's processes (simulator.model.memory) or the C library's")
    args = ap.parse_args()
    path = ROOT / NETWORKS[args.network]
    if args.memory == "tool":
        prepare_memory()  # as run_batch does in every process that runs replications
    s = load_scenario(path)
    lam = s.streams["cases"].monthly_volume.value * 12 / 365.25
    capacities = [round(s.pools[p].fte.value) for p in sorted(s.pools)]
    engine(path, 0)  # warm-up (imports, first compilation)
    ours, theirs = [], []
    for run in range(args.runs):
        n, sec, q = engine(path, run + 1)
        ours.append((n, sec, q))
        m, sec2, q2 = idiomatic(lam, capacities, n, seed=run + 1)
        theirs.append((m, sec2, q2))
    n = ours[0][0]
    ours_s = statistics.median(x[1] for x in ours)
    theirs_s = statistics.median(x[1] for x in theirs)
    print(f"network: {args.network} ({path.relative_to(ROOT)}), {lam:.1f} cases a day, capacities {capacities}; "
          f"memory policy: {args.memory}")
    print(f"cases per run: {n:,}; {args.runs} runs each, medians")
    print(f"engine    : {ours_s:8.2f} s  {n / ours_s:12,.0f} cases/s  mean cases in system "
          f"{statistics.mean(x[2] for x in ours):8.1f}")
    print(f"yardstick : {theirs_s:8.2f} s  {n / theirs_s:12,.0f} cases/s  mean cases in system "
          f"{statistics.mean(x[2] for x in theirs):8.1f}")
    print("(the means differ by design: the idiomatic model holds each case a whole day at each stage, about "
          "2 x the daily inflow in service; the engine counts the cases waiting between its daily work phases)")
    print(f"ratio engine/yardstick: {theirs_s / ours_s:.1f}x (issue 15: target >= 20x; 10x before)")


if __name__ == "__main__":
    main()
