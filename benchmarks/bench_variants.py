"""200 different parameter sets of the combined scenario, one replication each, on 2 workers: the
shape of an exploration, a requirements search, a sensitivity run or a calibration. Prints the
wall time of the whole experiment and what it is made of.

Each variant draws every parameter of the scenario that has a ``range`` in the assumption log
(but group shares) uniformly within that range (seeded, so every run makes the same variants). Variants share the
combined scenario's structure, so they batch together (ten different parameter sets a batch).
Two ways to run them (``--as``):

* ``explore`` (default): as ``indsim explore``, ``indsim requirements`` and ``indsim sensitivity``
  run theirs: each task carries its parameter values, the workers build and compile the variants,
  and make the yearly table only (what those commands read);
* ``simulate``: the variants made and validated here, then ``simulate()`` with every table (the
  monthly metrics too), as a calibration, which fits monthly series, needs them.

Target (issue 15): the experiment in at most 150 s on 2 cores.

    uv run python benchmarks/bench_variants.py [--variants 200] [--workers 2] [--as explore|simulate]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from _common import ROOT, peak_rss_mb

from simulator.experiment import simulate
from simulator.experiment.explore import paths as P
from simulator.experiment.runner import Task, execute
from simulator.experiment.variants import variant
from simulator.model import compile_scenario
from simulator.scenario import Scenario, load_scenario
from simulator.scenario.assumptions import leaves


def ranged(s: Scenario) -> dict[str, tuple[float, float]]:
    """Parameters (dotted paths to a sourced number) whose assumption log gives a range; not
    group shares, which must add up to 1 with their siblings before and after the policies."""
    return {path: (float(v["range"][0]), float(v["range"][1]))
            for path, v in leaves(s.model_dump(mode="json")).items()
            if v.get("range") and "[" not in path and not path.endswith(".share")}


def setter(values: dict[str, float]):
    """A change for :func:`variants.variant`: each path's value replaced."""
    def change(data: dict) -> None:
        for path, value in values.items():
            node = data
            for part in path.split("."):
                node = node[part]
            node["value"] = value
    return change


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--variants", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--as", dest="mode", choices=["explore", "simulate"], default="explore",
                    help="build the variants on the workers, yearly table only (explore), or here, every table")
    args = ap.parse_args()
    base = load_scenario(ROOT / "scenarios" / "combined.yaml")
    ranges = ranged(base)
    rng = np.random.default_rng(15)
    draws = [{p: float(rng.uniform(lo, hi)) for p, (lo, hi) in ranges.items()} for _ in range(args.variants)]
    print(f"{len(draws)} variants of combined.yaml, {len(ranges)} parameters drawn within their ranges, "
          f"run as {'an exploration does' if args.mode == 'explore' else 'simulate() does'}")
    if args.mode == "explore":
        tasks = [Task(base, 0, 1, False, 1.0, tuple(("set", P.parse(p), v) for p, v in d.items()), yearly_only=True)
                 for d in draws]
        t = time.perf_counter()
        execute(tasks, args.workers)
        run = time.perf_counter() - t
        print(f"building, compiling and simulating on {args.workers} worker(s), yearly tables: {run:6.1f} s "
              f"({len(draws) / run:.2f} parameter sets/s)")
        total = run
    else:
        t = time.perf_counter()
        variants = [variant(base, f"combined_{i:03d}", setter(d)) for i, d in enumerate(draws)]
        made = time.perf_counter() - t
        t = time.perf_counter()
        for v in variants[:10]:
            compile_scenario(v)
        compiled = (time.perf_counter() - t) / 10
        print(f"making and validating the variants: {made:6.1f} s ({made / len(variants) * 1000:.0f} ms each)")
        print(f"compiling one (its timeline already built): {compiled * 1000:.0f} ms")
        t = time.perf_counter()
        simulate(variants, 1, seed=1, workers=args.workers, keep_cases="none")
        run = time.perf_counter() - t
        print(f"simulating, 1 replication each, {args.workers} worker(s), every table: {run:6.1f} s "
              f"({len(variants) / run:.2f} parameter sets/s)")
        total = made + run
    print(f"total: {total:6.1f} s (target <= 150 s on 2 cores)")
    print(f"peak memory (main process): {peak_rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
