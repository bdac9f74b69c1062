"""Derive the baseline's starting point from the 2023-2025 backtest: its initial stock (stage and
age split) and its IND staff.

DOMAIN.md asks for the age profile of the 1 January 2026 backlog to be derived from the backtest.
This runs the history scenario (or the calibrated one), takes the open cases on 31 December 2025
per stream, stage, group and age band (mean of several replications), scales the open asylum and
nareis cases to the published totals, and prints the ``initial_stock`` block for
scenarios/baseline.yaml; then the staff working in each IND pool at the end of 2025, so the
baseline continues the backtest's staffing trajectory.

The open nareis cases take their ages from the published inflow instead. The backtest ends 2025
with about 2,000 open nareis cases, nearly all lodged in its last months; scaled to 50,000 that
split put 99.9% of the stock under 6 months, which would take 8,000 applications a month where
about 1,500 came in. Whatever the order of work, 50,000 open cases after 29,880 applications in
2024-2025 means at least 20,120 were lodged before 2024. The youngest stock the published
inflow allows is the latest applications (first in, first out, the nareis officers' own order in
the model), and that is the split used (:func:`youngest_ages`).

    uv run python scripts/derive_baseline_stock.py [scenarios/calibration/history_calibrated.yaml]
"""

from __future__ import annotations

import sys

import numpy as np
import pandas as pd

from simulator.model import run_replication
from simulator.scenario import load_scenario

REPS = 5
BANDS = [(0, 6), (6, 15), (15, 24), (24, 60)]
OPEN_TOTALS = {"asylum": 51_000, "nareis": 50_000}  # [S] upday 3 Feb 2026; [E] DOMAIN 5
# Applications a month, latest first, for stocks aged from their inflow: (months, per month).
NAREIS_INFLOW = [(12, 1_500),  # 2025: ~18,000 [D] (DOMAIN 2.1); the backtest's 2025 volume
                 (12, 990),  # 2024: 11,880 [S] (TK 2025D08674, DOMAIN 2.1)
                 (12, 1_791)]  # 2023: the calibrated nareis_inflow_2023 (posterior mean, README)
YOUNGEST = {"nareis": NAREIS_INFLOW}


AGE_SOURCE = ("; ages: the youngest the published inflow allows, the latest applications (18,000 of 2025 "
              "[D], 11,880 of 2024 [S], the rest at the calibrated 1,791 a month of 2023; "
              "scripts/derive_baseline_stock.py)")


def youngest_ages(total: float, inflow: list[tuple[int, float]]) -> dict[str, float]:
    """Age shares of ``total`` open cases that are the latest applications of ``inflow``
    (months back from the start, each span at its own rate): the youngest stock it allows.
    One band per span, ending where the stock runs out."""
    shares, start, left = {}, 0.0, float(total)
    for months, rate in inflow:
        n = min(left, months * rate)
        end = start + n / rate
        shares[f"{start:g}-{round(end, 1):g}"] = n / total
        start, left = start + months, left - n
        if left <= 0:
            return shares
    raise ValueError(f"{total:,.0f} open cases are more than the inflow given ({total - left:,.0f})")


def shares(values: pd.Series) -> str:
    """Shares rounded to 3 decimals that still sum to exactly 1 (largest takes the rest)."""
    v = (values / values.sum()).round(3)
    v = v[v > 0]
    v[v.idxmax()] = round(1 - (v.sum() - v[v.idxmax()]), 3)
    return ", ".join(f'"{k}": {x:.3f}' for k, x in v.items())


def main(path: str = "scenarios/history_2023_2025.yaml") -> None:
    s = load_scenario(path)
    end = pd.Timestamp(s.end)
    frames, staff = [], []
    for rep in range(REPS):
        r = run_replication(s, replication=rep)
        y = r.yearly
        staff.append(y[(y.figure == "fte_end") & (y.year == end.year)].set_index("category").value)
        c = r.cases
        c = c[(c.stage_at_end != "") & ~c.nontimely_appeal].copy()  # court cases about late ones are no people
        age = (end - c.lodged).dt.days / (365.25 / 12)
        c["band"] = pd.cut(age, [b[0] for b in BANDS] + [BANDS[-1][1]], right=False,
                           labels=[f"{a}-{b}" for a, b in BANDS])
        c["open"] = c.first_decision.isna() & ~c.decided_before_start
        frames.append(c.groupby(["stream", "stage_at_end", "group", "open", "band"],
                                observed=True).size().rename(f"r{rep}"))
    mean = pd.concat(frames, axis=1).fillna(0).mean(axis=1)
    cats = {n: st.category for n, st in s.streams.items()}
    out = []
    for (stream, stage, opened), block in mean.groupby(level=[0, 1, 3]):
        total = block.sum()
        if total < 50 or cats[stream] not in OPEN_TOTALS:  # renewals start empty: expiring permits make them
            continue
        cat_total = mean[[cats[k[0]] == cats[stream] and k[3] for k in mean.index]].sum()
        count = total * OPEN_TOTALS[cats[stream]] / cat_total if opened else total
        groups = block.groupby(level=2).sum()
        ages = block.groupby(level=4, observed=True).sum() / total
        if opened and cats[stream] in YOUNGEST:
            ages = pd.Series(youngest_ages(OPEN_TOTALS[cats[stream]], YOUNGEST[cats[stream]]))
        out.append((stream, stage, opened, int(round(count, -1)), groups / total, ages))
    print("initial_stock:")
    for stream, stage, opened, count, groups, ages in out:
        src = ("[D] open cases of the 2023-2025 backtest at end 2025, stage and age split, scaled to "
               f"{OPEN_TOTALS[cats[stream]]:,} open {cats[stream]} cases"
               if opened else "[D] cases in this stage at end 2025 in the 2023-2025 backtest")
        if opened and cats[stream] in YOUNGEST:
            src = src.replace("stage and age split", "stage split") + AGE_SOURCE
        g, a = shares(groups), shares(ages)
        dec = ", decided: true" if not opened else ""
        print(f"  - {{stream: {stream}, stage: {stage}{dec}, count: {{value: {count}, "
              f"source: \"{src}\"}},\n     groups: {{{g}}},\n     age_months: {{{a}}}}}")
    print("\n# staff working in each pool at the end of the backtest (mean of the replications)")
    for pool, fte in pd.concat(staff, axis=1).mean(axis=1).items():
        if pool.startswith("ind_"):
            print(f"#   {pool}: {fte:.0f} FTE")


if __name__ == "__main__":
    np.set_printoptions(precision=3)
    main(*sys.argv[1:2])
