"""Calibrate IND staff to published decision volumes (never to the published backlog).

``history``: for each year of the 2023-2025 backtest in turn, the scale of the hearing and
decision pools at which the mean number of first asylum decisions in that year equals the
published production. ``baseline``: the scale at which the baseline decides 30,000 asylum cases a
year on average over its horizon (capacity statement, Maas 27 Mar 2025). Prints FTE values for
the scenario files.

    uv run python scripts/calibrate.py history
    uv run python scripts/calibrate.py baseline
"""

from __future__ import annotations

import sys
from collections.abc import Callable

import numpy as np

from simulator.model import run_replication
from simulator.scenario import from_data, load_scenario

HISTORY_TARGETS = {2023: 28_700, 2024: 34_200, 2025: 30_000}
BASELINE_TARGET = 30_000
BASE_FTE = {"ind_hearing": 420.0, "ind_decision": 300.0}
REPS = 3


def yearly_decisions(data: dict, last_year: int | None = None) -> dict[int, float]:
    """Mean first asylum decisions per calendar year over REPS replications."""
    if last_year is not None:
        start = int(str(data["start"])[:4])
        data = {**data, "horizon_years": last_year - start + 1,
                "changes": [c for c in data["changes"] if int(str(c["date"])[:4]) <= last_year]}
    scenario = from_data(data, "calibration")
    per_rep = []
    for rep in range(REPS):
        m = run_replication(scenario, replication=rep, keep_cases=False).metrics
        d = m[(m.metric == "first_decisions") & (m.category == "asylum") & (m.stream == "")
              & (m.outcome == "")]
        per_rep.append(d.groupby(d.date.dt.year).value.sum())
    return {int(y): float(v) for y, v in (sum(per_rep) / REPS).items()}


def bisect(evaluate: Callable[[float], float], target: float, lo=0.5, hi=1.8, steps=9) -> float:
    for _ in range(steps):
        mid = (lo + hi) / 2
        lo, hi = (mid, hi) if evaluate(mid) < target else (lo, mid)
    return (lo + hi) / 2


def set_fte(data: dict, scale: float, change_date: str | None = None) -> dict[str, int]:
    values = {pool: round(fte * scale) for pool, fte in BASE_FTE.items()}
    for pool, value in values.items():
        if change_date is None:
            data["pools"][pool]["fte"] = value
            data["pools"][pool]["hiring"]["target_fte"] = value
        else:
            change = next(c for c in data["changes"] if str(c["date"]) == change_date)
            change["set"][f"pools.{pool}.fte"] = value
            change["set"][f"pools.{pool}.hiring.target_fte"] = value
    return values


def history() -> None:
    data = load_scenario("scenarios/history_2023_2025.yaml").model_dump(mode="json")
    for year, target in HISTORY_TARGETS.items():
        when = None if year == 2023 else f"{year}-01-01"

        def evaluate(scale: float, year=year, when=when) -> float:
            set_fte(data, scale, when)
            return yearly_decisions(data, year)[year]

        scale = bisect(evaluate, target)
        values = set_fte(data, scale, when)
        print(f"{year}: {values} -> {yearly_decisions(data, year)[year]:,.0f} decisions "
              f"(target {target:,})", flush=True)


def baseline() -> None:
    data = load_scenario("scenarios/baseline.yaml").model_dump(mode="json")

    def evaluate(scale: float) -> float:
        set_fte(data, scale)
        d = yearly_decisions(data)
        return float(np.mean([v for y, v in d.items() if y >= int(str(data["start"])[:4])]))

    scale = bisect(evaluate, BASELINE_TARGET)
    values = set_fte(data, scale)
    print(f"baseline: {values} -> {evaluate(scale):,.0f} decisions a year "
          f"(target {BASELINE_TARGET:,})")


if __name__ == "__main__":
    {"history": history, "baseline": baseline}[sys.argv[1] if len(sys.argv) > 1 else "history"]()
