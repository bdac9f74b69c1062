"""Charts of experiment results (matplotlib, the house style of the exports), Dutch labels by default.

Reads results; never runs the model. What each chart over time draws is in the one list of
:mod:`simulator.report.chartspec` (shared with the tables behind the charts and the dashboard's
interactive charts); ``run_charts`` gives the standard set for ``indsim run``.
"""

from __future__ import annotations

import datetime as dt
import textwrap

import matplotlib
import matplotlib.dates as mdates
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.legend import Legend
from matplotlib.lines import Line2D
from matplotlib.ticker import Formatter, FuncFormatter

from .. import __version__
from ..experiment import Results
from .chartspec import (
    CHARTS,
    PALETTE,
    ChartSpec,
    chart_frame,
    colour,
    interventions,
    marker_key,
    scenario_title,
    series_label,
)
from .i18n import capital, day, month, t
from .units import number, percent, shown

STYLE = {
    "font.family": "DejaVu Sans", "font.size": 9, "axes.titlesize": 11, "axes.labelsize": 9,
    "xtick.labelsize": 8, "ytick.labelsize": 8, "legend.fontsize": 8, "axes.edgecolor": "#444444",
}


STYLES = ("-", "--", ":", "-.")  # one line style per series, in the legend too
WIDTH_IN, PLOT_H_IN, LEFT_IN, RIGHT_IN, TOP_IN = 6.3, 2.5, 0.75, 0.2, 0.42
TICKS_IN, LEGEND_ROW_IN, FOOT_LINE_IN, LEGEND_GAP_IN = 0.42, 0.2, 0.13, 0.04
LEGEND_W_IN = WIDTH_IN - LEFT_IN - RIGHT_IN  # legends sit under the plot, at most as wide
TITLE_CHARS, TITLE_LINE_IN = 64, 0.2  # a title's characters a line at 11 pt bold in the width; a line's height
LABEL_CHAR_IN = 0.065  # the width of a character of an 8 pt tick label


class Ticks(Formatter):
    """Tick labels by the one number formatter, with as many decimals as the ticks need to differ
    (ticks 0.05 apart on a chart of EUR million read "0,05", not "0,0" and "0,1" twice)."""

    def __init__(self, lang: str, decimals: int = 0, as_percent: bool = False):
        self.lang, self.decimals, self.as_percent = lang, decimals, as_percent
        self.fitted = decimals

    def _text(self, x: float, decimals: int) -> str:
        return percent(x, self.lang, decimals) if self.as_percent else number(x, self.lang, decimals)

    def __call__(self, x: float, pos: int | None = None) -> str:
        return self._text(x, self.fitted)

    def format_ticks(self, values) -> list[str]:
        scale = 100 if self.as_percent else 1
        self.fitted = self.decimals
        while self.fitted < 6 and len({round(v * scale, self.fitted) for v in values}) < len(values):
            self.fitted += 1
        return [self._text(v, self.fitted) for v in values]


def new_figure(width: float, height: float) -> tuple[Figure, Axes]:
    """A figure and its axes in the house style, outside pyplot: the dashboard draws charts for
    several people at once in threads of one process, and pyplot's register of open figures is
    not thread-safe (two sessions could be handed one figure, and one's ``close`` broke the
    other's). Nothing needs closing: a figure goes when it is no longer used."""
    with matplotlib.rc_context(STYLE):
        fig = Figure(figsize=(width, height), dpi=100)
        FigureCanvasAgg(fig)
        return fig, fig.add_subplot()


def _axes(title: str, ylabel: str, lang: str, dates: bool = True) -> tuple[Figure, Axes]:
    """A figure in the house style: 16 cm wide, title left, light y grid; laid out in _finish."""
    fig, ax = new_figure(WIDTH_IN, PLOT_H_IN + 1.5)
    fig.suptitle(title, x=0.01, ha="left", va="top", fontsize=11, fontweight="bold")
    ax.set_ylabel(ylabel)
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.spines[["top", "right"]].set_visible(False)
    if dates:
        ax.xaxis.set_major_locator(mdates.YearLocator())
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: month(mdates.num2date(x), lang)))
    return fig, ax


