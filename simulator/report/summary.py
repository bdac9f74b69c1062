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
    out = []
    for r in last.itertuples():
        out.append(
            f"{r.scenario}, werkvoorraad asiel eind {r.year}: gemiddeld {number(r.mean, lang)} (95%-interval van het "
            f"gemiddelde {number(r.low, lang)}–{number(r.high, lang)}); 80% van de replicaties tussen "
            f"{number(r.p10, lang)} en {number(r.p90, lang)}; {percent(r.inflow_share, lang)} van die spreiding komt "
            "van het getrokken instroomniveau, de rest van toeval binnen een run." if lang == "nl" else
            f"{r.scenario}, asylum backlog end {r.year}: mean {number(r.mean, lang)} (95% interval of the mean "
            f"{number(r.low, lang)}–{number(r.high, lang)}); 80% of replications between {number(r.p10, lang)} and "
            f"{number(r.p90, lang)}; {percent(r.inflow_share, lang)} of that spread comes from the drawn inflow "
            "level, the rest from randomness within a run.")
    return out


def print_summary(results: Results, lang: str = "nl") -> None:
    console = Console(width=max(Console().width, 140))
    for name in results.names:
        console.print(summary_table(results, name, lang))
    if results.inflow_band and results.replications > 2:
        for line in uncertainty_sentences(results, lang):
            console.print(line)


COMPARE_ROWS = [
    ("backlog_end", "asylum", "count"), ("backlog_end", "nareis", "count"),
    ("lead_time_p50", "asylum", "weeks"), ("within_term_share", "asylum", "share"),
    ("penalty_eur", "asylum", "euro_m"), ("penalty_eur", "nareis", "euro_m"), ("court_inflow", "asylum", "count"),
    ("backlog_end", "other", "count"),
]


def difference_frame(table: pd.DataFrame, lang: str = "nl", year: int | None = None) -> pd.DataFrame:
    """The comparison as text, one row per main figure and a column per scenario: the base's
    value, and for the others 'value (+difference; low to high)' in ``year`` (default: the last)."""
    year = int(table.year.max()) if year is None else year
    base = table.attrs.get("base") or "base"
    names = list(dict.fromkeys(table.scenario))
    word = "tot" if lang == "nl" else "to"
    out = []
    for figure, cat, kind in COMPARE_ROWS:
        rows = table[(table.figure == figure) & (table.category == cat) & (table.year == year)]
        if rows.empty or not rows.base.notna().any() or (rows.base.abs().sum() == 0 and rows.value.abs().sum() == 0):
            continue
        unit = {"weeks": f" ({t('weeks', lang)})", "share": " (%)", "euro_m": " (€ mln)", "count": ""}[kind]
        row = {"": f"{t(figure, lang)} {t(cat, lang)}{unit}", base: _fmt(rows.base.iloc[0], kind, lang)}
        for name in names:
            r = rows[rows.scenario == name].iloc[0]
            sign = "+" if r.difference >= 0 else ""
            row[name] = (f"{_fmt(r.value, kind, lang)}  ({sign}{_fmt(r.difference, kind, lang)}; "
                         f"{_fmt(r.low, kind, lang)} {word} {_fmt(r.high, kind, lang)})")
        out.append(row)
    return pd.DataFrame(out)


def print_comparison(results: Results, table: pd.DataFrame, lang: str = "nl", year: int | None = None) -> None:
    """Per scenario: the main figures in ``year`` (default: the last) and their difference to the base."""
    console = Console(width=max(Console().width, 140))
    last = int(table.year.max()) if year is None else year
    base = results.names[0]
    head = (f"Verschil met {base} in {last} (gemiddelde, 95%-interval, {results.replications} replicaties)"
            if lang == "nl" else
            f"Difference to {base} in {last} (mean, 95% interval, {results.replications} replications)")
    frame = difference_frame(table, lang, last)
    out = Table(title=head, title_justify="left")
    for i, col in enumerate(frame.columns):
        out.add_column(col, justify="left" if i == 0 else "right", min_width=36 if i == 0 else None)
    for row in frame.itertuples(index=False):
        out.add_row(*row)
    console.print(out)


def print_sensitivity(table: pd.DataFrame, lang: str = "nl") -> None:
    console = Console(width=max(Console().width, 120))
    a = table.attrs
    title = (f"Gevoeligheid van {a['figure']} (±{a['fraction']:.0%}, {a['replications']} replicaties)"
             if lang == "nl" else
             f"Sensitivity of {a['figure']} (±{a['fraction']:.0%}, {a['replications']} replications)")
    out = Table(title=title, title_justify="left")
    for col in ("parameter", "-" + f"{a['fraction']:.0%}", "+" + f"{a['fraction']:.0%}", "swing"):
        out.add_column(col, justify="left" if col == "parameter" else "right")
    for _, r in table.iterrows():
        out.add_row(r.parameter, f"{number(r.effect_low, lang)} (±{number(r.effect_low_ci, lang)})",
                    f"{number(r.effect_high, lang)} (±{number(r.effect_high_ci, lang)})", number(r.swing, lang))
    console.print(out)


def requirement_sentences(table: pd.DataFrame, without, lang: str = "nl") -> list[str]:
    """Plain sentences for management, one per lever."""
    a = table.attrs
    p = f"{a['probability']:.0%}"
    lines = []
    if lang == "nl":
        lines.append(f"Doel: {a['target']} (in {p} van de replicaties). Zonder extra capaciteit gehaald in "
                     f"{without.probability:.0%} van de replicaties; waarde gemiddeld {number(without.mean, lang)}.")
    else:
        lines.append(f"Target: {a['target']} (in {p} of replications). Without extra capacity met in "
                     f"{without.probability:.0%} of replications; value on average {number(without.mean, lang)}.")
    for _, r in table.iterrows():
        hiring = ""
        if r.training_months:
            hiring = (f" (via werving: {number(r.training_months, lang)} maanden opleiding"
                      + (f", instroom max. {number(r.intake_cap, lang)} per jaar" if r.intake_cap else "") + ")"
                      if lang == "nl" else
                      f" (through hiring: {number(r.training_months, lang)} months of training"
                      + (f", intake at most {number(r.intake_cap, lang)} a year" if r.intake_cap else "") + ")")
        if not r.reachable:
            lines.append(f"- {r.lever}: niet haalbaar met deze capaciteit alleen{hiring}." if lang == "nl" else
                         f"- {r.lever}: not reachable with this capacity alone{hiring}.")
        elif r.extra_fte == 0:
            lines.append(f"- {r.lever}: geen extra capaciteit nodig." if lang == "nl" else
                         f"- {r.lever}: no extra capacity needed.")
        else:
            lines.append(
                f"- {r.lever}: +{number(r.extra_fte, lang)} fte vanaf {r.start} (nu {number(r.current_fte, lang)})"
                f"{hiring}; dan gehaald in {r.probability:.0%}." if lang == "nl" else
                f"- {r.lever}: +{number(r.extra_fte, lang)} FTE from {r.start} (now {number(r.current_fte, lang)})"
                f"{hiring}; then met in {r.probability:.0%}.")
    return lines


def print_requirements(table: pd.DataFrame, without, lang: str = "nl") -> None:
    for line in requirement_sentences(table, without, lang):
        Console(width=140).print(line)
