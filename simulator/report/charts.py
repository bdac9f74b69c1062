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
from .i18n import month, number, percent, t

# Okabe-Ito palette: distinguishable with the common forms of colour blindness.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"]


def _series(results: Results, metric: str, **dims) -> pd.DataFrame:
    m = results.metrics
    sel = m.metric == metric
    for d in ("category", "stream", "stage", "pool", "outcome", "age_band"):
        sel &= m[d] == dims.get(d, "")
    return m[sel]


def _axes(title: str, ylabel: str, lang: str) -> tuple[Figure, plt.Axes]:
    fig, ax = plt.subplots(figsize=(8, 4.5), dpi=100, layout="constrained")
    ax.set_title(title, loc="left", fontsize=12, fontweight="bold")
    ax.set_ylabel(ylabel)
    ax.grid(axis="y", color="#dddddd", linewidth=0.8)
    ax.spines[["top", "right"]].set_visible(False)
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: month(mdates.num2date(x), lang)))
    return fig, ax


def _footer(fig: Figure, results: Results, lang: str) -> None:
    text = t("source_line", lang, version=__version__, scenario=", ".join(results.names),
             replications=results.replications, seed=results.seed, created=results.created[:10])
    fig.text(0.01, 0.005, text, fontsize=7, color="#555555", ha="left", va="bottom")


def _band_lines(ax: plt.Axes, frame: pd.DataFrame, label: str, colour: str, scale: float = 1.0,
                style: str = "-") -> None:
    for name, grp in bands(frame).groupby("scenario", sort=False):
        lab = label if len(frame.scenario.unique()) == 1 else f"{label} – {name}"
        ax.plot(grp.date, grp["mean"] * scale, style, color=colour, lw=2, label=lab)
        if (grp.high > grp.low).any():
            ax.fill_between(grp.date, grp.low * scale, grp.high * scale, color=colour, alpha=0.18,
                            linewidth=0)


def backlog_chart(results: Results, lang: str = "nl") -> Figure:
    """Open asylum and nareis cases over time, mean and 80% band over replications."""
    fig, ax = _axes(t("chart_backlog", lang), t("cases", lang), lang)
    for i, cat in enumerate(("asylum", "nareis")):
        frame = _series(results, "backlog", category=cat)
        if not frame.empty:
            _band_lines(ax, frame, t(cat, lang), PALETTE[i])
    ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _: number(x, lang)))
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, loc="upper right")
    _footer(fig, results, lang)
    return fig


def lead_time_chart(results: Results, lang: str = "nl") -> Figure:
    """Median weeks from lodging to first decision, for cases decided in each month."""
    fig, ax = _axes(t("chart_lead_time", lang), t("weeks", lang), lang)
    for i, cat in enumerate(("asylum", "nareis")):
        frame = _series(results, "lead_time_p50", category=cat)
        if not frame.empty:
            _band_lines(ax, frame, t(cat, lang), PALETTE[i], scale=1 / 7)
    ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _: number(x, lang)))
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, loc="upper right")
    _footer(fig, results, lang)
    return fig


def within_term_chart(results: Results, lang: str = "nl") -> Figure:
    """Share of first decisions in each month taken within the legal term."""
    fig, ax = _axes(t("chart_within_term", lang), t("share", lang), lang)
    for i, cat in enumerate(("asylum", "nareis")):
        frame = _series(results, "within_term_share", category=cat)
        if not frame.empty:
            _band_lines(ax, frame, t(cat, lang), PALETTE[i])
    ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _: percent(x, lang)))
    ax.set_ylim(0, 1)
    ax.legend(frameon=False, loc="upper right")
    _footer(fig, results, lang)
    return fig


def utilisation_chart(results: Results, lang: str = "nl") -> Figure:
    """Hours used over hours available per pool."""
    fig, ax = _axes(t("chart_utilisation", lang), t("utilisation", lang), lang)
    pools = sorted(p for p in results.metrics.pool.unique() if p)
    for i, pool in enumerate(pools):
        frame = _series(results, "utilisation", pool=pool)
        if not frame.empty:
            _band_lines(ax, frame, pool, PALETTE[i % len(PALETTE)])
    ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _: percent(x, lang)))
    ax.set_ylim(0, 1.05)
    ax.legend(frameon=False, loc="lower left", ncols=3, fontsize=8)
    _footer(fig, results, lang)
    return fig


def penalty_chart(results: Results, lang: str = "nl") -> Figure:
    """Court-imposed penalty payments per month, in euro."""
    fig, ax = _axes(t("chart_penalties", lang), t("euro_month", lang), lang)
    for i, cat in enumerate(("asylum", "nareis")):
        frame = _series(results, "penalty_eur", category=cat)
        if not frame.empty:
            _band_lines(ax, frame, t(cat, lang), PALETTE[i])
    ax.yaxis.set_major_formatter(FuncFormatter(lambda x, _: "€ " + number(x, lang)))
    ax.set_ylim(bottom=0)
    ax.legend(frameon=False, loc="upper right")
    _footer(fig, results, lang)
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
