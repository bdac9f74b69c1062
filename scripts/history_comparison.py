"""Compare the 2023-2025 backtest's asylum backlog with the published figures (for the README).

    uv run python scripts/history_comparison.py [replications]
"""

from __future__ import annotations

import sys

from simulator import load_scenario, simulate
from simulator.experiment import summarize

PUBLISHED = {  # open asylum cases (first instance), DOMAIN.md 2.3
    2023: (50_000, "~50,000 end 2023 (IND 2 Feb 2024); 44,030 Dec 2023 excl. nareis (NHnieuws Dec 2023)"),
    2024: (51_000, "~51,000 end 2024 (upday Jan 2025, IND jaarcijfers 2024)"),
    2025: (51_000, ">51,000 early 2026 (upday 3 Feb 2026, IND jaarcijfers 2025)"),
}


def main(replications: int = 10) -> None:
    r = simulate(load_scenario("scenarios/history_2023_2025.yaml"), replications=replications, keep_cases="none")
    y = r.yearly[(r.yearly.figure == "backlog_end") & (r.yearly.category == "asylum")]
    table = summarize(y, ["year"])
    print(f"| end of | published | model mean (95% interval), {replications} replications | error |")
    print("|---|---|---|---|")
    for _, row in table.iterrows():
        pub, source = PUBLISHED[int(row.year)]
        err = (row["mean"] - pub) / pub
        print(f"| {int(row.year)} | {pub:,} ({source}) | {row['mean']:,.0f} ({row.low:,.0f}-{row.high:,.0f}) "
              f"| {err:+.1%} |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 10)
