"""Invariants of the model on the baseline: Little's law, conservation, determinism, isolation."""

from __future__ import annotations

import copy
import hashlib
import io
import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest
import yaml

from simulator.model import run_replication
from simulator.scenario import from_data, load_scenario


def _frame_hash(frame: pd.DataFrame) -> str:
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    return hashlib.sha256(buf.getvalue()).hexdigest()


# ---------------------------------------------------------------- Little's law
def test_littles_law_on_the_asylum_backlog(baseline_run):
    """Time-average of the open cases = throughput x time open, exactly on the sample path."""
    e = baseline_run.records
    n = e.structure.n_days
    cs = e.cases
    first = cs.column("first_day").astype(np.int64)
    exit_day = cs.column("exit_day").astype(np.int64)
    resolved = np.where(first >= 0, first, np.where(exit_day >= 0, exit_day, n))
    lodged = np.maximum(cs.column("lodged").astype(np.int64), 0)
    open_days = np.where(cs.column("prior"), 0, np.minimum(resolved, n) - lodged)
    stream = cs.column("stream")
    for s, name in enumerate(e.structure.streams):
        area = int(e.daily.open[:, s].sum())
        assert area == int(open_days[stream == s].sum()), name
    # classical form: L = lambda * W over the horizon, counting cases still open at the end
    asylum = [s for s, c in enumerate(e.structure.stream_category) if c == "asylum"]
    mine = np.isin(stream, asylum) & ~cs.column("prior")
    mean_open = e.daily.open[:, asylum].sum() / n
    assert mean_open == pytest.approx(mine.sum() / n * open_days[mine].mean(), rel=1e-9)


# ---------------------------------------------------------------- conservation
def test_cases_are_conserved_per_stream(baseline_run):
    """Stock at the start + new cases = cases that left + stock at the end, per stream, from the
    published metrics table alone. New cases are the applications (inflow) and the court cases
    about late ones (``nontimely_appeals``: in their application's stream, not applications, so
    not inflow); the per-case table counts the same court cases."""
    m, cases = baseline_run.metrics, baseline_run.cases
    dates = sorted(m.date.unique())
    court = cases[cases.nontimely_appeal].stream.astype(str).value_counts()
    assert court.sum() > 1000
    for stream in m[m.stream != ""].stream.unique():
        stock = m[(m.metric == "stock") & (m.stream == stream)]
        start = stock[stock.date == dates[0]].value.sum()
        end = stock[stock.date == dates[-1]].value.sum()
        inflow, exits, appeals = (m[(m.metric == k) & (m.stream == stream)].value.sum()
                                  for k in ("inflow", "exits", "nontimely_appeals"))
        assert appeals == court.get(stream, 0), stream
        assert start + inflow + appeals == exits + end, stream


def test_stock_counters_equal_a_recount_of_the_cases(baseline_run):
    e = baseline_run.records
    stage = e.cases.column("stage")
    inside = stage >= 0
    recount = np.zeros_like(e.daily.stock[-1])
    np.add.at(recount, (stage[inside], e.cases.column("stream")[inside]), 1)
    np.testing.assert_array_equal(e.daily.stock[-1], recount)


def test_monthly_lead_times_equal_numpys_over_the_cases_table(baseline_run):
    """The metrics table's lead-time mean, median and 90th percentile per month, by stream and by
    category, are numpy's over the first decisions of that month in the per-case table."""
    m, cases = baseline_run.metrics, baseline_run.cases
    first = cases[cases.first_decision.notna()]
    lead = (first.first_decision - first.lodged).dt.days
    month = first.first_decision.dt.to_period("M")
    category = dict(m.loc[m.stream != "", ["stream", "category"]].drop_duplicates().to_numpy())
    by = {"stream": first.stream.astype(str), "category": first.stream.astype(str).map(category)}
    checked = 0
    for dim in ("stream", "category"):
        rows = m[m.metric.str.startswith("lead_time") & (m[dim] != "")]
        if dim == "category":
            rows = rows[rows.stream == ""]
        want = lead.groupby([month, by[dim]]).agg(
            mean="mean", p50=lambda x: np.percentile(x, 50), p90=lambda x: np.percentile(x, 90))
        for metric, column in (("lead_time_mean", "mean"), ("lead_time_p50", "p50"), ("lead_time_p90", "p90")):
            sub = rows[rows.metric == metric]
            got = sub.set_index([sub.date.dt.to_period("M"), sub[dim]]).value.sort_index()
            exp = want[column].rename_axis(got.index.names).sort_index()
            assert len(got) == len(exp) > 100, (dim, metric)
            np.testing.assert_allclose(got.to_numpy(), exp.reindex(got.index).to_numpy(), rtol=1e-12)
            checked += len(got)
    assert checked > 1000


