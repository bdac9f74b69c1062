"""Plain-language sentences generated from results, for managers to repeat ("the asylum backlog
peaks in March 2028, 18% (12-24%) below the baseline"). Used by the dashboard and the brief."""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..experiment import Results, interval
from .i18n import month, number, t


def _monthly(results: Results, metric: str, category: str) -> pd.DataFrame:
    m = results.metrics
    sel = m[(m.metric == metric) & (m.category == category) & (m.stream == "") & (m.stage == "")
            & (m.pool == "") & (m.outcome == "") & (m.age_band == "")]
    return sel.pivot_table(index="date", columns=["scenario", "replication"], values="value")


def base_label(results: Results, base: str, lang: str) -> str:
    """How a sentence names the base: 'het basisscenario' / 'the baseline', else its name."""
    if base == "baseline":
        return "het basisscenario" if lang == "nl" else "the baseline"
    return f"'{base}'"


def _range(lo: float, hi: float, fmt, lang: str, unit: str = "") -> str:
    """' (12–24%)' when the interval lies on one side of zero, ' (-3 to 5%)' when it spans it."""
    if np.isnan(lo):
        return ""
    if lo * hi > 0:
        a, b = sorted((abs(lo), abs(hi)))
        return f" ({fmt(a)}–{fmt(b)}{unit})"
    return f" ({fmt(lo)} {'tot' if lang == 'nl' else 'to'} {fmt(hi)}{unit})"


def peak_sentence(results: Results, scenario: str, base: str | None = None, category: str = "asylum",
                  lang: str = "nl") -> str:
    """When the backlog peaks, how high, and (with a base) how far from the base at that month,
    as a percentage with its 95% interval over paired replications."""
    wide = _monthly(results, "backlog", category)
    if scenario not in wide.columns.get_level_values(0):
        return ""
    mean = wide[scenario].mean(axis=1)
    when = mean.idxmax()
    what = t(f"backlog_{category}", lang)
    head = (f"De {what} piekt in {month(when, lang)} op {number(mean[when], lang)} zaken" if lang == "nl" else
            f"The {what} peaks in {month(when, lang)} at {number(mean[when], lang)} cases")
    if not base or base == scenario or base not in wide.columns.get_level_values(0):
        return head + "."
    s, b = wide.loc[when, scenario].to_numpy(), wide.loc[when, base].to_numpy()
    rel = (s - b) / np.where(b > 0, b, np.nan)
    m, lo, hi = interval(rel)
    side = ("boven" if m >= 0 else "onder") if lang == "nl" else ("above" if m >= 0 else "below")
    pct = (lambda x: number(100 * x, lang))  # noqa: E731
    return f"{head}, {pct(abs(m))}%{_range(lo, hi, pct, lang, '%')} {side} {base_label(results, base, lang)}."


KINDS = {
    "weeks": (lambda x, lang: number(x / 7, lang), {"nl": " weken", "en": " weeks"}),
    "share": (lambda x, lang: number(100 * x, lang), {"nl": "%", "en": "%"}),
    "euro_m": (lambda x, lang: number(x / 1e6, lang, 1), {"nl": " mln euro", "en": " million euro"}),
    "count": (lambda x, lang: number(x, lang), {"nl": "", "en": ""}),
}


def figure_difference(results: Results, scenario: str, base: str, figure: str, category: str | tuple[str, ...],
                      year: int) -> tuple[float, float, float, float]:
    """(value, difference, low, high): a main figure of ``scenario`` in ``year`` (summed over
    several categories if given) and its paired difference to ``base`` with the 95% interval."""
    y = results.yearly
    cats = (category,) if isinstance(category, str) else category
    sel = y[(y.figure == figure) & y.category.isin(cats) & (y.year == year)]
    wide = sel.pivot_table(index="replication", columns="scenario", values="value", aggfunc="sum")
    if scenario not in wide:
        return (np.nan,) * 4
    value = float(wide[scenario].mean())
    if base not in wide or base == scenario:
        return value, np.nan, np.nan, np.nan
    return (value, *interval((wide[scenario] - wide[base]).to_numpy()))


def difference_sentence(results: Results, scenario: str, base: str, figure: str, category: str, year: int,
                        lang: str = "nl", kind: str = "count") -> str:
    """'Asylum, lead time (median) in 2028: 97 weeks, 14 (13–15) weeks more than the baseline.'"""
    value, diff, lo, hi = figure_difference(results, scenario, base, figure, category, year)
    if np.isnan(value):
        return ""
    fmt, unit = KINDS[kind]
    f = (lambda x: fmt(x, lang))  # noqa: E731
    u = " procentpunt" if kind == "share" and lang == "nl" else (
        " percentage points" if kind == "share" else unit[lang])
    text = f"{t(category, lang).capitalize()}, {t(figure, lang)} in {year}: {f(value)}{unit[lang]}"
    if np.isnan(diff):
        return text + "."
    word = ("meer" if diff >= 0 else "minder") if lang == "nl" else ("more" if diff >= 0 else "less")
    than = "dan" if lang == "nl" else "than"
    return f"{text}, {f(abs(diff))}{_range(lo, hi, f, lang)}{u} {word} {than} {base_label(results, base, lang)}."
