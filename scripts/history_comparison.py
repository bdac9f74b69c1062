"""Print the 2023-2025 backtest table as Markdown (for the README); the same as `indsim backtest`.

    uv run python scripts/history_comparison.py [replications] [posterior.parquet]
"""

from __future__ import annotations

import sys

from simulator.experiment.backtest import backtest
from simulator.experiment.posterior import ParameterUncertainty
from simulator.report.pack import backtest_md


def main(replications: int = 10, posterior: str | None = None) -> None:
    pu = ParameterUncertainty.load(posterior) if posterior else None
    print("\n".join(backtest_md(backtest(replications, parameter_uncertainty=pu)[1])))


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10, sys.argv[2] if len(sys.argv) > 2 else None)
