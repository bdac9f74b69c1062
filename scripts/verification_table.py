"""Print the queueing verification table (exact vs simulated), as quoted in the README.

    uv run python scripts/verification_table.py
"""

from __future__ import annotations

from simulator.experiment.verification import single_stage_comparison, t_interval, tandem_comparison


def main() -> None:
    print("| network | utilisation | exact mean backlog | simulated mean (99% interval) | exact P(empty) | simulated |")
    print("|---|---|---|---|---|---|")
    for rho in (0.5, 0.8, 0.95):
        years, reps = (12, 8) if rho < 0.9 else (25, 10)
        r = single_stage_comparison(rho, years=years, reps=reps)
        lo, hi = t_interval(r["means"])
        elo, ehi = t_interval(r["empty"])
        print(f"| one stage, c = 10/day | {rho} | {r['exact_mean']:.3f} | {r['means'].mean():.3f} ({lo:.3f}-{hi:.3f}) "
              f"| {r['exact_empty']:.4f} | {r['empty'].mean():.4f} ({elo:.4f}-{ehi:.4f}) |")
    for lam, c1, c2 in ((2.0, 4, 3), (3.2, 4, 4)):
        r = tandem_comparison(lam, c1, c2)
        for stage in (0, 1):
            lo, hi = t_interval(r["means"][:, stage])
            rho = lam / (c1, c2)[stage]
            print(f"| tandem, stage {stage + 1} (c = {(c1, c2)[stage]}/day) | {rho:.2f} | {r['exact'][stage]:.3f} | "
                  f"{r['means'][:, stage].mean():.3f} ({lo:.3f}-{hi:.3f}) | | |")


if __name__ == "__main__":
    main()