# ---------------------------------------------------------------- determinism
def test_same_seed_gives_identical_tables_and_other_seeds_differ(baseline, baseline_run):
    again = run_replication(baseline)
    pd.testing.assert_frame_equal(baseline_run.metrics, again.metrics)
    pd.testing.assert_frame_equal(baseline_run.cases, again.cases)
    assert _frame_hash(baseline_run.metrics) == _frame_hash(again.metrics)
    other_seed = run_replication(baseline, seed=baseline.seed + 1, keep_cases=False)
    other_rep = run_replication(baseline, replication=1, keep_cases=False)
    assert not baseline_run.metrics.value.equals(other_seed.metrics.value)
    assert not baseline_run.metrics.value.equals(other_rep.metrics.value)


def _hash_in_fresh_process(root, env: dict[str, str] | None = None) -> str:
    code = (
        "import hashlib, io, sys\n"
        "from simulator.scenario import load_scenario\n"
        "from simulator.model import run_replication\n"
        f"r = run_replication(load_scenario({str(root / 'scenarios/baseline.yaml')!r}))\n"
        "buf = io.BytesIO(); r.metrics.to_parquet(buf, index=False)\n"
        "print(hashlib.sha256(buf.getvalue()).hexdigest())\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=root,
                         env={**os.environ, **(env or {})})
    return out.stdout.strip()


def test_same_seed_gives_identical_tables_in_a_fresh_process(baseline_run, root):
    assert _hash_in_fresh_process(root) == _frame_hash(baseline_run.metrics)


def test_same_tables_on_a_processor_without_numpys_vector_extensions(baseline_run, root):
    """numpy picks its code by processor (AVX-512 or not) and, for exp and log, the last bit of the
    result with it; a process told to use none of those extensions stands in for another machine.
    The draws take their exponentials and logarithms from :mod:`simulator.model.portable`."""
    from numpy._core._multiarray_umath import __cpu_dispatch__

    if not __cpu_dispatch__:
        pytest.skip("numpy has no processor-specific code on this machine")
    env = {"NPY_DISABLE_CPU_FEATURES": " ".join(__cpu_dispatch__)}
    assert _hash_in_fresh_process(root, env) == _frame_hash(baseline_run.metrics)


# ---------------------------------------------------------------- dated capacity change
def test_capacity_change_acts_from_its_date_and_not_before(baseline, baseline_run):
    data = baseline.model_dump(mode="json")
    data["changes"] = [*data["changes"], {"date": "2027-03-01", "set": {"pools.ind_decision.fte": 400}}]
    changed = run_replication(from_data(data, "more_staff"), keep_records=True, keep_cases=False).records
    base = baseline_run.records
    day = (pd.Timestamp("2027-03-01") - pd.Timestamp(baseline.start)).days
    pool = base.structure.pools.index("ind_decision")
    np.testing.assert_array_equal(changed.pools.used[:day], base.pools.used[:day])
    np.testing.assert_array_equal(changed.daily.stock[:day], base.daily.stock[:day])
    workday = np.flatnonzero(base.structure.workday[day:])[0] + day
    fte = base.month_ends.fte[-1, pool]  # at the end of the run
    per_fte = base.pools.available[workday, pool] / fte if fte else 0
    assert changed.pools.available[workday, pool] > base.pools.available[workday, pool]
    assert changed.pools.available[workday, pool] == pytest.approx(400 * per_fte, rel=0.02)
    assert (changed.pools.used[day:, pool].sum() > base.pools.used[day:, pool].sum())


