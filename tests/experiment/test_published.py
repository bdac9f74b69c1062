"""The published series as data: the shipped file loads, every series maps to a model quantity,
and a bad file gives one line naming file, line, field and reason."""

from __future__ import annotations

import datetime as dt

import pytest

from simulator.errors import ScenarioError
from simulator.experiment.published import load_published, observed_on


def test_the_shipped_published_series_load_with_sources_and_units(root):
    p = load_published(root / "data/published.yaml")
    assert {"backlog_asylum", "backlog_nareis", "first_decisions_asylum", "notices", "court_procedures_ind",
            "dublin_transfers"} <= set(p.series)
    for name, s in p.series.items():
        assert s.unit and s.terms(), name
        assert all(o.source for o in s.values.values()), name
    assert p.get("backlog_asylum", 2022).value == 35790
    assert p.get("notices", 2023).value == 28670
    assert p.get("court_procedures_ind", 2024).bound == "upper"
    assert not p.get("backlog_nareis", 2024).comparable


def test_observations_inside_a_horizon_skip_years_before_the_start(root):
    p = load_published(root / "data/published.yaml")
    inside = p.observations(dt.date(2023, 1, 1), dt.date(2025, 12, 31))
    assert ("backlog_asylum", 2023) in inside and ("backlog_asylum", 2022) not in inside
    assert ("backlog_asylum_mid_year", 2023) in inside
    assert observed_on(2023, p.get("backlog_asylum_mid_year", 2023)) == dt.date(2023, 7, 31)
    assert ("backlog_asylum", 2025) not in p.observations(dt.date(2023, 1, 1), dt.date(2025, 12, 30))


@pytest.mark.parametrize("text, where, reason", [
    ("series:\n  a:\n    label: a\n    unit: x\n    sigma: 0.1\n    model: {figure: nope}\n"
     "    values: {2023: {value: 1, source: s}}\n", ":6: series.a.model", "unknown figure"),
    ("series:\n  a:\n    label: a\n    unit: x\n    sigma: 0.1\n    model: {figure: backlog_end}\n"
     "    values: {2023: {value: 1, source: s, month: 7}}\n", "series.a", "needs a monthly metric"),
    ("series:\n  a:\n    label: a\n    unit: x\n    sigma: 0.1\n    colour: red\n    model: {metric: stock}\n"
     "    values: {2023: {value: 1, source: s}}\n", ":6: series.a.colour", "unknown field"),
    ("series: !!python/object:os.system {}\n", "published.yaml", "unsafe"),
])
def test_a_bad_published_file_names_file_line_field_and_reason(tmp_path, text, where, reason):
    path = tmp_path / "published.yaml"
    path.write_text(text)
    with pytest.raises(ScenarioError) as err:
        load_published(path)
    line = err.value.lines()[0]
    assert where in line and reason in line and "\n" not in line
