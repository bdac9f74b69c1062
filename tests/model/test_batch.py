"""A batch of replications gives exactly the numbers of the same replications run one by one.

The engine runs several replications side by side for speed; nothing about a replication may
depend on what else is in its batch (its random keys, its queues, its procedure places).
"""

from __future__ import annotations

import pandas as pd

from simulator.model import compile_scenario, run_replication, run_replications
from simulator.scenario import load_scenario

from ..conftest import ROOT


def test_batch_equals_single_runs():
    # The combined scenario has every mechanism: procedures with caps and time limits, follow-on
    # cases, a withdrawn partner whose work moves pools, rule changes; two years keep it quick.
    full = load_scenario(ROOT / "scenarios" / "combined.yaml")
    scenario = full.model_copy(update={"horizon_years": 2})
    compiled = compile_scenario(scenario)
    reps, factors = [4, 0, 7], [1.0, 1.2, 0.85]
    batch = run_replications(scenario, reps, keep_cases=True, compiled=compiled, inflow_factors=factors)
    assert [b.replication for b in batch] == reps
    for b, r, f in zip(batch, reps, factors, strict=True):
        alone = run_replication(scenario, r, compiled=compiled, inflow_factor=f)
        for table in ("metrics", "yearly", "daily"):
            pd.testing.assert_frame_equal(getattr(b, table), getattr(alone, table))
        assert b.cases.equals(alone.cases)  # (assert_frame_equal is slow on 200,000 rows of text)
    # and the replications really differ from one another
    assert not batch[0].yearly["value"].equals(batch[1].yearly["value"])
