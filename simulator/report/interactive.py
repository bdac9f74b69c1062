"""The dashboard's charts that answer the mouse (Altair, rendered by Streamlit as Vega-Lite).

They draw the same series as the matplotlib exports, from the same list
(:data:`~.chartspec.CHARTS`) and in the same colours (:func:`~.chartspec.colour`): hovering a
point shows the month, the value in the reader's number format with its unit, and the 10-90% band;
a click on a legend entry shows or hides that scenario or series; interventions are dashed rules,
numbered, with their labels on hover and in the key below (:func:`~.chartspec.marker_key`). Legends give
scenario titles. Numbers are formatted by :mod:`simulator.report.units`, so the tooltip says what
the tables say.
"""

from __future__ import annotations

import altair as alt
import pandas as pd

from ..experiment import Results, monthly_differences
from .chartspec import CHARTS, chart_frame, colour, interventions, scenario_title, series_label
from .i18n import capital, day, month, t
from .units import show, shown, with_unit

HEIGHT = 300
DASHES = [[1, 0], [6, 3], [2, 2], [8, 3, 2, 3]]  # one per series: lines at the same value stay apart
# Vega's number and time words in Dutch (axes); tooltips carry text made by units.py
LOCALE = {
    "nl": {"number": {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["€ ", ""]},
           "time": {"dateTime": "%a %e %B %Y %X", "date": "%d-%m-%Y", "time": "%H:%M:%S", "periods": ["AM", "PM"],
                    "days": ["zondag", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag"],
                    "shortDays": ["zo", "ma", "di", "wo", "do", "vr", "za"],
                    "months": ["januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus",
                               "september", "oktober", "november", "december"],
                    "shortMonths": ["jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov",
                                    "dec"]}},
}


def _words(lang: str) -> dict[str, str]:
    return {k: capital(t(f"ui_chart_{k}", lang)) for k in ("datum", "waarde", "band", "scenario", "reeks")}


def _colours(results: Results, names: list[str], lang: str) -> alt.Scale:
    return alt.Scale(domain=[scenario_title(results, n, lang) for n in names],
                     range=[colour(results, n) for n in names])


def _markers(results: Results, lang: str, top: float) -> alt.LayerChart | None:
    rows = [{"date": pd.Timestamp(d), "number": str(i), "y": top * (1.0 if i % 2 else 0.92),
             "label": f"{i}: {day(d, lang)}: {'; '.join(labels)}"}
            for i, (d, labels) in enumerate(interventions(results, lang), start=1)]
    if not rows:
        return None
    data = alt.Data(values=[{**r, "date": r["date"].isoformat()} for r in rows])
    word = capital(t("ui_chart_ingreep", lang))
    rule = alt.Chart(data).mark_rule(color="#777777", strokeDash=[4, 3]).encode(
        x="date:T", tooltip=[alt.Tooltip("label:N", title=word)])
    text = alt.Chart(data).mark_text(align="left", dx=3, dy=8, color="#555555", fontSize=11).encode(
        x="date:T", y=alt.Y("y:Q"), text="number:N", tooltip=[alt.Tooltip("label:N", title=word)])
    return rule + text


def _finish(chart: alt.LayerChart, lang: str, title: str) -> alt.LayerChart:
    out = chart.properties(height=HEIGHT, title=alt.TitleParams(title, anchor="start"))
    if lang in LOCALE:
        out = out.configure(locale=LOCALE[lang])
    return out.configure_legend(orient="bottom", direction="vertical", columns=1, labelLimit=420, titleLimit=420)


def _bands(frame: pd.DataFrame, results: Results, unit: str, lang: str, scale: float) -> pd.DataFrame:
    """Chart data with the tooltip's words: month, value with unit, band."""
    w = _words(lang)
    out = pd.DataFrame({
        "date": frame.date, "mean": frame["mean"] * scale, "low": frame.low * scale, "high": frame.high * scale,
        w["scenario"]: [scenario_title(results, n, lang) for n in frame.scenario],
        w["datum"]: [month(d, lang) for d in frame.date],
        w["waarde"]: [with_unit(v, unit, lang) for v in frame["mean"]],
        w["band"]: [f"{show(lo, unit, lang)} – {show(hi, unit, lang)}" for lo, hi in zip(frame.low, frame.high,
                                                                                           strict=True)],
    })
    if "series" in frame:
        out[w["reeks"]] = [series_label(results, s, lang) for s in frame.series]
    return out


def _lines(data: pd.DataFrame, results: Results, names: list[str], lang: str, axis: str,
           y_scale: alt.Scale, y_axis: alt.Axis) -> alt.LayerChart:
    w = _words(lang)
    who = alt.selection_point(fields=[w["scenario"]], bind="legend")
    layers_params = [who]
    shown_when = who
    series = w["reeks"] in data
    if series:
        which = alt.selection_point(fields=[w["reeks"]], bind="legend")
        layers_params.append(which)
        shown_when = who & which
    # labels at least 8 px apart, or Vega drops every other one: the first label, flush with the
    # axis's start, ran into the second ("jan 2026jul 2026")
    x = alt.X("date:T", title=None, axis=alt.Axis(format="%b %Y", labelAngle=0, labelSeparation=8))
    colour_ = alt.Color(f"{w['scenario']}:N", scale=_colours(results, names, lang),
                        legend=alt.Legend(title=w["scenario"], symbolStrokeWidth=3))
    drawn = ["date", "mean", "low", "high", w["scenario"], *([w["reeks"]] if series else [])]
    base = alt.Chart(data[drawn]).encode(x=x, color=colour_)  # the tooltip's words travel once, in _hover
    by_series = {"detail": alt.Detail(f"{w['reeks']}:N")} if series else {}
    band = base.mark_area(opacity=0.15).encode(
        y=alt.Y("low:Q", scale=y_scale, axis=y_axis, title=axis), y2="high:Q",
        opacity=alt.condition(shown_when, alt.value(0.15), alt.value(0.0)), **by_series)
    dash = ({"strokeDash": alt.StrokeDash(f"{w['reeks']}:N", scale=alt.Scale(range=DASHES),
                                          legend=alt.Legend(title=w["reeks"], symbolStrokeWidth=2))}
            if series else {})
    line = base.mark_line(strokeWidth=2).encode(
        y=alt.Y("mean:Q", scale=y_scale, axis=y_axis, title=axis),
        opacity=alt.condition(shown_when, alt.value(1.0), alt.value(0.08)), **dash).add_params(*layers_params)
    return band + line + _hover(data, lang)


def _hover(data: pd.DataFrame, lang: str) -> alt.Chart:
    """A rule at the month nearest the pointer whose tooltip gives every series there: month,
    then per scenario (and series) the mean with its unit and the 10-90% band. Lines at the same
    value thus stay readable."""
    w = _words(lang)
    who = [*([w["reeks"]] if w["reeks"] in data else []), w["scenario"]]  # the series first: titles are long
    data = data.assign(what=data[who].agg(" – ".join, axis=1),
                       text=data[w["waarde"]] + " (" + w["band"] + " " + data[w["band"]] + ")")
    wide = data.pivot_table(index=["date", w["datum"]], columns="what", values="text", aggfunc="first",
                            sort=False).reset_index()
    columns = [c for c in wide.columns if c not in ("date", w["datum"])]
    wide.columns = ["date", w["datum"], *[f"s{i}" for i in range(len(columns))]]
    near = alt.selection_point(fields=["date"], nearest=True, on="pointerover", empty=False, clear="pointerout")
    return alt.Chart(wide).mark_rule(color="#888888", strokeWidth=1).encode(
        x="date:T", opacity=alt.condition(near, alt.value(0.6), alt.value(0.0)),
        tooltip=[alt.Tooltip(f"{w['datum']}:N"),
                 *[alt.Tooltip(f"s{i}:N", title=c) for i, c in enumerate(columns)]]).add_params(near)


def over_time(results: Results, chart: str, lang: str = "nl") -> alt.LayerChart:
    """One chart of :data:`~.chartspec.CHARTS` (every scenario, each series, with bands)."""
    spec = CHARTS[chart]
    frame = chart_frame(results, spec)
    scale = shown(1.0, spec.unit)
    data = _bands(frame, results, spec.unit, lang, scale)
    top = spec.top * scale if spec.top is not None else float(data["high"].max() if len(data) else 1.0)
    y_scale = alt.Scale(domain=[spec.bottom * scale if spec.bottom is not None else 0, top],
                        zero=spec.bottom is not None, nice=spec.top is None)
    y_axis = alt.Axis(labelExpr="datum.label + '%'") if spec.unit == "share" else alt.Axis()
    layered = _lines(data, results, list(results.names), lang, t(spec.axis, lang), y_scale, y_axis)
    markers = _markers(results, lang, top)
    return _finish(layered + markers if markers is not None else layered, lang, spec.title_text(results, lang))


def difference(results: Results, base: str, metric: str = "backlog", category: str = "asylum",
               lang: str = "nl") -> alt.LayerChart:
    """Paired difference to ``base`` over time per scenario (mean and 10-90% band)."""
    from .sentences import base_label

    diff = monthly_differences(results, base, metric, category=category)
    data = _bands(diff, results, "cases", lang, 1.0)
    others = [n for n in results.names if n != base]
    zero = alt.Chart(pd.DataFrame({"y": [0]})).mark_rule(color="#444444").encode(y="y:Q")
    layered = _lines(data, results, others, lang, t("cases", lang), alt.Scale(zero=True), alt.Axis()) + zero
    top = float(data["high"].max()) if len(data) else 0.0
    markers = _markers(results, lang, top)
    title = capital(t("chart_difference", lang, base=base_label(results, base, lang),
                      what=f"{t(metric, lang)} {t(category, lang)}"))
    return _finish(layered + markers if markers is not None else layered, lang, title)
