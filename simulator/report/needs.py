"""The requirements search in words: per lever what it takes, what limits it when nothing does,
and one closing paragraph that answers "wat hebben wij van anderen nodig?".

Pools are named by their labels in the scenario file, figures and reasons by the catalogue,
numbers by the formatter; no identifier reaches the reader.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from ..experiment.requirements import LeverResult, Requirements
from ..model import FIGURES
from .i18n import capital, day, figure_noun, joined, name, t
from .units import change, number, percent, with_unit


def lever_label(req: Requirements, lever, lang: str = "nl") -> str:
    """'IND hoormedewerkers en IND beslismedewerkers' for the pools of a lever."""
    return joined([name([req.scenario], "pools", p, lang) for p in lever.pools], lang)


def _figure(req: Requirements, lang: str) -> str:
    return figure_noun(req.target.figure, req.target.category, lang)


def target_words(req: Requirements, lang: str = "nl") -> str:
    """'de werkvoorraad asiel eind 2028 ten hoogste 30.000 zaken'."""
    tg = req.target
    op = {"<=": "le", ">=": "ge", "<": "lt", ">": "gt"}[tg.op]
    unit = FIGURES[tg.figure][0]
    when = (t("from_year", lang, year=tg.year) if tg.every_year_from else
            t("when_end" if tg.figure.endswith("_end") else "when_in", lang, year=tg.year))
    return t(f"target_{op}", lang, what=_figure(req, lang), year=when, value=with_unit(tg.value, unit, lang))


def _value(req: Requirements, x: float, lang: str) -> str:
    return with_unit(x, FIGURES[req.target.figure][0], lang)


def _why(req: Requirements, r: LeverResult, lang: str) -> str:
    unit = FIGURES[req.target.figure][0]
    moved = change(r.best.mean - r.none.mean, unit, lang)
    label = lever_label(req, r.lever, lang)
    if r.limit == "training":
        ready = req.start + dt.timedelta(days=round(r.training_months * 30.44))
        return t("why_training", lang, months=number(r.training_months, lang), start=day(req.start, lang),
                 ready=day(ready, lang))
    if r.limit == "hiring_cap":
        return t("why_hiring_cap", lang, cap=number(r.intake_cap, lang), year=req.target.year,
                 reach=number(r.hireable, lang))
    if r.limit == "worse":
        if unit == "share" and r.best.late > r.none.late:  # more decisions on cases already late
            reason = t("why_worse_reason_late", lang, year=req.target.year, late=number(r.best.late, lang),
                       late0=number(r.none.late, lang), past=number(r.best.past_term, lang),
                       past0=number(r.none.past_term, lang))
        elif r.best.binding:
            reason = t("why_worse_reason", lang, pool=name([req.scenario], "pools", r.best.binding, lang))
        else:
            reason = t("why_worse_reason_plain", lang)
        # worse is larger for a target from above, smaller for one from below; a share is higher or lower
        up = req.target.op in ("<=", "<")
        direction = t(("dir_higher" if up else "dir_lower") if unit == "share" else
                      ("dir_larger" if up else "dir_smaller"), lang)
        return t("why_worse", lang, lever=label, what=_figure(req, lang), change=moved, reason=reason,
                 direction=direction)
    if r.limit == "other_pool":
        pool = name([req.scenario], "pools", r.best.binding, lang)
        return t("why_other_pool", lang, lever=label, change=moved, pool=pool)
    return t("why_not_enough", lang, change=moved)


def _spread(r: LeverResult) -> float:
    """How far the replications without extra capacity lie apart (their standard deviation)."""
    return float(np.std(r.none.values, ddof=1)) if len(r.none.values) > 1 else 0.0


def by_chance(r: LeverResult) -> bool:
    """Whether the least extra meets the target only by the luck of the replications: some of them
    already meet it without extra capacity, and the extra moves the figure's mean by less than
    the replications spread without it (:func:`_spread`). A lever with any effect at all then
    'meets' a target that lies inside that spread."""
    return (r.reachable and r.best.extra > 0 and r.none.probability > 0
            and abs(r.best.mean - r.none.mean) < _spread(r))


def _chance(req: Requirements, r: LeverResult, lang: str) -> str:
    unit = FIGURES[req.target.figure][0]
    return t("req_by_chance", lang, p0=percent(r.none.probability, lang), what=_figure(req, lang),
             change=change(r.best.mean - r.none.mean, unit, lang), spread=with_unit(_spread(r), unit, lang))


def lever_sentence(req: Requirements, r: LeverResult, lang: str = "nl") -> str:
    label = capital(lever_label(req, r.lever, lang))
    p = percent(r.best.probability, lang)
    if r.reachable and r.best.extra == 0:
        return t("req_none_needed", lang, lever=label)
    if not r.reachable:  # staff that must be hired and trained: the extra is a target, not who is at work
        key = "req_unreachable_hiring" if r.limit in ("hiring_cap", "training") else "req_unreachable"
        return t(key, lang, lever=label, extra=number(r.max_extra, lang), why=_why(req, r, lang),
                 what=_figure(req, lang), value=_value(req, r.best.mean, lang), p=p)
    hiring = ""
    if r.training_months:
        cap = t("req_hiring_cap", lang, cap=number(r.intake_cap, lang)) if r.intake_cap else ""
        hiring = t("req_hiring", lang, months=number(r.training_months, lang), cap=cap)
    return t("req_needed", lang, lever=label, extra=number(r.best.extra, lang), start=day(req.start, lang),
             now=number(r.current_fte, lang), hiring=hiring, p=p, what=_figure(req, lang),
             value=_value(req, r.best.mean, lang)) + (_chance(req, r, lang) if by_chance(r) else "")


def others_paragraph(req: Requirements, lang: str = "nl") -> list[str]:
    """'Wat hebben wij van anderen nodig?': the courts, the lawyers, the chain partner and COA."""
    s = req.scenario
    lines = [f"**{t('req_others_title', lang)}**", ""]
    outside = [r for r in req.levers if all(s.pools[p].owner != "ind" for p in r.lever.pools)]
    for r in outside:
        if r.reachable and r.best.extra == 0:
            text = t("req_others_enough", lang, now=number(r.current_fte, lang))
        elif r.reachable:
            text = t("req_others_chance" if by_chance(r) else "req_others_need", lang, extra=number(r.best.extra, lang))
        else:
            text = t("req_others_unreachable", lang, extra=number(r.max_extra, lang))
        lines.append("- " + t("req_others_partner", lang, text=text, pool=lever_label(req, r.lever, lang)) + ".")
    if not outside:
        lines.append("- " + t("req_others_none", lang))
    w = req.without
    if w.reception == w.reception:  # not nan
        lines.append("- " + t("req_others_coa", lang, value=number(w.reception, lang), year=req.target.year))
    return lines


def requirement_sentences(req: Requirements, lang: str = "nl") -> list[str]:
    """Plain sentences for management: the target, the situation without extra capacity, one
    sentence per lever, and what we need from others."""
    w = req.without
    lines = [t("req_target", lang, target=capital(target_words(req, lang)), p=percent(req.probability, lang)),
             t("req_without", lang, p=percent(w.probability, lang), what=_figure(req, lang),
               value=_value(req, w.mean, lang))]
    lines += [lever_sentence(req, r, lang) for r in req.levers]
    return [*lines, "", *others_paragraph(req, lang)]


def progress_line(scenario, lever, evaluation, lang: str = "nl") -> str:
    """One line per evaluation while the search runs."""
    label = joined([name([scenario], "pools", p, lang) for p in lever.pools], lang)
    return t("req_progress", lang, lever=capital(label), extra=number(evaluation.extra, lang),
             p=percent(evaluation.probability, lang))


def requirements_frame(req: Requirements, lang: str = "nl") -> pd.DataFrame:
    """The levers as a small table for the screen: labels, not identifiers."""
    unit = FIGURES[req.target.figure][0]
    rows = [{t("col_lever", lang): capital(lever_label(req, r.lever, lang)),
             t("col_now", lang): number(r.current_fte, lang),
             t("col_extra", lang): number(r.best.extra, lang) if r.reachable else "–",
             t("col_probability", lang): percent(r.best.probability, lang),
             t("mean", lang): with_unit(r.best.mean, unit, lang),
             t("col_limit", lang): t(f"limit_{r.limit}", lang)} for r in req.levers]
    return pd.DataFrame(rows)
