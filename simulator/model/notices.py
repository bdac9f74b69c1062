"""Appeals for not deciding in time, lodged during the run so that they take court capacity.

An applicant whose legal term has passed may send a notice of default (ingebrekestelling) and,
two weeks later, appeal to the court for not deciding in time (DOMAIN 1.1 step 11). Whether a
case would do so is drawn from its own key (the same draws :func:`results.penalty_timeline`
uses), so the appeals lodged here are exactly the ones the tables count. A case still without a
first decision on its appeal day gets a court case of its own: a case of its stream that is not
an application (it never counts in the werkvoorraad), entering the scenario's appeal stage.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numba import njit

from .calendar import DelayStore
from .cases import Cases
from .compiled import Penalty
from .prefetch import ahead
from .rng import Source, Streams, uniform64


@njit(cache=True, nogil=True)
def _appealing(ids, prior, key, rep, set_of_rep, notice_p, appeal_p, table) -> np.ndarray:
    """The cases among ``ids`` that would appeal when late: open applications whose own key
    draws a notice (step 0) and then an appeal (step 1); one compiled pass, as it runs for
    every new case and every new deadline."""
    keep = np.zeros(len(ids), dtype=np.bool_)
    for i in range(len(ids)):
        ahead(ids, i, key)
        ahead(ids, i, prior)
        c = ids[i]
        if prior[c]:
            continue
        k, source = set_of_rep[rep[c]], table[rep[c]]
        keep[i] = (uniform64(key[c], 0, source) < notice_p[k]) & (uniform64(key[c], 1, source) < appeal_p[k])
    return ids[keep]


@njit(cache=True, nogil=True)
def _ordered(ids, stages, rep, prior, parent, set_of_rep, appeal_stage, ordered_first) -> np.ndarray:
    """The parents of the court cases among ``ids`` (finishing ``stages``) whose ruling orders
    IND to decide first, in the order of ``ids``: one compiled pass, as it runs for every case
    that finishes a stage, and almost none is such a court case."""
    out = np.empty(len(ids), dtype=np.int64)
    m = 0
    for i in range(len(ids)):
        ahead(ids, i, prior)
        c = ids[i]
        if prior[c] and parent[c] >= 0:
            k = set_of_rep[rep[c]]
            if ordered_first[k] and stages[i] == appeal_stage[k]:
                out[m] = parent[c]
                m += 1
    return out[:m]


class Notices:
    """Cases whose appeal for not deciding in time is due, by their appeal day."""

    def __init__(self, penalties: Sequence[Penalty | None], set_of_rep: np.ndarray, cases: Cases, rng: Streams,
                 n_days: int):
        active = [p is not None and p.appeal_stage >= 0 for p in penalties]
        self.on = any(active)
        self.cases, self.rng, self.set_of_rep = cases, rng, set_of_rep
        self._due = DelayStore(n_days)

        def per_set(f) -> np.ndarray:
            return np.array([f(p) if on else 0 for p, on in zip(penalties, active, strict=True)])

        self.notice_p = per_set(lambda p: p.notice_p).astype(float)
        self.appeal_p = per_set(lambda p: p.appeal_p).astype(float)
        self.lag = per_set(lambda p: p.notice_delay + p.appeal_after).astype(np.int64)
        self.stage = per_set(lambda p: p.appeal_stage).astype(np.int64)
        self.ordered_first = per_set(lambda p: p.ordered_first).astype(bool)

    def watch(self, ids: np.ndarray) -> None:
        """Cases whose deadline was just set: put those that will appeal when late on the calendar."""
        if not self.on or not len(ids):
            return
        cs = self.cases
        ids = _appealing(ids, cs.prior, cs.key, cs.rep, self.set_of_rep, self.notice_p, self.appeal_p,
                         self.rng.keys[Source.NOTICES])
        self._due.add(cs.deadline[ids] + self.lag[self.set_of_rep[cs.rep[ids]]], ids)

    def orders(self, ids: np.ndarray, stages: np.ndarray) -> np.ndarray:
        """Of the cases finishing ``stages`` today, the court cases whose ruling orders IND to
        decide first: their parents (the late cases)."""
        cs = self.cases
        return _ordered(ids, stages, cs.rep, cs.prior, cs.parent, self.set_of_rep, self.stage, self.ordered_first)

    def lodged(self, day: int) -> tuple[np.ndarray, np.ndarray]:
        """The cases appealing today (still without a first decision, deadline unchanged) and
        the stage their court case enters."""
        ids = self._due.pop(day)
        if not len(ids):
            return ids, ids
        cs = self.cases
        lag = self.lag[self.set_of_rep[cs.rep[ids]]]
        ids = ids[(cs.first_day[ids] < 0) & (cs.stage[ids] >= 0) & (cs.deadline[ids] + lag == day)]
        return ids, self.stage[self.set_of_rep[cs.rep[ids]]]
