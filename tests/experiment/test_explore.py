"""Exploration: PRIM and Sobol against known answers, reproducible and resumable explorations,
the target syntax of --where, one-line errors for bad uncertainty and lever files, and the
variants an exploration builds."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from simulator.cli import app
from simulator.experiment.explore import build_space, explore
from simulator.experiment.explore import run as explore_run
from simulator.experiment.explore.analysis import cart_boxes, prim_boxes, sobol_indices
from simulator.experiment.explore.space import with_overrides
from simulator.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "tests" / "data" / "explore"
SMALL = DATA / "small.yaml"


@pytest.fixture(scope="module")
def small():
    return load_scenario(SMALL)


def space_of(s, uncertainties=DATA / "uncertainties.yaml", levers=DATA / "levers.yaml"):
    return build_space(s, SMALL, uncertainties, levers)


def test_prim_recovers_a_box_planted_in_a_synthetic_response():
    rng = np.random.default_rng(1)
    x = pd.DataFrame(rng.uniform(size=(3000, 4)), columns=["a", "b", "c", "d"])
    y = ((x.a > 0.6) & (x.b < 0.3)).to_numpy()
    boxes = prim_boxes(x, y, boxes=1)
    box = boxes[boxes.box == 1].set_index("dimension")
    assert set(box.index) == {"a", "b"}
    assert box.loc["a", "lower"] == pytest.approx(0.6, abs=0.03)
    assert box.loc["b", "upper"] == pytest.approx(0.3, abs=0.03)
    assert box.density.iloc[0] > 0.9 and box.coverage.iloc[0] > 0.8


def test_prim_keeps_only_the_restrictions_the_data_support_when_experiments_are_few():
    rng = np.random.default_rng(2)  # 200 experiments, 30 uncertainties, 20% of the response noise
    x = pd.DataFrame(rng.uniform(size=(200, 30)), columns=[f"x{i}" for i in range(30)])
    y = ((x.x0 > 0.5) & (x.x1 < 0.6) & (rng.uniform(size=200) < 0.8)).to_numpy()
    boxes = prim_boxes(x, y, boxes=1)
    # Without the quasi-p test PRIM also restricted x2, x9, x10, x11, x23 and x28 here by chance.
    assert set(boxes[boxes.box == 1].dimension) == {"x0", "x1"}


def test_quasi_p_counts_each_future_once_however_many_policies_ran_it():
    from simulator.experiment.explore.analysis import quasi_p

    rng = np.random.default_rng(3)  # 80 futures, each run under 4 policies that do not matter here
    one = pd.DataFrame(rng.uniform(size=(80, 3)), columns=["a", "b", "c"])
    u = rng.uniform(size=80)
    y1 = (((one.a > 0.5) & (u < 0.55)) | (u < 0.3)).to_numpy()  # a weak effect of a
    lim = pd.DataFrame({"a": [0.5, 1.0], "b": [0.0, 0.7], "c": [0.0, 1.0]})
    initial = pd.DataFrame({"a": [0.0, 1.0], "b": [0.0, 1.0], "c": [0.0, 1.0]})
    four, y4, futures = pd.concat([one] * 4, ignore_index=True), np.tile(y1, 4), np.tile(np.arange(80), 4)
    alone = quasi_p(one, y1, np.arange(80), lim, initial)
    by_future = quasi_p(four, y4, futures, lim, initial)
    by_row = quasi_p(four, y4, np.arange(320), lim, initial)
    assert set(alone) == {"a", "b"}
    for dim in alone:
        assert by_future[dim] == pytest.approx(alone[dim], rel=1e-12)
    # The restriction on a is not supported by 80 futures (0.17), but four copies of each,
    # counted as experiments, would make it look so (0.015).
    assert by_future["a"] > 0.1 > 0.05 > by_row["a"]


def test_discovery_on_a_sobol_design_uses_only_its_independent_base_points(small):
    from types import SimpleNamespace

    from simulator.experiment.explore.analysis import independent
    from simulator.experiment.explore.design import make_design

    space = space_of(small)
    design = make_design(space, 200, "sobol", 4)
    table = pd.DataFrame({"future": np.arange(design.futures)})
    keep = independent(SimpleNamespace(design=design, table=table)).to_numpy()
    assert keep.sum() == 2 * design.base
    units = design.units[keep]
    # base points share no coordinate; the cross-sampled points copy all but one of their block's A
    assert all(len(np.unique(units[:, j])) == len(units) for j in range(units.shape[1]))
    assert len(np.unique(design.units[:, 0])) < design.futures


def test_cart_gives_the_same_boxes_every_time_even_when_two_inputs_split_equally_well():
    rng = np.random.default_rng(3)
    a = rng.random(200)
    x = pd.DataFrame({"a": a, "twin": a.copy(), "noise": rng.random(200)})  # 'a' and 'twin' tie at every split
    y = a > 0.7
    first = cart_boxes(x, y)
    assert not first.empty
    for _ in range(6):
        pd.testing.assert_frame_equal(cart_boxes(x, y), first)


def test_sobol_indices_of_the_ishigami_function_are_within_0_05_of_the_analytic_values():
    from SALib.sample import sobol

    prob = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[-np.pi, np.pi]] * 3}
    x = sobol.sample(prob, 2048, calc_second_order=False, seed=3)
    y = np.sin(x[:, 0]) + 7 * np.sin(x[:, 1]) ** 2 + 0.1 * x[:, 2] ** 4 * np.sin(x[:, 0])
    table = sobol_indices(x, y, prob, seed=3).set_index("uncertainty")
    analytic_s1 = {"x1": 0.3139, "x2": 0.4424, "x3": 0.0}
    analytic_st = {"x1": 0.5576, "x2": 0.4424, "x3": 0.2437}
    for name in prob["names"]:
        assert table.loc[name, "S1"] == pytest.approx(analytic_s1[name], abs=0.05)
        assert table.loc[name, "ST"] == pytest.approx(analytic_st[name], abs=0.05)
        assert table.loc[name, "ST_conf"] < 0.1


def _explore(tmp: Path, name: str, *extra: str):
    args = ["explore", str(SMALL), "--out", str(tmp / name), "--experiments", "20", "--seed", "4",
            "--uncertainties", str(DATA / "uncertainties.yaml"), "--levers", str(DATA / "levers.yaml"),
            "--workers", "1", "--no-cache", "--where", "backlog_end.asylum > 600 in 2027",
            "--target", "backlog_end.asylum <= 1500 in 2027", *extra]
    return CliRunner().invoke(app, args)


def test_an_exploration_of_20_experiments_with_the_same_seed_gives_identical_files(tmp_path):
    a, b = _explore(tmp_path, "a"), _explore(tmp_path, "b")
    assert a.exit_code == 0, a.output
    assert b.exit_code == 0, b.output
    files = sorted(p.relative_to(tmp_path / "a") for p in (tmp_path / "a").rglob("*") if p.is_file())
    assert Path("experiments.parquet") in files and Path("boxes.csv") in files and Path("sentences.md") in files
    for f in files:
        if f.parts[0] == "charts" or f.name == "manifest.json":
            continue
        assert (tmp_path / "a" / f).read_bytes() == (tmp_path / "b" / f).read_bytes(), f
    table = pd.read_parquet(tmp_path / "a" / "experiments.parquet")
    assert len(table) == 20 and list(table.columns[:3]) == ["experiment", "future", "policy"]
    assert {"inflow", "staff", "law", "hire", "backlog_end.asylum.2027"} <= set(table.columns)
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text())
    assert manifest["kind"] == "exploration" and manifest["experiments"] == 20
    assert "werkvoorraad asiel boven 600 eind 2027" in (tmp_path / "a" / "sentences.md").read_text()
    assert not (tmp_path / ".a.journal.jsonl").exists()


def test_an_interrupted_exploration_resumes_without_running_finished_experiments(small, tmp_path, monkeypatch):
    journal = tmp_path / "journal.jsonl"
    space = space_of(small)
    with pytest.raises(KeyboardInterrupt):
        explore(space, 20, "lhs", 4, 1, workers=1, journal=journal, stop_after=6)
    assert len(journal.read_text().splitlines()) == 1 + 6
    ran = []
    real = explore_run.execute

    def counting(tasks, *args, **kw):
        ran.extend(tasks)
        return real(tasks, *args, **kw)

    monkeypatch.setattr(explore_run, "execute", counting)
    resumed = explore(space, 20, "lhs", 4, 1, workers=1, journal=journal)
    assert len(ran) == 14 and resumed.ran == 14
    fresh = explore(space_of(small), 20, "lhs", 4, 1, workers=1)
    pd.testing.assert_frame_equal(resumed.table, fresh.table)


def test_where_accepts_the_target_syntax_of_requirements(tmp_path):
    for where in ("backlog_end.asylum <= 2000 in 2027", "within_term_share.asylum >= 0.5 from 2026"):
        result = _explore(tmp_path, where.split()[0] + where.split()[-1], "--where", where)
        assert result.exit_code == 0, result.output
    bad = _explore(tmp_path, "bad", "--where", "backlog asylum above 60000")
    assert bad.exit_code == 2
    assert bad.output.strip().splitlines()[-1].startswith("error: 'backlog asylum above 60000': a target is")


@pytest.mark.parametrize(("text", "expected"), [
    ("uncertainties:\n  x: {kind: value, paths: [pools.nope.fte], low: 1, high: 2, source: s}\n",
     ":2: uncertainties.x.paths[0]: no field 'pools.nope' in the scenario"),
    ("uncertainties:\n  x: {kind: value, paths: [pools.ind_hearing.fte], low: 3, high: 2, source: s}\n",
     ":2: uncertainties.x: low 3 is above high 2"),
    ("uncertainties:\n  x: {kind: magic, paths: [pools.ind_hearing.fte], low: 1, high: 2, source: s}\n",
     ":2: uncertainties.x.kind: Input should be"),
    ("uncertainties:\n  x: {kind: value, paths: [pools.ind_hearing.fte], low: 1, high: 2}\n",
     ":2: uncertainties.x.source: required field is missing"),
    ("uncertainties:\n  x:\n    kind: date\n    name: lawx\n    earliest: 2026-02-01\n    latest: 2026-09-01\n"
     "    source: s\n", ":4: uncertainties.x.name: no named date 'lawx' in scenario 'small'"),
    ("uncertainties:\n  x: {kind: value, paths: [stages.interview.label], low: 1, high: 2, source: s}\n",
     ":2: uncertainties.x.paths[0]: 'stages.interview.label' is not a number"),
    # an end that makes the scenario invalid failed the runs one by one, naming neither file nor line
    ("uncertainties:\n  x: {kind: scale, paths: [stages.interview.hours], low: -0.5, high: 1.2, source: s}\n",
     ":2: uncertainties.x.low: at -0.5 the scenario is not valid: small: stages.interview.hours"),
    ("uncertainties: [1, 2\n", "not valid YAML"),
    ("surprise: 1\n", ":1: surprise: unknown field 'surprise'; expected uncertainties"),
    ((Path(__file__).parents[1] / "data" / "bomb.yaml").read_text(), "values once aliases are expanded (limit nodes="),
    ("uncertainties: " + "[" * 30 + "]" * 30 + "\n", ":1: nested deeper than 20 levels (limit depth="),
    ("# " + "x" * 1_100_000 + "\n", "file too large (1,100,003 bytes) (limit bytes="),
    ("", "the file is empty; expected a mapping with 'uncertainties:'"),
])
def test_a_bad_uncertainty_file_gets_one_line_naming_file_line_field_and_reason(tmp_path, text, expected):
    bad = tmp_path / "u.yaml"
    bad.write_text(text)
    result = CliRunner().invoke(app, ["explore", str(SMALL), "--out", str(tmp_path / "o"), "--experiments", "4",
                                      "--uncertainties", str(bad)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {bad}") and expected in lines[0], lines
    assert "Traceback" not in result.output and not (tmp_path / "o").exists()


@pytest.mark.parametrize(("text", "expected"), [
    ("levers:\n  h: {kind: add, paths: [pools.ind_hearing.hiring.target_fte], low: 0, high: 2, source: s}\n",
     ":2: levers.h: a lever needs the 'values' it may take"),
    ("levers:\n  h: {kind: add, paths: [pools.ind_hearing.hiring.target_fte], values: [0, 2], source: s}\n"
     "policies:\n  - {name: p, levers: {k: 1}}\n", ":4: policies[0].levers.k: no lever 'k'"),
    ("levers:\n  h: {kind: add, paths: [pools.ind_hearing.hiring.target_fte], values: [0, 2], source: s}\n"
     "policies:\n  - {name: p, levers: {h: 5}}\n", ":4: policies[0].levers.h: 5 is not one of the lever's values"),
    ("levers:\n  h: {kind: add, paths: [pools.ind_hearing.fte], values: [0, -10000], source: s}\n",
     ":2: levers.h.values: at -10000 the scenario is not valid: small: pools.ind_hearing.fte"),
    ("levers:\n  h: {kind: phase, interventions: [nope], values: [0, 6], source: s}\n",
     ":2: levers.h.interventions: no intervention 'nope'"),
    ("levers:\n  o:\n    kind: choice\n    paths: [pools.ind_hearing.discipline, pools.ind_decision.discipline]\n"
     "    per_path: true\n    options: {a: [{order: fifo}], b: [{order: fifo}, {order: oldest_first}]}\n"
     "    values: [a, b]\n    source: s\n",
     "every option must list one value for each of the 2 paths"),
])
def test_a_bad_lever_file_gets_one_line_naming_file_line_field_and_reason(tmp_path, text, expected):
    bad = tmp_path / "l.yaml"
    bad.write_text(text)
    result = CliRunner().invoke(app, ["explore", str(SMALL), "--out", str(tmp_path / "o"), "--experiments", "4",
                                      "--uncertainties", str(DATA / "uncertainties.yaml"), "--levers", str(bad)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {bad}") and expected in lines[0], lines


def test_a_law_that_never_comes_disables_every_measure_that_names_its_date(small):
    space = space_of(small)
    never = space.never_year()
    overrides, inflow = space.overrides({"inflow": 1.2, "staff": 10.0, "law": never}, {"hire": 2})
    v = with_overrides(small, overrides)
    assert not v.interventions["law_shorter_interview"].enabled and v.dates["law"] == "never"
    assert v.pools["ind_hearing"].fte.value == 10.0 and inflow == 1.2
    assert v.pools["ind_hearing"].hiring.target_fte.value == 11.0
    later, _ = space.overrides({"inflow": 1.0, "staff": 9.0, "law": 2027.25}, {"hire": 0})
    assert with_overrides(small, later).interventions["law_shorter_interview"].start.isoformat() == "2027-04-01"


def test_default_uncertainties_cover_the_ranged_numbers_and_the_structural_ones(small):
    space = build_space(small, SMALL)
    names = {d.name for d in space.dims}
    assert {"pools.ind_hearing.fte", "stages.interview.hours", "inflow_level", "surge", "surge_year", "mix",
            "courts", "attrition", "training"} <= names
    assert "streams.first_asylum.monthly_volume" not in names  # the inflow level covers it
    assert all(it.source for it in space.uncertainties.values())
    d = dict(zip([d.name for d in space.dims], np.full(len(space.dims), 0.99), strict=True))
    values = {k.name: space.value(k, d[k.name]) for k in space.dims}
    overrides, _ = space.overrides(values, {})
    v = with_overrides(small, overrides)
    shares = v.streams["first_asylum"].groups
    assert sum(g.share.value for g in shares.values()) == pytest.approx(1.0)
    assert shares["high_recognition"].share.value > 0.5
    assert "zz_explore_surge" in v.interventions


def test_a_table_of_parameter_samples_is_one_uncertainty_that_draws_a_row(small, tmp_path):
    pd.DataFrame({"pools.ind_hearing.fte": [7.0, 12.0], "stages.interview.hours": [3.0, 4.0],
                  "weight": [1.0, 1.0]}).to_csv(tmp_path / "posterior.csv", index=False)
    (tmp_path / "u.yaml").write_text("uncertainties:\n  posterior: {kind: table, file: posterior.csv, "
                                     "source: 'posterior samples (test)'}\n")
    space = build_space(small, SMALL, tmp_path / "u.yaml")
    rows = {space.value(space.dims[0], u) for u in (0.01, 0.99)}
    assert len(rows) == 2
    overrides, _ = space.overrides({"posterior": max(rows)}, {})
    v = with_overrides(small, overrides)
    assert v.pools["ind_hearing"].fte.value == 12.0 and v.stages["interview"].hours.mean == 4.0


def test_a_calibration_posterior_is_one_uncertainty_whose_samples_move_the_scenario(small, tmp_path):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from simulator.experiment.posterior import META_KEY

    params = {"staff": {"label": {"nl": "hoorcapaciteit", "en": "hearing capacity"}, "scale": ["pools.ind_hearing.fte"],
                        "prior": {"low": 0.5, "high": 1.5}, "carry": True, "why": "test"},
              "hours": {"label": {"nl": "uren", "en": "hours"}, "set": ["stages.interview.hours"],
                        "prior": {"low": 3, "high": 4}, "carry": True, "why": "test"}}
    table = pa.Table.from_pandas(pd.DataFrame({"staff": [0.5, 1.5], "hours": [3.0, 4.0], "weight": [1.0, 3.0]}))
    meta = {"kind": "indsim posterior", "scenario": "small", "parameters": params}
    pq.write_table(table.replace_schema_metadata({META_KEY: json.dumps(meta).encode()}), tmp_path / "post.parquet")
    (tmp_path / "u.yaml").write_text("uncertainties:\n  calibration: {kind: posterior, file: post.parquet, "
                                     "source: 'indsim calibrate (test samples)'}\n")
    space = build_space(small, SMALL, tmp_path / "u.yaml")
    draws = [space.value(space.dims[0], u) for u in np.linspace(0.01, 0.99, 100)]
    assert draws.count(1) == pytest.approx(75, abs=2)  # drawn by weight
    overrides, _ = space.overrides({"calibration": 1}, {})
    v = with_overrides(small, overrides)
    assert v.stages["interview"].hours.mean == 4.0
    assert any(k.startswith("calibration_") for k in v.interventions)  # the calibration's own scaling


def test_a_posterior_file_that_is_not_one_gets_one_line(small, tmp_path):
    (tmp_path / "post.parquet").write_text("not parquet")
    (tmp_path / "u.yaml").write_text("uncertainties:\n  c: {kind: posterior, file: post.parquet, source: s}\n")
    with pytest.raises(Exception, match=r"u.yaml:2: uncertainties.c.file: .*post.parquet") as err:
        build_space(small, SMALL, tmp_path / "u.yaml")
    assert len(err.value.lines()) == 1


def test_explore_refuses_an_out_folder_with_other_files_before_running_and_replaces_it_with_force(tmp_path):
    out = tmp_path / "o"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    refused = _explore(tmp_path, "o")
    assert refused.exit_code == 2
    assert refused.output.strip().splitlines() == [
        f"error: {out}: holds files indsim did not write (notes.txt); choose another --out, or add --force to "
        "replace the whole folder"]
    assert not (tmp_path / ".o.journal.jsonl").exists()  # nothing ran
    forced = _explore(tmp_path, "o", "--force", "--lang", "en")
    assert forced.exit_code == 0, forced.output
    assert not (out / "notes.txt").exists() and (out / "experiments.parquet").exists()
    assert "20 experiments (" in forced.output and "of the futures with a backlog asylum above 600 at the end of " \
        "2027" in forced.output and "Results: " in forced.output


def test_a_stored_exploration_whose_manifest_points_outside_its_folder_is_refused_in_one_line(tmp_path):
    from simulator.errors import OutputError
    from simulator.report.explore import read_exploration

    assert _explore(tmp_path, "a").exit_code == 0
    manifest = json.loads((tmp_path / "a" / "manifest.json").read_text())
    (tmp_path / "secret.txt").write_text("x")
    manifest["files"]["../secret.txt"] = {"bytes": 1}
    (tmp_path / "a" / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(OutputError, match=r"secret.txt: files: not a file inside the exploration's folder"):
        read_exploration(tmp_path / "a")


def test_a_box_limited_on_both_sides_of_a_date_reads_as_a_window(small):
    from types import SimpleNamespace

    from simulator.report.explore import restriction

    ex = SimpleNamespace(space=space_of(small))
    dim = next(d.name for d in ex.space.dims if ex.space.uncertainties[d.item].kind == "date")
    row = pd.Series({"dimension": dim, "restricts": "both", "lower": 2026.75, "upper": 2027.5, "categories": ""})
    nl, en = restriction(ex, row, "nl"), restriction(ex, row, "en")
    assert nl.endswith("van okt 2026 tot jul 2027"), nl
    assert en.endswith("from Oct 2026 until Jul 2027"), en


def test_a_robust_policy_that_needs_nothing_demonstrable_from_others_says_so(small):
    from types import SimpleNamespace

    from simulator.experiment.figures import Target
    from simulator.report.explore import robustness_sentences

    ex = SimpleNamespace(space=space_of(small))
    first = ex.space.policies[0].name
    robust = pd.DataFrame({"policy": [first], "satisficing": [0.4], "mean": [1.0], "regret_mean": [0.0],
                           "regret_max": [0.0], "best_in": [1.0]})
    goal = Target.parse("backlog_end.asylum <= 1500 in 2027")
    none = pd.DataFrame(columns=["method", "box", "coverage", "density", "mass", "dimension", "lower", "upper",
                                 "categories", "restricts"])
    words = robustness_sentences(ex, robust, none, none.iloc[0:0].reindex(columns=[]), goal, "nl")
    assert any(w.startswith("Wat dat van anderen vraagt: geen voorwaarde") and "inwerkingtreding wet" in w
               for w in words), words
    never = robustness_sentences(ex, robust.assign(satisficing=1.0), none, none.iloc[0:0].reindex(columns=[]),
                                 goal, "en")
    assert not any("needs from others" in w for w in never)  # met everywhere: nothing to tell apart
    assert never[0].count("is met in") == 1 and "meets it in" not in never[0]  # one policy: not against itself


def test_the_delta_indices_of_a_small_exploration_say_nothing_on_the_console_and_leave_warnings_as_they_were(capfd):
    """SALib notes 'Only one bin remains' per uncertainty when futures are few, turns warnings on
    inside and swaps the process's warning formatter; none of it may reach the analyst's console."""
    import warnings

    from simulator.experiment.explore.analysis import delta_indices

    rng = np.random.default_rng(3)
    x = np.repeat(rng.uniform(size=(3, 4)), 8, axis=0)  # 3 futures, as in a small run: few distinct values
    y = x @ np.array([3.0, 1.0, 0.0, 0.5])
    prob = {"num_vars": 4, "names": ["a", "b", "c", "d"], "bounds": [[0.0, 1.0]] * 4}
    formatter = warnings.formatwarning
    table = delta_indices(x, y, prob)
    assert list(table.columns[:2]) == ["uncertainty", "S1"] and len(table) == 4
    out, err = capfd.readouterr()
    assert out == "" and err == "", (out, err)
    assert warnings.formatwarning is formatter


def test_the_order_of_work_lever_holds_after_the_pact_sets_its_priorities_and_keeps_them():
    """The default lever once put 'oldest first' at the hearing pool only as its base rule: in the
    combined scenario the Pact's priorities replaced it from June 2026 (a lever without effect
    after that), and the option dropped the legal priorities (Dublin, border) altogether. Now
    every place that states the interviewing officers' rule gets the earliest lodged first within
    its own priorities; the decision officers keep theirs (they also decide permanent permits);
    'as planned' changes nothing."""
    from simulator.experiment.explore.defaults import default_levers
    from simulator.experiment.explore.space import Space

    combined = load_scenario(ROOT / "scenarios" / "combined.yaml")
    levers, policies = default_levers(combined)
    space = Space(combined, {}, levers, policies)
    assert levers["order_of_work"].paths == [
        "pools.ind_hearing.discipline", "interventions.amp_priorities.set[pools.ind_hearing.discipline]"]
    policy = next(p for p in policies if p.name == "oldest_first")
    overrides, _ = space.overrides({}, policy.levers)
    v = with_overrides(combined, overrides)
    pact = v.interventions["amp_priorities"].set["pools.ind_hearing.discipline"]
    planned = combined.interventions["amp_priorities"].set["pools.ind_hearing.discipline"]
    assert pact["then"] == "oldest_first" and pact["ranking"] == planned["ranking"] and pact["order"] == "priority"
    assert v.pools["ind_hearing"].discipline.then == "oldest_first"
    assert v.pools["ind_hearing"].discipline.ranking == ["dublin_claim_late"]
    assert v.pools["ind_hearing"].discipline.head_start == combined.pools["ind_hearing"].discipline.head_start != {}
    for pool in ("ind_decision", "ind_nareis", "ind_litigation"):
        assert v.pools[pool].discipline == combined.pools[pool].discipline
    assert v.interventions["amp_priorities"].set["pools.ind_decision.discipline"] == \
        combined.interventions["amp_priorities"].set["pools.ind_decision.discipline"]
    overrides, _ = space.overrides({}, {"order_of_work": "as_planned"})
    assert with_overrides(combined, overrides).model_dump() == combined.model_dump()


def test_an_exploration_cut_before_a_laws_date_runs(tmp_path):
    """``--until 2026`` on the combined scenario: its laws' measures start in 2027, beyond the cut.
    Dropping them made the named dates' overrides recreate them without a label (exit 2); they
    are switched off instead, as a law not in force is."""
    result = CliRunner().invoke(app, ["explore", str(ROOT / "scenarios" / "combined.yaml"), "--experiments", "2",
                                      "--until", "2026", "-n", "1", "--no-cache", "--out", str(tmp_path / "o")])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "o" / "experiments.parquet").exists()


def test_lever_combinations_are_counted_before_they_are_made():
    """40 two-valued levers give 2**40 combinations: before, the list of them was built (5.4 GB and
    a MemoryError from a 3 kB file) before it was found too long."""
    from simulator.errors import IndsimError
    from simulator.experiment.explore.space import Item, policies_of

    lever = Item(kind="add", paths=["pools.staff.fte"], values=[0, 1], source="assumption: test")
    with pytest.raises(IndsimError, match="1,099,511,627,776 combinations"):
        policies_of({f"l{i}": lever for i in range(40)}, [])
