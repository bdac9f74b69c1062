"""Procedures: sets of stages with limits of their own (the Pact's border procedure, say).

A procedure holds at most ``cap`` cases at once per replication (the others go to its overflow
stage), gives its members a legal term of its own, and moves a member that is still inside when
its time limit passes to a fallback stage. This component owns the places taken and the time
limits due; the engine asks it what to do with cases about to enter a stage.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from .calendar import DelayStore
from .cases import NONE, Cases, split
from .rng import Source, Streams, Tag
from .rules import Rules
from .terms import Terms


class Procedures:
    """Places taken per (replication, procedure) and the time limits still to come."""

    def __init__(self, n_reps: int, n_procedures: int, n_days: int, cases: Cases, rng: Streams, rules: Rules,
                 terms: Terms):
        self.taken = np.zeros((n_reps, n_procedures), dtype=np.int64)
        self.limits = DelayStore(n_days)
        self.cases, self.rng, self.rules, self.terms = cases, rng, rules, terms
        self.on_new_deadline: Callable[[np.ndarray], None] = lambda ids: None

    def _tally(self, ids: np.ndarray, procs: np.ndarray) -> np.ndarray:
        """Counts per (replication, procedure) of cases in the given procedures."""
        flat = self.cases.rep[ids] * self.taken.shape[1] + procs
        return np.bincount(flat, minlength=self.taken.size).reshape(self.taken.shape)

    def leave(self, ids: np.ndarray) -> None:
        """Cases leave the chain: they free their places."""
        cs = self.cases
        inside = ids[cs.proc[ids] >= 0]
        if len(inside):
            self.taken -= self._tally(inside, cs.proc[inside])
            cs.proc[inside] = NONE

    def admit(self, ids: np.ndarray, stages: np.ndarray, rows: np.ndarray, day: int):
        """Procedure bookkeeping for cases about to enter ``stages``.

        Cases leaving a procedure free their place. Cases entering one take a place if the cap
        allows (in case-key order), get its legal term and a time limit. Returns the cases that
        enter ``stages`` (with their rows, see :class:`rules.Rules`) and, apart, those sent to a
        procedure's overflow stage (with that stage).
        """
        cs = self.cases
        none = (ids[:0], stages[:0])
        new_proc = self.rules.procedure[rows]
        old_proc = cs.proc[ids]
        moving = new_proc != old_proc
        if not moving.any():
            return ids, stages, rows, none
        leaving = moving & (old_proc >= 0)
        if leaving.any():
            self.taken -= self._tally(ids[leaving], old_proc[leaving])
            cs.proc[ids[leaving]] = NONE
        entering = moving & (new_proc >= 0)
        if not entering.any():
            return ids, stages, rows, none
        keep = np.ones(len(ids), dtype=bool)
        diverted: list[tuple[np.ndarray, int]] = []
        n_proc = self.taken.shape[1]
        for rq, sel in split(cs.rep[ids[entering]] * n_proc + new_proc[entering], np.flatnonzero(entering)):
            r, q = divmod(rq, n_proc)
            pp = self.rules.of_rep(r).procedures[q]
            if np.isfinite(pp.cap):
                room = max(int(pp.cap) - int(self.taken[r, q]), 0)
                if len(sel) > room:
                    sel = sel[np.argsort(cs.key[ids[sel]], kind="stable")]
                    over, sel = sel[room:], sel[:room]
                    keep[over] = False
                    diverted.append((ids[over], pp.overflow))
            members = ids[sel]
            cs.proc[members] = q
            self.taken[r, q] += len(members)
            if pp.term is not None:
                open_ = members[(cs.first_day[members] < 0) & ~cs.prior[members]]
                cs.deadline[open_] = self.terms.ends(r, pp.term, cs.lodged[open_])
                self.on_new_deadline(open_)
            if pp.limit is not None:
                wait = pp.limit.draw(self.rng.uniform(Source.DELAYS, cs.key[members], Tag.LIMIT, cs.rep[members]))
                due = day + np.floor(wait + 0.5).astype(np.int64)
                cs.proc_due[members] = due
                self.limits.add(due, members)
        if diverted:
            over_ids = np.concatenate([d[0] for d in diverted])
            over_stages = np.concatenate([np.full(len(d[0]), d[1], dtype=np.int64) for d in diverted])
            return ids[keep], stages[keep], rows[keep], (over_ids, over_stages)
        return ids[keep], stages[keep], rows[keep], none

    def timed_out(self, day: int) -> tuple[np.ndarray, np.ndarray]:
        """Cases still in a procedure whose time limit passes today, and their fallback stages."""
        ids = self.limits.pop(day)
        cs = self.cases
        if len(ids):
            ids = ids[(cs.proc[ids] >= 0) & (cs.proc_due[ids] == day) & (cs.stage[ids] >= 0)]
        if not len(ids):
            return ids, ids
        found = zip(cs.rep[ids], cs.proc[ids], cs.stage[ids], strict=True)
        target = np.array([self.rules.of_rep(r).procedures[q].on_limit[s] for r, q, s in found], dtype=np.int64)
        return ids[target >= 0], target[target >= 0]