# ---------------------------------------------------------------- initial stock
def test_run_reproduces_the_initial_stock_per_stage_and_age():
    data = {
        "name": "stock", "title": "stock", "start": "2026-01-01", "horizon_years": 1, "seed": 1,
        "outcomes": {"done": "done"},
        "streams": {"apps": {"label": "apps", "monthly_volume": 100, "entry": "work", "legal_term": 6,
                             "groups": {"a": {"share": 0.5}, "b": {"share": 0.5}}}},
        "pools": {"staff": {"label": "staff", "fte": 1, "hours_per_fte_year": 1300}},
        "stages": {"wait": {"label": "wait", "delay": {"value": 30, "unit": "days"},
                            "routes": [{"to": "work", "p": 1}]},
                   "work": {"label": "work", "pool": "staff", "hours": 5,
                            "routes": [{"to": "exit", "p": 1, "outcome": "done"}]}},
        "initial_stock": [
            {"stream": "apps", "stage": "work", "count": 1000,
             "age_months": {"0-3": 0.2, "3-6": 0.3, "6-15": 0.4, "15-30": 0.1}},
            {"stream": "apps", "stage": "wait", "count": 333, "groups": {"a": 1},
             "age_months": {"0-6": 0.5, "15-24": 0.5}},
        ],
    }
    r = run_replication(from_data(data, "stock"))
    m = r.metrics
    first = m[(m.metric == "stock") & (m.date == m.date.min())]
    got = first.pivot_table(index="stage", columns="age_band", values="value", aggfunc="sum").fillna(0)
    assert got.loc["work"].to_dict() == {"0-6": 500, "6-15": 400, "15+": 100}
    assert got.loc["wait"].to_dict() == {"0-6": 167, "6-15": 0, "15+": 166}  # largest remainder: 166.5 each
    stock = r.cases.iloc[:1333]  # the initial stock is created first and keeps the lowest case ids
    ages = (pd.Timestamp("2026-01-01") - stock.lodged).dt.days
    assert ages.max() < round(30 * 365.25 / 12) and ages.min() >= 0
    assert (r.cases.iloc[1333:].lodged >= pd.Timestamp("2026-01-01")).all()


# ---------------------------------------------------------------- file order does not matter
def _reorder(node):
    if isinstance(node, dict):
        return {k: _reorder(v) for k, v in reversed(list(node.items()))}
    if isinstance(node, list) and node and all(isinstance(x, dict) and "to" in x for x in node):
        return [_reorder(x) for x in reversed(node)]
    if isinstance(node, list):
        return [_reorder(x) for x in node]
    return node


def test_reordering_keys_in_the_scenario_file_changes_nothing(root, tmp_path):
    text = (root / "scenarios" / "baseline.yaml").read_text()
    data = yaml.safe_load(text)
    data["horizon_years"] = 1
    data["changes"] = []
    straight = tmp_path / "straight.yaml"
    shuffled = tmp_path / "shuffled.yaml"
    straight.write_text(yaml.safe_dump(data, sort_keys=False))
    shuffled.write_text(yaml.safe_dump(_reorder(data), sort_keys=False))
    assert straight.read_text() != shuffled.read_text()
    a = run_replication(load_scenario(straight), keep_cases=True)
    b = run_replication(load_scenario(shuffled), keep_cases=True)
    pd.testing.assert_frame_equal(a.metrics.drop(columns="scenario"), b.metrics.drop(columns="scenario"))
    pd.testing.assert_frame_equal(a.cases.drop(columns="scenario"), b.cases.drop(columns="scenario"))


# ---------------------------------------------------------------- stream isolation
def _appeal_variant(data: dict) -> dict:
    out = copy.deepcopy(data)
    out["stages"]["appeal"]["routes"] = [
        {"to": "exit", "p": 0.50, "outcome": "upheld"},
        {"to": "higher_appeal", "p": 0.25, "outcome": "upheld"},
        {"to": "redecision", "p": 0.25, "outcome": "overturned"},
    ]
    return out


def _first_decisions(r) -> pd.DataFrame:
    c = r.cases
    keys = r.records.cases.column("key")
    return pd.DataFrame({"key": keys, "lodged": c.lodged, "stream": c.stream.astype(str), "group": c.group.astype(str),
                         "first": c.first_decision, "outcome": c.first_outcome.astype(str)}).set_index("key")


