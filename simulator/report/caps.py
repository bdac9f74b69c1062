"""Warnings that a requested change is slowed by a cap, one line each, for ``indsim run``.

A higher hiring target reaches its staff only as fast as the yearly intake cap allows (less the
leavers it must also replace) plus the training time; a procedure with a maximum number of cases
sends the rest elsewhere. Both are read from the scenario's timeline of versions, so they cover
interventions, phase-ins and dated changes alike.
"""

from __future__ import annotations

import datetime as dt

from ..scenario import Scenario, versions
from .i18n import day, name, t
from .units import number


def hiring_delays(s: Scenario) -> list[tuple[str, float, float, dt.date, float, float]]:
    """(pool, target FTE, FTE before, date reached, intake cap, training months) for each pool whose
    target rises by more than its net intake in a year (cap less the leavers at the old size)."""
    timeline = versions(s)
    out = []
    for pool, p in timeline[0][1].pools.items():
        if p.hiring is None or p.hiring.intake_cap_per_year is None or p.hiring.target_fte is None:
            continue
        before = p.hiring.target_fte.value
        rises = [(d, v.pools[pool].hiring.target_fte.value) for d, v in timeline[1:]
                 if pool in v.pools and v.pools[pool].hiring is not None and v.pools[pool].hiring.target_fte]
        higher = [(d, x) for d, x in rises if x > before + 1e-9]
        if not higher:
            continue
        first, target = higher[0][0], max(x for _, x in higher)
        full = next(d for d, x in higher if x == target)
        cap = p.hiring.intake_cap_per_year.value
        net = cap - p.attrition_per_year.value * before
        training = p.hiring.training_months.value
        if net <= 0:
            out.append((pool, target, before, dt.date.max, cap, training))
            continue
        years = (target - before) / net
        reached = first + dt.timedelta(days=round(years * 365.25 + training * 30.44))
        if reached > full + dt.timedelta(days=round(training * 30.44) + 31):
            out.append((pool, target, before, reached, cap, training))
    return out


def place_limits(s: Scenario) -> list[tuple[str, float, str]]:
    """(procedure, places, overflow stage) for each procedure with a case cap that a change brings in."""
    timeline = versions(s)
    seen = {(k, p.max_cases.value if p.max_cases else None) for k, p in timeline[0][1].procedures.items()}
    out = []
    for _, v in timeline[1:]:
        for k, p in v.procedures.items():
            key = (k, p.max_cases.value if p.max_cases else None)
            if p.max_cases is not None and key not in seen:
                out.append((k, p.max_cases.value, p.overflow or ""))
            seen.add(key)
    return out


def cap_warnings(s: Scenario, lang: str = "nl") -> list[str]:
    """One line per change slowed by a cap (empty when none is)."""
    lines = []
    for pool, target, before, reached, cap, training in hiring_delays(s):
        when = day(reached, lang) if reached != dt.date.max else ("nooit" if lang == "nl" else "never")
        lines.append(t("cap_warning", lang, what=t("cap_hiring", lang, pool=name([s], "pools", pool, lang),
                                                    target=number(target, lang), now=number(before, lang), when=when,
                                                    cap=number(cap, lang), months=number(training, lang))))
    for proc, places, overflow in place_limits(s):
        v = versions(s)[-1][1]
        label = v.procedures[proc].label.text(lang)
        lines.append(t("cap_warning", lang, what=t("cap_places", lang, procedure=label, places=number(places, lang),
                                                    overflow=name([v, s], "stages", overflow, lang))))
    return lines
