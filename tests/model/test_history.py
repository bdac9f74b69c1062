"""Validation: the 2023-2025 backtest against the published asylum backlog (DOMAIN.md 2.3)."""

from __future__ import annotations

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


def test_backtest_follows_published_production(history):
    """The staff were calibrated to decisions, not to the backlog: check the decisions match."""
    y = history.yearly
    decisions = y[(y.figure == "first_decisions") & (y.category == "asylum")].groupby("year").value.mean()
    for year, target in {2023: 28_700, 2024: 34_200, 2025: 30_000}.items():
        assert decisions[year] == pytest.approx(target, rel=0.03), year
