"""When a year's figures say more about an assumption than about the policy: one sentence, from
the results' own tables.

The baseline's staff take more first asylum decisions a year than IND's stated capacity (the
README's "Assumptions and limits"), so in most scenarios the asylum backlog falls, within a few
years, below anything IND has had since 2022. Lead times and within-term shares of such a year
then follow from how fast the assumed staff work off a small backlog: a domain expert would not
take them as a forecast, and the manager who shows them should know that first. The dashboard
says so next to the figures of such a year (the "Waarom?" lines), the brief under its key
messages, and ``indsim run`` and ``indsim compare`` under their tables.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..experiment import Results
from .chartspec import scenario_title
from .explain import yearly_asylum
from .i18n import joined, t
from .units import show

LOWEST_PUBLISHED_BACKLOG = 20_400  # asylum applications open at the start of 2022, the lowest figure
# in DOMAIN.md 2.3 (ind.nl 4 Nov 2022); every later published year-end is 35,790 or more
STATED_CAPACITY = 30_000  # first asylum decisions a year IND said it could take (Maas, March 2025;
# DOMAIN.md 2.2); it decided 40,480 in 2024, so this is a statement, not a ceiling


def _mean(figures: pd.DataFrame, figure: str) -> float | None:
    return float(figures[figure].mean()) if figure in figures and len(figures) else None


def drained(results: Results, scenario: str, year: int, lang: str = "nl") -> str:
    """The caveat for ``scenario`` in ``year`` when its asylum backlog at the year's end is below
    :data:`LOWEST_PUBLISHED_BACKLOG` (with its first decisions when they exceed
    :data:`STATED_CAPACITY`); '' otherwise."""
    figures = yearly_asylum(results, scenario, year)
    backlog = _mean(figures, "backlog_end")
    if backlog is None or backlog >= LOWEST_PUBLISHED_BACKLOG:
        return ""
    text = t("caveat_drained", lang, scenario=scenario_title(results, scenario, lang), year=year,
             backlog=show(backlog, "cases", lang), lowest=show(LOWEST_PUBLISHED_BACKLOG, "cases", lang))
    decisions = _mean(figures, "first_decisions")
    if decisions is not None and decisions > STATED_CAPACITY:
        text += " " + t("caveat_capacity", lang, decisions=show(decisions, "cases", lang),
                        capacity=show(STATED_CAPACITY, "cases", lang))
    return text


def for_year(results: Results, names: Sequence[str], year: int, lang: str = "nl") -> list[str]:
    """For figures of one year: the caveat of the scenarios among ``names`` whose backlog has
    drained in it, as one sentence (that of :func:`drained` for one; none for none)."""
    found = []
    for n in names:
        figures = yearly_asylum(results, n, year)
        backlog = _mean(figures, "backlog_end")
        if backlog is not None and backlog < LOWEST_PUBLISHED_BACKLOG:
            found.append((n, backlog, _mean(figures, "first_decisions")))
    if len(found) <= 1:
        return [drained(results, n, year, lang) for n, _, _ in found]
    places = joined([t("caveat_place", lang, scenario=scenario_title(results, n, lang), backlog=show(b, "cases", lang))
                     for n, b, _ in found], lang)
    text = t("caveat_drained_many", lang, year=year, places=places,
             lowest=show(LOWEST_PUBLISHED_BACKLOG, "cases", lang))
    decisions = max((d for _, _, d in found if d is not None), default=None)
    if decisions is not None and decisions > STATED_CAPACITY:
        text += " " + t("caveat_capacity_most", lang, decisions=show(decisions, "cases", lang),
                        capacity=show(STATED_CAPACITY, "cases", lang))
    return [text]


def drained_years(results: Results, scenario: str) -> dict[int, float]:
    """The years whose asylum backlog at the end is below :data:`LOWEST_PUBLISHED_BACKLOG` (mean
    over the replications), with that backlog."""
    years = sorted(int(y) for y in results.yearly.year.unique())
    backlogs = {y: _mean(yearly_asylum(results, scenario, y), "backlog_end") for y in years}
    return {y: b for y, b in backlogs.items() if b is not None and b < LOWEST_PUBLISHED_BACKLOG}


def over_years(results: Results, scenario: str, lang: str = "nl") -> str:
    """One caveat for a table of every year: the years of ``scenario`` whose asylum backlog has
    drained, with their backlogs (and the first decisions when they exceed
    :data:`STATED_CAPACITY`); that of :func:`drained` for one such year; '' when none has."""
    years = drained_years(results, scenario)
    if len(years) <= 1:
        return "".join(drained(results, scenario, year, lang) for year in years)
    text = t("caveat_drained_years", lang, scenario=scenario_title(results, scenario, lang),
             years=joined([str(y) for y in years], lang),
             backlogs=joined([show(v, "cases", lang) for v in years.values()], lang),
             lowest=show(LOWEST_PUBLISHED_BACKLOG, "cases", lang))
    decisions = [d for year in years if (d := _mean(yearly_asylum(results, scenario, year), "first_decisions"))]
    if decisions and max(decisions) > STATED_CAPACITY:
        text += " " + t("caveat_capacity_years", lang, decisions=show(max(decisions), "cases", lang),
                        capacity=show(STATED_CAPACITY, "cases", lang))
    return text
