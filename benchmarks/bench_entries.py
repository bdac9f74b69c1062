"""The engine's cost per unit of work: stage entries a replication makes, and CPU time per entry,
for the working tree's code and (``--old``) an older commit's, in turn.

A case's cost grows with the stages it goes through, and the scenarios grow with the model (a
longer horizon, a richer chain), so seconds per replication or cases per second do not compare
two versions of the model. Stage entries do: every case that enters a stage counts one (the
``step`` column, summed over all cases). For each of the six scenarios of ``bench_experiment.py``,
batches of ``--batch`` replications, engine only (no tables): cases and stage entries a
replication, CPU seconds, nanoseconds per entry (median of ``--pairs`` batches); then the totals
for 6 x 30 replications.

With ``--old COMMIT`` that commit's package and scenario files are unpacked beside the working
tree's (as ``ab_batch.py`` does) and each version runs its own scenario files, batches of the two
alternating, because this machine's speed drifts by a third within the hour. 0457767 is the
engine of issue 15's day.

    uv run python benchmarks/bench_entries.py [--old 0457767] [--batch 5] [--pairs 2]
"""

from __future__ import annotations

import argparse
import importlib
import statistics
import sys
import tempfile
import time
from pathlib import Path

from _common import ROOT
from ab_batch import unpack
from bench_experiment import SCENARIOS


def runner(package: str, scenarios: Path, name: str):
    """A function running one batch (its argument: the replications) of scenario ``name`` with
    the given package: the engine's CPU seconds, its cases and stage entries."""
    model = importlib.import_module(f"{package}.model")
    engine = importlib.import_module(f"{package}.model.engine")
    compiled = model.compile_scenario(importlib.import_module(f"{package}.scenario").load_scenario(
        scenarios / f"{name}.yaml"))

    def run(reps: list[int]) -> tuple[float, int, int]:
        # the engine since issue 15 takes its members; the one before it (compiled, seed, replications)
        e = (engine.Engine(engine.members(compiled, 1, reps)) if hasattr(engine, "members")
             else engine.Engine(compiled, 1, reps))
        t = time.process_time()
        e.run()
        seconds = time.process_time() - t
        n = e.cases.n
        entries = int(e.cases.step[:n].sum())
        if hasattr(e, "give_back"):
            e.give_back()
        return seconds, n, entries

    run([0])  # compiled kernels loaded, memory warmed
    return run


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--old", help="an older commit to run in turn with the working tree")
    ap.add_argument("--batch", type=int, default=5, help="replications per batch")
    ap.add_argument("--pairs", type=int, default=2, help="batches of each version per scenario")
    args = ap.parse_args()
    from simulator.model import prepare_memory
    prepare_memory()  # for both versions: the tool's memory policy
    with tempfile.TemporaryDirectory() as tmp:
        versions = {"new": ("simulator", ROOT / "scenarios")}
        if args.old:
            unpack(args.old, Path(tmp), "scenarios")
            sys.path.insert(0, tmp)
            versions = {"old": ("simulator_old", Path(tmp) / "scenarios"), **versions}
        totals = {v: [0.0, 0.0] for v in versions}  # stage entries, seconds for 6 x 30 replications
        reps = list(range(1, 1 + args.batch))
        for name in SCENARIOS:
            runs = {v: runner(package, where, name) for v, (package, where) in versions.items()}
            seconds: dict[str, list[float]] = {v: [] for v in versions}
            counts: dict[str, tuple[int, int]] = {}  # cases, stage entries: the same in every batch of a version
            for i in range(args.pairs):
                for v in versions if i % 2 == 0 else reversed(versions):
                    s, *counts[v] = runs[v](reps)
                    seconds[v].append(s)
            for v in versions:
                s, (n, entries) = statistics.median(seconds[v]), counts[v]
                print(f"{v:3s} {name:24s} {n / args.batch:9,.0f} cases {entries / args.batch:11,.0f} entries "
                      f"a replication  {s:6.2f} s a batch of {args.batch}  {s / entries * 1e9:5.0f} ns an entry "
                      f"({', '.join(f'{x:.2f}' for x in seconds[v])})", flush=True)
                totals[v][0] += entries / args.batch * 30
                totals[v][1] += s / args.batch * 30
        for v, (entries, s) in totals.items():
            print(f"{v}{f' ({args.old})' if v == 'old' else ''}: 6 x 30 replications make {entries / 1e6:,.0f} million "
                  f"stage entries in {s:,.0f} CPU seconds of engine, {s / entries * 1e9:.0f} ns an entry")


if __name__ == "__main__":
    main()