def _layout(fig: Figure, ax: Axes, legend_rows: float, footer: list[str]) -> None:
    """Place title, plot, legend and footer in fixed bands (inches) so that nothing overlaps."""
    bottom = 0.08 + FOOT_LINE_IN * len(footer) + LEGEND_ROW_IN * legend_rows + TICKS_IN
    height = TOP_IN + PLOT_H_IN + bottom
    fig.set_size_inches(WIDTH_IN, height)
    ax.set_position([LEFT_IN / WIDTH_IN, bottom / height, 1 - (LEFT_IN + RIGHT_IN) / WIDTH_IN, PLOT_H_IN / height])
    fig._suptitle.set_y(1 - 0.06 / height)
    for i, line in enumerate(reversed(footer)):
        fig.text(0.01, (0.05 + i * FOOT_LINE_IN) / height, line, fontsize=6.5, color="#555555", ha="left",
                 va="bottom")


def _legend(fig: Figure, ax: Axes, ncols: int = 3, groups: list[list[tuple]] | None = None) -> float:
    """Legends below the plot, one per group of (handle, label) entries (default: the plot's own
    labelled lines), stacked, each in as many columns (at most ``ncols``) as fit the plot's width;
    a label too long for one column wraps at spaces, never cut, so that a long scenario title is
    read whole on paper. Returns the height they take, in legend rows."""
    if groups is None:
        groups = [list(zip(*ax.get_legend_handles_labels(), strict=True))]
    groups = [g for g in groups if g]
    if not groups:
        return 0
    renderer = fig.canvas.get_renderer()
    top = TICKS_IN * 0.75  # inches below the plot where the next legend starts
    for i, entries in enumerate(groups):
        legend = _fitted_legend(ax, entries, ncols, top, renderer)
        top += legend.get_window_extent(renderer).height / fig.dpi
        if i < len(groups) - 1:
            ax.add_artist(legend)  # the next ax.legend() would replace it otherwise
            top += LEGEND_GAP_IN
    return (top - TICKS_IN * 0.75) / LEGEND_ROW_IN


def _fitted_legend(ax: Axes, entries: list[tuple], ncols: int, top: float, renderer) -> Legend:
    """One legend ``top`` inches below the plot: the most columns (up to ``ncols``) whose measured
    width fits under the plot; in one column, the labels that are too long wrapped at the width
    that fits (measured, then narrowed a character at a time)."""
    handles, labels = zip(*entries, strict=True)
    room = LEGEND_W_IN * ax.figure.dpi
    wrap = max(len(lab) for lab in labels)
    for n in [*range(min(ncols, len(labels)), 1, -1), *[1] * 20]:
        text = [textwrap.fill(lab, wrap) for lab in labels] if n == 1 else list(labels)
        legend = ax.legend(handles, text, loc="upper left", bbox_to_anchor=(0.0, -top / PLOT_H_IN),
                           ncols=n, frameon=False, borderaxespad=0.0)
        width = legend.get_window_extent(renderer).width
        if width <= room or wrap <= 12:
            break
        if n == 1:
            wrap = max(12, min(wrap - 1, int(wrap * room / width)))
    return legend


def _footer_lines(results: Results, lang: str, key: str = "") -> list[str]:
    import textwrap

    source = t("source_line", lang, version=__version__, scenario=", ".join(results.names),
               replications=results.replications, seed=results.seed,
               created=day(dt.date.fromisoformat(results.created[:10]), lang))  # "5 dec 2026", not ISO
    lines = textwrap.wrap(key, 125) if key else []
    return lines + textwrap.wrap(source, 125)


def _markers(ax: Axes, results: Results, lang: str) -> str:
    """Dated interventions as numbered vertical lines; returns their key for the footer."""
    for i, (date, _) in enumerate(interventions(results, lang), start=1):
        x = mdates.date2num(date)
        ax.axvline(x, color="#777777", lw=0.8, ls="--", zorder=0)
        ax.annotate(str(i), (x, 1.0 - 0.06 * ((i - 1) % 2)), xycoords=("data", "axes fraction"),
                    xytext=(2, -2), textcoords="offset points", fontsize=7, color="#555555", va="top")
    return marker_key(results, lang)


