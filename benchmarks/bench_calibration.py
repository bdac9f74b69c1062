"""The full calibration of the 2023-2025 backtest (scenarios/calibration/history.yaml, its own
budget: ABC-SMC, about 20-40 minutes on 2 cores), then the backtest with the posterior's
parameter uncertainty. Prints the time, simulations per second, the epsilon of each generation,
the posterior table and the held-back series. Writes both into OUT.

    uv run python benchmarks/bench_calibration.py [--out results/calibration] [--workers 2] [-n 20]

Equivalent to `indsim calibrate scenarios/history_2023_2025.yaml --out OUT/posterior --workers 2`
followed by `indsim backtest --out OUT/backtest -n 20 --parameter-uncertainty OUT/posterior/posterior.parquet`.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path

from _common import ROOT, peak_rss_mb

from simulator.experiment.abcsmc import fit
from simulator.experiment.backtest import BACKTEST_COLUMNS, backtest
from simulator.experiment.calibration import load_spec
from simulator.experiment.posterior import ParameterUncertainty
from simulator.experiment.published import load_published
from simulator.report.calibration import write_backtest, write_calibration


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "results" / "calibration")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("-n", "--replications", type=int, default=20)
    args = ap.parse_args()
    os.chdir(ROOT)  # the posterior names its specification by this path: keep it the repository's
    setup = load_spec(Path("scenarios") / "calibration" / "history.yaml")
    started = time.perf_counter()
    fitted = fit(setup, workers=args.workers)
    table = write_calibration(fitted, args.out / "posterior")
    print(f"calibration: {fitted.simulations} simulations in {fitted.seconds:,.0f} s "
          f"({fitted.simulations / fitted.seconds:.2f} a second, {args.workers} workers); stopped: {fitted.stopped}")
    print(fitted.generations.to_string(index=False))
    print(table[["parameter", "prior", "median", "low", "high", "width_ratio", "correlated_with"]]
          .to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    pu = ParameterUncertainty.load(args.out / "posterior" / "posterior.parquet")
    t = time.perf_counter()
    results, frame = backtest(args.replications, workers=args.workers, cache=None, parameter_uncertainty=pu)
    write_backtest(results, frame, load_published(), args.out / "backtest")
    print(f"backtest: {args.replications} replications with parameter uncertainty in {time.perf_counter() - t:,.0f} s")
    print(frame[BACKTEST_COLUMNS].to_string(index=False, float_format=lambda v: f"{v:,.4g}"))
    held = frame[~frame.used_for_fit & frame.comparable.astype(bool)]
    print(f"held back within 15%: {int(held.within.astype(bool).sum())} of {len(held)}; "
          f"total {time.perf_counter() - started:,.0f} s; peak memory {peak_rss_mb():,.0f} MB (main process)")


if __name__ == "__main__":
    main()
