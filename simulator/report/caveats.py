"""When a year's figures say more about an assumption than about the policy: one sentence, from
the results' own tables.

The baseline's staff take more first asylum decisions a year than IND's stated capacity (the
README's "Assumptions and limits"), so in most scenarios the asylum backlog falls, within a few
years, below anything IND has had since 2022. Lead times and within-term shares of such a year
then follow from how fast the assumed staff work off a small backlog: a domain expert would not
take them as a forecast, and the manager who shows them should know that first. The dashboard
says so next to the figures of such a year (the "Waarom?" lines).
"""

from __future__ import annotations

import pandas as pd

from ..experiment import Results
from .chartspec import scenario_title
from .explain import yearly_asylum
from .i18n import t
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