def test_an_appeal_parameter_leaves_arrivals_and_first_instance_work_untouched(baseline):
    """With re-decisions done by their own team (and the other paths back from the courts cut,
    below), a change to appeals cannot reach first instance: every first asylum application
    arrives and is first decided identically over the whole horizon. (Family members of
    re-decided grants are downstream of the courts and share the nareis officers with other
    families, so nareis may differ.)"""
    data = baseline.model_dump(mode="json")
    data["horizon_years"] = 2
    data["changes"] = [c for c in data["changes"] if c["date"] < "2028-01-01"]
    data["pools"]["ind_redecision"] = {"label": "re-decisions", "fte": 40, "hours_per_fte_year": 1300}
    data["stages"]["redecision"]["pool"] = "ind_redecision"
    # the other paths back from the courts, cut the same way: appeals for not deciding in time
    # share the court with ordinary appeals (and a court order puts a case first in IND's line);
    # the finally rejected apply again (repeat applications, decided by the decision officers);
    # family members whose appeal is allowed are decided again by the nareis officers
    data["pools"]["court_nontimely"] = {"label": "court", "owner": "court", "fte": 60, "hours_per_fte_year": 1300}
    data["stages"]["nontimely_appeal"]["pool"] = "court_nontimely"
    data["pools"]["ind_repeat"] = {"label": "repeat", "fte": 40, "hours_per_fte_year": 1300}
    data["stages"]["repeat_assessment"]["pool"] = "ind_repeat"
    data["pools"]["ind_nareis_again"] = {"label": "nareis again", "fte": 20, "hours_per_fte_year": 1300}
    data["stages"]["nareis_again"] = {**data["stages"]["nareis_assessment"], "pool": "ind_nareis_again"}
    for stage in ("appeal", "higher_appeal"):
        for route in data["stages"][stage]["routes_by_group"]["family"]:
            if route["to"] == "nareis_assessment":
                route["to"] = "nareis_again"
    a = run_replication(from_data(data, "a"), keep_records=True)
    b = run_replication(from_data(_appeal_variant(data), "b"), keep_records=True)
    fa, fb = _first_decisions(a), _first_decisions(b)
    outside = fa[((a.cases.parent_id < 0) & (a.cases.stream == "first_asylum")).to_numpy()].index
    assert len(outside) > 40_000 and outside.isin(fb.index).all()
    pd.testing.assert_frame_equal(fa.loc[outside], fb.loc[outside])
    assert not a.metrics[a.metrics.metric == "decisions"].value.equals(
        b.metrics[b.metrics.metric == "decisions"].value)


def test_on_the_baseline_first_instance_is_identical_until_court_outcomes_return(baseline):
    """In the baseline re-decisions share IND's decision staff: everything upstream of the
    courts stays identical until the first day the two runs' court outcomes differ."""
    data = baseline.model_dump(mode="json")
    data["horizon_years"] = 1
    data["changes"] = []
    a = run_replication(from_data(data, "a"), keep_records=True)
    b = run_replication(from_data(_appeal_variant(data), "b"), keep_records=True)
    lodged_a = a.cases[a.cases.parent_id < 0][["lodged", "stream", "group"]]
    lodged_b = b.cases[b.cases.parent_id < 0][["lodged", "stream", "group"]]
    pd.testing.assert_frame_equal(lodged_a.reset_index(drop=True), lodged_b.reset_index(drop=True))

    def rulings(r):
        e = r.records
        out = {}
        appeal = e.structure.stages.index("appeal")
        dec = e.decisions
        sel = dec.stages == appeal
        for d in np.unique(dec.days[sel]).tolist():
            mine = sel & (dec.days == d)
            out[d] = sorted(zip(e.cases.key[dec.ids[mine]].tolist(), dec.outcomes[mine].tolist(), strict=True))
        return out

    ra, rb = rulings(a), rulings(b)
    differ = min(d for d in set(ra) | set(rb) if ra.get(d) != rb.get(d))
    fa, fb = _first_decisions(a), _first_decisions(b)
    start = pd.Timestamp(baseline.start)
    before = fa[(fa["first"] < start + pd.Timedelta(days=differ + 1)) & fa.index.isin(fb.index)]
    assert len(before) > 0
    pd.testing.assert_frame_equal(before, fb.loc[before.index])
