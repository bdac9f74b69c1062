"""Compare the 2023-2025 backtest's asylum backlog with the published figures (for the README).

    uv run python scripts/history_comparison.py [replications]
"""

from __future__ import annotations

import sys

from simulator.experiment.validation import history_table


def main(replications: int = 10) -> None:
    print(f"| end of | published | model mean (95% interval), {replications} replications | error |")
    print("|---|---|---|---|")
    for r in history_table(replications).itertuples():
        print(f"| {int(r.year)} | {r.published:,} ({r.source}) | {r.mean:,.0f} ({r.low:,.0f}-{r.high:,.0f}) "
              f"| {r.error:+.1%} |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
