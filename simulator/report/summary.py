"""The short summary ``indsim run`` prints: main figures per year, mean and 95% interval."""

from __future__ import annotations

import pandas as pd
from rich.console import Console
from rich.table import Table

from ..experiment import Results
from .export import figures_table
from .i18n import number, percent, t

# (figure, category, how to show the value)
ROWS = [
    ("backlog_end", "asylum", "count"),
    ("backlog_end", "nareis", "count"),
    ("first_decisions", "asylum", "count"),
    ("lead_time_p50", "asylum", "weeks"),
    ("within_term_share", "asylum", "share"),
    ("past_term_end", "asylum", "count"),
    ("penalty_eur", "asylum", "euro_m"),
    ("penalty_eur", "nareis", "euro_m"),
    ("court_inflow", "asylum", "count"),
]


def _fmt(x: float, kind: str, lang: str) -> str:
    if kind == "weeks":
        return number(x / 7, lang)
    if kind == "share":
        return percent(x, lang)
    if kind == "euro_m":
        return number(x / 1e6, lang, 1)
    return number(x, lang)


def cell(row: pd.Series, kind: str, lang: str) -> str:
    """'47.162 (45.100–49.300)': mean with its 95% interval when there are replications."""
    text = _fmt(row["mean"], kind, lang)
    if row["n"] > 1 and pd.notna(row["low"]):
        text += f" ({_fmt(row['low'], kind, lang)}–{_fmt(row['high'], kind, lang)})"
    return text


def summary_table(results: Results, scenario: str, lang: str = "nl") -> Table:
    figs = figures_table(results)
    figs = figs[figs.scenario == scenario]
    years = sorted(figs.year.unique())
    unit = {"weeks": t("weeks", lang), "share": "%", "euro_m": "€ mln", "count": ""}
    n = results.replications
    title = (f"{results.scenarios[scenario].title.text(lang)} — "
             + (f"{n} replicaties, gemiddelde (95%-interval)" if lang == "nl"
                else f"{n} replications, mean (95% interval)"))
    table = Table(title=title, title_justify="left")
    table.add_column("", min_width=36)
    for y in years:
        table.add_column(str(y), justify="right")
    for figure, cat, kind in ROWS:
        rows = figs[(figs.figure == figure) & (figs.category == cat)].set_index("year")
        if rows.empty:
            continue
        label = f"{t(figure, lang)} {t(cat, lang)}" + (f" ({unit[kind]})" if unit[kind] else "")
        table.add_row(label, *[cell(rows.loc[y], kind, lang) if y in rows.index else "" for y in years])
    return table


def print_summary(results: Results, lang: str = "nl") -> None:
    console = Console(width=max(Console().width, 140))
    for name in results.names:
        console.print(summary_table(results, name, lang))
