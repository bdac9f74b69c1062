"""The timeline validates only what a change writes: the result must be the scenario versions of
validating every version whole, and a version a change makes invalid must still be refused."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from simulator.errors import ScenarioError
from simulator.scenario import load_scenario, loader, timeline

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = sorted((ROOT / "scenarios").glob("*.yaml"))


def _versions(path: Path) -> list:
    scenario = load_scenario(path)
    loader._TIMELINES.clear()  # build it again, not from the cache
    return loader.versions(scenario)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.name)
def test_versions_equal_those_validated_whole(path, monkeypatch):
    shared = _versions(path)
    monkeypatch.setattr(timeline, "with_validated", lambda data, ref, model: data)
    whole = _versions(path)
    assert [day for day, _ in shared] == [day for day, _ in whole]
    for (_, a), (_, b) in zip(shared, whole, strict=True):
        assert a == b
        assert a.model_dump(mode="json") == b.model_dump(mode="json")


def test_a_change_that_breaks_a_shared_part_is_still_refused_at_its_own_line(tmp_path):
    # every other part of the version is shared with the one validated before; only the staff changes
    path = tmp_path / "bad.yaml"
    path.write_text(textwrap.dedent(f"""\
        extends: {ROOT / 'scenarios' / 'baseline.yaml'}
        name: bad
        title: {{nl: "Te veel personeel weg", en: "Too many staff leave"}}
        interventions:
          staff_leave:
            label: {{nl: "vertrek", en: "leave"}}
            start: 2027-01-01
            source: "assumption: a test"
            scale:
              pools.ind_decision.fte: -1
        """))
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    (line,) = err.value.lines()
    assert "interventions.staff_leave" in line and "pools.ind_decision.fte" in line, line