def _band_lines(ax: Axes, results: Results, frame: pd.DataFrame, index: int, several: bool,
                scale: float = 1.0) -> None:
    """Mean line and 10-90% band per scenario. One scenario: colour by series ``index``; several:
    the scenario's own colour (:func:`~.chartspec.colour`), so that a scenario has one colour in
    every chart. Always a line style per series, so that series at the same value (pools at 100%)
    stay visible through each other's gaps."""
    for name, grp in frame.groupby("scenario", sort=False):
        tint = colour(results, name) if several else PALETTE[index % len(PALETTE)]
        ax.plot(grp.date, grp["mean"] * scale, STYLES[index % len(STYLES)], color=tint, lw=1.8)
        if (grp.high > grp.low).any():
            ax.fill_between(grp.date, grp.low * scale, grp.high * scale, color=tint, alpha=0.15, linewidth=0)


def _entries(results: Results, frame: pd.DataFrame, series: list[str], lang: str) -> list[list[tuple]]:
    """The legend of a chart over time, as on screen: with one scenario, its series (colour and
    line style); with several, the scenarios by title in their colours, then the series by line
    style (when there is more than one)."""
    def sample(tint: str, style: str = "-") -> Line2D:
        return Line2D([], [], color=tint, ls=style, lw=1.8)

    named = [(sample(PALETTE[i % len(PALETTE)], STYLES[i % len(STYLES)]), series_label(results, label, lang))
             for i, label in enumerate(series)]
    if frame.scenario.nunique() <= 1:
        return [named]
    scenarios = [(sample(colour(results, n)), scenario_title(results, n, lang))
                 for n in results.names if n in set(frame.scenario)]
    lines = [(sample("#444444", STYLES[i % len(STYLES)]), label) for i, (_, label) in enumerate(named)]
    return [scenarios, lines if len(lines) > 1 else []]


def spec_chart(results: Results, spec: ChartSpec, lang: str = "nl") -> Figure:
    """One chart of :data:`~.chartspec.CHARTS`: each series' mean and band per scenario over time."""
    fig, ax = _axes(spec.title_text(results, lang), t(spec.axis, lang), lang)
    frame = chart_frame(results, spec)
    series = list(dict.fromkeys(frame.series))
    several = frame.scenario.nunique() > 1
    for i, label in enumerate(series):
        _band_lines(ax, results, frame[frame.series == label], i, several,
                    scale=1.0 if spec.unit == "share" else shown(1.0, spec.unit))
    if spec.unit == "share":
        ax.yaxis.set_major_formatter(Ticks(lang, as_percent=True))
    else:
        ax.yaxis.set_major_formatter(Ticks(lang, 1 if spec.unit == "euro" else 0))
    ax.set_ylim(spec.bottom, spec.top)
    _finish(fig, ax, results, lang, _entries(results, frame, series, lang))
    return fig


def _finish(fig: Figure, ax: Axes, results: Results, lang: str, groups: list[list[tuple]] | None = None) -> None:
    key = _markers(ax, results, lang)
    rows = _legend(fig, ax, groups=groups)
    _layout(fig, ax, rows, _footer_lines(results, lang, key))


def backlog_chart(results: Results, lang: str = "nl") -> Figure:
    """Open asylum, nareis (and renewal) cases over time, mean and 80% band over replications."""
    return spec_chart(results, CHARTS["backlog"], lang)


def lead_time_chart(results: Results, lang: str = "nl") -> Figure:
    """Median weeks from lodging to first decision, for cases decided in each month."""
    return spec_chart(results, CHARTS["lead_time"], lang)


def within_term_chart(results: Results, lang: str = "nl") -> Figure:
    """Share of first decisions in each month taken within the legal term."""
    return spec_chart(results, CHARTS["within_term"], lang)


def utilisation_chart(results: Results, lang: str = "nl") -> Figure:
    """Hours used over hours available, per IND pool."""
    return spec_chart(results, CHARTS["utilisation"], lang)


def penalty_chart(results: Results, lang: str = "nl") -> Figure:
    """Court-imposed penalty payments per month, in millions of euro."""
    return spec_chart(results, CHARTS["penalties"], lang)


