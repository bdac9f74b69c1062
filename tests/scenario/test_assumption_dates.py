"""The assumption log dates a number in a scenario file from the first day a case can meet it:
a stage that only a later law leads to is in the file from the start, but not in force before."""

from __future__ import annotations

import textwrap
from pathlib import Path

from simulator.report.parameters import _when_words
from simulator.scenario import load_scenario
from simulator.scenario.assumptions import assumption_log, first_reached

ROOT = Path(__file__).resolve().parents[2]
BASE = load_scenario(ROOT / "scenarios/baseline.yaml")


def _log(name: str):
    return assumption_log(load_scenario(ROOT / f"scenarios/{name}.yaml"), BASE).set_index("parameter")


def test_the_pacts_own_stages_are_in_force_from_the_pact_not_from_the_start():
    log = _log("amp")
    own = log[log.index.str.startswith(tuple(f"stages.{s}." for s in (
        "screening", "border_interview", "border_decision", "border_appeal", "accelerated_interview",
        "accelerated_decision")))]
    assert len(own) >= 15
    assert set(own["from"]) == {"2026-06-12"}, own["from"].value_counts()
    assert "2026-01-01" not in set(log["from"])


def test_a_groups_routes_and_a_spawned_stream_count_from_the_law_that_makes_them():
    law = _log("asielnoodmaatregelenwet")  # 3-year permits: renewals, and refused renewals in court, from 2027
    assert law.loc["stages.appeal.routes_by_group.holder[renewal_validity/overturned].p", "from"] == "2027-01-01"
    assert law.loc["stages.renewal_validity.routes[exit].p", "from"] == "2027-01-01"
    two = _log("tweestatusstelsel")  # upgrade appeals are follow-on cases of B-status grants only
    assert two.loc["streams.upgrade_appeal.legal_term", "from"] == "2027-01-01"
    assert two.loc["stages.upgrade_defence.hours", "from"] == "2027-01-01"
    assert two.loc["procedures.upgrade_defence_term.time_limit", "from"] == "2027-01-01"  # its stage's first day


def test_a_stage_a_dated_change_leads_to_counts_from_that_date_and_one_nobody_reaches_says_so(tmp_path):
    (tmp_path / "s.yaml").write_text(textwrap.dedent(f"""\
        extends: {ROOT / "scenarios/baseline.yaml"}
        name: paths
        title: paths
        stages:
          orphan:
            label: {{nl: wees, en: orphan}}
            pool: ind_decision
            hours: {{value: 1, source: test}}
            routes: [{{to: exit, p: 1, source: test}}]
          later:
            label: {{nl: later, en: later}}
            pool: ind_decision
            hours: {{value: 1, source: test}}
            routes: [{{to: exit, p: 1, source: test}}]
        changes:
          - date: 2027-03-01
            set:
              stages.permanent_permit.routes:
                - {{to: later, p: 1, outcome: granted, source: test}}
        """))
    scenario = load_scenario(tmp_path / "s.yaml")
    reached = first_reached(scenario.model_dump(mode="json"))
    assert reached["registration"] == "2026-01-01"
    assert reached["later"] == "2027-03-01"
    assert "orphan" not in reached
    log = assumption_log(scenario, BASE).set_index("parameter")
    assert log.loc["stages.later.hours", "from"] == "2027-03-01"
    assert log.loc["stages.orphan.hours", "from"] == "not reached"
    assert _when_words("not reached", "nl") == "geen zaak komt er"
