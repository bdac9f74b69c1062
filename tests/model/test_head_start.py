"""A head start in a pool's line: work of the named group takes its place as if it had arrived
that much earlier, in the same lane, so it waits that much less than work that arrived with it,
and still waits while the line is longer than the head start (unlike a rank, which goes first)."""

from __future__ import annotations

import textwrap

import numpy as np

from simulator import load_scenario, simulate

SCENARIO = """\
title: head start
start: 2026-01-01
horizon_years: 1
seed: 5
calendar: {workdays: [mon, tue, wed, thu, fri, sat, sun]}
outcomes: {done: done}
streams:
  apps:
    label: apps
    monthly_volume: {value: 1000, source: assumption}
    entry: work
    legal_term: {value: 6, source: assumption}
    groups: {a: {share: 0.3}, b: {share: 0.7}}
pools:
  staff:
    label: staff
    fte: {value: 6, source: "assumption: too few, so the line grows all year"}
    hours_per_fte_year: {value: 1300, source: assumption}
    discipline: {by: group, head_start: {a: {value: 8, unit: weeks, source: test}}}
stages:
  work:
    label: work
    pool: staff
    hours: {value: 1, source: assumption}
    routes: [{to: exit, p: 1, outcome: done}]
"""


def test_work_with_a_head_start_waits_that_much_less_but_still_waits(tmp_path):
    """About 33 cases a day arrive and 21 are done, so the line's wait grows past the head start
    of 56 days in spring. From then on a case of a, done on the same day as cases of b, was lodged
    56 days later than they were (their keys meet at the head of the line)."""
    path = tmp_path / "head_start.yaml"
    path.write_text(textwrap.dedent(SCENARIO))
    cases = simulate(load_scenario(path), replications=1, keep_cases="all").cases
    done = cases[cases.first_decision.notna()].copy()
    done["wait"] = (done.first_decision - done.lodged).dt.days
    late = done[done.first_decision >= "2026-07-01"]
    by_day = late.groupby(["first_decision", "group"], observed=True).wait.median().unstack()
    gap = (by_day["b"] - by_day["a"]).dropna()
    assert len(gap) > 100
    assert abs(gap.median() - 56) <= 1, gap.describe()
    a = late[late.group == "a"]
    assert a.wait.min() > 14 and (late.groupby("group", observed=True).size() > 500).all()
    assert np.isclose((cases.group == "a").mean(), 0.3, atol=0.02)
    assert (done.group == "a").mean() > 0.33  # by the end of the year more of a's work is done
