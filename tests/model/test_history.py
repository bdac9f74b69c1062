"""Validation: the 2023-2025 backtest against the published asylum backlog (DOMAIN.md 2.3)."""

from __future__ import annotations

import itertools

import pytest

from simulator import load_scenario, simulate

PUBLISHED = {2023: 50_000, 2024: 51_000}  # IND 2 Feb 2024; upday Jan 2025 (IND jaarcijfers 2024)


@pytest.fixture(scope="module")
def history(root):
    return simulate(load_scenario(root / "scenarios/history_2023_2025.yaml"), replications=3, workers=1,
                    keep_cases="none")


@pytest.mark.parametrize("year", sorted(PUBLISHED))
def test_backtest_backlog_is_within_15_percent_of_the_published_figure(history, year):
    y = history.yearly
    backlog = y[(y.figure == "backlog_end") & (y.category == "asylum") & (y.year == year)].value.mean()
    assert abs(backlog - PUBLISHED[year]) / PUBLISHED[year] <= 0.15, f"{year}: model {backlog:,.0f}"


def test_backtest_staff_grow_no_faster_than_the_hiring_cap_and_the_baseline_starts_where_it_ends(history, root):
    """One staffing trajectory: no jumps beyond what the yearly intake cap allows, and the
    baseline's staff on 1 January 2026 are the backtest's at the end of 2025."""
    y = history.yearly
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
