"""`extends` merging rules, the shipped scenarios, their sources, and the JSON Schema."""

from __future__ import annotations

import datetime as dt
import json
import textwrap
from pathlib import Path

import jsonschema
import pytest
import yaml
from typer.testing import CliRunner

from simulator.cli import app
from simulator.scenario import load_scenario, scenario_hash, versions
from simulator.scenario.merging import merge

ROOT = Path(__file__).resolve().parents[2]
# measures/ holds fragments that several law files extend, not scenarios of their own;
# calibration/ holds calibration specifications and posterior fragments
# (tests/experiment/test_calibration.py checks them and the calibrated scenario built from them);
# explore/ holds uncertainty and lever files of indsim explore (tests/experiment/test_explore.py).
SHIPPED = sorted(p for p in (ROOT / "scenarios").rglob("*.yaml")
                 if not {"measures", "calibration", "explore"} & set(p.parts))


def test_merge_rules():
    base = {"a": {"x": 1, "y": 2}, "l": [1, 2], "q": {"value": 5, "source": "old"}, "gone": 1}
    over = {"a": {"y": 3}, "l": [9], "q": {"value": 6}, "gone": None}
    assert merge(base, over) == {"a": {"x": 1, "y": 3}, "l": [9], "q": {"value": 6}}  # old source never sticks


def test_a_discipline_that_changes_its_order_is_replaced_whole():
    base = {"order": "priority", "by": "group", "ranking": ["dublin"], "then": "fifo"}
    assert merge(base, {"order": "oldest_first"}) == {"order": "oldest_first"}  # no priority's ranking kept
    assert merge(base, {"order": "priority", "ranking": ["x"]}) == {**base, "ranking": ["x"]}


def test_a_child_may_change_the_order_of_work_in_one_line(tmp_path):
    (tmp_path / "child.yaml").write_text(textwrap.dedent(f"""\
        extends: {ROOT / 'scenarios/baseline.yaml'}
        title: child
        pools:
          ind_decision:
            discipline: {{order: oldest_first}}
        interventions:
          back:
            label: back
            start: 2028-01-01
            source: "assumption: test"
            set:
              pools.ind_hearing.discipline: {{order: fifo}}
        """))
    child = load_scenario(tmp_path / "child.yaml")  # refused before: 'ranking' only applies to order: priority
    assert child.pools["ind_decision"].discipline.order == "oldest_first"
    assert not child.pools["ind_decision"].discipline.ranking
    later = dict(versions(child))[dt.date(2028, 1, 1)].pools["ind_hearing"].discipline
    assert later.order == "fifo" and not later.ranking and not later.head_start


def test_a_problem_in_a_childs_new_value_is_placed_at_the_childs_line(tmp_path):
    """The parent's lines of the value a child replaces do not stay behind: before, a child's
    ``hours: {value: -3}`` over a parent's distribution was blamed on the parent's ``mean``."""
    for text in (["stages:", "  aa_interview:", "    hours: {value: -3, source: x}"],
                 ["stages:", "  aa_assessment:", "    routes: [{to: nowhere, p: 1, source: x}]"]):
        head = [f"extends: {ROOT / 'scenarios/baseline.yaml'}", "title: child"]
        (tmp_path / "child.yaml").write_text("\n".join([*head, *text]) + "\n")
        result = CliRunner().invoke(app, ["validate", str(tmp_path / "child.yaml")])
        assert result.exit_code == 2, result.output
        assert "child.yaml:5: stages." in result.output and "baseline.yaml" not in result.output, result.output


def test_child_states_only_what_differs(tmp_path):
    (tmp_path / "child.yaml").write_text(textwrap.dedent(f"""\
        extends: {ROOT / 'scenarios/baseline.yaml'}
        title: child
        pools:
          ind_decision:
            fte: {{value: 333, source: "assumption: test"}}
        """))
    base = load_scenario(ROOT / "scenarios/baseline.yaml")
    child = load_scenario(tmp_path / "child.yaml")
    assert child.name == "child" and child.title.nl == "child"
    assert child.pools["ind_decision"].fte.value == 333
    assert child.pools["ind_decision"].fte.source == "assumption: test"
    assert child.pools["ind_hearing"] == base.pools["ind_hearing"]
    assert child.description == "" and base.description  # not inherited


