"""Why a main figure moves against intuition: one sentence, computed from the results' own tables.

A manager expects more work to bring later decisions, and less work earlier ones. When a scenario
shows the opposite against its base, the dashboard (the "Waarom?" line under the tiles and the
comparison), ``indsim compare`` and the brief (where the binding pool is explained) say why, but
only what the tables show. Two patterns,
in the asylum category and one calendar year; a figure moves when the 95% interval of its paired
difference to the base lies on one side of zero and the move is material (:data:`MATERIAL`):

1. **Timelier under more load**: the share of first decisions within the legal term is higher
   (or else the median lead time shorter) although the backlog at the year's end is larger (or
   else the inflow higher).
2. **Less timely with less load**: the within-term share is lower (or else the median lead time
   longer) although the backlog is smaller (or else more first decisions are taken).

(Fewer decisions with a higher share, or less inflow with a lower share, are not told: they
have a plain reading, such as a cleared backlog that leaves less to decide.)

A pattern is told only with a reason the numbers bear out, each with its figures:

- **Track mix.** A track is a stage where cases get their first IND decision
  (:func:`first_decision_stages`); it is *fast* when most of the cases waiting in it at the month
  ends of the year are younger than the first age band (6 months), or none wait at all: read
  from the stock table, not from the stages' names. When the share of first decisions taken in
  fast tracks moves with the pattern (up in 1, down in 2) by at least :data:`MIX_MATERIAL` (a
  mix shift of 1 point can explain no more than 1 point of the within-term share), the average
  moved with the mix.
- **Old cases.** Decisions on cases already past their term (first decisions x (1 - within-term
  share)): fewer in pattern 1 (the new cases are decided in time while the old ones wait), more
  in pattern 2 (a backlog being cleared lowers the share and raises the lead times); with the
  cases open past their term at the year's end when they move the matching way.

No pattern, or a pattern without a reason: no sentence (an empty string).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from ..experiment import Results, paired
from ..experiment.figures import late_decisions, of_year
from ..model import FIGURES
from ..model.compiled import AGE_LABELS
from ..scenario import Scenario
from .i18n import capital, joined, name, t
from .sentences import base_label
from .units import percent, show, significant, with_unit

CATEGORY = "asylum"
MATERIAL = {"share": 0.01, "days": 7.0}  # the least move told: 1 percentage point, one week
RELATIVE = 0.02  # counts move when they differ by 2% of the base
FAST = 0.5  # a track is fast when more than half its waiting cases are in the youngest age band
# Figures of a pattern: the sign of a better (timelier) move, and of a heavier load.
TIMELY = {"within_term_share": 1, "lead_time_p50": -1}
LOAD = {"backlog_end": 1, "inflow": 1, "first_decisions": -1}
PATTERNS = ((1, ("backlog_end", "inflow")), (-1, ("backlog_end", "first_decisions")))  # (pattern, its loads)
MIX_MATERIAL = 0.05  # the least shift in the fast tracks' share of first decisions that explains a move


@dataclass(frozen=True)
class Move:
    """A figure of a scenario in a year against the base: both means and the paired 95% interval."""

    figure: str
    value: float
    base_value: float
    low: float
    high: float
    unit: str

    @property
    def diff(self) -> float:
        return self.value - self.base_value

    @property
    def sign(self) -> int:
        """+1 or -1 when the figure moves beyond chance and materially, else 0."""
        if np.isnan(self.diff) or not significant(self.low, self.high):
            return 0
        least = MATERIAL.get(self.unit, RELATIVE * abs(self.base_value))
        return int(np.sign(self.diff)) if abs(self.diff) >= least else 0


def _paired(figure: str, unit: str, s: pd.Series, b: pd.Series) -> Move:
    """The move of per-replication values ``s`` against ``b`` (paired by replication)."""
    both = pd.concat([s, b], axis=1, keys=["s", "b"]).dropna()
    if both.empty:
        return Move(figure, np.nan, np.nan, np.nan, np.nan, unit)
    _, low, high = paired(both.s.to_numpy(), both.b.to_numpy(), unit)
    return Move(figure, float(both.s.mean()), float(both.b.mean()), low, high, unit)


def _moves(results: Results, scenario: str, base: str, year: int) -> dict[str, Move]:
    s, b = (of_year(results.yearly, n, year, CATEGORY) for n in (scenario, base))
    out = {f: _paired(f, FIGURES[f][0], s[f], b[f]) for f in (*TIMELY, *LOAD, "past_term_end")
           if f in s and f in b}
    if {"first_decisions", "within_term_share"} <= set(s) & set(b):
        out["late_decisions"] = _paired("late_decisions", "decisions", late_decisions(s), late_decisions(b))
    return out


def first_decision_stages(scenario: Scenario) -> set[str]:
    """The IND stages where a case can get its first decision: stages with decision routes that a
    case can reach without an earlier decision (a stream's entry, or a route without an outcome
    leads there). A redecision after a court ruling, or a permit issued after a grant, is not."""
    def routes(stage):
        return [*stage.routes, *(r for rs in stage.routes_by_group.values() for r in rs)]

    undecided = {st.entry for st in scenario.streams.values()}
    undecided |= {r.to for stage in scenario.stages.values() for r in routes(stage) if r.outcome is None}
    return {n for n, stage in scenario.stages.items()
            if stage.owner == "ind" and n in undecided and any(r.outcome for r in routes(stage))}


@dataclass(frozen=True)
class Mix:
    """The share of first decisions taken in fast tracks, against the base, and the fast tracks
    whose share of first decisions grew (or shrank) most."""

    move: Move
    tracks: list[str]


def track_mix(results: Results, scenario: str, base: str, year: int) -> Mix | None:
    """The fast tracks' share of first decisions in ``year`` (see the module docstring), or None
    when the tables hold no decisions by stage."""
    stages = first_decision_stages(results.scenarios[scenario]) | first_decision_stages(results.scenarios[base])
    m = results.metrics
    sel = m[m.metric.isin(("decisions", "stock")) & (m.category == CATEGORY) & m.scenario.isin((scenario, base))
            & m.stage.isin(stages)]
    sel = sel[pd.DatetimeIndex(sel.date).year == year]
    decisions = sel[sel.metric == "decisions"].pivot_table(index=["scenario", "replication"], columns="stage",
                                                             values="value", aggfunc="sum", fill_value=0.0)
    if decisions.empty or not {scenario, base} <= set(decisions.index.get_level_values(0)):
        return None
    stock = sel[sel.metric == "stock"]
    waiting = stock.groupby("stage").value.sum()
    young = stock[stock.age_band == AGE_LABELS[0]].groupby("stage").value.sum()
    fast = [s for s in decisions.columns if waiting.get(s, 0.0) <= 0 or young.get(s, 0.0) / waiting[s] > FAST]
    share = decisions[fast].sum(axis=1) / decisions.sum(axis=1)
    move = _paired("fast_share", "share", share.loc[scenario], share.loc[base])
    per_stage = decisions.div(decisions.sum(axis=1), axis=0)
    grown = (per_stage.loc[scenario].mean() - per_stage.loc[base].mean())[fast] * np.sign(move.diff)
    tracks = [s for s in grown.sort_values(ascending=False).index if grown[s] > 0.005][:2]
    return Mix(move, tracks)


def _months() -> str:
    return AGE_LABELS[0].split("-")[1]


def _pair(m: Move, lang: str) -> str:
    """'50% tegen 26%', '52.339 tegen 46.905 zaken': the scenario's value and the base's."""
    return t("why_against", lang, value=show(m.value, m.unit, lang), base_value=with_unit(m.base_value, m.unit, lang))


def _head(results: Results, timely: Move, load: Move, base: str, year: int, lang: str) -> str:
    way = {"share": ("dir_higher", "dir_lower"), "days": ("dir_longer", "dir_shorter")}[timely.unit]
    load_way = {"backlog_end": ("dir_larger", "dir_smaller"), "inflow": ("dir_higher", "dir_lower"),
                "first_decisions": ("dir_more", "dir_fewer")}[load.figure]
    return t("why_head", lang, year=year, base=base_label(results, base, lang),
             what=t(f"why_{timely.figure}", lang), dir=t(way[timely.diff < 0], lang), pair=_pair(timely, lang),
             load=t(f"why_load_{load.figure}", lang, year=year, dir=t(load_way[load.diff < 0], lang),
                    pair=_pair(load, lang)))


def _reasons(results: Results, scenario: str, base: str, year: int, pattern: int, moves: dict[str, Move],
             lang: str) -> list[str]:
    out = []
    mix = track_mix(results, scenario, base, year)
    if mix is not None and mix.move.sign == pattern and abs(mix.move.diff) >= MIX_MATERIAL:
        scenarios = [results.scenarios[scenario], results.scenarios[base]]
        tracks = joined([name(scenarios, "stages", s, lang) for s in mix.tracks], lang)
        out.append(t("why_tracks_more" if pattern > 0 else "why_tracks_fewer", lang,
                     share=percent(mix.move.value, lang), base_share=percent(mix.move.base_value, lang),
                     months=_months(), tracks=t("why_mainly", lang, tracks=tracks) if mix.tracks else "",
                     base=base_label(results, base, lang)))
    late, past = moves.get("late_decisions"), moves.get("past_term_end")
    if late is not None and late.sign == -pattern:  # fewer late decisions in 1, more in 2
        text = t("why_old_wait" if pattern > 0 else "why_old_decided", lang, pair=_pair(late, lang))
        if past is not None and past.sign == pattern:  # more open past the term in 1, fewer in 2
            text += t("why_past_more" if pattern > 0 else "why_past_fewer", lang, year=year,
                      diff=show(abs(past.diff), "cases", lang))
        out.append(text)
    return out


def explanation(results: Results, scenario: str, base: str, year: int, lang: str = "nl") -> str:
    """The sentence for ``scenario`` against ``base`` in ``year`` (module docstring), or ''."""
    if scenario == base or not {scenario, base} <= set(results.scenarios):
        return ""
    moves = _moves(results, scenario, base, year)
    for pattern, loads in PATTERNS:
        timely = next((moves[f] for f in TIMELY if f in moves and moves[f].sign == pattern * TIMELY[f]), None)
        load = next((moves[f] for f in loads if f in moves and moves[f].sign == pattern * LOAD[f]), None)
        if timely is None or load is None:
            continue
        reasons = _reasons(results, scenario, base, year, pattern, moves, lang)
        if reasons:
            return capital(_head(results, timely, load, base, year, lang) + ": " + "; ".join(reasons) + ".")
    return ""


def latest_explanation(results: Results, scenario: str, base: str, year: int, lang: str = "nl") -> str:
    """The sentence for ``year``, or else for the latest earlier year that has one: where a page
    or the brief shows one year only, a counterintuitive move in an earlier year is still told."""
    years = sorted((int(y) for y in results.yearly.year.unique() if int(y) <= year), reverse=True)
    return next((text for y in years if (text := explanation(results, scenario, base, y, lang))), "")
