"""Plain-language sentences generated from results, for managers to repeat.

They say the main thing first: the largest change against the base with its year and 95%
interval ("the asylum backlog at the end of 2030 is 17,144 cases lower than in the baseline"),
then every backlog that moves (also the 'other' category, with a word on what it is), then the
other main figures that move. A change whose interval spans zero is not a change and gets no
sentence; a peak is never dated before the scenario starts. A lead time or within-term share is
not taken from a year in which either scenario's asylum backlog has drained (see :mod:`caveats`):
there it follows from the staff assumption. Used by the dashboard and the brief.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..experiment import Results, interval, paired
from ..model import FIGURES
from .caveats import TIMING, drained_in, over_years
from .chartspec import scenario_title
from .i18n import capital, figure_label, has, joined, month, t
from .units import difference_word, number, percent, show, significant, unit, with_unit

# The main figures a sentence may speak of, in the order they are told: (figure, categories summed).
MAIN: list[tuple[str, tuple[str, ...]]] = [
    ("backlog_end", ("asylum",)),
    ("backlog_end", ("nareis",)),
    ("backlog_end", ("other",)),
    ("lead_time_p50", ("asylum",)),
    ("within_term_share", ("asylum",)),
    ("penalty_eur", ("asylum", "nareis")),
    ("court_inflow", ("asylum", "nareis", "other")),  # all appeals: a law's renewal appeals are 'other'
    ("reception_end", ("asylum",)),
]
# Headline candidates: the work and its timeliness, relative to a real base value. Not the 'other'
# backlog (absent in the baseline of a law that creates it), and not penalties: a small euro base
# (EUR 1.3 m) falling to nothing is a large relative change that no reader takes as the main effect.
_HEADLINE = [m for m in MAIN if m[1] != ("other",) and m[0] != "penalty_eur"]


@dataclass(frozen=True)
class Change:
    """One main figure of a scenario in one year against the base: paired difference and interval."""

    figure: str
    categories: tuple[str, ...]
    year: int
    value: float
    base_value: float
    diff: float
    low: float
    high: float

    @property
    def unit(self) -> str:
        return FIGURES[self.figure][0]

    @property
    def moves(self) -> bool:
        return significant(self.low, self.high)

    @property
    def relative(self) -> float:
        return abs(self.diff) / abs(self.base_value) if self.base_value else math.inf


def base_label(results: Results, base: str, lang: str) -> str:
    """How a sentence names the base: 'het basisscenario' / 'the baseline', else its title."""
    if base == "baseline":
        return t("the_baseline", lang)
    return t("base_named", lang, name=scenario_title(results, base, lang))


def _what(figure: str, categories: tuple[str, ...], lang: str) -> str:
    """The noun phrase a sentence uses: 'de werkvoorraad asiel', 'het bedrag aan dwangsommen'."""
    key = f"np_{figure}" if len(categories) > 1 else f"np_{figure}_{categories[0]}"
    return t(key, lang) if has(key) else figure_label(figure, categories[0], lang)


def _when(figure: str, year: int, lang: str) -> str:
    return t("when_end" if figure.endswith("_end") else "when_in", lang, year=year)


def _direction(unit: str, up: bool, lang: str) -> str:
    kind = {"days": ("longer", "shorter"), "share": ("higher", "lower"), "euro": ("higher", "lower")}.get(
        unit, ("more", "fewer"))
    return t(f"dir_{kind[0 if up else 1]}", lang)


def figure_difference(results: Results, scenario: str, base: str, figure: str, category: str | tuple[str, ...],
                      year: int) -> tuple[float, float, float, float]:
    """(value, difference, low, high): a main figure of ``scenario`` in ``year`` (summed over
    several categories if given) and its paired difference to ``base`` with the 95% interval."""
    y = results.yearly
    cats = (category,) if isinstance(category, str) else category
    sel = y[(y.figure == figure) & y.category.isin(cats) & (y.year == year)]
    return _paired(sel.pivot_table(index="replication", columns="scenario", values="value", aggfunc="sum"),
                   scenario, base, FIGURES[figure][0])


def figure_differences(results: Results, scenario: str, base: str, figure: str,
                       category: str | tuple[str, ...]) -> dict[int, tuple[float, float, float, float]]:
    """:func:`figure_difference` for every year at once, the same numbers from one table instead
    of one a year (a year's slice holds the scenarios and replications its own table would)."""
    y = results.yearly
    cats = (category,) if isinstance(category, str) else category
    sel = y[(y.figure == figure) & y.category.isin(cats)]
    wide = sel.pivot_table(index=["year", "replication"], columns="scenario", values="value", aggfunc="sum")
    return {int(year): _paired(wide.loc[year].dropna(axis=1, how="all"), scenario, base, FIGURES[figure][0])
            for year in wide.index.get_level_values("year").unique()}


def _paired(wide: pd.DataFrame, scenario: str, base: str, unit: str) -> tuple[float, float, float, float]:
    """(value, difference, low, high) from a figure's replications (rows) by scenario (columns)."""
    if scenario not in wide:
        return (np.nan,) * 4
    value = float(wide[scenario].mean())
    if base not in wide or base == scenario:
        return value, np.nan, np.nan, np.nan
    return (value, *paired(wide[scenario].to_numpy(), wide[base].to_numpy(), unit))


def changes(results: Results, scenario: str, base: str) -> list[Change]:
    """Every main figure in every year against the base."""
    years = sorted(int(y) for y in results.yearly.year.unique())
    out = []
    for figure, cats in MAIN:
        by_year = figure_differences(results, scenario, base, figure, cats)
        for year in years:
            value, diff, lo, hi = by_year.get(year, (np.nan,) * 4)
            if np.isnan(value) or np.isnan(diff):
                continue
            out.append(Change(figure, cats, year, value, value - diff, diff, lo, hi))
    return out


def _largest(items: list[Change]) -> Change | None:
    """The year in which a figure moves most (absolute change among significant ones)."""
    moving = [c for c in items if c.moves]
    return max(moving, key=lambda c: (abs(c.diff), c.year)) if moving else None


REVERSAL = 0.5  # an opposite move at least this share of the largest is told beside it


def _reversal(items: list[Change], largest: Change) -> Change | None:
    """The largest move of the other sign, when it is beyond chance and at least :data:`REVERSAL`
    of ``largest``: a law's gain that turns into a cost later (the emergency law's 'other'
    backlog: 7,003 fewer at the end of 2029, 6,077 more at the end of 2031) is one story, and the
    year of the largest move alone told half of it."""
    opposite = [c for c in items if c.moves and c.diff * largest.diff < 0]
    found = max(opposite, key=lambda c: (abs(c.diff), c.year)) if opposite else None
    return found if found is not None and abs(found.diff) >= REVERSAL * abs(largest.diff) else None


def told(results: Results, items: list[Change], c: Change, base: str, lang: str = "nl",
         headline: bool = False) -> str:
    """The sentence on a figure's largest move ``c`` (of ``items``, its moves in every year), and
    on the largest opposite move when there is one (:func:`_reversal`)."""
    text = change_sentence(results, c, base, lang, headline, explained=False)
    other = _reversal(items, c)
    if other is not None:
        then = change_sentence(results, other, base, lang, explained=False)
        text = f"{text} {t('s_but', lang)} {then[:1].lower()}{then[1:]}"
    return text + (" " + other_explained(results, lang) if c.categories == ("other",) else "")


def change_sentence(results: Results, c: Change, base: str, lang: str = "nl", headline: bool = False,
                    explained: bool = True) -> str:
    """One sentence about a figure that moves, or that appears where the base has none:
    'De werkvoorraad asiel is eind 2030 16.604 zaken: 17.144 minder dan in het basisscenario
    (95%-interval: 16.415 tot 17.873 minder).'"""
    what = _what(c.figure, c.categories, lang)
    common = {"What": capital(what), "when": _when(c.figure, c.year, lang),
              "value": with_unit(c.value, c.unit, lang), "base": base_label(results, base, lang)}
    if abs(c.base_value) < 0.5 and c.unit != "share":  # absent in the base: say so, not "+inf %"
        text = t("s_new", lang, base_value=with_unit(c.base_value, c.unit, lang), **common)
    else:
        direction = _direction(c.unit, c.diff > 0, lang)
        lo, hi = sorted((abs(c.low), abs(c.high)))
        if c.unit == "share":
            shown = number(abs(c.diff) * 100, lang)
            amount = f"{shown} {difference_word('share', lang, shown)}"
        else:
            amount = with_unit(abs(c.diff), c.unit, lang)
            if c.unit not in ("days", "euro"):  # '17.144 minder', but '38 weken korter'
                amount = amount.removesuffix(f" {unit(c.unit).word(lang)}")
        bounds = f"{show(lo, c.unit, lang)} {t('to', lang)} {show(hi, c.unit, lang)}".replace("%", "")
        text = t("s_change", lang, amount=amount, direction=direction, bounds=bounds, **common)
    if headline:
        text = t("s_headline", lang, text=text[:1].lower() + text[1:])
    if c.categories == ("other",) and explained:
        text += " " + other_explained(results, lang)
    return text


def other_explained(results: Results, lang: str = "nl") -> str:
    """What the 'other' category holds in these scenarios, by the labels of its streams."""
    labels = list(dict.fromkeys(st.label.text(lang) for s in results.scenarios.values()
                                for st in s.streams.values() if st.category == "other"))
    return t("other_explained", lang, what=joined([x[:1].lower() + x[1:] for x in labels], lang)
             if labels else t("other_what", lang))


def key_messages(results: Results, scenario: str, base: str | None = None, lang: str = "nl",
                 caveats: bool = True) -> list[str]:
    """The sentences a brief opens with: against a base, the largest change first, then every
    backlog that moves, then the other main figures that move, and last (``caveats``) the caveat
    for any year they name whose backlog has drained (:func:`caveats.over_years`); alone, the
    levels and the peak."""
    out, named = messages_and_years(results, scenario, base, lang)
    return out + (named_caveats(results, scenario, base, named, lang) if caveats and named else [])


def messages_and_years(results: Results, scenario: str, base: str | None = None,
                       lang: str = "nl") -> tuple[list[str], set[int]]:
    """The key messages without their caveats, and the years they name (none alone): for a
    caller that says the caveats itself, once for several scenarios (the brief)."""
    if not base or base == scenario or base not in results.scenarios:
        return level_messages(results, scenario, lang), set()
    return _against(results, scenario, base, lang)


def named_years(results: Results, scenario: str, base: str) -> set[int]:
    """The years the key messages of ``scenario`` against ``base`` name."""
    return messages_and_years(results, scenario, base, "en")[1]


def named_caveats(results: Results, scenario: str, base: str, years: set[int], lang: str = "nl") -> list[str]:
    """The caveats of the two scenarios for those of ``years`` whose backlog has drained."""
    return [text for n in dict.fromkeys((scenario, base)) if (text := over_years(results, n, lang, years))]


def _against(results: Results, scenario: str, base: str, lang: str) -> tuple[list[str], set[int]]:
    """The key messages against a base, and the years they name (of the moves told, not the peak)."""
    drained = drained_in(results, (scenario, base))
    found = [c for c in changes(results, scenario, base) if c.figure not in TIMING or c.year not in drained]
    by_figure: dict[tuple, list[Change]] = {}
    for c in found:
        by_figure.setdefault((c.figure, c.categories), []).append(c)
    largest = {k: _largest(v) for k, v in by_figure.items()}
    candidates = [largest[k] for k in _HEADLINE if largest.get(k) is not None and largest[k].base_value]
    if not any(largest.values()):
        return [t("s_no_change", lang, base=base_label(results, base, lang))], set()
    head = max(candidates, key=lambda c: c.relative) if candidates else None
    chosen = ([head] if head is not None else []) + [c for key in MAIN if (c := largest.get(key)) is not None
                                                     and c is not head]
    out = [told(results, by_figure[(c.figure, c.categories)], c, base, lang, headline=c is head)
           + _past_term_too(results, scenario, base, c, lang) for c in chosen]
    peak = peak_sentence(results, scenario, base, "asylum", lang)
    named = {m.year for c in chosen for m in (c, _reversal(by_figure[(c.figure, c.categories)], c)) if m is not None}
    return out + ([peak] if peak else []), named


def _past_term_too(results: Results, scenario: str, base: str, c: Change, lang: str) -> str:
    """' Maar: …' on the cases past their term at the end of the year in which more decisions fall
    within the term, when those rise too, beyond chance: a share can rise because fast tracks are
    decided first while old cases wait longer (the Pact's 2026), and the share alone tells half."""
    if c.figure != "within_term_share" or c.diff <= 0:
        return ""
    found = figure_differences(results, scenario, base, "past_term_end", c.categories).get(c.year)
    if found is None or np.isnan(found[0]) or np.isnan(found[1]):
        return ""
    value, diff, lo, hi = found
    past = Change("past_term_end", c.categories, c.year, value, value - diff, diff, lo, hi)
    if not past.moves or past.diff <= 0:
        return ""
    then = change_sentence(results, past, base, lang, explained=False)
    return f" {t('s_but', lang)} {then[:1].lower()}{then[1:]}"


def level_messages(results: Results, scenario: str, lang: str = "nl") -> list[str]:
    """A single scenario: where the main figures stand in the last year, and the asylum peak."""
    last = int(results.yearly.year.max())
    out = [peak_sentence(results, scenario, None, "asylum", lang)]
    for figure, cats in MAIN[:5]:
        value, *_ = figure_difference(results, scenario, scenario, figure, cats, last)
        if np.isnan(value) or (cats == ("other",) and value < 0.5):
            continue
        text = t("s_level", lang, What=capital(_what(figure, cats, lang)), when=_when(figure, last, lang),
                 value=with_unit(value, FIGURES[figure][0], lang))
        if cats == ("other",):
            text += " " + other_explained(results, lang)
        out.append(text)
    return [x for x in out if x]


def _monthly(results: Results, metric: str, category: str, scenario: str) -> pd.DataFrame:
    """Month-end values from the scenario's start on (the opening stock is dated the day before)."""
    m = results.metrics
    start = pd.Timestamp(results.scenarios[scenario].start)
    sel = m[(m.metric == metric) & (m.category == category) & (m.stream == "") & (m.stage == "")
            & (m.pool == "") & (m.outcome == "") & (m.age_band == "") & (m.date >= start)]
    return sel.pivot_table(index="date", columns=["scenario", "replication"], values="value")


def peak_sentence(results: Results, scenario: str, base: str | None = None, category: str = "asylum",
                  lang: str = "nl") -> str:
    """When the backlog is highest (never before the start), how high, and, with a base and a
    difference beyond chance, how far from the base in that month (percentage, 95% interval)."""
    if scenario not in results.scenarios:
        return ""
    wide = _monthly(results, "backlog", category, scenario)
    if wide.empty or scenario not in wide.columns.get_level_values(0):
        return ""
    mean = wide[scenario].mean(axis=1)
    when = mean.idxmax()
    what = t(f"backlog_{category}", lang)
    value = with_unit(mean[when], "cases", lang)
    if when == mean.index[0] and len(mean) > 1 and mean.iloc[-1] < mean[when]:
        # not "at the start": the opening stock, a day earlier, is higher still; and no "falls after
        # that" where it rises again in between (the Pact's backlog climbs back within 1,000 of it)
        head = t("peak_at_start", lang, what=what, value=value, when=month(when, lang), last=mean.index[-1].year,
                 end=with_unit(mean.iloc[-1], "cases", lang))
    else:
        head = t("peak", lang, what=what, when=month(when, lang), value=value)
    if not base or base == scenario or base not in wide.columns.get_level_values(0):
        return head + "."
    s, b = wide.loc[when, scenario].to_numpy(), wide.loc[when, base].to_numpy()
    m, lo, hi = interval((s - b) / np.where(b > 0, b, np.nan), within=(-1.0, np.inf))  # never below none
    decimals = 0 if abs(m) >= 0.095 else 1
    if not significant(lo, hi) or round(abs(m) * 100, decimals) == 0:  # never "0% (0%–0%)"
        return head + "."
    side = t("above" if m > 0 else "below", lang)
    a, z = sorted((abs(lo), abs(hi)))
    pct = f"{percent(abs(m), lang, decimals)} ({percent(a, lang, decimals)}–{percent(z, lang, decimals)})"
    return t("peak_vs_base", lang, head=head, pct=pct, side=side, base=base_label(results, base, lang)) + "."


def difference_sentence(results: Results, scenario: str, base: str, figure: str, category: str, year: int,
                        lang: str = "nl") -> str:
    """'De doorlooptijd (mediaan) asiel in 2028 is 97 weken, 14 weken hoger dan ...' for one
    figure and year; only the level when the change is within chance."""
    value, diff, lo, hi = figure_difference(results, scenario, base, figure, category, year)
    if np.isnan(value):
        return ""
    c = Change(figure, (category,), year, value, value - diff, diff, lo, hi)
    if np.isnan(diff) or not c.moves:
        return t("s_level", lang, What=capital(_what(figure, (category,), lang)), when=_when(figure, year, lang),
                 value=with_unit(value, c.unit, lang))
    return change_sentence(results, c, base, lang)
