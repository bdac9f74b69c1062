"""What the command line prints: the main figures per year, the comparison, the sensitivity.

A table never drops a column: when the years do not fit the terminal, the table is printed in
several blocks of years, each with the row labels, and a last line says where the full table
(every figure and year, with units) was written.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from rich.console import Console
from rich.table import Table

from ..experiment import Comparison, Results
from ..experiment.binding import binding_pools
from ..experiment.sensitivity import Sensitivity
from ..model import FIGURES
from . import i18n
from .caveats import for_year, over_years
from .chartspec import scenario_title
from .explain import latest_explanation
from .i18n import capital, figure_in_year, figure_label, t
from .parameters import parameter_words
from .units import change, header, percent, show, with_unit

# (figure, category) shown in the console summary, in this order
ROWS = [
    ("backlog_end", "asylum"), ("backlog_end", "nareis"), ("backlog_end", "other"), ("first_decisions", "asylum"),
    ("lead_time_p50", "asylum"), ("within_term_share", "asylum"), ("past_term_end", "asylum"),
    ("penalty_eur", "asylum"), ("penalty_eur", "nareis"), ("court_inflow", "asylum"),
]
COMPARE_ROWS = [
    ("backlog_end", "asylum"), ("backlog_end", "nareis"), ("backlog_end", "other"), ("lead_time_p50", "asylum"),
    ("within_term_share", "asylum"), ("penalty_eur", "asylum"), ("penalty_eur", "nareis"), ("court_inflow", "asylum"),
]
_PAD = 3  # rich's cell padding and border per column


def row_label(figure: str, category: str, lang: str) -> str:
    """'doorlooptijd (mediaan) asiel (weken)': the figure, its category and the unit shown."""
    unit = header(FIGURES[figure][0], lang)
    words = figure_label(figure, category, lang)
    return f"{words} ({unit})" if unit and FIGURES[figure][0] not in ("cases",) else words


def cell(row: pd.Series, unit: str, lang: str) -> str:
    """'47.162 (45.100–49.300)': mean with its 95% interval when there are replications."""
    text = show(row["mean"], unit, lang)
    if row["n"] > 1 and pd.notna(row["low"]):
        text += f" ({show(row['low'], unit, lang)}–{show(row['high'], unit, lang)})"
    return text


def _width(console: Console | None) -> int:
    """The terminal's width; in a pipe or file 140 (wide enough for a log, and tables still wrap)."""
    console = console or Console()
    return console.width if console.is_terminal else max(console.width, 140)


def blocks(label_width: int, cell_widths: list[int], width: int) -> list[slice]:
    """Consecutive groups of columns that fit ``width`` next to the label column."""
    out, first, used = [], 0, label_width + _PAD
    for i, w in enumerate(cell_widths):
        if used + w + _PAD > width and i > first:
            out.append(slice(first, i))
            first, used = i, label_width + _PAD
        used += w + _PAD
    out.append(slice(first, len(cell_widths)))
    return out


def _tables(title: str, labels: list[str], columns: list[str], cells: list[list[str]], width: int) -> list[Table]:
    """One table, or several blocks of columns when it is wider than ``width``."""
    label_width = max(len(x) for x in labels) if labels else 10
    widths = [max([len(col), *(len(r[j]) for r in cells)]) for j, col in enumerate(columns)]
    parts = blocks(label_width, widths, width)
    out = []
    for k, part in enumerate(parts):
        suffix = f" ({k + 1}/{len(parts)})" if len(parts) > 1 else ""
        table = Table(title=title + suffix, title_justify="left")
        table.add_column("", min_width=label_width, no_wrap=True)
        for col, w in zip(columns[part], widths[part], strict=True):
            table.add_column(col, justify="right", min_width=w, no_wrap=True)
        for label, row in zip(labels, cells, strict=True):
            table.add_row(label, *row[part])
        out.append(table)
    return out


def binding_cell(bound: pd.DataFrame, results: Results, scenario: str, year: int, lang: str) -> str:
    """'beslismedewerkers IND (99%)': the pool that binds in ``year`` with its utilisation, or
    '–' when no pool works flat out (:mod:`simulator.experiment.binding`)."""
    row = bound[(bound.scenario == scenario) & (bound.year == year)]
    if row.empty or not bool(row.saturated.iloc[0]):
        return "–"
    r = row.iloc[0]
    return f"{i18n.name([results.scenarios[scenario]], 'pools', r.pool, lang)} ({percent(r.utilisation, lang)})"


