"""One-at-a-time sensitivity (`indsim sensitivity`): its default parameters are the numbers they
name (the appeal rate is the choice to appeal, not IND's defence that always follows it); on the
baseline every one gives a valid scenario both ways, and where an intervention collides with a
varied rate that side is left out and said, not fatal; the command writes its table and tornado
chart with effects that point the way the model's flows must."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console
from typer.testing import CliRunner

from simulator.cli import app
from simulator.errors import ScenarioError
from simulator.experiment import Figure, sensitivity
from simulator.experiment.variants import appeal_steps, default_parameters, variant
from simulator.report.charts import tornado_chart
from simulator.report.summary import print_sensitivity
from simulator.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]


def _routes(parameter) -> set[tuple[str, str]]:
    """(stage, target) of a route parameter's items, on the baseline."""
    s = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    out = set()
    for _, path, i in parameter.items:
        stage = path.split(".")[1]
        routes = s.stages[stage].routes if path.endswith(".routes") else \
            s.stages[stage].routes_by_group[path.rsplit(".", 1)[1]]
        out.add((stage, routes[i].to))
    return out


def test_the_appeal_rate_is_the_choice_to_appeal():
    s = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    assert {"defence", "appeal", "higher_appeal", "nontimely_appeal"} <= appeal_steps(s)
    (appeal,) = [p for p in default_parameters(s) if p.kind == "appeal_rate"]
    routes = _routes(appeal)
    assert ("final_decision", "defence") in routes and ("nareis_assessment", "defence") in routes
    assert ("defence", "appeal") not in routes  # IND's defence always goes to court: no rate
    assert ("dublin_decision", "dublin_defence") in routes  # the Dublin appeal passes its own defence step
    assert all(to in {"defence", "dublin_defence"} for _, to in routes), routes
    combined = load_scenario(ROOT / "scenarios" / "combined.yaml")
    (appeal,) = [p for p in default_parameters(combined) if p.kind == "appeal_rate"]
    assert ("route", "stages.border_decision.routes", 1) in appeal.items  # straight to the border appeal


def _invalid(name: str) -> dict[tuple[str, float], str]:
    """The default parameters of a shipped scenario whose variant at 0.8 or 1.2 is not a scenario."""
    s = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    parameters = default_parameters(s)
    assert {p.kind for p in parameters} == {"inflow", "hours", "fte", "appeal_rate", "grant_rate"}
    out = {}
    for p in parameters:
        for factor in (0.8, 1.2):
            try:
                variant(s, f"{name}~{p.name}~{factor}", lambda d, p=p, f=factor: p.apply(d, f), 2026)
            except ScenarioError as exc:
                out[(p.name, factor)] = exc.lines()[0]
    return out


def test_every_default_parameter_of_the_baseline_gives_a_valid_scenario_down_and_up():
    assert _invalid("baseline") == {}


def test_where_an_intervention_adds_to_a_varied_rate_only_that_side_fails_and_is_said():
    # the chain partner's withdrawal adds 3 points to the appeal rate and takes them from the
    # rejections nobody appeals: with +20% on the appeal rate those are 0.028 before it
    invalid = _invalid("combined")
    assert list(invalid) == [("appeal rate", 1.2)]
    assert "interventions.vwn_withdrawal.add.stages.final_decision.routes.2.p" in invalid["appeal rate", 1.2]
    s = load_scenario(ROOT / "scenarios" / "combined.yaml")
    chosen = [p for p in default_parameters(s) if p.kind == "appeal_rate" or p.name == "inflow first_asylum"]
    result = sensitivity(s, Figure.parse("court_inflow.asylum.2026"), chosen, replications=2, workers=1)
    ((name, side, reason),) = result.skipped
    assert (name, side) == ("appeal rate", "high") and reason.startswith("interventions.vwn_withdrawal")
    row = result.table.set_index("parameter").loc["appeal rate"]
    assert pd.isna(row.effect_high) and row.effect_low < 0 and row.swing == pytest.approx(-row.effect_low)
    console = Console(record=True, width=200)
    print_sensitivity(result, "nl", console)
    text = console.export_text()
    assert "beroepskans +20%: niet berekend, want die variant is geen geldig scenario" in text
    assert f"zonder variatie {result.table.base.iloc[0]:,.0f}".replace(",", ".") in " ".join(text.split())
    tornado_chart(result, "en")  # draws the side left out as 'not computed'


def test_indsim_sensitivity_writes_its_table_and_chart_with_effects_in_the_flows_direction(tmp_path):
    out = tmp_path / "sens"
    result = CliRunner().invoke(app, ["sensitivity", str(ROOT / "scenarios" / "baseline.yaml"), "--figure",
                                      "court_inflow.asylum.2026", "--out", str(out), "-n", "2", "--no-cache",
                                      "--workers", "2", "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert {"sensitivity.csv", "tornado.png", "tornado.svg", "tornado.pdf", "manifest.json"} <= \
        {p.name for p in out.iterdir()}
    table = pd.read_csv(out / "sensitivity.csv").set_index("parameter")
    assert table.swing.is_monotonic_decreasing
    assert (table[["figure", "category", "year", "unit"]] == ["court_inflow", "asylum", 2026, "cases"]).all().all()
    appeal = table.loc["appeal rate"]
    assert appeal.effect_high > 0 > appeal.effect_low  # more appeals, more court cases
    inflow = table.loc["inflow first_asylum"]
    assert inflow.effect_high > inflow.effect_low
    assert "appeal rate" in result.output.lower() or "Appeal" in result.output