def test_two_file_cycle(tmp_path):
    (tmp_path / "a.yaml").write_text("extends: b.yaml\n")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\n")
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "a.yaml")])
    assert result.exit_code == 2 and "cycle" in result.output and "Traceback" not in result.output


def test_a_change_that_a_later_intervention_replaces_whole_is_a_warning(tmp_path):
    """Two shock files combined: one shifts a route's share, a later one sets the whole route list.
    Each is valid, but the first change is lost from the second's start; validate says so (the
    emergency law undid the chain partner's extended procedures this way until 6 December 2026),
    and every shipped scenario is free of it."""
    (tmp_path / "both.yaml").write_text(textwrap.dedent(f"""\
        extends: {ROOT / 'scenarios/baseline.yaml'}
        title: both
        interventions:
          a_shift:
            label: shift
            start: 2026-06-01
            source: "assumption: test"
            add: {{stages.aa_assessment.routes.1.p: 0.05, stages.aa_assessment.routes.2.p: -0.05}}
          b_replace:
            label: replace
            start: 2027-01-01
            source: "assumption: test"
            set:
              stages.aa_assessment.routes:
                - {{to: permit_issue, p: 0.02, outcome: granted, source: x}}
                - {{to: va_investigation, p: 0.58, source: x}}
                - {{to: intention_to_reject, p: 0.40, source: x}}
        """))
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "both.yaml")])
    assert result.exit_code == 0, result.output
    warned = [line for line in result.output.splitlines() if line.startswith("warning:")]
    assert len(warned) == 2 and all("interventions.b_replace sets stages.aa_assessment.routes whole" in w
                                     and "interventions.a_shift" in w for w in warned), result.output
    shipped = CliRunner().invoke(app, ["validate", *map(str, SHIPPED)])
    assert "warning:" not in shipped.output, shipped.output


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_every_shipped_scenario_validates(path):
    assert load_scenario(path).name == path.stem


def _numbers(node, path="", source=None):
    """Yield (path, has a source) for every number written in a scenario file."""
    if isinstance(node, dict):
        own = node.get("source") or source
        if "value" in node or "dist" in node or "mean" in node:
            yield path, bool(node.get("source") or source)
            return
        for k, v in node.items():
            if k in ("source", "seed", "horizon_years", "start", "fraction", "date", "range", "note"):
                continue
            covers = k in ("p", "spawn", "after", "expected", "groups", "age_months") or "to" in node or (
                {"low", "mode", "high"} <= set(node))  # a band's one source covers its three numbers
            if k in ("groups", "age_months") and isinstance(node.get("count"), dict):
                own = node["count"].get("source") or own  # a stock entry's source covers its shares
            inherited = own if covers else source
            yield from _numbers(v, f"{path}.{k}", inherited)
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from _numbers(v, f"{path}[{i}]", source)
    elif isinstance(node, int | float) and not isinstance(node, bool):
        yield path, bool(source)


@pytest.mark.parametrize("path", [p for p in SHIPPED if "verification" not in p.parts], ids=lambda p: p.name)
def test_every_number_in_a_shipped_scenario_names_its_source(path):
    data = yaml.safe_load(path.read_text())
    for iv in data.get("interventions", {}).values():  # an intervention's source covers its changes
        for table in ("scale", "add"):
            iv.pop(table, None)
    missing = [p for p, ok in _numbers(data) if not ok]
    assert not missing, f"{path.name}: numbers without a source: {missing[:10]}"