def summary_tables(results: Results, scenario: str, lang: str = "nl", width: int = 140) -> list[Table]:
    """The main figures per year of one scenario, in blocks of years that fit ``width``."""
    from .export import figures_table

    figs = figures_table(results, people=False)
    figs = figs[figs.scenario == scenario]
    years = sorted(int(y) for y in figs.year.unique())
    labels, cells = [], []
    for figure, cat in ROWS:
        rows = figs[(figs.figure == figure) & (figs.category == cat)].set_index("year")
        if rows.empty or (cat == "other" and not rows["mean"].abs().gt(0.5).any()):
            continue
        labels.append(capital(row_label(figure, cat, lang)))
        cells.append([cell(rows.loc[y], FIGURES[figure][0], lang) if y in rows.index else "" for y in years])
    bound = binding_pools(results.yearly)
    if not bound.empty:
        labels.append(capital(t("binding", lang)))
        cells.append([binding_cell(bound, results, scenario, y, lang) for y in years])
    title = t("summary_title", lang, title=results.scenarios[scenario].title.text(lang), n=results.replications)
    return _tables(title, labels, [str(y) for y in years], cells, width)


def uncertainty_table(results: Results) -> pd.DataFrame:
    """With a drawn inflow level: both kinds of uncertainty for the asylum backlog at the end of
    every year (interval of the mean, range of single futures, share due to the inflow level)."""
    from ..experiment import uncertainty_split

    years = sorted(int(y) for y in results.yearly.year.unique())
    return pd.concat([uncertainty_split(results.yearly, results.levels, "backlog_end", "asylum", y).assign(year=y)
                      for y in years], ignore_index=True)


def uncertainty_sentences(results: Results, lang: str = "nl") -> list[str]:
    table = uncertainty_table(results)
    last = table[table.year == table.year.max()]
    return [t("uncertainty", lang, scenario=r.scenario, year=r.year, mean=show(r.mean, "cases", lang),
              low=show(r.low, "cases", lang), high=show(r.high, "cases", lang), p10=show(r.p10, "cases", lang),
              p90=show(r.p90, "cases", lang), share=percent(r.inflow_share, lang)) for r in last.itertuples()]


def print_summary(results: Results, lang: str = "nl", out: Path | None = None, console: Console | None = None) -> None:
    """Every scenario's main figures (never cut: wrapped in blocks of years), and where the full table is."""
    console = console or Console(width=_width(None))
    for name in results.names:
        for table in summary_tables(results, name, lang, console.width):
            console.print(table)
        caveat = over_years(results, name, lang)
        if caveat:
            console.print(caveat, highlight=False)
    if results.inflow_band and results.replications > 2:
        for line in uncertainty_sentences(results, lang):
            console.print(line)
    if out is not None:
        console.print(t("full_table", lang, path=Path(out) / "figures.csv"))


def difference_frame(comparison: Comparison, lang: str = "nl", year: int | None = None,
                     results: Results | None = None) -> pd.DataFrame:
    """The comparison as text, one row per main figure and a column per scenario: the base's
    value, and for the others 'value (difference; interval)' in ``year`` (default: the last).
    Shares differ in percentage points. With ``results``, a last row names the pool that binds."""
    table = comparison.table
    year = int(table.year.max()) if year is None else year
    names = list(dict.fromkeys(table.scenario))
    out = []
    for figure, cat in COMPARE_ROWS:
        rows = table[(table.figure == figure) & (table.category == cat) & (table.year == year)]
        unit = FIGURES[figure][0]
        if rows.empty or not rows.base.notna().any() or all(
                show(x, unit, lang).lstrip("−+") in ("0", "0,0", "0.0", "0%") for x in [*rows.base, *rows.value]):
            continue  # nothing to see at the shown precision (no "0,0 0,0 +0,0 (+0,0 tot +0,0)")
        row = {"": capital(row_label(figure, cat, lang)), comparison.base: show(rows.base.iloc[0], unit, lang)}
        for name in names:
            r = rows[rows.scenario == name].iloc[0]
            row[name] = show(r.value, unit, lang)
            row[f"{name}: {t('change', lang)}"] = change(r.difference, unit, lang, r.low, r.high, word=unit == "share")
        out.append(row)
    bound = binding_pools(results.yearly) if results is not None else pd.DataFrame()
    if not bound.empty:
        row = {"": capital(t("binding", lang)),
               comparison.base: binding_cell(bound, results, comparison.base, year, lang)}
        for other in names:
            row[other] = binding_cell(bound, results, other, year, lang)
            row[f"{other}: {t('change', lang)}"] = ""
        out.append(row)
    return pd.DataFrame(out)


