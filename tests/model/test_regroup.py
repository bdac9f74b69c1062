"""A route that moves a case into another group (``regroup``): drawn in proportion to its
stream's shares of the listed groups, by the case's own uniform, and from then on the case is
ranked and routed as its new group."""

from __future__ import annotations

import textwrap

import numpy as np

from simulator import load_scenario, simulate
from simulator.model.rng import Source, Streams
from simulator.model.routing import regroup

SCENARIO = """\
title: regroup
start: 2026-01-01
horizon_years: 1
seed: 11
calendar: {workdays: [mon, tue, wed, thu, fri, sat, sun]}
outcomes: {done: done}
streams:
  apps:
    label: apps
    monthly_volume: {value: 1500, source: assumption}
    entry: first
    legal_term: {value: 6, source: assumption}
    groups: {a: {share: 0.5}, b: {share: 0.25}, c: {share: 0.25}}
pools:
  staff:
    label: staff
    fte: {value: 5, source: "assumption: far too few, so the lines grow all year"}
    hours_per_fte_year: {value: 1300, source: assumption}
    discipline: {order: priority, by: group, ranking: [c], then: fifo}
stages:
  first:
    label: first
    pool: staff
    hours: {value: 1, source: assumption}
    routes: [{to: exit, p: 1, outcome: done}]
    routes_by_group:
      c: [{to: second, p: 1, regroup: [a, b], source: "test: c is examined as a or b"}]
  second:
    label: second
    pool: staff
    hours: {value: 1, source: assumption}
    routes: [{to: exit, p: 1, outcome: done}]
"""


def _kernel_case(n: int, seed: int = 5):
    rng = np.random.default_rng(seed)
    ids = np.arange(n)
    cols = {"stream": rng.integers(0, 2, n), "key": rng.integers(0, 2**63, n).astype(np.uint64),
            "step": rng.integers(1, 9, n), "rep": rng.integers(0, 2, n), "group": np.full(n, 2)}
    allowed = np.zeros((1, 1, 3), dtype=bool)
    allowed[0, 0, :2] = True  # groups 0 and 1
    group_cum = np.array([[[0.5, 0.75, 1.0], [0.0, 0.0, 1.0]]])  # stream 1 has only group 2
    table = Streams(7, [0, 1]).keys[Source.ROUTING]
    return ids, cols, allowed, group_cum, table


def _draw(ids, cols, allowed, group_cum, table) -> np.ndarray:
    group = cols["group"].copy()
    zeros = np.zeros(len(ids), dtype=np.int64)
    regroup(ids, zeros, zeros, allowed, group_cum, np.zeros(2, dtype=np.int64), cols["stream"], cols["key"],
            cols["step"], cols["rep"], group, table)
    return group


def test_the_new_group_follows_the_streams_shares_of_the_listed_groups():
    ids, cols, allowed, group_cum, table = _kernel_case(200_000)
    group = _draw(ids, cols, allowed, group_cum, table)
    mine = cols["stream"] == 0
    share_a = (group[mine] == 0).mean()  # 0.5 / (0.5 + 0.25)
    n = mine.sum()
    assert abs(share_a - 2 / 3) < 4 * np.sqrt(2 / 9 / n), share_a
    assert set(np.unique(group[mine])) == {0, 1}
    assert (group[~mine] == 2).all()  # a stream with none of the listed groups: the case keeps its own


def test_a_cases_new_group_depends_on_its_own_key_not_on_the_other_cases():
    ids, cols, allowed, group_cum, table = _kernel_case(5_000)
    whole = _draw(ids, cols, allowed, group_cum, table)
    some = np.random.default_rng(3).permutation(ids)[:700]
    part = cols["group"].copy()
    zeros = np.zeros(len(some), dtype=np.int64)
    regroup(some, zeros, zeros, allowed, group_cum, np.zeros(2, dtype=np.int64), cols["stream"], cols["key"],
            cols["step"], cols["rep"], part, table)
    assert (part[some] == whole[some]).all()


def test_a_regrouped_case_leaves_its_old_groups_priority_and_routes(tmp_path):
    """The staff take 18 cases a day of 49 that arrive, so the line grows all year. Cases of c go
    first at the first stage (ranked first); moved into a or b, they wait at the second stage
    behind everyone who has waited longer, instead of going first again."""
    path = tmp_path / "regroup.yaml"
    path.write_text(textwrap.dedent(SCENARIO))
    cases = simulate(load_scenario(path), replications=1, keep_cases="all").cases
    assert (cases.group != "c").sum() == len(cases) - (cases.stage_at_end == "first").mul(cases.group == "c").sum()
    at_second = cases[cases.stage_at_end == "second"]
    assert len(at_second) > 2000  # with the priority of c they would have gone first again: none left here
    assert set(at_second.group) == {"a", "b"}
    share_a = (at_second.group == "a").mean()  # 0.5 / (0.5 + 0.25)
    assert abs(share_a - 2 / 3) < 4 * np.sqrt(2 / 9 / len(at_second)), share_a


def test_in_the_baseline_a_refused_dublin_claim_is_examined_as_track_4(baseline_run):
    """The baseline's refused Dublin claims (30%) go on as track-4 cases: every first decision on a
    case still in the Dublin group is the Dublin decision, so none is granted or rejected there
    with the Dublin group's place in line."""
    cases = baseline_run.cases
    first = cases[(cases.stream == "first_asylum") & (cases.first_outcome != "")]
    dublin = first[first.group == "dublin"]
    assert len(dublin) > 1000
    assert set(dublin.first_outcome) == {"dublin"}
