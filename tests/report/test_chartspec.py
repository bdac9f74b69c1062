"""The one list of charts: the exports, the tables behind them and the dashboard's interactive
charts draw the same series, in the same colour per scenario, and the tooltips speak units."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import pytest

from simulator.experiment import simulate
from simulator.report.charts import spec_chart
from simulator.report.chartspec import CHARTS, PALETTE, colour, marker_key
from simulator.report.interactive import difference, over_time
from simulator.report.pack import chart_tables
from simulator.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def results(tmp_path_factory):
    d = tmp_path_factory.mktemp("charts")
    (d / "kort.yaml").write_text(textwrap.dedent(f"""\
        extends: {ROOT / 'scenarios/baseline.yaml'}
        name: kort
        title: {{nl: Kort basisscenario, en: Short baseline}}
        horizon_years: 1
        changes: []
        """))
    (d / "meer.yaml").write_text(textwrap.dedent(f"""\
        extends: {d / 'kort.yaml'}
        name: meer
        title: {{nl: Meer beslismedewerkers, en: More decision staff}}
        interventions:
          more_staff:
            label: {{nl: "+60 fte beslissen", en: "+60 FTE decisions"}}
            start: 2026-07-01
            set:
              pools.ind_decision.fte: {{value: 400, source: "assumption: test"}}
        """))
    return simulate([load_scenario(d / "kort.yaml"), load_scenario(d / "meer.yaml")], replications=2, workers=1)


def _spec(chart) -> dict:
    return json.loads(chart.to_json())


def _layers(spec: dict) -> list[dict]:
    out = []
    for layer in spec.get("layer", []):
        out += _layers(layer) if "layer" in layer else [layer]
    return out


def _tables(spec: dict) -> list[list[dict]]:
    """Every data table of a chart: its named datasets and any inline values."""
    def inline(node: dict) -> list[list[dict]]:
        found = [node["data"]["values"]] if "values" in node.get("data", {}) else []
        return found + [rows for child in node.get("layer", []) for rows in inline(child)]

    return list(spec.get("datasets", {}).values()) + inline(spec)


def test_a_scenario_has_one_colour_in_every_chart_on_screen_and_in_the_exports(results):
    assert colour(results, "kort") == PALETTE[0]  # the base is always blue
    for name in CHARTS:
        fig = spec_chart(results, CHARTS[name], "nl")
        drawn = {line.get_label(): mcolors.to_hex(line.get_color()) for line in fig.axes[0].get_lines()
                 if not line.get_label().startswith("_")}
        plt.close(fig)
        assert {c for label, c in drawn.items() if label.endswith("– meer")} == {colour(results, "meer").lower()}, drawn
        scale = next(layer["encoding"]["color"]["scale"] for layer in _layers(_spec(over_time(results, name, "nl")))
                     if "color" in layer.get("encoding", {}))
        assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
            "Kort basisscenario": colour(results, "kort"), "Meer beslismedewerkers": colour(results, "meer")}


def test_exports_tables_and_screen_draw_the_same_series(results):
    tables = chart_tables(results)
    for name in CHARTS:
        spec = _spec(over_time(results, name, "en"))
        shown = {row["Series"] for rows in _tables(spec) for row in rows if "Series" in row}
        assert len(shown) == tables[name].series.nunique() > 0, (name, shown)


def test_the_tooltip_gives_month_value_with_unit_and_band_in_the_readers_language(results):
    spec = _spec(over_time(results, "backlog", "nl"))
    hover = next(layer for layer in _layers(spec) if "tooltip" in layer.get("encoding", {}))
    titles = [t.get("title", t["field"]) for t in hover["encoding"]["tooltip"]]
    assert titles[0] == "Maand" and "asiel – Meer beslismedewerkers" in titles
    rows = next(rows for rows in _tables(spec) if "Maand" in rows[0])
    assert "mrt 2026" in {r["Maand"] for r in rows}  # Dutch month names
    row = rows[6]
    assert any(str(v).endswith(")") and " zaken (80%-band " in str(v) and "." in str(v) for v in row.values()), row
    share = _spec(over_time(results, "within_term", "en"))
    rows = next(rows for rows in _tables(share) if "Month" in rows[0])
    assert any("%" in str(v) and "80% band" in str(v) for v in rows[-1].values()), rows[-1]


def test_interventions_are_marked_with_their_labels(results):
    assert marker_key(results, "nl") == "1: 1 jul 2026 +60 fte beslissen"
    spec = _spec(difference(results, "kort", "backlog", "asylum", "en"))
    labels = {row.get("label") for rows in _tables(spec) for row in rows}
    assert "1: 1 Jul 2026: +60 FTE decisions" in labels
