"""The exploration case: N experiments of the 5-year combined scenario (1 replication each) with
the default uncertainties and levers, on local worker processes, no cache.

Prints wall time, CPU seconds of all processes (this one and its workers) and per experiment,
the projection for a Dask cluster of N workers, and a profile of the variants: how many
distinct structures they have (variants of one structure share the engine's batches) and the
share of a variant's CPU spent building, validating and compiling it against running it.
Target: 1,000 experiments in <= 15 minutes on 2 cores.

    uv run python benchmarks/bench_explore.py [--experiments 1000] [--workers 2] [--profile 10]
"""

from __future__ import annotations

import argparse
import os
import resource
import time

from _common import ROOT, peak_rss_mb

from simulator.experiment.explore import build_space, explore
from simulator.experiment.explore.design import make_design
from simulator.experiment.explore.run import experiment_inputs
from simulator.experiment.explore.space import with_overrides
from simulator.experiment.variants import variant
from simulator.model import compile_scenario, run_batch
from simulator.scenario import load_scenario

COMBINED = ROOT / "scenarios" / "combined.yaml"


def cpu_seconds() -> float:
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def profile(space, n: int, seed: int) -> None:
    """Build, compile and run n variants in this process, one batch, timing each step (CPU)."""
    design = make_design(space, n * len(space.policies), "lhs", seed)
    _, changes = experiment_inputs(space, design)
    changes = changes[:: max(1, len(changes) // n)][:n]
    t0 = time.process_time()
    built = [with_overrides(space.scenario, ov) for ov, _ in changes]
    t1 = time.process_time()
    compiled = [compile_scenario(v) for v in built]
    t2 = time.process_time()
    groups: dict[tuple, list[int]] = {}
    for i, c in enumerate(compiled):
        groups.setdefault(c.structure.signature, []).append(i)
    for idx in groups.values():  # one batch per structure, as the runner does
        run_batch([built[i] for i in idx], [0] * len(idx), [seed] * len(idx), [False] * len(idx),
                  [changes[i][1] for i in idx], compiled=[compiled[i] for i in idx],
                  metrics_of=[False] * len(idx))  # as the exploration's tasks: the yearly table only
    t3 = time.process_time()
    signatures = groups
    total = t3 - t0
    print(f"profile of {n} variants in one batch (CPU seconds): build and validate {t1 - t0:.1f} "
          f"({(t1 - t0) / total:.0%}), timeline and compile {t2 - t1:.1f} ({(t2 - t1) / total:.0%}), "
          f"engine and tables {t3 - t2:.1f} ({(t3 - t2) / total:.0%}); {len(signatures)} distinct structure(s) "
          f"of sizes {sorted(len(g) for g in signatures.values())}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--experiments", type=int, default=1000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--until", type=int, default=2030, help="last simulated year (2030: 5 years)")
    ap.add_argument("--profile", type=int, default=10, help="variants in the profile (0: none)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args()
    s = variant(load_scenario(COMBINED), "combined", lambda d: None, args.until)
    space = build_space(s, COMBINED)
    print(f"{s.name} {s.start}..{s.end}: {len(space.dims)} uncertainties, {len(space.policies)} policies; "
          f"{args.experiments} experiments, {args.workers} worker(s); load average {os.getloadavg()[0]:.1f}")
    if args.profile:
        profile(space, args.profile, args.seed)
    c0, t0 = cpu_seconds(), time.perf_counter()
    ex = explore(space, args.experiments, "lhs", args.seed, 1, workers=args.workers)
    wall, cpu = time.perf_counter() - t0, cpu_seconds() - c0
    n = len(ex.table)
    print(f"{n} experiments: {wall:.0f} s wall ({wall / n:.2f} s per experiment), {cpu:.0f} CPU seconds "
          f"({cpu / n:.2f} per experiment); load average {os.getloadavg()[0]:.1f}")
    print(f"projection for 1,000 experiments: {1000 * cpu / n / args.workers / 60:.1f} min on {args.workers} "
          f"free cores; on a Dask cluster of N workers about {1000 * cpu / n / 60:.0f} / N min "
          f"(e.g. N = 8: {1000 * cpu / n / 8 / 60:.1f} min), plus a few seconds to start each worker")
    print(f"peak memory (main process): {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
