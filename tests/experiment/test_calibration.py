"""Calibration as code: the specification, the fragment it writes, recovery of known parameters,
and drawing from the posterior per replication."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from simulator.errors import IndsimError
from simulator.experiment import simulate
from simulator.experiment.abcsmc import fit, read_history
from simulator.experiment.calibration import apply_values, load_spec
from simulator.experiment.posterior import ParameterUncertainty
from simulator.model import run_replications
from simulator.report.calibration import write_calibration
from simulator.scenario import load_scenario, versions

TRUE = {"staff_1": 0.8, "staff_2": 1.2}


def _published(tmp: Path, scenario_file: Path) -> Path:
    """Published figures made by the model itself at the TRUE parameters (mean of 4 runs). The
    stock of an overloaded queue varies a lot between runs (sigma 0.25); decisions do not. The
    decisions tell the capacity of the binding stage; where the stock waits tells which stage binds."""
    from simulator.experiment.calibration import Parameter

    s = load_scenario(scenario_file)
    params = {k: Parameter(label=k, scale=[f"pools.{k}.fte"], prior={"low": 0.5, "high": 1.5}, why="test")
              for k in TRUE}
    reps = run_replications(apply_values(s, params, TRUE), [100, 101, 102, 103])
    y = pd.concat([r.yearly for r in reps])
    m = pd.concat([r.metrics for r in reps])
    backlog = y[(y.figure == "backlog_end")].groupby("replication").value.sum().mean()
    decided = y[(y.figure == "first_decisions")].groupby("replication").value.sum().mean()
    first = m[(m.metric == "stock") & (m.stage == "first") & (m.date.dt.month == 12)].groupby("replication").value.sum()
    doc = {"series": {
        "open": {"label": "open", "unit": "cases", "sigma": 0.25, "model": {"figure": "backlog_end"},
                 "values": {2026: {"value": float(backlog), "source": "model at TRUE"}}},
        "open_first": {"label": "waiting for stage 1", "unit": "cases", "sigma": 0.25,
                       "model": {"metric": "stock", "stage": "first"},
                       "values": {2026: {"value": float(first.mean()), "month": 12, "source": "model at TRUE"}}},
        "decided": {"label": "decided", "unit": "cases", "sigma": 0.03, "model": {"figure": "first_decisions"},
                    "values": {2026: {"value": float(decided), "source": "model at TRUE"}}},
    }}
    path = tmp / "published.yaml"
    path.write_text(yaml.safe_dump(doc))
    return path


def _spec(tmp: Path, root: Path, published: Path, budget: dict) -> Path:
    spec = {
        "title": "recovery", "scenario": str(root / "tests/data/recovery.yaml"), "published": str(published),
        "seed": 7, "fit": {"open": [2026], "open_first": [2026], "decided": [2026]},
        "parameters": {k: {"label": k, "unit": "factor", "scale": [f"pools.{k}.fte"],
                           "prior": {"dist": "uniform", "low": 0.5, "high": 1.5}, "why": "test"} for k in TRUE},
        "budget": budget,
    }
    path = tmp / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    return path


@pytest.fixture(scope="module")
def recovered(tmp_path_factory, root):
    tmp = tmp_path_factory.mktemp("recovery")
    published = _published(tmp, root / "tests/data/recovery.yaml")
    spec = _spec(tmp, root, published, {"population": 20, "generations": 5, "simulations": 500, "min_epsilon": 1.0})
    fitted = fit(load_spec(spec), workers=1, verbose=False)
    table = write_calibration(fitted, tmp / "out", "nl")
    return fitted, table.set_index("parameter"), tmp / "out"


def test_calibration_recovers_known_parameters_within_the_90_percent_interval(recovered):
    _, table, _ = recovered
    row = table.loc["staff_1"]  # the binding pool: identified by the stock and the decisions
    assert row.low <= TRUE["staff_1"] <= row.high, row
    assert row.width_ratio < 0.4, "the data should narrow the binding pool's factor well below its prior"


def test_a_pool_that_does_not_bind_keeps_a_wide_posterior(recovered):
    """Staff 2 never limits output above ~0.75 of its size: the posterior must say it is not
    identified (wide), not pretend to know it."""
    _, table, _ = recovered
    assert table.loc["staff_2"].width_ratio > 2 * table.loc["staff_1"].width_ratio
    assert table.loc["staff_2"].low <= TRUE["staff_2"] <= table.loc["staff_2"].high


def test_calibration_output_holds_posterior_fragment_charts_and_manifest(recovered, root):
    fitted, table, out = recovered
    files = {p.name for p in out.rglob("*") if p.is_file()}
    assert {"posterior.parquet", "posterior.csv", "posterior.yaml", "fit.csv", "generations.csv",
            "manifest.json", "posterior_staff_1.png", "posterior_staff_1.svg"} <= files
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["kind"] == "calibration" and manifest["simulations"] == fitted.simulations
    assert len(manifest["effective_sample_size"]) == len(fitted.generations)
    frag = yaml.safe_load((out / "posterior.yaml").read_text())
    iv = frag["interventions"]["calibration_staff_1"]
    assert iv["scale"]["pools.staff_1.fte"] == pytest.approx(table.loc["staff_1", "median"])
    assert "calibrated" in iv["source"] and "90% interval" in iv["source"] and "open 2026" in iv["source"]
    # a scenario can extend the fragment: the pool is scaled from day 0
    child = out / "child.yaml"
    child.write_text(f"extends: [{root / 'tests/data/recovery.yaml'}, posterior.yaml]\ntitle: calibrated\n")
    s = load_scenario(child)
    assert s.pools["staff_1"].fte.value == 16.7
    first = versions(s)[0][1]
    assert first.pools["staff_1"].fte.value == pytest.approx(16.7 * table.loc["staff_1", "median"])


class _History:
    """A stand-in for pyabc's history: generation 2's weights collapsed onto one particle."""

    def __init__(self, names, n=20):
        rng = np.random.default_rng(1)
        self.frames = {t: pd.DataFrame({k: rng.uniform(0.5, 1.5, n) for k in names}) for t in range(3)}
        self.weights = {0: np.ones(n), 1: rng.uniform(0.5, 1.0, n), 2: np.r_[1000.0, np.ones(n - 1)]}
        stats = {"open/2026": 1.0, "open_first/2026": 1.0}
        self.sumstats = {t: [{**stats, "decided/2026": float(t)}] * n for t in range(3)}

    def get_all_populations(self):
        return pd.DataFrame({"t": [-1, 0, 1, 2], "epsilon": [np.inf, 3.0, 2.0, 1.5], "samples": [0, 50, 60, 90],
                             "particles": [0, 20, 20, 20]})

    def get_distribution(self, m, t):
        return self.frames[t], self.weights[t]

    def get_weighted_sum_stats(self, t):
        return self.weights[t], self.sumstats[t]


def test_the_posterior_is_the_last_generation_whose_weights_did_not_collapse(recovered):
    fitted, _, _ = recovered
    out = read_history(_History(list(TRUE)), fitted.setup, 200, 1.0, 1)
    assert out.generations.ess.iloc[2] < 0.2 * 20 <= out.generations.ess.iloc[1]
    assert int(out.generation.t) == 1 and list(out.generations.posterior) == [False, True, False]
    assert np.allclose(out.samples[list(TRUE)].to_numpy(), _History(list(TRUE)).frames[1].to_numpy())
    assert "posterior from generation 1" in out.stopped


def test_same_seed_gives_the_same_posterior_with_any_number_of_workers(recovered, tmp_path, root):
    fitted, _, _ = recovered
    spec = _spec(tmp_path, root, Path(fitted.setup.published.file),
                 {"population": 5, "generations": 2, "simulations": 40, "min_epsilon": 0.5})
    one = fit(load_spec(spec), workers=1, verbose=False)
    two = fit(load_spec(spec), workers=2, verbose=False)
    pd.testing.assert_frame_equal(one.samples, two.samples)
    pd.testing.assert_frame_equal(one.generations, two.generations)


def test_each_replication_draws_one_posterior_sample_the_same_in_every_scenario(recovered, root):
    _, _, out = recovered
    pu = ParameterUncertainty.load(out / "posterior.parquet")
    a = load_scenario(root / "tests/data/recovery.yaml")
    b = load_scenario(root / "scenarios/verification/tandem_ind_scale.yaml")
    assert [pu.index(1, r) for r in range(20)] == [pu.index(1, r) for r in range(20)]
    assert len({pu.index(1, r) for r in range(20)}) > 5
    va, k = pu.variant(a, 1, 3)
    _, kb = pu.variant(b, 1, 3)
    assert k == kb and va.name == a.name
    assert versions(va)[0][1].pools["staff_1"].fte.value == pytest.approx(16.7 * pu.samples.staff_1[k])
    r = simulate(a, replications=3, seed=1, workers=1, keep_cases="none", parameter_uncertainty=pu)
    assert list(r.levels.posterior_sample) == [pu.index(1, i) for i in range(3)]
    assert r.manifest()["parameter_uncertainty"]["samples"] == len(pu.samples)


def test_a_damaged_posterior_file_gives_one_clear_line(tmp_path):
    bad = tmp_path / "posterior.parquet"
    bad.write_bytes(b"PAR1 not really parquet")
    with pytest.raises(IndsimError, match="posterior"):
        ParameterUncertainty.load(bad)
    with pytest.raises(IndsimError, match="cannot read"):
        ParameterUncertainty.load(tmp_path / "missing.parquet")


def test_the_shipped_specification_fits_and_holds_back_distinct_observations(root):
    setup = load_spec(root / "scenarios/calibration/history.yaml")
    fitted = set(setup.fit)
    covered = set(setup.published.observations(setup.scenario.start, setup.scenario.end))
    assert fitted < covered
    held = {k for k in covered - fitted if setup.published.series[k[0]].role_of(k[1]) == "observed"}
    assert ("backlog_asylum", 2025) in held and ("notices", 2024) in held
    assert ("dublin_transfers", 2024) in held and ("dublin_transfers", 2023) not in held  # 2023: the share's source
    assert all(setup.published.series[s].role_of(y) == "observed" for s, y in fitted)


def test_route_share_moves_one_route_and_keeps_probabilities_summing_to_one(root):
    setup = load_spec(root / "scenarios/calibration/history.yaml")
    s = apply_values(setup.scenario, {"appeal_rate": setup.parameters["appeal_rate"]}, {"appeal_rate": 0.7})
    routes = s.stages["final_decision"].routes
    p = {r.to: r.p.value for r in routes}
    assert sum(p.values()) == pytest.approx(1.0)
    assert p["defence"] / (p["defence"] + p["exit"]) == pytest.approx(0.7)
    assert p["permit_issue"] == pytest.approx(0.06)  # grants untouched


def test_a_scale_parameter_holds_on_top_of_dated_changes(root):
    setup = load_spec(root / "scenarios/calibration/history.yaml")
    p = {"hearing_capacity": setup.parameters["hearing_capacity"]}
    s = apply_values(setup.scenario, p, {"hearing_capacity": 0.5})
    target = {d.year: v.pools["ind_hearing"].hiring.target_fte.value for d, v in versions(s)}
    plain = {d.year: v.pools["ind_hearing"].hiring.target_fte.value for d, v in versions(setup.scenario)}
    assert plain[2024] != plain[2025]  # the scenario changes the hiring target on a date
    assert all(target[y] == pytest.approx(0.5 * plain[y]) for y in plain)
    start_fte = setup.scenario.pools["ind_hearing"].fte.value
    assert versions(s)[0][1].pools["ind_hearing"].fte.value == pytest.approx(0.5 * start_fte)


@pytest.mark.parametrize("change, message", [
    ({"fit": {"inflow_first_asylum": [2024]}}, "is an input of the scenario"),
    ({"fit": {"dublin_transfers": [2023]}}, "2023 is an input of the scenario"),  # one year's role
    ({"fit": {"backlog_asylum": [2022]}}, "outside the scenario"),
    ({"fit": {"no_such_series": [2023]}}, "no such series"),
])
def test_a_bad_specification_names_file_field_and_reason(tmp_path, root, change, message):
    spec = yaml.safe_load((root / "scenarios/calibration/history.yaml").read_text())
    spec.update(change, scenario=str(root / "scenarios/history_2023_2025.yaml"),
                published=str(root / "data/published.yaml"))
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    with pytest.raises(IndsimError, match=message) as err:
        load_spec(path)
    assert str(path) in str(err.value)


def test_a_parameter_on_a_path_that_does_not_exist_is_refused(tmp_path, root):
    spec = yaml.safe_load((root / "scenarios/calibration/history.yaml").read_text())
    spec["parameters"]["hearing_capacity"]["scale"] = ["pools.nobody.fte"]
    spec.update(scenario=str(root / "scenarios/history_2023_2025.yaml"), published=str(root / "data/published.yaml"))
    path = tmp_path / "spec.yaml"
    path.write_text(yaml.safe_dump(spec))
    with pytest.raises(IndsimError, match=r"parameters\.hearing_capacity"):
        load_spec(path)


def test_posterior_quantiles_are_weighted():
    from simulator.experiment.abcsmc import weighted_quantiles

    v = np.array([0.0, 1.0, 2.0, 3.0])
    assert weighted_quantiles(v, np.array([1, 1, 1, 1]), [0.5])[0] == pytest.approx(1.5)
    assert weighted_quantiles(v, np.array([0, 0, 0, 1]), [0.05, 0.95]) == pytest.approx([3.0, 3.0])

