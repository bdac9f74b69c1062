"""The experiment case: 6 scenarios x 30 replications of their horizon (7 years), with 1 and with 2
worker processes, printing wall time, replications per second and the speed-up.

Scenarios: the baseline and the five main shock files. No cache; per-case tables not kept
(as ``indsim compare`` does). Replications of a scenario run in batches (``--max-batch``,
default the runner's; 1 = one replication at a time, as before batching). Target (issue 15): the
whole experiment in at most 40 s on 2 workers, main process at most 1 GB.

    uv run python benchmarks/bench_experiment.py [--replications 30] [--workers 1 2] [--max-batch 10]
"""

from __future__ import annotations

import argparse
import time

from _common import ROOT, peak_rss_mb

from simulator.experiment import runner, simulate
from simulator.scenario import load_scenario

SCENARIOS = ["baseline", "asielnoodmaatregelenwet", "tweestatusstelsel", "amp", "ketenpartner", "combined"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--replications", type=int, default=30)
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--max-batch", type=int, default=runner.MAX_BATCH, help="replications per batch at most")
    args = ap.parse_args()
    runner.MAX_BATCH = args.max_batch
    scenarios = [load_scenario(ROOT / "scenarios" / f"{name}.yaml") for name in SCENARIOS]
    n = len(scenarios) * args.replications
    print(f"{len(scenarios)} scenarios x {args.replications} replications = {n} replications, "
          f"batches of at most {args.max_batch}")
    times: dict[int, float] = {}
    for workers in args.workers:
        t = time.perf_counter()
        simulate(scenarios, args.replications, seed=1, workers=workers, keep_cases="none")
        times[workers] = time.perf_counter() - t
        print(f"{workers} worker(s): {times[workers]:7.1f} s  ({n / times[workers]:.2f} replications/s)", flush=True)
    if 1 in times:
        for workers, sec in times.items():
            if workers != 1:
                print(f"speed-up with {workers} workers: {times[1] / sec:.2f}x")
    print(f"peak memory (main process): {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
