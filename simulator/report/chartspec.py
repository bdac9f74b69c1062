"""The one list of charts: what each chart draws (which metric, which series, in which unit, on
which axis), read by the matplotlib exports (:mod:`simulator.report.charts`), the table behind each
exported chart (:func:`simulator.report.pack.chart_tables`) and the dashboard's interactive charts
(:mod:`simulator.report.interactive`), so that a series is named in one place only.

Also the one rule for colours: a scenario's colour is its place in the experiment (the base
first, always the first colour of the palette), in every chart of every face; and the one rule for
naming a scenario in a legend, a table head or a sentence: its title (:func:`scenario_title`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from ..experiment import Results, bands
from ..model import METRICS
from .i18n import day, name, t

# Okabe-Ito palette: distinguishable with the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]
DIMENSIONS = ("category", "stream", "stage", "pool", "outcome", "age_band")


@dataclass(frozen=True)
class Line:
    """One series of a chart: a metric, the dimension values that select it, and its identifier
    (a category such as ``asylum`` or a pool's name), which :func:`series_label` puts in words."""

    metric: str
    dims: tuple[tuple[str, str], ...]
    label: str


@dataclass(frozen=True)
class ChartSpec:
    """A chart over time: title and axis (catalogue keys), the stored unit of its values, the
    lower and upper end of its axis (None: as the data go), and the series it draws."""

    name: str
    title: str
    axis: str
    unit: str
    lines: Callable[[Results], list[Line]]
    bottom: float | None = 0.0
    top: float | None = None

    def title_text(self, results: Results, lang: str) -> str:
        other = self.name == "backlog" and any(line.label == "other" for line in self.lines(results))
        return t(f"{self.title}_other" if other else self.title, lang)


def series(results: Results, metric: str, **dims) -> pd.DataFrame:
    """The metric's rows with exactly these dimension values (the others empty)."""
    m = results.metrics
    sel = m.metric == metric
    for d in DIMENSIONS:
        sel &= m[d] == dims.get(d, "")
    return m[sel]


def backlog_categories(results: Results) -> tuple[str, ...]:
    """Asylum and nareis, and 'other' (renewals) when some scenario has such a backlog."""
    other = series(results, "backlog", category="other")
    return ("asylum", "nareis", "other") if not other.empty and other.value.max() >= 1 else ("asylum", "nareis")


def ind_pools(results: Results) -> list[str]:
    """The IND's own pools (the utilisation chart's series)."""
    owners = {p: pool.owner for s in results.scenarios.values() for p, pool in s.pools.items()}
    return sorted(p for p in results.metrics.pool.unique() if p and owners.get(p) == "ind")


def _by_category(metric: str) -> Callable[[Results], list[Line]]:
    return lambda results: [Line(metric, (("category", c),), c) for c in ("asylum", "nareis")]


CHARTS: dict[str, ChartSpec] = {spec.name: spec for spec in [
    ChartSpec("backlog", "chart_backlog", "cases", "cases",
              lambda r: [Line("backlog", (("category", c),), c) for c in backlog_categories(r)]),
    ChartSpec("lead_time", "chart_lead_time", "weeks", "days", _by_category("lead_time_p50")),
    ChartSpec("within_term", "chart_within_term", "share", "share", _by_category("within_term_share"), top=1.0),
    ChartSpec("utilisation", "chart_utilisation", "utilisation", "share",
              lambda r: [Line("utilisation", (("pool", p),), p) for p in ind_pools(r)], top=1.05),
    ChartSpec("penalties", "chart_penalties", "euro_month", "euro", _by_category("penalty_eur")),
]}


def chart_frame(results: Results, spec: ChartSpec) -> pd.DataFrame:
    """The numbers behind a chart in stored units: per scenario, series and month the mean and
    10-90% band over replications (columns scenario, metric, series, date, unit, mean, low, high)."""
    frames = []
    for line in spec.lines(results):
        frame = series(results, line.metric, **dict(line.dims))
        if not frame.empty:
            frames.append(bands(frame).assign(metric=line.metric, series=line.label, unit=METRICS[line.metric][0]))
    columns = ["scenario", "metric", "series", "date", "unit", "mean", "low", "high"]
    return pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)


def series_label(results: Results, label: str, lang: str = "nl") -> str:
    """A series in words: a category ('asiel') or a pool's own label from the scenario file."""
    if label in ("asylum", "nareis", "other"):
        return t(label, lang)
    return name(list(results.scenarios.values()), "pools", label, lang)


def scenario_title(results: Results, scenario: str, lang: str = "nl") -> str:
    """The scenario in words, as the MT knows it: its title from the scenario file (its file name
    only when the experiment does not know it), in every legend, table head and sentence."""
    s = results.scenarios.get(scenario)
    return s.title.text(lang) if s else scenario


def colour(results: Results, scenario: str) -> str:
    """The scenario's colour: its place in the experiment (the base is always blue)."""
    return PALETTE[results.names.index(scenario) % len(PALETTE)]


def interventions(results: Results, lang: str = "nl") -> list[tuple[dt.date, list[str]]]:
    """The dated interventions of the experiment's scenarios within their horizon, by date, each
    label once: what the charts mark on the time axis."""
    seen: dict[dt.date, list[str]] = {}
    for s in results.scenarios.values():
        for iv in s.interventions.values():
            if iv.enabled and s.start <= iv.start <= s.end:
                label = iv.label.text(lang)
                if label not in seen.setdefault(iv.start, []):
                    seen[iv.start].append(label)
    return sorted(seen.items())


def marker_key(results: Results, lang: str = "nl") -> str:
    """The numbered interventions of a chart, as one line for under it (both faces number them so)."""
    return "  ".join(f"{i}: {day(d, lang)} {marker_text(labels)}"
                     for i, (d, labels) in enumerate(interventions(results, lang), start=1))


def marker_text(labels: list[str]) -> str:
    """A marker's labels, short: the first two and how many more."""
    return "; ".join(labels[:2]) + (f" (+{len(labels) - 2})" if len(labels) > 2 else "")