def run_charts(results: Results, lang: str = "nl") -> dict[str, Figure]:
    """The standard charts of a run, by file name."""
    return {name: spec_chart(results, spec, lang) for name, spec in CHARTS.items()}


def difference_chart(results: Results, base: str, metric: str = "backlog", category: str = "asylum",
                     lang: str = "nl") -> Figure:
    """Paired difference to ``base`` over time per scenario (mean and 10-90% band)."""
    from ..experiment import monthly_differences
    from .sentences import base_label

    title = capital(t("chart_difference", lang, base=base_label(results, base, lang),
                      what=f"{t(metric, lang)} {t(category, lang)}"))
    fig, ax = _axes(title, t("cases", lang), lang)
    diff = monthly_differences(results, base, metric, category=category)
    for name, grp in diff.groupby("scenario", sort=False):
        tint = colour(results, name)
        ax.plot(grp.date, grp["mean"], color=tint, lw=2, label=scenario_title(results, name, lang))
        ax.fill_between(grp.date, grp.low, grp.high, color=tint, alpha=0.18, linewidth=0)
    ax.axhline(0, color="#444444", lw=0.8)
    ax.yaxis.set_major_formatter(Ticks(lang))
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
    title_lines = textwrap.wrap(title, TITLE_CHARS)
    label_chars = int((WIDTH_IN / 2 - 0.15) / LABEL_CHAR_IN)  # a label wraps rather than pass half the width
    labels = [textwrap.fill(parameter_words(result.scenario, p, lang), label_chars) for p in result.parameters][::-1]
    rows = table.iloc[::-1]
    fig, ax = new_figure(WIDTH_IN, 3)
    fig.suptitle("\n".join(title_lines), x=0.01, ha="left", va="top", fontsize=11, fontweight="bold")
    y = range(len(rows))
    scale = shown(1.0, unit)
    ax.barh(y, rows.effect_low * scale, color=PALETTE[0], label=f"−{frac}")
    ax.barh(y, rows.effect_high * scale, color=PALETTE[1], label=f"+{frac}")
    for i, (low, high) in enumerate(zip(rows.effect_low, rows.effect_high, strict=True)):
        for value, side in ((low, "right"), (high, "left")):  # a side left out (see Sensitivity.skipped)
            if pd.isna(value):
                ax.text(0, i, f" {t('not_computed', lang)} " if side == "left" else f"{t('not_computed', lang)} ",
                        ha=side, va="center", fontsize=7, color="#555555", fontstyle="italic")
    ax.set_yticks(list(y), labels)
    ax.axvline(0, color="#444444", lw=0.8)
    ax.set_xlabel(t("difference_to_base", lang))
    ax.xaxis.set_major_formatter(Ticks(lang))
    ax.spines[["top", "right"]].set_visible(False)
    label_in = LABEL_CHAR_IN * max((len(line) for lab in labels for line in lab.splitlines()), default=10)
    plot_h = 0.24 * max(len(rows), 1) + 0.12 * sum(lab.count("\n") for lab in labels)
    legend = _legend(fig, ax, ncols=2)
    footer = [f"indsim {__version__}; {result.scenario.name}; {result.replications} "
              f"{t('replications_word', lang)}; seed {result.seed}"]
    bottom = 0.08 + FOOT_LINE_IN + LEGEND_ROW_IN * legend + TICKS_IN + 0.15
    top = TOP_IN + TITLE_LINE_IN * (len(title_lines) - 1)
    height = top + plot_h + bottom
    fig.set_size_inches(WIDTH_IN, height)
    left = min(label_in + 0.15, WIDTH_IN / 2)
    ax.set_position([left / WIDTH_IN, bottom / height, 1 - (left + RIGHT_IN) / WIDTH_IN, plot_h / height])
    ax.legend(loc="upper left", bbox_to_anchor=(0.0, -(TICKS_IN + 0.15) / plot_h), ncols=2, frameon=False)
    fig._suptitle.set_y(1 - 0.06 / height)
    fig.text(0.01, 0.05 / height, footer[0], fontsize=6.5, color="#555555", ha="left", va="bottom")
    return fig
