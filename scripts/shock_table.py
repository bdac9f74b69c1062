"""The shock table: main figures of every policy-shock scenario next to the baseline, with the
pool that binds (for the README and the issues' closing notes).

    uv run python scripts/shock_table.py [replications] [--workers N] [--only SCENARIO...]

Every scenario runs with the same seed (common random numbers); each cell is the mean over the
replications, with the paired difference to the baseline's 95% interval for the backlogs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from simulator import load_scenario, simulate
from simulator.experiment import paired_differences
from simulator.experiment.binding import binding_pools

ROOT = Path(__file__).resolve().parent.parent
SHOCKS = ["baseline", "asielnoodmaatregelenwet", "tweestatusstelsel", "uitvoeringswet_pact", "amp", "amp_phased",
          "ketenpartner", "combined", "combined_phased", "combined_laws_not_in_force"]
YEARS = (2027, 2030, 2032)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("replications", type=int, nargs="?", default=10)
    ap.add_argument("--workers", type=int, default=None)
    ap.add_argument("--only", nargs="+", default=None, help="these shocks only (next to the baseline)")
    args = ap.parse_args()
    shocks = ["baseline", *[s for s in args.only if s != "baseline"]] if args.only else SHOCKS
    scenarios = [load_scenario(ROOT / "scenarios" / f"{name}.yaml") for name in shocks]
    results = simulate(scenarios, replications=args.replications, workers=args.workers, keep_cases="none")
    y = results.yearly
    mean = y.groupby(["scenario", "figure", "category", "year"]).value.mean()
    diff = paired_differences(results, "baseline").table.set_index(["scenario", "figure", "category", "year"])
    binding = binding_pools(y).set_index(["scenario", "year"])

    def cell(name: str, figure: str, category: str, year: int, scale: float = 1.0, fmt: str = "{:,.0f}") -> str:
        value = fmt.format(mean[(name, figure, category, year)] * scale)
        if name != "baseline" and figure == "backlog_end":
            d = diff.loc[(name, figure, category, year)]
            value += f" ({d.difference:+,.0f}; {d.low:+,.0f} to {d.high:+,.0f})"
        return value

    head = ["scenario"]
    for year in YEARS:
        head += [f"asylum backlog {year}", f"nareis backlog {year}", f"other (renewals) backlog {year}"]
    head += ["median lead time asylum 2030 (weeks)", "within term asylum 2030", "penalties 2030 (EUR m)",
             "court inflow 2030", "binding pool 2027", "binding pool 2030"]
    print("| " + " | ".join(head) + " |")
    print("|" + "---|" * len(head))
    for name in shocks:
        row = [name]
        for year in YEARS:
            row += [cell(name, "backlog_end", c, year) for c in ("asylum", "nareis", "other")]
        row += [cell(name, "lead_time_p50", "asylum", 2030, 1 / 7),
                cell(name, "within_term_share", "asylum", 2030, 100, "{:.0f}%"),
                cell(name, "penalty_eur", "asylum", 2030, 1e-6, "{:.1f}"),
                f"{sum(mean[(name, 'court_inflow', c, 2030)] for c in ('asylum', 'nareis', 'other')):,.0f}"]
        for year in (2027, 2030):
            b = binding.loc[(name, year)]
            row.append(f"{b.pool} ({b.utilisation:.0%}, line {b.queue_growth:+,.0f})")
        print("| " + " | ".join(row) + " |")
    print(f"\n{args.replications} replications per scenario, seed {results.seed}; backlog differences to the "
          "baseline with their 95% interval over paired replications.")


if __name__ == "__main__":
    main()