def print_comparison(results: Results, comparison: Comparison, lang: str = "nl", year: int | None = None,
                     console: Console | None = None) -> None:
    """Per scenario: the main figures in ``year`` (default: the last) and their difference to the base."""
    from .sentences import base_label

    console = console or Console(width=_width(None))
    last = int(comparison.table.year.max()) if year is None else year
    head = t("compare_title", lang, base=base_label(results, comparison.base, lang), year=last,
             n=results.replications)
    frame = difference_frame(comparison, lang, last, results)
    columns = list(frame.columns[1:])
    for table in _tables(head, list(frame.iloc[:, 0]), columns, frame.iloc[:, 1:].values.tolist(), console.width):
        console.print(table)
    names = [comparison.base, *dict.fromkeys(comparison.table.scenario)]  # the columns by file, the sentences by title
    titles = {n: scenario_title(results, n, lang) for n in names}
    if any(titles[n] != n for n in names):
        console.print(t("columns_are", lang, items="; ".join(f"{n} = {titles[n]}" for n in names)), highlight=False)
    for other in dict.fromkeys(comparison.table.scenario):  # why a figure moves against intuition, if it does
        text = latest_explanation(results, other, comparison.base, last, lang)
        if text:
            console.print(f"{scenario_title(results, other, lang)}: {text}", highlight=False)
    for caveat in for_year(results, [comparison.base, *dict.fromkeys(comparison.table.scenario)], last, lang):
        console.print(caveat, highlight=False)


def print_sensitivity(result: Sensitivity, lang: str = "nl", console: Console | None = None) -> None:
    console = console or Console(width=_width(None))
    frac = percent(result.fraction, lang)
    unit = FIGURES[result.figure.figure][0]
    f = result.figure
    base = with_unit(result.table.base.iloc[0], unit, lang) if len(result.table) else "–"
    title = t("sensitivity_title", lang, figure=figure_in_year(f.figure, f.category, f.year, lang), fraction=frac,
              n=result.replications, base=base)
    labels = [parameter_words(result.scenario, p, lang) for p in result.parameters]

    def effect(value: float, ci: float) -> str:
        return "–" if pd.isna(value) else f"{change(value, unit, lang, word=False)} (±{show(ci, unit, lang)})"

    cells = [[effect(r.effect_low, r.effect_low_ci), effect(r.effect_high, r.effect_high_ci), show(r.swing, unit, lang)]
             for r in result.table.itertuples()]
    for table in _tables(title, labels, [f"−{frac}", f"+{frac}", t("swing", lang)], cells, console.width):
        console.print(table)
    words = {p.name: label for p, label in zip(result.parameters, labels, strict=True)}
    for name, side, reason in result.skipped:
        console.print(t("sensitivity_skipped", lang, parameter=words.get(name, name),
                        side=f"{'−' if side == 'low' else '+'}{frac}", reason=reason), highlight=False)


def precision_sentence(p, lang: str = "nl") -> str:
    """How many replications ``indsim run --precision`` took and the half-width reached."""
    f = p.figure
    unit = FIGURES[f.figure][0]

    def amount(x: float) -> str:
        return (percent(x, lang, 1) + t("of_the_mean", lang).removeprefix("%")) if p.relative else show(x, unit, lang)

    return t("precision_note", lang, n=p.replications, figure=figure_in_year(f.figure, f.category, f.year, lang),
             achieved=amount(p.achieved), asked=amount(p.target),
             state=t("precision_met" if p.met else "precision_capped", lang))
