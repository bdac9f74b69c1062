"""Print the queueing verification table (exact vs simulated), as quoted in the README.

    uv run python scripts/verification_table.py
"""

from __future__ import annotations

from simulator.experiment.validation import verification_table


def main() -> None:
    print("| network | utilisation | exact | simulated (99% interval) | exact P(empty) | simulated |")
    print("|---|---|---|---|---|---|")
    for r in verification_table().itertuples():
        empty = "| | |" if r.exact_empty != r.exact_empty else f"| {r.exact_empty:.4f} | {r.simulated_empty:.4f} |"
        print(f"| {r.network} | {r.utilisation:.2f} | {r.exact:.3f} | {r.simulated:.3f} "
              f"({r.low_99:.3f}-{r.high_99:.3f}) {empty}")


if __name__ == "__main__":
    main()
