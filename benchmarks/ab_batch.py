"""Old code against new, in one process: batches of the two versions of the package run in turn,
and the median of their CPU-time ratios is printed.

This machine's speed drifts by 15% or more between two batches a minute apart, which hides a
change of a few per cent in separate runs. Here the code of an older commit is unpacked as a
second package (``simulator_old``, beside the working tree's ``simulator``), both build the same
batch, and their batches alternate (old-new, new-old, ...), so each ratio compares two batches
run seconds apart. The first run of a commit compiles its numba kernels (a minute or two).

    uv run python benchmarks/ab_batch.py --old 6819f4f [--pairs 6] [--scenario scenarios/combined.yaml] [--batch 10]
                                         [--side-by-side]

``--side-by-side`` runs the two versions in two processes at the same time instead, one per core
(on a 2-core machine, nothing else should run): each pair's two batches then meet the same drift.

Without ``--scenario``: a batch of ``--batch`` variants of the 5-year combined scenario drawn
across an exploration's design, the yearly table only (as ``bench_explore.py --profile 10``);
with it: a batch of ``--batch`` replications of that file with all tables (5: the dashboard's
what-if gives each of its two workers a batch of 5).
"""

from __future__ import annotations

import argparse
import importlib
import io
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

from _common import ROOT

COMBINED = ROOT / "scenarios" / "combined.yaml"


def unpack(commit: str, into: Path, *also: str) -> None:
    """The package as of ``commit``, as ``into/simulator_old`` (and the folders ``also`` under
    their own names, e.g. that commit's ``scenarios``)."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "simulator", *also], check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    (into / "simulator").rename(into / "simulator_old")


def batch(package: str, scenario: Path | None, n: int):
    """A function running one batch of ``n`` (its argument: the seed) with the given package."""
    def m(name: str):
        return importlib.import_module(f"{package}.{name}")

    load, model = m("scenario").load_scenario, m("model")
    if scenario is not None:
        s = load(scenario)
        c = model.compile_scenario(s)
        return lambda seed: model.run_batch([s] * n, list(range(n)), [seed] * n, [False] * n, [1.0] * n,
                                            compiled=[c] * n)
    explore, space_of = m("experiment.explore"), m("experiment.explore.space")
    s = m("experiment.variants").variant(load(COMBINED), "combined", lambda d: None, 2030)
    space = explore.build_space(s, COMBINED)
    design = m("experiment.explore.design").make_design(space, n * len(space.policies), "lhs", 1)
    _, changes = m("experiment.explore.run").experiment_inputs(space, design)
    changes = changes[:: max(1, len(changes) // n)][:n]
    built = [space_of.with_overrides(space.scenario, ov) for ov, _ in changes]
    compiled = [model.compile_scenario(v) for v in built]
    return lambda seed: model.run_batch(built, [0] * n, [seed] * n, [False] * n, [c[1] for c in changes],
                                        compiled=compiled, metrics_of=[False] * n)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--old", required=True, help="the commit to compare against")
    ap.add_argument("--pairs", type=int, default=6)
    ap.add_argument("--scenario", type=Path, default=None)
    ap.add_argument("--batch", type=int, default=10, help="replications or variants per batch")
    ap.add_argument("--side-by-side", action="store_true",
                    help="old and new in two processes at the same time, one per core, instead of in turn")
    ap.add_argument("--one", choices=["old", "new"], help=argparse.SUPPRESS)  # a side-by-side process
    ap.add_argument("--unpacked", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.one:
        sys.path.insert(0, str(args.unpacked))
        go = batch("simulator_old" if args.one == "old" else "simulator", args.scenario, args.batch)
        go(1)
        for i in range(args.pairs):
            t = time.process_time()
            go(2 + i)
            print(time.process_time() - t, flush=True)
        return
    with tempfile.TemporaryDirectory() as tmp:
        unpack(args.old, Path(tmp))
        times = (_side_by_side(args, Path(tmp)) if args.side_by_side else _in_turn(args, Path(tmp)))
    ratios = [b / a for a, b in zip(times["old"], times["new"], strict=True)]
    what = (f"exploration batch of {args.batch} variants" if args.scenario is None
            else f"{args.scenario.name} x {args.batch}")
    print(f"{what}, {'side by side' if args.side_by_side else 'in turn'}; "
          f"CPU seconds per batch, old ({args.old}): {', '.join(f'{x:.2f}' for x in times['old'])}; "
          f"new: {', '.join(f'{x:.2f}' for x in times['new'])}")
    print(f"median ratio new/old {statistics.median(ratios):.3f} (pairs: {min(ratios):.3f}-{max(ratios):.3f})")


def _in_turn(args, tmp: Path) -> dict[str, list[float]]:
    """Both packages in this process, their batches alternating (old-new, new-old, ...)."""
    sys.path.insert(0, str(tmp))
    runs = {"old": batch("simulator_old", args.scenario, args.batch),
            "new": batch("simulator", args.scenario, args.batch)}
    for go in runs.values():
        go(1)  # compiled code loaded, memory handed on, as in a worker's later batches
    times: dict[str, list[float]] = {"old": [], "new": []}
    for i in range(args.pairs):
        for which in ("old", "new") if i % 2 == 0 else ("new", "old"):
            t = time.process_time()
            runs[which](2 + i)
            times[which].append(time.process_time() - t)
    return times


def _side_by_side(args, tmp: Path) -> dict[str, list[float]]:
    """Each package in a process of its own, both started at once: batch i of the old code runs
    while batch i of the new one does, so both meet the same state of the machine (and share
    its memory bandwidth alike)."""
    base = [sys.executable, __file__, "--old", args.old, "--pairs", str(args.pairs), "--batch", str(args.batch),
            "--unpacked", str(tmp)] + ([] if args.scenario is None else ["--scenario", str(args.scenario)])
    procs = {w: subprocess.Popen([*base, "--one", w], stdout=subprocess.PIPE, text=True) for w in ("old", "new")}
    out = {w: p.communicate()[0] for w, p in procs.items()}
    if any(p.returncode for p in procs.values()):
        raise SystemExit("a side-by-side process failed")
    return {w: [float(x) for x in text.split()] for w, text in out.items()}


if __name__ == "__main__":
    main()
