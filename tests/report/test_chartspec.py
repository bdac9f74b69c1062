"""The one list of charts: the exports, the tables behind them and the dashboard's interactive
charts draw the same series, in the same colour per scenario, and the tooltips speak units."""

from __future__ import annotations

import dataclasses
import io
import json
import textwrap
from pathlib import Path

import matplotlib.colors as mcolors
import matplotlib.pyplot as plt
import pytest
from matplotlib.legend import Legend

from simulator.experiment import simulate
from simulator.report.charts import difference_chart, spec_chart
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


def _legend_entries(fig) -> dict[str, str]:
    """Every legend of an exported chart: label text (lines joined) -> colour of its sample."""
    ax = fig.axes[0]
    out = {}
    for legend in [a for a in ax.get_children() if isinstance(a, Legend)]:
        for text, handle in zip(legend.get_texts(), legend.legend_handles, strict=True):
            out[text.get_text().replace("\n", " ")] = mcolors.to_hex(handle.get_color())
    return out


def test_a_scenario_has_one_colour_in_every_chart_on_screen_and_in_the_exports(results):
    assert colour(results, "kort") == PALETTE[0]  # the base is always blue
    for name in CHARTS:
        fig = spec_chart(results, CHARTS[name], "nl")
        drawn = {mcolors.to_hex(line.get_color()) for line in fig.axes[0].get_lines()} - {"#777777"}  # markers
        legend = _legend_entries(fig)
        assert drawn == {colour(results, "kort").lower(), colour(results, "meer").lower()}, (name, drawn)
        assert legend["Meer beslismedewerkers"] == colour(results, "meer").lower()
        scale = next(layer["encoding"]["color"]["scale"] for layer in _layers(_spec(over_time(results, name, "nl")))
                     if "color" in layer.get("encoding", {}))
        assert dict(zip(scale["domain"], scale["range"], strict=True)) == {
            "Kort basisscenario": colour(results, "kort"), "Meer beslismedewerkers": colour(results, "meer")}


def test_charts_are_made_outside_pyplot_so_threads_of_the_dashboard_never_share_one(results):
    """The dashboard draws for several sessions at once in one process: pyplot's register of
    open figures is not thread-safe (a session was handed another's figure, whose closing broke
    it), so the charts never enter it and each has its own canvas."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(4) as pool:
        figs = list(pool.map(lambda name: spec_chart(results, CHARTS[name], "nl"), list(CHARTS) * 2))
    assert plt.get_fignums() == []
    assert len({id(f) for f in figs}) == len(figs) and all(f.canvas.figure is f for f in figs)
    assert all(hasattr(f.canvas, "get_renderer") for f in figs)


def test_exported_legends_name_scenarios_by_their_titles_as_the_screen_does(results):
    fig = spec_chart(results, CHARTS["backlog"], "en")
    texts = [t.get_text() for legend in fig.axes[0].get_children() if isinstance(legend, Legend)
             for t in legend.get_texts()]
    # the scenarios by title in their colours, then the series by line style (as the screen's two legends)
    assert texts == ["Short baseline", "More decision staff", "asylum", "family reunification", "other"], texts
    fig = difference_chart(results, "kort", "backlog", "asylum", "nl")
    assert [t.get_text() for t in fig.axes[0].get_legend().get_texts()] == ["Meer beslismedewerkers"]
    svg = io.StringIO()
    fig = spec_chart(results, CHARTS["within_term"], "nl")
    fig.savefig(svg, format="svg")
    assert "Kort basisscenario" in svg.getvalue() and ">kort<" not in svg.getvalue()


def test_a_long_scenario_title_wraps_inside_the_exported_chart_and_stays_whole(results):
    long = ("Alles samen zoals gepland (Pact, uitvoeringswet, noodwet, tweestatusstelsel, ketenpartner), "
            "met extra beslismedewerkers vanaf 1 juli 2026")
    s = results.scenarios["meer"]
    wide = dataclasses.replace(results, scenarios={**results.scenarios, "meer": s.model_copy(update={
        "title": s.title.model_copy(update={"nl": long})})})
    fig = spec_chart(wide, CHARTS["utilisation"], "nl")
    fig.canvas.draw()
    legends = [a for a in fig.axes[0].get_children() if isinstance(a, Legend)]
    texts = [t.get_text() for legend in legends for t in legend.get_texts()]
    assert long in [t.replace("\n", " ") for t in texts] and any("\n" in t for t in texts)  # wrapped, not cut
    box = fig.bbox
    for legend in legends:  # inside the figure, below the plot, one under the other
        extent = legend.get_window_extent()
        assert box.x0 <= extent.x0 and extent.x1 <= box.x1 and extent.y0 >= box.y0, (extent, box)
        assert extent.y1 <= fig.axes[0].get_window_extent().y0
    assert legends[0].get_window_extent().y0 >= legends[1].get_window_extent().y1


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


def _tick_labels(fig) -> list[str]:
    fig.canvas.draw()
    ax = fig.axes[0]
    lo, hi = ax.get_ylim()
    return [t.get_text() for t, v in zip(ax.get_yticklabels(), ax.get_yticks(), strict=True) if lo <= v <= hi]


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_no_two_ticks_of_an_exported_chart_read_the_same(results, lang):
    """A chart in EUR million with ticks 0.05 apart read "0,0 0,0 0,1 0,2 0,2": the labels get the
    decimals their ticks need to differ, and no more."""
    for name, spec in CHARTS.items():
        labels = _tick_labels(spec_chart(results, spec, lang))
        assert len(set(labels)) == len(labels), (name, labels)
    fig = spec_chart(results, CHARTS["penalties"], lang)
    fig.axes[0].set_ylim(0, 0.3)
    labels = _tick_labels(fig)
    assert labels[:3] == (["0,00", "0,05", "0,10"] if lang == "nl" else ["0.00", "0.05", "0.10"]), labels
    fig.axes[0].set_ylim(0, 3)
    assert _tick_labels(fig)[:2] == (["0,0", "0,5"] if lang == "nl" else ["0.0", "0.5"])  # the unit's 1 decimal


def test_the_date_axis_keeps_its_labels_apart(results):
    """The first month's label, flush with the axis's start, ran into the second ("jan 2026jul
    2026") on the Dutch screen: labels keep a gap, or Vega leaves every other one out."""
    for chart in (over_time(results, "backlog", "nl"), difference(results, "kort", "backlog", "asylum", "nl")):
        axes = [layer["encoding"]["x"].get("axis", {}) for layer in _layers(_spec(chart))
                if layer.get("encoding", {}).get("x", {}).get("type") == "temporal"]
        dated = [a for a in axes if "format" in a]
        assert dated and all(a.get("labelSeparation", 0) >= 8 for a in dated), axes
