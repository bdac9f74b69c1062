"""Speed of one replication of the baseline: cases simulated, wall seconds, cases per second and
peak memory, for the engine alone and for the full replication with its tables; then the same
per replication when ``--batch`` replications run side by side in one engine; then the marginal
throughput of the engine (issue 15's measure): the extra cases of a batch of ``--marginal``
replications over a batch of one, divided by the extra seconds (best of ``--runs`` each). The
process runs as the tool's commands do: with the model's memory policy, each engine handing its
columns on to the next (:func:`simulator.model.run_batch`).

    uv run python benchmarks/bench_baseline.py [--runs 3] [--batch 10] [--marginal 4] [--years 5]
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from _common import BASELINE, peak_rss_mb

from simulator.model import compile_scenario, prepare_memory, run_replication, run_replications
from simulator.model.engine import Engine, members
from simulator.scenario import load_scenario


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3, help="timed runs (median reported)")
    ap.add_argument("--scenario", type=Path, default=BASELINE)
    ap.add_argument("--batch", type=int, default=10, help="replications per batch (0: skip)")
    ap.add_argument("--marginal", type=int, default=4, help="batch size for the marginal throughput (0: skip)")
    ap.add_argument("--years", type=int, default=None, help="horizon in years (default: the scenario's)")
    args = ap.parse_args()
    scenario = load_scenario(args.scenario)
    if args.years:
        scenario = scenario.model_copy(update={"horizon_years": args.years})
    compiled = compile_scenario(scenario)
    prepare_memory()  # as run_batch does in every process that runs replications
    Engine(members(compiled, scenario.seed, 99)).run().give_back()  # warm-up: imports and first-use caches
    engine_s, full_s, cases = [], [], 0
    for r in range(args.runs):
        t = time.perf_counter()
        e = Engine(members(compiled, scenario.seed, r)).run()
        engine_s.append(time.perf_counter() - t)
        cases = e.cases.n
        e.give_back()
        t = time.perf_counter()
        run_replication(scenario, r, compiled=compiled)
        full_s.append(time.perf_counter() - t)
    e_med, f_med = statistics.median(engine_s), statistics.median(full_s)
    print(f"scenario: {args.scenario.name}, {scenario.horizon_years} years, {args.runs} runs, medians")
    print(f"cases simulated per replication: {cases:,}")
    print(f"engine only              : {e_med:6.2f} s  {cases / e_med:10,.0f} cases/s")
    print(f"replication with tables  : {f_med:6.2f} s  {cases / f_med:10,.0f} cases/s")
    print(f"peak memory (process)    : {peak_rss_mb():6.0f} MB")
    if args.batch > 1:
        t = time.perf_counter()
        run_replications(scenario, list(range(args.batch)), compiled=compiled)
        per = (time.perf_counter() - t) / args.batch
        print(f"in a batch of {args.batch:<3d}        : {per:6.2f} s per replication with tables "
              f"({f_med / per:.1f}x faster than alone)")
        print(f"peak memory (process)    : {peak_rss_mb():6.0f} MB")
    if args.marginal > 1:
        best: dict[int, tuple[float, int]] = {}
        for _ in range(args.runs):  # alternating, so that a drift of the machine hits both
            for n in (1, args.marginal):
                t = time.perf_counter()
                e = Engine(members(compiled, scenario.seed, list(range(n)))).run()
                best[n] = min(best.get(n, (float("inf"), 0)), (time.perf_counter() - t, e.cases.n))
                e.give_back()
        (t1, c1), (tn, cn) = best[1], best[args.marginal]
        print(f"marginal (engine)        : {(cn - c1) / (tn - t1):10,.0f} cases/s (batch of 1: {c1:,} cases in "
              f"{t1:.2f} s; of {args.marginal}: {cn:,} in {tn:.2f} s)")


if __name__ == "__main__":
    main()
