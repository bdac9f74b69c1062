"""What the cases whose Dublin claim is refused do to the baseline's figures (README, limits).

They go on to the general procedure still in group ``dublin``: ahead of the other cases in the
hearing and decision officers' lines (ranked by group), and on the routes of "any other group".
Per year of first decision: their share of the first asylum decisions, the share of them decided
within the term against the other general-procedure cases, the points of the within-term share
they make, and their grant rate against the rest of track 4.

    uv run python scripts/refused_dublin.py [replications] [--workers N]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import pandas as pd

from simulator import load_scenario, simulate

ROOT = Path(__file__).resolve().parent.parent
APPLICATIONS = ["first_asylum", "dublin_reentry", "repeat"]
TRACK_4 = ["high_recognition", "low_recognition"]


def table(cases: pd.DataFrame) -> pd.DataFrame:
    """Per year of first decision, mean over replications, the figures of the module's docstring."""
    d = cases[cases.stream.isin(APPLICATIONS) & cases.first_decision.notna()].assign(
        year=lambda x: x.first_decision.dt.year)
    first = d.stream == "first_asylum"
    d = d.assign(refused=first & (d.group == "dublin") & (d.first_outcome != "dublin"),
                 track4=first & d.group.isin(TRACK_4), granted=d.first_outcome == "granted")

    def per(g: pd.DataFrame) -> pd.Series:
        r, t = g[g.refused], g[g.track4]
        return pd.Series({
            "first decisions": len(g), "within term": g.within_term.mean(), "refused claims": g.refused.mean(),
            "refused within term": r.within_term.mean(), "track 4 within term": t.within_term.mean(),
            "points of within term": (g.within_term & g.refused).mean() * 100,
            "refused granted": r.granted.mean(), "track 4 granted": t.granted.mean()})

    return d.groupby(["replication", "year"]).apply(per, include_groups=False).groupby("year").mean()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("replications", type=int, nargs="?", default=3)
    ap.add_argument("--workers", type=int, default=None)
    args = ap.parse_args()
    results = simulate(load_scenario(ROOT / "scenarios" / "baseline.yaml"), replications=args.replications,
                       workers=args.workers, keep_cases="all")
    out = table(results.cases)
    shares = [c for c in out.columns if c not in ("first decisions", "points of within term")]
    out[shares] = out[shares] * 100
    print(f"baseline, {args.replications} replications, mean per year (percentages)")
    print("| year | " + " | ".join(out.columns) + " |")
    print("|" + "---|" * (len(out.columns) + 1))
    for year, row in out.iterrows():
        print(f"| {year} | " + " | ".join(f"{v:,.0f}" if c == "first decisions" else f"{v:.1f}"
                                        for c, v in row.items()) + " |")


if __name__ == "__main__":
    main()
