"""Print the queueing verification table (exact vs simulated), as quoted in the README.

    uv run python scripts/verification_table.py
"""

from __future__ import annotations

from simulator.experiment.validation import verification_table


def main() -> None:
    print("| network | utilisation | exact mean backlog | simulated mean (99% interval) |")
    print("|---|---|---|---|")
    for r in verification_table().itertuples():
        print(f"| {r.network} | {r.utilisation:.2f} | {r.exact:.3f} | {r.simulated:.3f} "
              f"({r.low_99:.3f}-{r.high_99:.3f}) |")


if __name__ == "__main__":
    main()
