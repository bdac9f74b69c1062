"""The engine against exact queueing results for its own semantics (capacity per day).

The exact stationary distributions come from ``simulator.experiment.verification`` (see its
docstring for the recursions); the simulated means must fall inside the 99% t-interval of the
replication means (burn-in removed).
"""

from __future__ import annotations

import numpy as np
import pytest

from simulator.experiment.verification import network, single_stage_comparison, t_interval, tandem_comparison
from simulator.model import run_replication
from simulator.scenario import from_data


@pytest.mark.parametrize("rho", [0.5, 0.8, 0.95])
def test_single_stage_matches_the_exact_discrete_time_queue(rho):
    years, reps = (12, 8) if rho < 0.9 else (25, 10)
    r = single_stage_comparison(rho, years=years, reps=reps)
    lo, hi = t_interval(r["means"])
    assert lo <= r["exact_mean"] <= hi, f"rho {rho}: exact mean {r['exact_mean']:.3f} not in [{lo:.3f}, {hi:.3f}]"
    lo, hi = t_interval(r["empty"])
    assert lo <= r["exact_empty"] <= hi, f"rho {rho}: exact P(empty) {r['exact_empty']:.4f} not in [{lo:.4f}, {hi:.4f}]"


@pytest.mark.parametrize(("lam", "c1", "c2"), [(2.0, 4, 3), (3.2, 4, 4)])
def test_two_stage_tandem_matches_its_exact_markov_chain(lam, c1, c2):
    r = tandem_comparison(lam, c1, c2)
    for stage in (0, 1):
        lo, hi = t_interval(r["means"][:, stage])
        exact = r["exact"][stage]
        assert lo <= exact <= hi, f"stage {stage + 1}: exact {exact:.3f} not in [{lo:.3f}, {hi:.3f}]"


def test_littles_law_holds_exactly_on_the_sample_path():
    """Sum over days of the end-of-day count = sum over cases of the day-ends they spent inside."""
    r = run_replication(from_data(network(8.0, [10], years=3), "queue"), keep_records=True)
    e = r.records
    n = e.structure.n_days
    area = int(e.daily.stock[:, 0, 0].sum())
    lodged = e.cases.column("lodged").astype(np.int64)
    exit_day = e.cases.column("exit_day").astype(np.int64)
    left = np.where(exit_day >= 0, exit_day, n)
    assert area == int((left - lodged).sum())
    # and hence L = lambda * W with the observed rates over the horizon
    mean_count = area / n
    arrival_rate = len(lodged) / n
    mean_time = (left - lodged).mean()
    assert mean_count == pytest.approx(arrival_rate * mean_time, rel=1e-12)
