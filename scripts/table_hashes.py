"""Hashes of every table of a fixed set of runs, to show that a change to the engine left the
numbers alone (bit for bit) or to see which tables moved.

    uv run python scripts/table_hashes.py > before.txt   # on the old code
    uv run python scripts/table_hashes.py > after.txt    # on the new code
    diff before.txt after.txt                            # no output: the same numbers

The runs cover single replications and batches of the shipped scenarios over 2 to 5 years
(every mechanism: procedures, follow-on cases, rule changes, a withdrawn partner).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd

from simulator.model import run_replications
from simulator.scenario import load_scenario

ROOT = Path(__file__).resolve().parent.parent
RUNS = [("baseline", 5, [0]), ("combined", 2, [4, 0, 7]), ("amp", 3, [1]), ("history_2023_2025", 3, [0, 1]),
        ("asielnoodmaatregelenwet", 5, [2]), ("ketenpartner", 2, [3])]


def frame_hash(frame: pd.DataFrame) -> str:
    raw = pd.util.hash_pandas_object(frame.reset_index(), index=False).values.tobytes()
    return hashlib.sha256(raw).hexdigest()[:16]


def main() -> None:
    for name, years, reps in RUNS:
        s = load_scenario(ROOT / "scenarios" / f"{name}.yaml").model_copy(update={"horizon_years": years})
        factors = [1.0 + 0.05 * i for i in range(len(reps))]
        for r in run_replications(s, reps, keep_cases=True, inflow_factors=factors):
            for table in ("metrics", "yearly", "cases", "daily"):
                frame = getattr(r, table)
                print(name, r.replication, table, frame.shape, frame_hash(frame), flush=True)


if __name__ == "__main__":
    main()
