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

from collections.abc import Collection, Sequence

import pandas as pd

from ..experiment import Results
from .chartspec import scenario_title
from .i18n import joined, t
from .units import show

LOWEST_PUBLISHED_BACKLOG = 20_400  # asylum applications open at the start of 2022, the lowest figure
# in DOMAIN.md 2.3 (ind.nl 4 Nov 2022); every later published year-end is 35,790 or more
STATED_CAPACITY = 30_000  # first asylum decisions a year IND said it could take (Maas, March 2025;
# DOMAIN.md 2.2); it decided 40,480 in 2024, so this is a statement, not a ceiling
TIMING = frozenset({"lead_time_p50", "within_term_share"})  # what a drained year's staff decide, not its policy


def _by_year(results: Results, scenario: str) -> dict[int, tuple[float, float | None]]:
    """(asylum backlog at the end, first decisions) of ``scenario`` per year, means over the
    replications (first decisions None where the table has none); one pass over the table."""
    y = results.yearly
    sel = y[(y.scenario == scenario) & (y.category == "asylum") & y.figure.isin(("backlog_end", "first_decisions"))]
    means = sel.groupby(["year", "figure", "replication"]).value.sum().groupby(level=["year", "figure"]).mean()
    table = means.unstack("figure").reindex(columns=["backlog_end", "first_decisions"])
    return {int(year): (float(row.backlog_end), None if pd.isna(row.first_decisions) else float(row.first_decisions))
            for year, row in table.iterrows() if not pd.isna(row.backlog_end)}


def _drained(results: Results, scenario: str, year: int) -> tuple[float, float | None] | None:
    """(asylum backlog at the end, first decisions) of ``scenario`` in ``year``, means over the
    replications, when that backlog is below :data:`LOWEST_PUBLISHED_BACKLOG`; else None."""
    return drained_years(results, scenario).get(year)


def _above_capacity(key: str, decisions: list[float | None], lang: str) -> str:
    """The sentence ``key`` on the most first decisions, when they exceed :data:`STATED_CAPACITY`."""
    most = max((d for d in decisions if d is not None), default=None)
    if most is None or most <= STATED_CAPACITY:
        return ""
    return " " + t(key, lang, decisions=show(most, "cases", lang), capacity=show(STATED_CAPACITY, "cases", lang))


def drained(results: Results, scenario: str, year: int, lang: str = "nl") -> str:
    """The caveat for ``scenario`` in ``year`` when its asylum backlog at the year's end is below
    :data:`LOWEST_PUBLISHED_BACKLOG` (with its first decisions when they exceed
    :data:`STATED_CAPACITY`); '' otherwise."""
    found = _drained(results, scenario, year)
    if found is None:
        return ""
    backlog, decisions = found
    return t("caveat_drained", lang, scenario=scenario_title(results, scenario, lang), year=year,
             backlog=show(backlog, "cases", lang), lowest=show(LOWEST_PUBLISHED_BACKLOG, "cases", lang)) \
        + _above_capacity("caveat_capacity", [decisions], lang)


def for_year(results: Results, names: Sequence[str], year: int, lang: str = "nl") -> list[str]:
    """For figures of one year: the caveat of the scenarios among ``names`` whose backlog has
    drained in it, as one sentence (that of :func:`drained` for one; none for none)."""
    found = {n: f for n in names if (f := _drained(results, n, year)) is not None}
    if len(found) <= 1:
        return [drained(results, n, year, lang) for n in found]
    places = joined([t("caveat_place", lang, scenario=scenario_title(results, n, lang), backlog=show(b, "cases", lang))
                     for n, (b, _) in found.items()], lang)
    lowest = show(LOWEST_PUBLISHED_BACKLOG, "cases", lang)
    return [t("caveat_drained_many", lang, year=year, places=places, lowest=lowest)
            + _above_capacity("caveat_capacity_most", [d for _, d in found.values()], lang)]


def drained_years(results: Results, scenario: str) -> dict[int, tuple[float, float | None]]:
    """The years whose asylum backlog at the end is below :data:`LOWEST_PUBLISHED_BACKLOG` (mean
    over the replications), with that backlog and the year's first decisions."""
    return {y: f for y, f in _by_year(results, scenario).items() if f[0] < LOWEST_PUBLISHED_BACKLOG}


def drained_in(results: Results, names: Sequence[str]) -> set[int]:
    """The years in which the asylum backlog of any of ``names`` has drained (see
    :func:`drained_years`): a change in a :data:`TIMING` figure between them says little then."""
    return {year for n in names for year in drained_years(results, n)}


def over_years(results: Results, scenario: str, lang: str = "nl", among: Collection[int] | None = None) -> str:
    """One caveat for a table of every year (or for sentences that name the years ``among``):
    the years of ``scenario`` whose asylum backlog has drained, with their backlogs (and the
    first decisions when they exceed :data:`STATED_CAPACITY`); that of :func:`drained` for one
    such year; '' when none has."""
    years = {y: f for y, f in drained_years(results, scenario).items() if among is None or y in among}
    if len(years) <= 1:
        return "".join(drained(results, scenario, year, lang) for year in years)
    return t("caveat_drained_years", lang, scenario=scenario_title(results, scenario, lang),
             years=joined([str(y) for y in years], lang),
             backlogs=joined([show(b, "cases", lang) for b, _ in years.values()], lang),
             lowest=show(LOWEST_PUBLISHED_BACKLOG, "cases", lang)) \
        + _above_capacity("caveat_capacity_years", [d for _, d in years.values()], lang)
