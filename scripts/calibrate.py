"""Calibrate the 2023-2025 backtest: a thin wrapper around `indsim calibrate` (issue 13).

The former script scaled IND staff until the model's decisions equalled stated *capacities*; the
calibration is now a specification (scenarios/calibration/history.yaml: parameters, priors, the
published series fitted and those held back) fitted by ABC-SMC. This runs it with its full budget:

    uv run python scripts/calibrate.py [OUT] [--workers 2]
"""

from __future__ import annotations

import sys

from simulator.cli import main

if __name__ == "__main__":
    args = sys.argv[1:]
    out = args.pop(0) if args and not args[0].startswith("-") else "results/calibration"
    sys.argv = ["indsim", "calibrate", "scenarios/history_2023_2025.yaml", "--out", out,
                "--spec", "scenarios/calibration/history.yaml", *args]
    main()
