"""Old code against new, in one process: batches of the two versions of the package run in turn,
and the median of their CPU-time ratios is printed.

This machine's speed drifts by 15% or more between two batches a minute apart, which hides a
change of a few per cent in separate runs. Here the code of an older commit is unpacked as a
second package (``simulator_old``, beside the working tree's ``simulator``), both build the same
batch, and their batches alternate (old-new, new-old, ...), so each ratio compares two batches
run seconds apart. The first run of a commit compiles its numba kernels (a minute or two).

    uv run python benchmarks/ab_batch.py --old 6819f4f [--pairs 6] [--scenario scenarios/combined.yaml]

Without ``--scenario``: a batch of 10 variants of the 5-year combined scenario drawn across an
exploration's design, the yearly table only (as ``bench_explore.py --profile 10``); with it: a
batch of 10 replications of that file with all tables.
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
N = 10


def unpack(commit: str, into: Path) -> None:
    """The package as of ``commit``, as ``into/simulator_old``."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", commit, "simulator"], check=True,
                             capture_output=True).stdout
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    (into / "simulator").rename(into / "simulator_old")


def batch(package: str, scenario: Path | None):
    """A function running one batch (its argument: the seed) with the given package."""
    def m(name: str):
        return importlib.import_module(f"{package}.{name}")

    load, model = m("scenario").load_scenario, m("model")
    if scenario is not None:
        s = load(scenario)
        c = model.compile_scenario(s)
        return lambda seed: model.run_batch([s] * N, list(range(N)), [seed] * N, [False] * N, [1.0] * N,
                                            compiled=[c] * N)
    explore, space_of = m("experiment.explore"), m("experiment.explore.space")
    s = m("experiment.variants").variant(load(COMBINED), "combined", lambda d: None, 2030)
    space = explore.build_space(s, COMBINED)
    design = m("experiment.explore.design").make_design(space, N * len(space.policies), "lhs", 1)
    _, changes = m("experiment.explore.run").experiment_inputs(space, design)
    changes = changes[:: max(1, len(changes) // N)][:N]
    built = [space_of.with_overrides(space.scenario, ov) for ov, _ in changes]
    compiled = [model.compile_scenario(v) for v in built]
    return lambda seed: model.run_batch(built, [0] * N, [seed] * N, [False] * N, [c[1] for c in changes],
                                        compiled=compiled, metrics_of=[False] * N)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--old", required=True, help="the commit to compare against")
    ap.add_argument("--pairs", type=int, default=6)
    ap.add_argument("--scenario", type=Path, default=None)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        unpack(args.old, Path(tmp))
        sys.path.insert(0, tmp)
        runs = {"old": batch("simulator_old", args.scenario), "new": batch("simulator", args.scenario)}
        for go in runs.values():
            go(1)  # compiled code loaded, memory handed on, as in a worker's later batches
        times: dict[str, list[float]] = {"old": [], "new": []}
        for i in range(args.pairs):
            for which in ("old", "new") if i % 2 == 0 else ("new", "old"):
                t = time.process_time()
                runs[which](2 + i)
                times[which].append(time.process_time() - t)
    ratios = [b / a for a, b in zip(times["old"], times["new"], strict=True)]
    print(f"{'exploration batch of 10 variants' if args.scenario is None else args.scenario.name + ' x 10'}; "
          f"CPU seconds per batch, old ({args.old}): {', '.join(f'{x:.2f}' for x in times['old'])}; "
          f"new: {', '.join(f'{x:.2f}' for x in times['new'])}")
    print(f"median ratio new/old {statistics.median(ratios):.3f} (pairs: {min(ratios):.3f}-{max(ratios):.3f})")


if __name__ == "__main__":
    main()
