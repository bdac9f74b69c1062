"""The wait from lodging to the first interview of each track in the backtest, against the waits
IND published (DOMAIN 1.2): a held-back check of the hearing officers' line that the backtest
table cannot make, as the tables keep no time per stage.

A case's wait is the day its interview stage is finished minus its lodging day (the aanmeldgehoor,
`registration`, for track 4; the Dublin interview, `dublin_claim` or, near the deadline,
`dublin_claim_late`; the safe-country interview),
as the median over the cases that finish it in the published month, pooled over replications.
The engine is subclassed to note each case's lodging day and group as it finishes a stage, so the
model itself carries no extra record.

    uv run python scripts/stage_waits.py [--scenario scenarios/calibration/history_calibrated.yaml] [-n 3]
"""

from __future__ import annotations

import argparse
from pathlib import Path

import numpy as np
import pandas as pd

from simulator.model import compile_scenario
from simulator.model.engine import Engine, members
from simulator.scenario import load_scenario
from simulator.scenario.assumptions import to_markdown

ROOT = Path(__file__).resolve().parent.parent
# (track, stages ending the wait, groups, published: month -> weeks), DOMAIN 1.2 (ind.nl "Asiel: laatste
# ontwikkelingen", June 2023 and May 2024)
PUBLISHED = [
    ("track 4: aanmeldgehoor", ("registration",), ("high_recognition", "low_recognition"),
     {"2023-06": 18, "2024-05": 19}),
    ("Dublin: Dublin interview", ("dublin_claim", "dublin_claim_late"), ("dublin",), {"2023-06": 5, "2024-05": 10}),
    ("safe country: interview", ("safe_country_interview",), ("safe_country",), {"2023-06": 5, "2024-05": 15}),
]


class Noting(Engine):
    """The engine, noting (stage, group, lodging day, day) of every case that finishes a stage."""

    def __init__(self, batch) -> None:
        super().__init__(batch)
        self.noted: list[tuple[np.ndarray, ...]] = []

    def _route(self, ids: np.ndarray, stages: np.ndarray, day: int) -> None:
        cs = self.cases
        self.noted.append((stages.copy(), cs.group[ids].copy(), cs.lodged[ids].copy(), np.full(len(ids), day)))
        super()._route(ids, stages, day)


def waits(scenario: Path, replications: int) -> pd.DataFrame:
    """Median wait in weeks per track and published month: the model's and IND's."""
    s = load_scenario(scenario)
    compiled = compile_scenario(s)
    st = compiled.structure
    engine = Noting(members(compiled, s.seed, list(range(replications))))
    engine.run()
    stage, group, lodged, day = (np.concatenate(c) for c in zip(*engine.noted, strict=True))
    month = (np.datetime64(st.start, "D") + day.astype("timedelta64[D]")).astype("datetime64[M]").astype(str)
    rows = []
    for track, stage_names, groups, published in PUBLISHED:
        at_stage = np.isin(stage, [st.stages.index(n) for n in stage_names])
        in_groups = np.isin(group, [st.groups.index(g) for g in groups])
        for when, weeks in published.items():
            sel = at_stage & in_groups & (month == when)
            rows.append({"track": track, "month": when, "published_weeks": weeks,
                         "model_weeks": round(float(np.median(day[sel] - lodged[sel])) / 7, 1) if sel.any() else None,
                         "cases": int(sel.sum())})
    return pd.DataFrame(rows)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", type=Path, default=ROOT / "scenarios" / "calibration" / "history_calibrated.yaml")
    ap.add_argument("-n", "--replications", type=int, default=3)
    args = ap.parse_args()
    table = waits(args.scenario, args.replications)
    table["error"] = (table.model_weeks / table.published_weeks - 1).map(lambda x: f"{x:+.0%}" if x == x else "")
    print(to_markdown(table))


if __name__ == "__main__":
    main()
