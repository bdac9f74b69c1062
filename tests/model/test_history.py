"""Validation: the 2023-2025 backtest against published figures (data/published.yaml), read from
the same table as `indsim backtest` and the report's validation document."""

from __future__ import annotations

import itertools

import pandas as pd
import pytest

from simulator import load_scenario
from simulator.experiment.backtest import BACKTEST_COLUMNS, TOLERANCE, backtest

# Held-back observations the chain of today meets within the tolerance; the others, and why they
# miss, are listed in the README's validation section. Extend this set as the chain improves.
MUST_HOLD = [("backlog_asylum", 2023), ("backlog_asylum", 2024), ("backlog_asylum", 2025),
             ("backlog_asylum_and_nareis_month", 2023), ("reception", 2023), ("reception_month", 2023),
             ("nareis_decisions_month", 2023)]


@pytest.fixture(scope="module")
def run():
    return backtest(3, workers=1)


@pytest.fixture(scope="module")
def table(run):
    return run[1]


def test_backtest_staff_grow_no_faster_than_the_hiring_cap_and_the_baseline_starts_where_it_ends(run, root):
    """One staffing trajectory: no jumps beyond what the yearly intake cap allows, and the
    baseline's staff on 1 January 2026 are the backtest's at the end of 2025."""
    y = run[0].yearly
    fte = y[y.figure == "fte_end"].groupby(["category", "year"]).value.mean()
    scenario = load_scenario(root / "scenarios/history_2023_2025.yaml")
    for pool in ("ind_hearing", "ind_decision"):
        cap = scenario.pools[pool].hiring.intake_cap_per_year.value
        start = scenario.pools[pool].fte.value
        path = [start, *(fte[(pool, year)] for year in (2023, 2024, 2025))]
        assert all(b - a <= cap for a, b in itertools.pairwise(path)), (pool, path)
    baseline = load_scenario(root / "scenarios/baseline.yaml")
    for pool in ("ind_hearing", "ind_decision", "ind_nareis"):
        assert baseline.pools[pool].fte.value == pytest.approx(fte[(pool, 2025)], rel=0.05), pool


def test_backtest_has_one_row_per_published_series_and_year_inside_the_horizon(table):
    assert list(table.columns[: len(BACKTEST_COLUMNS)]) == BACKTEST_COLUMNS
    assert not table.duplicated(["series", "year"]).any()
    assert set(table.year) == {2023, 2024, 2025}
    assert {"backlog_asylum", "notices", "first_decisions_asylum", "dublin_transfers",
            "court_procedures_ind", "reception"} <= set(table.series)


@pytest.mark.parametrize("series, year", MUST_HOLD)
def test_held_back_observation_is_within_the_tolerance_of_the_published_figure(table, series, year):
    row = table[(table.series == series) & (table.year == year)].iloc[0]
    assert row.within, f"{series} {year}: model {row.model_mean:,.0f} against {row.published:,.0f} ({row.error:+.0%})"
    assert abs(row.error) <= TOLERANCE or row.bound


def test_backtest_reproduces_its_published_inputs(table):
    """Inflow figures were put into the scenario: the model must return them (within 5%)."""
    inputs = table[table.role == "input"]
    assert len(inputs) >= 4 and inputs.used_for_fit.all()
    inputs = inputs[inputs.series.str.startswith("inflow_")]
    assert (inputs.error.abs() < 0.05).all(), inputs[["series", "year", "published", "model_mean"]]


def test_the_backtest_starts_with_claimants_waiting_for_their_transfer(table):
    """The transferred share of accepted claims (0.308; 0.36 of the claims that reach the transfer)
    is derived from 2023's 2,450 transfers, so that year is an input; with the end-2022 claimants
    who wait for their transfer in the stock, the model returns it. Without them, 2023 had only
    the transfers of claims accepted in 2023 (-35%). 2024 stays a test."""
    transfers = table[table.series == "dublin_transfers"].set_index("year")
    assert transfers.role[2023] == "input" and transfers.used_for_fit[2023]
    assert transfers.role[2024] == "observed" and not transfers.used_for_fit[2024]
    assert abs(transfers.error[2023]) < 0.10, transfers[["published", "model_mean", "error"]]


def test_the_stock_and_the_inflow_do_not_count_dublin_claims_twice(table):
    """The 2023 Dublin share is the year's claims less the end-2022 stock's, over the inflow; the
    stock's registration line holds no Dublin cases. Counting the stock's claims twice gave 59%
    too many accepted claims in 2023 (12,690 against 7,960)."""
    dublin = table[table.series == "dublin_claims_accepted"].set_index("year")
    assert (dublin.error.abs() < 0.15).all(), dublin[["published", "model_mean", "error"]]


def test_fitted_observations_are_marked_and_never_counted_as_tests(table):
    """The shipped calibration fits 2023; 2024 and 2025 are held back."""
    asylum = table[table.series == "backlog_asylum"].set_index("year").used_for_fit
    assert asylum[2023] and not asylum[2024] and not asylum[2025]
    assert not table[(table.series == "notices") & (table.year == 2024)].used_for_fit.any()


def test_the_baseline_nareis_stock_is_no_younger_than_the_published_inflow_allows(root):
    """Open nareis cases lodged in the last 12 or 24 months of 2025 can be no more than the
    applications of those months, the backtest's own 2024 and 2025 volumes (the old split,
    scaled from the backtest's near-empty nareis stock, put 49,950 under 6 months)."""
    from simulator.model.compiled import compile_scenario, month_days

    history = load_scenario(root / "scenarios/history_2023_2025.yaml")
    volume = {c.date.year: c.set["streams.nareis.monthly_volume"]["value"] for c in history.changes
              if "streams.nareis.monthly_volume" in c.set}
    c = compile_scenario(load_scenario(root / "scenarios/baseline.yaml"))
    stock = c.stock
    nareis = c.structure.index("streams", "nareis")
    age = -stock.lodged[(stock.stream == nareis) & ~stock.decided]
    assert len(age) == 50_000
    rounding = 50  # the shares are written to 3 decimals: 25 cases a band
    assert (age < month_days(12)).sum() <= 12 * volume[2025] + rounding
    assert (age < month_days(24)).sum() <= 12 * (volume[2025] + volume[2024]) + rounding


def test_dublin_decisions_are_appealed_and_a_third_of_the_accepted_claims_is_transferred(run):
    """DOMAIN 1.1 step 6: an appeal lies against every decision. AIDA counts 7,670 Dublin appeals
    in 2023 against 7,960 accepted claims (TK 2025D22408); until 6 December 2026 no Dublin decision
    was appealed. A Dublin decision set aside (15%) sends the claim to the general procedure, so
    the transfer share of the claims that reach the transfer is derived again (0.36): the
    transfers stay at 2023's 0.308 of the accepted claims."""
    m = run[0].metrics
    d = m[(m.metric == "decisions") & (pd.to_datetime(m.date).dt.year.between(2023, 2025))]
    by = d.groupby(["stage", "outcome"], observed=True).value.sum()
    decided = by[("dublin_decision", "dublin")]
    ruled = by["dublin_appeal"].sum()
    assert 0.8 < ruled / decided < 0.97, (ruled, decided)
    assert 0.12 < by[("dublin_appeal", "overturned")] / ruled < 0.18
    assert 0.27 < by[("dublin_transfer", "transferred")] / decided < 0.34
