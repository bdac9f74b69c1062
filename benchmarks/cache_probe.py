"""Do the routing kernels pay for reading case rows from memory? Each kernel's calls of a batch,
replayed with the caches flushed and again at once (rows in the cache), in nanoseconds a case,
next to what the same calls cost in the run itself.

If the run's cost sits near the replay with warm caches, the rows a pass reads are still in the
cache from the pass before, and doing several passes as one would save little of the reading;
if it sits near the cold replay, it would. Calls are taken after the first ``--skip`` calls of
each kernel (past the initial stock), those of more than 200 cases, up to ``--calls`` of them.
Replaying writes the same values again (hours, keys, tallies of a run that has ended), so the
engine's tables are not read afterwards.

    uv run python benchmarks/cache_probe.py [--scenario scenarios/baseline.yaml] [--batch 10]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from _common import BASELINE

from simulator.model import compile_scenario, prepare_memory
from simulator.model import engine as engine_module
from simulator.scenario import load_scenario

KERNELS = ("finish", "enter", "join")
FLUSH_MB = 256  # more than any cache of the machine


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", type=Path, default=BASELINE)
    ap.add_argument("--batch", type=int, default=10)
    ap.add_argument("--skip", type=int, default=3000, help="calls of each kernel before the ones replayed")
    ap.add_argument("--calls", type=int, default=200, help="calls of each kernel replayed")
    args = ap.parse_args()
    kernels = {name: getattr(engine_module, name) for name in KERNELS}
    calls: dict[str, list[tuple]] = {name: [] for name in KERNELS}
    in_run: dict[str, float] = dict.fromkeys(KERNELS, 0.0)
    seen: dict[str, int] = dict.fromkeys(KERNELS, 0)

    def watched(name: str):
        kernel = kernels[name]

        def call(*a):
            seen[name] += 1
            keep = seen[name] > args.skip and len(a[0]) > 200 and len(calls[name]) < args.calls
            if keep:  # small arrays (ids, stages, rows) copied: the engine reuses some of them
                calls[name].append(tuple(x.copy() if isinstance(x, np.ndarray) and x.size < 100_000 else x for x in a))
            t = time.perf_counter()
            out = kernel(*a)
            if keep:
                in_run[name] += time.perf_counter() - t
            return out
        return call

    for name in KERNELS:
        setattr(engine_module, name, watched(name))
    prepare_memory()
    compiled = compile_scenario(load_scenario(args.scenario))
    engine_module.Engine(engine_module.members(compiled, 1, [0])).run().give_back()  # kernels loaded
    for name in KERNELS:
        calls[name], in_run[name], seen[name] = [], 0.0, 0
    engine_module.Engine(engine_module.members(compiled, 1, list(range(1, 1 + args.batch)))).run()
    flush = np.ones(FLUSH_MB << 17)
    print(f"{args.scenario.name}, batch of {args.batch}: ns a case")
    print(f"{'kernel':8s} {'calls':>6s} {'cases':>10s} {'in the run':>11s} {'cold':>6s} {'warm':>6s}")
    for name in KERNELS:
        cold = warm = 0.0
        for a in calls[name]:
            flush += 1.0  # every cache line of the machine's caches replaced
            t = time.perf_counter()
            kernels[name](*a)
            cold += time.perf_counter() - t
            t = time.perf_counter()
            kernels[name](*a)
            warm += time.perf_counter() - t
        n = sum(len(a[0]) for a in calls[name])
        print(f"{name:8s} {len(calls[name]):6d} {n:10,d} {in_run[name] / n * 1e9:11.0f} {cold / n * 1e9:6.0f} "
              f"{warm / n * 1e9:6.0f}")


if __name__ == "__main__":
    main()
