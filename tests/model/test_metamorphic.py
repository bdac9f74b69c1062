"""Extreme and metamorphic cases, paired on the same seed."""

from __future__ import annotations

import numpy as np
import pytest

from simulator.experiment.verification import network
from simulator.model import run_replication
from simulator.scenario import from_data


def engine(data: dict, rep: int = 0):
    return run_replication(from_data(data, data["name"]), replication=rep, keep_cases=False, keep_records=True).records


def test_zero_capacity_makes_the_backlog_grow_by_exactly_the_inflow(baseline):
    data = baseline.model_dump(mode="json")
    data["horizon_years"] = 2
    data["changes"] = [c for c in data["changes"] if c["date"] < "2028-01-01"]
    for pool in data["pools"].values():
        pool["fte"]["value"] = 0
        if pool.get("hiring"):
            pool["hiring"] = None
    e = engine(data)
    open_ = e.daily.open.sum(axis=1).astype(np.int64)
    inflow = np.cumsum(e.daily.inflow.sum(axis=1))
    start = int(e.month_ends.open[0].sum())
    np.testing.assert_array_equal(open_, start + inflow)
    assert (e.pools.used == 0).all()


def test_zero_inflow_drains_the_initial_stock_at_the_capacity_rate():
    data = network(lam=0.0, capacities=[10], years=1)
    data["initial_stock"] = [{"stream": "cases", "stage": "s0", "count": 1000, "age_months": {"0-6": 1}}]
    e = engine(data)
    stock = e.daily.stock[:, 0, 0]
    days = np.arange(len(stock))
    np.testing.assert_array_equal(stock, np.maximum(1000 - 10 * (days + 1), 0))


@pytest.mark.parametrize("capacities", [[10], [6, 7]])
def test_more_capacity_never_gives_a_larger_backlog(capacities):
    for rep in range(3):
        base = engine(network(8.0 if len(capacities) == 1 else 5.5, capacities, years=3), rep)
        for i in range(len(capacities)):
            more = list(capacities)
            more[i] += 1
            bigger = engine(network(8.0 if len(capacities) == 1 else 5.5, more, years=3), rep)
            total_base = base.daily.stock.sum(axis=(1, 2))
            total_more = bigger.daily.stock.sum(axis=(1, 2))
            assert (total_more <= total_base).all()
            if len(capacities) == 1:
                assert (total_more < total_base).any()


@pytest.mark.parametrize("capacities", [[10], [6, 7]])
def test_more_inflow_never_gives_a_smaller_backlog(capacities):
    for rep in range(3):
        base = engine(network(5.0, capacities, years=3), rep)
        more = engine(network(5.5, capacities, years=3), rep)
        assert (more.daily.inflow >= base.daily.inflow).all()  # inversion: more arrivals on every day
        assert (more.daily.stock.sum(axis=(1, 2)) >= base.daily.stock.sum(axis=(1, 2))).all()


def _baseline_variant(baseline, fte_factor: float = 1.0, inflow_factor: float = 1.0) -> dict:
    data = baseline.model_dump(mode="json")
    data["horizon_years"] = 2
    data["changes"] = [c for c in data["changes"] if c["date"] < "2028-01-01"]
    for name in ("ind_hearing", "ind_decision"):
        pool = data["pools"][name]
        pool["fte"]["value"] *= fte_factor
        pool["hiring"]["target_fte"]["value"] *= fte_factor
    for stream in data["streams"].values():
        stream["monthly_volume"]["value"] *= inflow_factor
    data["name"] = f"v{fte_factor}-{inflow_factor}"
    return data


def test_on_the_baseline_more_staff_lowers_and_more_inflow_raises_the_backlog(baseline):
    """In the full network the paired comparison holds replication by replication at the horizon
    (and the mean effect is clearly signed), although not necessarily on every single day."""
    end = {}
    for key, kwargs in {"base": {}, "staff": {"fte_factor": 1.1}, "inflow": {"inflow_factor": 1.1}}.items():
        end[key] = np.array([engine(_baseline_variant(baseline, **kwargs), rep).daily.open[-1].sum()
                             for rep in range(3)])
    assert (end["staff"] < end["base"]).all()
    assert (end["inflow"] > end["base"]).all()


def test_the_inflow_level_scales_the_streams_its_forecast_counts_and_no_others(baseline):
    """The MPP band counts applications (first, repeat, nareis), not the expiry of permits granted
    years before: a high level raises the first, and leaves the outside inflow of expiries as it
    is, replication by replication (before, every stream was scaled)."""
    data = _baseline_variant(baseline)
    assert data["uncertainty"]["inflow_level"]["streams"] == ["first_asylum", "repeat", "nareis"]
    scenario = from_data(data, "band")
    inflow = {f: run_replication(scenario, 0, inflow_factor=f, keep_cases=False).metrics.query("metric == 'inflow'")
              .groupby("stream", observed=True).value.sum() for f in (1.0, 1.4)}
    assert inflow[1.4]["permit_expiry"] == inflow[1.0]["permit_expiry"]
    assert inflow[1.4]["first_asylum"] > 1.3 * inflow[1.0]["first_asylum"]
