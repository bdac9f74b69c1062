"""Charts of experiment results (matplotlib), Dutch labels by default.

Reads results; never runs the model. ``run_charts`` gives the standard set for ``indsim run``.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from .. import __version__
from ..experiment import Results, bands
from .i18n import capital, month, t
from .units import number, percent, shown

# Okabe-Ito palette: distinguishable with the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


def series(results: Results, metric: str, **dims) -> pd.DataFrame:
    m = results.metrics
    sel = m.metric == metric
    for d in ("category", "stream", "stage", "pool", "outcome", "age_band"):
        sel &= m[d] == dims.get(d, "")
    return m[sel]


STYLE = {
    "font.family": "DejaVu Sans", "font.size": 9, "axes.titlesize": 11, "axes.labelsize": 9,
    "xtick.labelsize": 8, "ytick.labelsize": 8, "legend.fontsize": 8, "axes.edgecolor": "#444444",
}


WIDTH_IN, PLOT_H_IN, LEFT_IN, RIGHT_IN, TOP_IN = 6.3, 2.5, 0.75, 0.2, 0.42
TICKS_IN, LEGEND_ROW_IN, FOOT_LINE_IN = 0.42, 0.2, 0.13


def _axes(title: str, ylabel: str, lang: str, dates: bool = True) -> tuple[Figure, plt.Axes]:
    """A figure in the house style: 16 cm wide, title left, light y grid; laid out in _finish."""
    with plt.rc_context(STYLE):
        fig = plt.figure(figsize=(WIDTH_IN, PLOT_H_IN + 1.5), dpi=100)
        ax = fig.add_subplot()
    fig.suptitle(title, x=0.01, ha="left", va="top", fontsize=11, fontweight="bold")
    ax.set_ylabel(ylabel)
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.spines[["top", "right"]].set_visible(False)
    if dates:
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: month(mdates.num2date(x), lang)))
    return fig, ax


def _layout(fig: Figure, ax: plt.Axes, legend_rows: int, footer: list[str]) -> None:
    """Place title, plot, legend and footer in fixed bands (inches) so that nothing overlaps."""
    bottom = 0.08 + FOOT_LINE_IN * len(footer) + LEGEND_ROW_IN * legend_rows + TICKS_IN
    height = TOP_IN + PLOT_H_IN + bottom
    fig.set_size_inches(WIDTH_IN, height)
    ax.set_position([LEFT_IN / WIDTH_IN, bottom / height, 1 - (LEFT_IN + RIGHT_IN) / WIDTH_IN, PLOT_H_IN / height])
    fig._suptitle.set_y(1 - 0.06 / height)
    for i, line in enumerate(reversed(footer)):
        fig.text(0.01, (0.05 + i * FOOT_LINE_IN) / height, line, fontsize=6.5, color="#555555", ha="left",
                 va="bottom")


def _legend(fig: Figure, ax: plt.Axes, ncols: int = 3) -> int:
    """Legend below the plot; returns its number of rows."""
    handles, labels = ax.get_legend_handles_labels()
    if not handles:
        return 0
    per_entry_in = 0.068 * max(len(lab) for lab in labels) + 0.6  # text at 8 pt plus the line sample
    ncols = max(1, min(ncols, int((WIDTH_IN - LEFT_IN) // per_entry_in)))
    rows = -(-len(labels) // ncols)
    ax.legend(handles, labels, loc="upper left", bbox_to_anchor=(0.0, -TICKS_IN / PLOT_H_IN * 0.75),
              ncols=min(len(labels), ncols), frameon=False, borderaxespad=0.0)
    return rows


def _footer_lines(results: Results, lang: str, key: str = "") -> list[str]:
    import textwrap

    source = t("source_line", lang, version=__version__, scenario=", ".join(results.names),
               replications=results.replications, seed=results.seed, created=results.created[:10])
    lines = textwrap.wrap(key, 125) if key else []
    return lines + textwrap.wrap(source, 125)


def _markers(ax: plt.Axes, results: Results, lang: str) -> str:
    """Dated interventions as numbered vertical lines; returns their key for the footer."""
    seen: dict = {}
    for s in results.scenarios.values():
        for iv in s.interventions.values():
            if iv.enabled and s.start <= iv.start <= s.end:
                label = iv.label.text(lang)
                if label not in seen.setdefault(iv.start, []):
                    seen[iv.start].append(label)
    key = []
    for i, (date, labels) in enumerate(sorted(seen.items()), start=1):
        x = mdates.date2num(date)
        ax.axvline(x, color="#777777", lw=0.8, ls="--", zorder=0)
        ax.annotate(str(i), (x, 1.0 - 0.06 * ((i - 1) % 2)), xycoords=("data", "axes fraction"),
                    xytext=(2, -2), textcoords="offset points", fontsize=7, color="#555555", va="top")
        shown = "; ".join(labels[:2]) + (f" (+{len(labels) - 2})" if len(labels) > 2 else "")
        key.append(f"{i}: {date.day} {month(date, lang)} {shown}")
    return "  ".join(key)


def _band_lines(ax: plt.Axes, frame: pd.DataFrame, label: str, index: int, scale: float = 1.0) -> None:
    """Mean line and 10-90% band per scenario. One scenario: colour by series ``index``; several:
    colour by scenario and line style by series, so that both stay distinguishable."""
    scenarios = list(dict.fromkeys(frame.scenario))
    for j, (name, grp) in enumerate(bands(frame).groupby("scenario", sort=False)):
        several = len(scenarios) > 1
        colour = PALETTE[(j if several else index) % len(PALETTE)]
        style = ("-", "--", ":", "-.")[index % 4] if several else "-"
        ax.plot(grp.date, grp["mean"] * scale, style, color=colour, lw=1.8,
                label=f"{label} – {name}" if several else label)
        if (grp.high > grp.low).any():
            ax.fill_between(grp.date, grp.low * scale, grp.high * scale, color=colour, alpha=0.15, linewidth=0)


def backlog_categories(results: Results) -> tuple[str, ...]:
    """Asylum and nareis, and 'other' (renewals) when some scenario has such a backlog."""
    other = series(results, "backlog", category="other")
    return ("asylum", "nareis", "other") if not other.empty and other.value.max() >= 1 else ("asylum", "nareis")


def backlog_chart(results: Results, lang: str = "nl") -> Figure:
    """Open asylum, nareis (and renewal) cases over time, mean and 80% band over replications."""
    cats = backlog_categories(results)
    fig, ax = _axes(t("chart_backlog_other" if "other" in cats else "chart_backlog", lang), t("cases", lang), lang)
    for i, cat in enumerate(cats):
        frame = series(results, "backlog", category=cat)
        if not frame.empty:
            _band_lines(ax, frame, t(cat, lang), i)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _: number(x, lang)))
    ax.set_ylim(bottom=0)
    _finish(fig, ax, results, lang)
    return fig


def _finish(fig: Figure, ax: plt.Axes, results: Results, lang: str) -> None:
    key = _markers(ax, results, lang)
    rows = _legend(fig, ax)
    _layout(fig, ax, rows, _footer_lines(results, lang, key))


def lead_time_chart(results: Results, lang: str = "nl") -> Figure:
    """Median weeks from lodging to first decision, for cases decided in each month."""
    fig, ax = _axes(t("chart_lead_time", lang), t("weeks", lang), lang)
    for i, cat in enumerate(("asylum", "nareis")):
        frame = series(results, "lead_time_p50", category=cat)
        if not frame.empty:
            _band_lines(ax, frame, t(cat, lang), i, scale=shown(1.0, "days"))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _: number(x, lang)))
    ax.set_ylim(bottom=0)
    _finish(fig, ax, results, lang)
    return fig


def within_term_chart(results: Results, lang: str = "nl") -> Figure:
    """Share of first decisions in each month taken within the legal term."""
    fig, ax = _axes(t("chart_within_term", lang), t("share", lang), lang)
    for i, cat in enumerate(("asylum", "nareis")):
        frame = series(results, "within_term_share", category=cat)
        if not frame.empty:
            _band_lines(ax, frame, t(cat, lang), i)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _: percent(x, lang)))
    ax.set_ylim(0, 1)
    _finish(fig, ax, results, lang)
    return fig


def utilisation_chart(results: Results, lang: str = "nl") -> Figure:
    """Hours used over hours available, per IND pool."""
    fig, ax = _axes(t("chart_utilisation", lang), t("utilisation", lang), lang)
    owners = {p: pool.owner for s in results.scenarios.values() for p, pool in s.pools.items()}
    pools = sorted(p for p in results.metrics.pool.unique() if p and owners.get(p) == "ind")
    labels = {p: pool.label.text(lang) for s in results.scenarios.values() for p, pool in s.pools.items()}
    for i, pool in enumerate(pools):
        frame = series(results, "utilisation", pool=pool)
        if not frame.empty:
            _band_lines(ax, frame, labels.get(pool, pool), i)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _: percent(x, lang)))
    ax.set_ylim(0, 1.05)
    _finish(fig, ax, results, lang)
    return fig


def penalty_chart(results: Results, lang: str = "nl") -> Figure:
    """Court-imposed penalty payments per month, in millions of euro."""
    fig, ax = _axes(t("chart_penalties", lang), t("euro_month", lang), lang)
    for i, cat in enumerate(("asylum", "nareis")):
        frame = series(results, "penalty_eur", category=cat)
        if not frame.empty:
            _band_lines(ax, frame, t(cat, lang), i, scale=shown(1.0, "euro"))
    ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _: number(x, lang, 1)))
    ax.set_ylim(bottom=0)
    _finish(fig, ax, results, lang)
    return fig


def run_charts(results: Results, lang: str = "nl") -> dict[str, Figure]:
    """The standard charts of a run, by file name."""
    return {
        "backlog": backlog_chart(results, lang),
        "lead_time": lead_time_chart(results, lang),
        "within_term": within_term_chart(results, lang),
        "utilisation": utilisation_chart(results, lang),
        "penalties": penalty_chart(results, lang),
    }


def difference_chart(results: Results, base: str, metric: str = "backlog", category: str = "asylum",
                     lang: str = "nl") -> Figure:
    """Paired difference to ``base`` over time per scenario (mean and 10-90% band)."""
    from ..experiment import monthly_differences
    from .sentences import base_label

    title = capital(t("chart_difference", lang, base=base_label(results, base, lang),
                      what=f"{t(metric, lang)} {t(category, lang)}"))
    fig, ax = _axes(title, t("cases", lang), lang)
    diff = monthly_differences(results, base, metric, category=category)
    for i, (name, grp) in enumerate(diff.groupby("scenario", sort=False)):
        colour = PALETTE[(i + 1) % len(PALETTE)]
        ax.plot(grp.date, grp["mean"], color=colour, lw=2, label=name)
        ax.fill_between(grp.date, grp.low, grp.high, color=colour, alpha=0.18, linewidth=0)
    ax.axhline(0, color="#444444", lw=0.8)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _: number(x, lang)))
    _finish(fig, ax, results, lang)
    return fig


def compare_charts(results: Results, lang: str = "nl") -> dict[str, Figure]:
    """Charts of a comparison: each scenario with its band, and the differences to the first."""
    charts = run_charts(results, lang)
    base = results.names[0]
    for cat in ("asylum", "nareis"):
        charts[f"difference_backlog_{cat}"] = difference_chart(results, base, "backlog", cat, lang)
    return charts


def tornado_chart(result, lang: str = "nl") -> Figure:
    """Effect of each parameter down (left bar) and up (right bar) on one figure (a
    :class:`~simulator.experiment.sensitivity.Sensitivity`)."""
    from ..model import FIGURES
    from .i18n import figure_in_year
    from .parameters import parameter_words

    table, f = result.table, result.figure
    frac = percent(result.fraction, lang)
    unit = FIGURES[f.figure][0]
    title = capital(t("chart_sensitivity", lang, figure=figure_in_year(f.figure, f.category, f.year, lang),
                      fraction=frac))
    labels = [parameter_words(result.scenario, p, lang) for p in result.parameters][::-1]
    rows = table.iloc[::-1]
    with plt.rc_context(STYLE):
        fig = plt.figure(figsize=(WIDTH_IN, 3), dpi=100)
        ax = fig.add_subplot()
    fig.suptitle(title, x=0.01, ha="left", va="top", fontsize=11, fontweight="bold")
    y = range(len(rows))
    scale = shown(1.0, unit)
    ax.barh(y, rows.effect_low * scale, color=PALETTE[0], label=f"−{frac}")
    ax.barh(y, rows.effect_high * scale, color=PALETTE[1], label=f"+{frac}")
    ax.set_yticks(list(y), labels)
    ax.axvline(0, color="#444444", lw=0.8)
    ax.set_xlabel(t("difference_to_base", lang))
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: number(x, lang)))
    ax.spines[["top", "right"]].set_visible(False)
    label_in = 0.065 * max((len(p) for p in labels), default=10)
    plot_h = 0.24 * max(len(rows), 1)
    legend = _legend(fig, ax, ncols=2)
    footer = [f"indsim {__version__}; {result.scenario.name}; {result.replications} "
              f"{t('replications_word', lang)}; seed {result.seed}"]
    bottom = 0.08 + FOOT_LINE_IN + LEGEND_ROW_IN * legend + TICKS_IN + 0.15
    height = TOP_IN + plot_h + bottom
    fig.set_size_inches(WIDTH_IN, height)
    left = min(label_in + 0.15, WIDTH_IN / 2)
    ax.set_position([left / WIDTH_IN, bottom / height, 1 - (left + RIGHT_IN) / WIDTH_IN, plot_h / height])
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -(TICKS_IN + 0.15) / plot_h), ncols=2, frameon=False)
    fig._suptitle.set_y(1 - 0.06 / height)
    fig.text(0.01, 0.05 / height, footer[0], fontsize=6.5, color="#555555", ha="left", va="bottom")
    return fig
