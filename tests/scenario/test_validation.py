"""Every mistake a user can make gives one line: file, line, field path, reason; exit 2, no traceback."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.cli import app
from simulator.errors import ScenarioError
from simulator.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
runner = CliRunner()

TINY = """\
title: tiny
start: 2026-01-01
horizon_years: 1
outcomes: {done: done}
streams:
  apps:
    label: apps
    monthly_volume: 100
    entry: work
    legal_term: 6
    groups: {a: {share: 0.6}, b: {share: 0.4}}
pools:
  staff: {label: staff, fte: 5, hours_per_fte_year: 1300}
stages:
  work:
    label: work
    pool: staff
    hours: 2
    routes:
      - {to: exit, p: 1, outcome: done}
"""


def write(tmp_path: Path, text: str, name: str = "bad.yaml") -> Path:
    path = tmp_path / name
    path.write_text(textwrap.dedent(text))
    return path


def problems(path: Path) -> list[str]:
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    return err.value.lines()


def cli_lines(path: Path) -> list[str]:
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 2
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert all(line.startswith("error: ") for line in lines)
    return lines


CASES = {
    # name: (replace this, with this, expected line number, field path, words in the reason)
    "unknown key": ("    pool: staff\n", "    pool: staff\n    hourz: 3\n", 18, "stages.work.hourz", "unknown field"),
    "wrong type": ("monthly_volume: 100", "monthly_volume: lots", 8, "streams.apps.monthly_volume", "number"),
    "negative capacity": ("fte: 5", "fte: -5", 13, "pools.staff.fte", "≥ 0"),
    "negative hours": ("hours: 2", "hours: -2", 18, "stages.work.hours", "≥ 0"),
    "probability above 1": ("{share: 0.6}", "{share: 1.6}", 11, "streams.apps.groups.a.share", "between 0 and 1"),
    "shares not summing to 1": ("{share: 0.4}", "{share: 0.3}", 11, "streams.apps.groups", "sum to 1"),
    "routes not summing to 1": ("{to: exit, p: 1, outcome: done}", "{to: exit, p: 0.9, outcome: done}", 19,
                                "stages.work.routes", "sum to 1"),
    "unknown stage": ("entry: work", "entry: wrok", 9, "streams.apps.entry", "did you mean 'work'"),
    "unknown pool": ("pool: staff", "pool: stuff", 17, "stages.work.pool", "unknown pool"),
    "unknown stream in the inflow band": ("horizon_years: 1\n", "horizon_years: 1\nuncertainty: {inflow_level: "
                                          "{low: 0.9, mode: 1, high: 1.2, streams: [aps]}}\n", 4,
                                          "uncertainty.inflow_level.streams[0]", "did you mean 'apps'"),
    "unknown route target": ("{to: exit,", "{to: elsewhere,", 20, "stages.work.routes[0].to", "unknown stage"),
    "undeclared outcome": ("outcome: done}", "outcome: finished}", 20, "stages.work.routes[0].outcome", "not declared"),
    "unknown group to move into": ("outcome: done}", "outcome: done, regroup: [a, c]}", 20,
                                   "stages.work.routes[0].regroup[1]", "unknown group 'c'"),
    "bool for a number": ("horizon_years: 1", "horizon_years: true", 3, "horizon_years", "whole number"),
    # a true/false or quoted value inside {value: ...} was read as 1 or as the number, silently
    "bool for a sourced number": ("fte: 5", "fte: {value: true, source: x}", 13, "pools.staff.fte.value",
                                  "must be a number, got a true/false value"),
    "text for a sourced number": ("monthly_volume: 100", "monthly_volume: {value: '100'}", 8,
                                  "streams.apps.monthly_volume.value", "must be a number, got '100'"),
    "bool in a distribution": ("hours: 2", "hours: {dist: gamma, mean: yes, cv: 0.5}", 18,
                               "stages.work.hours.mean", "must be a number, got a true/false value"),
    "missing field": ("    legal_term: 6\n", "", 6, "streams.apps.legal_term", "required field"),
    # infinite, not-a-number and enormous numbers: before, each validated and then crashed a run
    # (OverflowError) or ran silently wrong (no inflow at all, a delay of 0, nothing ever decided)
    "horizon of 10**400 years": ("horizon_years: 1\n", "horizon_years: 1" + "0" * 400 + "\n", 3, "horizon_years",
                                 "more than 1e15 years"),
    "infinite legal term": ("legal_term: 6", "legal_term: .inf", 10, "streams.apps.legal_term", "finite number"),
    "legal term of 1e300 days": ("legal_term: 6", "legal_term: {value: 1.0e+300, unit: days}", 10,
                                 "streams.apps.legal_term.value", "at most 1e+15"),
    "legal term of a thousand years": ("legal_term: 6", "legal_term: 12000", 10, "streams.apps.legal_term",
                                       "longer than 100 years"),
    "infinite cv": ("hours: 2", "hours: {dist: lognormal, mean: 1, cv: .inf}", 18, "stages.work.hours.cv",
                    "finite number"),
    "infinite hours": ("hours: 2", "hours: .inf", 18, "stages.work.hours", "finite number"),
    "range of nan": ("monthly_volume: 100", "monthly_volume: {value: 100, range: [.nan, 200]}", 8,
                     "streams.apps.monthly_volume.range[0]", "finite number"),
    "head start for an unknown group": ("hours_per_fte_year: 1300}", "hours_per_fte_year: 1300, discipline: "
                                        "{by: group, head_start: {c: {value: 2, unit: weeks}}}}", 13,
                                        "pools.staff.discipline.head_start.c", "unknown group 'c'"),
    "head start without what it is for": ("hours_per_fte_year: 1300}", "hours_per_fte_year: 1300, discipline: "
                                          "{head_start: {a: 14}}}", 13, "pools.staff.discipline",
                                          "needs 'by'"),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_mistake_gives_one_clear_line(tmp_path, case):
    old, new, line, field, words = CASES[case]
    assert old in TINY
    path = write(tmp_path, TINY.replace(old, new, 1))
    lines = problems(path)
    assert len(lines) == 1, lines
    text = lines[0]
    assert text.startswith(f"{path.name}:{line}:") or f"/{path.name}:{line}:" in text, text
    assert f" {field}:" in text, text
    assert words in text, text
    assert cli_lines(path) == [f"error: {text}"]


def test_valid_tiny_scenario_passes(tmp_path):
    path = write(tmp_path, TINY, "ok.yaml")
    assert load_scenario(path).name == "ok"
    result = runner.invoke(app, ["validate", str(path)])
    assert result.exit_code == 0 and result.output.startswith("ok:")


def test_date_outside_the_horizon(tmp_path):
    path = write(tmp_path, TINY + "changes:\n  - {date: 2030-01-01, set: {pools.staff.fte: 9}}\n")
    (line,) = problems(path)
    assert ":22:" in line and "changes[0].date" in line and "outside the horizon" in line


def test_an_intervention_that_starts_after_the_horizon(tmp_path):
    """It ran without effect and without a word, while a dated change there was refused."""
    path = write(tmp_path, TINY + "interventions:\n  late:\n    label: late\n    start: 2030-01-01\n"
                                  "    set: {pools.staff.fte: 9}\n")
    (line,) = problems(path)
    assert ":24:" in line and "interventions.late.start" in line and "after the end of the horizon" in line
    off = write(tmp_path, TINY + "interventions:\n  late:\n    label: late\n    start: 2030-01-01\n"
                                 "    enabled: false\n    set: {pools.staff.fte: 9}\n", "off.yaml")
    assert not load_scenario(off).interventions["late"].enabled  # switched off, it may lie anywhere


def test_a_change_to_a_field_that_does_not_exist(tmp_path):
    path = write(tmp_path, TINY + "changes:\n  - {date: 2026-06-01, set: {pools.nobody.fte: 9}}\n")
    (line,) = problems(path)
    assert "changes[0].set.pools.nobody.fte" in line and "no field 'pools.nobody'" in line


def test_a_change_that_breaks_a_routing_sum(tmp_path):
    path = write(tmp_path, TINY + "changes:\n  - {date: 2026-06-01, set: {stages.work.routes.0.p: 0.5}}\n")
    (line,) = problems(path)
    assert "changes[0]" in line and "stages.work.routes" in line and "sum to 1" in line


def test_extends_cycle(tmp_path):
    write(tmp_path, "extends: b.yaml\ntitle: a\n", "a.yaml")
    write(tmp_path, "extends: c.yaml\ntitle: b\n", "b.yaml")
    write(tmp_path, "extends: a.yaml\ntitle: c\n", "c.yaml")
    (line,) = problems(tmp_path / "a.yaml")
    assert "extends" in line and "cycle" in line and "a.yaml -> b.yaml -> c.yaml -> a.yaml" in line


def test_extends_missing_parent(tmp_path):
    (line,) = problems(write(tmp_path, "extends: nowhere.yaml\ntitle: x\n"))
    assert ":1:" in line and "parent file 'nowhere.yaml' not found" in line


def test_unreadable_file(tmp_path):
    (line,) = problems(tmp_path / "absent.yaml")
    assert "absent.yaml" in line and "file not found" in line
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(b"\xff\xfe\x00\x00garbage")
    (line,) = problems(binary)
    assert "not a text file" in line


def test_not_yaml(tmp_path):
    (line,) = problems(write(tmp_path, "title: [unclosed\nstart: 2026-01-01\n"))
    assert "not valid YAML" in line and (":3:" in line or ":2:" in line)


def test_not_a_mapping_and_empty(tmp_path):
    (line,) = problems(write(tmp_path, "- a\n- b\n"))
    assert "must be a YAML mapping" in line
    (line,) = problems(write(tmp_path, "", "empty.yaml"))
    assert "empty" in line


def test_unsafe_yaml_tag_is_refused_not_run(tmp_path):
    path = write(tmp_path, 'title: !!python/object/apply:os.system ["touch pwned"]\n')
    (line,) = problems(path)
    assert ":1:" in line and "unsafe or unknown YAML tag !!python/object/apply:os.system" in line
    assert not (tmp_path / "pwned").exists() and not Path("pwned").exists()


def test_duplicate_key(tmp_path):
    (line,) = problems(write(tmp_path, TINY.replace("horizon_years: 1\n", "horizon_years: 1\nhorizon_years: 2\n")))
    assert ":4:" in line and "duplicate key 'horizon_years'" in line


def test_zero_time_loop(tmp_path):
    text = TINY.replace("      - {to: exit, p: 1, outcome: done}\n", "      - {to: hop, p: 1, outcome: done}\n")
    text += ("  hop:\n    label: hop\n    routes: [{to: skip, p: 1}]\n"
             "  skip:\n    label: skip\n    routes: [{to: hop, p: 1}]\n")
    (line,) = problems(write(tmp_path, text))
    assert "zero time" in line


def test_several_problems_give_one_line_each(tmp_path):
    path = write(tmp_path, TINY.replace("fte: 5", "fte: -5").replace("monthly_volume: 100", "monthly_volume: x"))
    lines = problems(path)
    assert len(lines) == 2
    assert len(cli_lines(path)) == 2


def test_run_with_a_bad_scenario_writes_nothing(tmp_path):
    path = write(tmp_path, TINY.replace("fte: 5", "fte: -5"))
    out = tmp_path / "out"
    result = runner.invoke(app, ["run", str(path), "--out", str(out)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "pools.staff.fte" in result.output
    assert not out.exists()
    assert not list(tmp_path.glob(".out*"))


MY_SCENARIO = f"""\
# My own scenario: more decision staff and a higher inflow.
extends: {ROOT / 'scenarios' / 'baseline.yaml'}
title: {{nl: "Meer beslissers", en: "More decision staff"}}
description: an analyst's own scenario

