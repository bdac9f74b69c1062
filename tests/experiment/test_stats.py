"""Intervals never claim impossible values: a share stays within 0-100%, a count never goes below
zero, and a difference to the base never implies either for the scenario's mean."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from simulator.experiment import Results, interval, paired, paired_differences, summarize
from simulator.report.sentences import figure_difference, figure_differences


def test_a_t_interval_is_cut_at_the_possible_values_and_only_there():
    mean, low, high = interval(np.array([0.98, 1.0]))
    assert high > 1  # with two replications the t-interval of a share near 100% reaches past it
    assert interval(np.array([0.98, 1.0]), within=(0.0, 1.0)) == (mean, low, 1.0)
    assert interval(np.array([3.0, 5.0, 4.0]), within=(0.0, np.inf)) == interval(np.array([3.0, 5.0, 4.0]))


def test_a_backlog_cannot_fall_by_more_than_all_of_it():
    base, scenario = np.array([22_000.0, 23_000.0]), np.array([50.0, 80.0])
    _, uncut_low, _ = interval(scenario - base)
    assert uncut_low < -22_500  # the plain interval: a backlog below zero
    mean, low, high = paired(scenario, base, "cases")
    assert mean == pytest.approx(-22_435) and low == -22_500 and high < 0


def test_a_share_cannot_differ_by_more_than_the_room_the_base_leaves():
    base, scenario = np.array([0.90, 0.98]), np.array([0.10, 0.30])
    _, uncut_low, uncut_high = interval(scenario - base)
    assert uncut_low < -0.94  # a share below 0% for the scenario: 1.5 points lower than the base's 94%
    mean, low, high = paired(scenario, base, "share")
    assert (low, high) == (pytest.approx(-0.94), uncut_high) and low < mean < high
    assert paired(base, scenario, "share")[1:] == (-uncut_high, pytest.approx(1 - 0.2))  # and above 100%


def test_pairs_with_a_gap_are_left_out_and_a_lone_pair_has_no_interval():
    mean, low, high = paired(np.array([1.0, np.nan, 3.0]), np.array([2.0, 5.0, 2.0]), "cases")
    assert mean == 0.0 and low < 0 < high
    mean, low, high = paired(np.array([1.0, np.nan]), np.array([2.0, 5.0]), "cases")
    assert mean == -1.0 and np.isnan(low) and np.isnan(high)


def test_random_figures_give_intervals_within_the_possible_and_around_the_mean():
    rng = np.random.default_rng(7)
    for _ in range(200):
        n = int(rng.integers(2, 6))
        base, scenario = rng.uniform(0, 1, n), rng.uniform(0, 1, n) ** 3
        mean, low, high = paired(scenario, base, "share")
        assert -base.mean() - 1e-12 <= low <= mean <= high <= 1 - base.mean() + 1e-12


@pytest.fixture
def drained() -> Results:
    """Two replications where a scenario all but empties a backlog of about 22,500 cases and
    drops the within-term share from near 100% (the case of the what-if page that showed
    '23,414 fewer' and '141 percentage points lower')."""
    rows = []
    for rep, (b_cases, s_cases, b_share, s_share) in enumerate([(22_000, 50, 0.90, 0.10), (23_000, 80, 0.98, 0.30)]):
        for name, cases, share in (("base", b_cases, b_share), ("what_if", s_cases, s_share)):
            rows.append((name, rep, 2030, "backlog_end", "asylum", float(cases), "cases"))
            rows.append((name, rep, 2030, "within_term_share", "asylum", share, "share"))
    yearly = pd.DataFrame(rows, columns=["scenario", "replication", "year", "figure", "category", "value", "unit"])
    return Results({"base": None, "what_if": None}, 1, 2, pd.DataFrame(), yearly, None)


def test_the_comparison_table_and_the_pages_sentences_cut_alike(drained):
    table = paired_differences(drained, "base").table.set_index("figure")
    assert table.loc["backlog_end", "low"] == -22_500
    assert table.loc["within_term_share", "low"] == pytest.approx(-0.94)
    for figure in ("backlog_end", "within_term_share"):
        one = figure_difference(drained, "what_if", "base", figure, "asylum", 2030)
        assert one == figure_differences(drained, "what_if", "base", figure, "asylum")[2030]
        assert one[1:] == tuple(table.loc[figure, ["difference", "low", "high"]])


def test_summaries_of_levels_stay_within_their_units_range(drained):
    table = summarize(drained.yearly, ["scenario", "figure", "year"]).set_index(["scenario", "figure"])
    assert table.loc[("base", "within_term_share"), "high"] == 1.0
    assert table.loc[("what_if", "backlog_end"), "low"] == 0.0