def test_interventions_name_their_source():
    for path in SHIPPED:
        for name, iv in (yaml.safe_load(path.read_text()).get("interventions") or {}).items():
            if iv.get("scale") or iv.get("add") or iv.get("set"):
                assert iv.get("source"), f"{path.name}: intervention {name} has no source"


def test_json_schema_is_valid_and_accepts_the_shipped_base_files():
    result = CliRunner().invoke(app, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    for path in (ROOT / "scenarios/baseline.yaml", ROOT / "scenarios/verification/single_stage.yaml"):
        data = yaml.safe_load(path.read_text())
        data["start"] = str(data["start"])
        errors = list(validator.iter_errors(json.loads(json.dumps(data, default=str))))
        assert not errors, [e.message for e in errors[:3]]
    bad = yaml.safe_load((ROOT / "scenarios/baseline.yaml").read_text())
    bad["start"] = str(bad["start"])
    bad["streams"]["first_asylum"]["volume_typo"] = 1
    assert list(validator.iter_errors(json.loads(json.dumps(bad, default=str))))


def test_scenario_hash_ignores_key_order_but_not_values():
    a = load_scenario(ROOT / "scenarios/baseline.yaml")
    data = a.model_dump(mode="json")
    reordered = dict(reversed(list(data.items())))
    from simulator.scenario import from_data

    assert scenario_hash(from_data(reordered, "baseline")) == scenario_hash(a)
    data["seed"] += 1
    assert scenario_hash(from_data(data, "baseline")) != scenario_hash(a)


def test_every_schema_field_has_a_description_a_unit_and_an_example():
    from simulator.scenario.jsonschema import scenario_schema

    schema = scenario_schema()
    fields = [(name, f, p) for name, d in schema["$defs"].items() for f, p in d.get("properties", {}).items()]
    fields += [("Scenario", f, p) for f, p in schema["properties"].items()]
    missing = [(m, f) for m, f, p in fields if not (p.get("description") and p.get("unit") and p.get("examples"))]
    assert not missing and len(fields) > 100, missing


def test_the_committed_parameter_reference_is_up_to_date():
    """docs/scenario-reference.md is `indsim schema --markdown` for the baseline; regenerate it with
    `uv run indsim schema --markdown --out docs/scenario-reference.md`."""
    from simulator.scenario.reference import markdown

    text = markdown(load_scenario(ROOT / "scenarios" / "baseline.yaml"))
    assert (ROOT / "docs" / "scenario-reference.md").read_text() == text
    for path in ("streams.first_asylum.monthly_volume", "pools.ind_decision.hiring.target_fte",
                 "pools.ind_decision.hiring.intake_cap_per_year", "pools.ind_decision.productivity",
                 "stages.appeal.routes.0.p"):
        assert f"| `{path}` |" in text, path
    assert "| `pools.ind_decision.hiring.intake_cap_per_year` | At most this many new staff a year" in text
    # the fields of a dated change, an intervention, a phase-in step and a stock entry, each in a table
    for heading, fields in (("changes: each dated change", ("date", "set", "label", "source")),
                            ("interventions: each intervention", ("start", "phase_in", "steps", "scale", "add")),
                            ("initial_stock: each entry", ("stream", "stage", "count", "age_months", "decided"))):
        section = text.split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
        assert all(f"| `{f}` |" in section for f in fields), heading


@pytest.mark.parametrize(("name", "never"), [
    ("combined_phased", set()), ("combined_laws_not_in_force", {"asielnoodmaatregelenwet", "tweestatusstelsel"}),
    ("combined_without_asielnoodmaatregelenwet", {"asielnoodmaatregelenwet"}),
    ("combined_without_tweestatusstelsel", {"tweestatusstelsel"}),
])
def test_a_variant_of_the_combined_scenario_keeps_its_laws_dates_but_those_it_switches_off(name, never):
    """Parents merge left to right, so a later parent can bring the baseline's 'never' back."""
    combined = load_scenario(ROOT / "scenarios" / "combined.yaml").dates
    dates = load_scenario(ROOT / "scenarios" / f"{name}.yaml").dates
    assert {k for k, v in dates.items() if v == "never"} == never
    assert {k: v for k, v in dates.items() if k not in never} == {k: v for k, v in combined.items() if k not in never}


def test_a_childs_dated_change_adds_to_its_parents(tmp_path):
    """Before, a child's ``changes`` list replaced the parent's: a change that sets a value to what
    it already is dropped the baseline's eight dated changes and moved the nareis backlog of 2030
    by 45,000 cases, without a word."""
    base = load_scenario(ROOT / "scenarios/baseline.yaml")
    (tmp_path / "child.yaml").write_text(textwrap.dedent(f"""\
        extends: {ROOT / 'scenarios/baseline.yaml'}
        title: child
        changes:
          - date: 2027-01-01
            label: nothing new
            source: "assumption: test"
            set: {{streams.first_asylum.monthly_volume: 9}}
        """))
    child = load_scenario(tmp_path / "child.yaml")
    assert child.changes[:-1] == base.changes and len(base.changes) == 8
    assert child.changes[-1].set == {"streams.first_asylum.monthly_volume": 9}
    (tmp_path / "none.yaml").write_text(f"extends: {ROOT / 'scenarios/baseline.yaml'}\ntitle: none\nchanges: null\n")
    assert load_scenario(tmp_path / "none.yaml").changes == []


def test_a_child_may_run_a_shorter_horizon_than_its_parent(tmp_path):
    """The parent's changes after the child's end change nothing and are left out (before: four
    errors at the baseline's lines); a change the file itself dates there is still refused."""
    (tmp_path / "short.yaml").write_text(f"extends: {ROOT / 'scenarios/baseline.yaml'}\ntitle: s\nhorizon_years: 2\n")
    short = load_scenario(tmp_path / "short.yaml")
    assert short.changes and all(c.date <= short.end for c in short.changes)
    (tmp_path / "later.yaml").write_text(f"extends: {ROOT / 'scenarios/baseline.yaml'}\ntitle: l\nstart: 2027-06-01\n")
    later, base = load_scenario(tmp_path / "later.yaml"), load_scenario(ROOT / "scenarios/baseline.yaml")
    early = [c for c in base.changes if c.date < later.start]
    assert early and [c.set for c in later.changes[:len(early)]] == [c.set for c in early]
    assert all(c.date == later.start for c in later.changes[:len(early)])  # in force from its first day
    (tmp_path / "typo.yaml").write_text(textwrap.dedent(f"""\
        extends: {ROOT / 'scenarios/baseline.yaml'}
        title: typo
        changes:
          - {{date: 2207-01-01, label: typo, source: "assumption: test", set: {{pools.ind_decision.fte: 400}}}}
        """))
    result = CliRunner().invoke(app, ["validate", str(tmp_path / "typo.yaml")])
    assert result.exit_code == 2 and "typo.yaml:4:" in result.output and "outside the horizon" in result.output
    assert result.output.count("error:") == 1, result.output


def test_two_parents_that_share_an_ancestor_keep_each_others_changes(tmp_path):
    """extends: [amp.yaml, tweestatusstelsel.yaml] set the Pact's date back to 'never': the
    second parent, merged whole, brought back the baseline's dates. Each file now adds only what
    it states, once, after its own parents."""
    pair = tmp_path / "pair.yaml"
    pair.write_text(f"extends: [{ROOT / 'scenarios/amp.yaml'}, {ROOT / 'scenarios/tweestatusstelsel.yaml'}]\n"
                    "title: Pact en twee statussen\n")
    s = load_scenario(pair)
    amp, two = (load_scenario(ROOT / f"scenarios/{n}.yaml") for n in ("amp", "tweestatusstelsel"))
    assert s.dates["pact"] == amp.dates["pact"] == dt.date(2026, 6, 12)
    assert s.dates["tweestatusstelsel"] == two.dates["tweestatusstelsel"] == dt.date(2027, 1, 1)
    assert set(amp.interventions) | set(two.interventions) == set(s.interventions)
    # a later parent's own value still wins over an earlier one's, as before
    (tmp_path / "a.yaml").write_text(f"extends: {ROOT / 'scenarios/baseline.yaml'}\ntitle: a\n"
                                     "pools: {ind_decision: {fte: {value: 400, source: test}}}\n")
    (tmp_path / "b.yaml").write_text(f"extends: {ROOT / 'scenarios/baseline.yaml'}\ntitle: b\n"
                                     "pools: {ind_decision: {fte: {value: 410, source: test}}}\n")
    (tmp_path / "ab.yaml").write_text("extends: [a.yaml, b.yaml]\ntitle: ab\n")
    assert load_scenario(tmp_path / "ab.yaml").pools["ind_decision"].fte.value == 410


def test_the_dashboards_what_if_with_every_shock_ticked_is_the_combined_scenario():
    """The what-if extends the ticked shock files; it ran only the last one (all dates but its
    own were the baseline's 'never'), and it had no lever for the Pact's implementation bill."""
    from simulator.experiment.whatif import SHOCKS, ShockChoice, WhatIf, whatif_scenario

    folder = ROOT / "scenarios"
    every = whatif_scenario(folder, WhatIf(shocks={k: ShockChoice(on=True) for k in SHOCKS})).model_dump(mode="json")
    combined = load_scenario(folder / "combined.yaml").model_dump(mode="json")
    assert {k: v for k, v in every.items() if k not in ("name", "title", "description")} == \
        {k: v for k, v in combined.items() if k not in ("name", "title", "description")}


def test_a_what_if_law_moved_later_moves_its_own_measures_and_a_shared_one_starts_with_the_first_law():
    """A shock's new date goes to its law's named date, so a measure two laws share (3-year
    permits: the emergency law and the Pact's implementation bill) starts with the first in force;
    shifting every measure's start made the later law's date win."""
    from simulator.experiment.whatif import SHOCKS, ShockChoice, WhatIf, whatif_scenario

    choice = {k: ShockChoice(on=True) for k in SHOCKS}
    choice["asielnoodmaatregelenwet"] = ShockChoice(on=True, start=dt.date(2028, 1, 1))
    s = whatif_scenario(ROOT / "scenarios", WhatIf(shocks=choice))
    assert s.interventions["law_no_intention"].start == dt.date(2028, 1, 1)
    assert s.interventions["permit_3y"].start == dt.date(2026, 6, 12)  # the implementation bill's
    assert s.interventions["nareis_core_family"].start == dt.date(2027, 1, 1)  # the two-status law's


def test_every_shocks_main_date_can_be_chosen_in_the_what_if():
    """The what-if's date field runs from the base's start to its end, and opens on the shock's
    main date. The chain partner's two measures dated 1 December 2025 (VWN takes no new nareis
    cases, and the phone line) made that date its main one, and the what-if page failed."""
    from simulator.experiment.whatif import SHOCKS, ShockChoice, WhatIf, shock_date, whatif_scenario

    folder = ROOT / "scenarios"
    base = load_scenario(folder / "baseline.yaml")
    for shock in SHOCKS:
        assert base.start <= shock_date(folder, shock) <= base.end, shock
    assert shock_date(folder, "ketenpartner") == dt.date(2026, 6, 1)
    later = whatif_scenario(folder, WhatIf(shocks={"ketenpartner": ShockChoice(on=True, start=dt.date(2026, 9, 1))}))
    shift = dt.date(2026, 9, 1) - dt.date(2026, 6, 1)  # all of its measures move by as many days
    assert later.interventions["lawyers_new_role"].start == dt.date(2026, 9, 1)
    assert later.interventions["vwn_nareis_guidance"].start == dt.date(2025, 12, 1) + shift