# Interventions: dated changes of parameters.

interventions:
  more_staff:
    label: {{nl: "+100 fte beslissen", en: "+100 FTE decisions"}}
    start: 2027-01-01
    source: "assumption: an example"
    phase_in: {{value: 12, unit: months, source: "assumption"}}
    set:
      pools.ind_decison.hiring.target_fte: {{value: 401, source: "assumption: 301 + 100"}}
"""
MY_CHANGE = f"""\
extends: {ROOT / 'scenarios' / 'baseline.yaml'}
title: {{nl: "Hogere instroom", en: "Higher inflow"}}
changes:
  - date: 2027-01-01
    label: {{nl: "hogere instroom", en: "higher inflow"}}
    source: "assumption: an example"
    set:
      pools.ind_decision.fte: 320
      streams.first_asylum.monthly_volum: 2500
"""


def test_a_typo_in_an_intervention_path_is_reported_at_its_own_line_with_a_suggestion(tmp_path):
    (line,) = problems(write(tmp_path, MY_SCENARIO))
    assert ":15: interventions.more_staff.set.pools.ind_decison.hiring.target_fte:" in line, line
    assert "did you mean 'ind_decision'?" in line


def test_a_typo_in_the_last_part_of_a_change_path_is_reported_at_its_own_line_with_a_suggestion(tmp_path):
    (line,) = problems(write(tmp_path, MY_CHANGE))
    # the child's change follows the baseline's eight: numbered 8 in the joined list, at its own line
    assert "bad.yaml:9: changes[8].set.streams.first_asylum.monthly_volum:" in line, line
    assert "did you mean 'monthly_volume'?" in line


@pytest.mark.parametrize(("body", "line", "words"), [
    ("streams:\n  first_asylm:\n    monthly_volume: 2500\n", 4, "did you mean 'first_asylum'?"),
    ("pools:\n  ind_decision:\n    hiring:\n      intake_cap_per_yr: 100\n", 6, "did you mean 'intake_cap_per_year'?"),
    ("interventions:\n  a:\n    label: a\n    start: 2027-01-01\n    set:\n"
     "      pools.ind_decision.hirng.target_fte: 400\n", 8, "did you mean 'hiring'?"),
    ("interventions:\n  a:\n    label: a\n    start: 2027-01-01\n    set:\n      stages.aa_assesment: null\n", 8,
     "did you mean 'aa_assessment'?"),
    ("interventions:\n  a:\n    label: a\n    start: 2027-01-01\n    scale:\n      pools.ind_hearng.fte: 1.1\n", 8,
     "did you mean 'ind_hearing'?"),
])
def test_did_you_mean_at_every_depth_of_a_path(tmp_path, body, line, words):
    head = f"extends: {ROOT / 'scenarios' / 'baseline.yaml'}\ntitle: x\n"
    lines = problems(write(tmp_path, head + body))
    assert any(f":{line}:" in x and words in x for x in lines), lines
