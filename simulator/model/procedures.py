"""Procedures: sets of stages with limits of their own (the Pact's border procedure, say).

A procedure holds at most ``cap`` cases at once per replication (the others go to its overflow
stage), gives its members a legal term of its own, and moves a member that is still inside when
its time limit passes to a fallback stage. This component owns the places taken and the time
limits due; the engine asks it what to do with cases about to enter a stage.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numba import njit

from .calendar import DelayStore
from .cases import NONE, Cases
from .prefetch import ahead
from .rng import Source, Streams, Tag
from .rules import Rules
from .sampling import draw_at, table
from .tallies import group_by
from .terms import Terms


@njit(cache=True, nogil=True)
def _moves(ids: np.ndarray, rows: np.ndarray, procedure: np.ndarray, proc: np.ndarray, rep: np.ndarray,
           taken: np.ndarray):
    """One pass over cases about to enter the stages of their rows: those leaving a procedure
    free their place (``taken``, by replication and procedure) and are in none; returns the
    positions of those entering one, grouped by (replication, procedure) in the order given, and
    that pair's number (replication x procedures + procedure). Most days' moves do neither."""
    n_proc = taken.shape[1]
    at, pair = np.empty(len(ids), dtype=np.int64), np.empty(len(ids), dtype=np.int64)
    m = 0
    for i in range(len(ids)):
        ahead(ids, i, proc)
        c = ids[i]
        new, old = procedure[rows[i]], proc[c]
        if new == old:
            continue
        if old >= 0:
            taken[rep[c], old] -= 1
            proc[c] = NONE
        if new >= 0:
            at[m], pair[m] = i, rep[c] * n_proc + new
            m += 1
    if m == 0:
        return at[:0], pair[:0]
    order, _ = group_by(pair[:m], taken.size)
    return at[:m][order], pair[:m][order]


@njit(cache=True, nogil=True)
def _time_limits(group: np.ndarray, day: int, kind: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray,
                 key: np.ndarray, rep: np.ndarray, set_of_rep: np.ndarray, sources: np.ndarray,
                 proc_due: np.ndarray) -> np.ndarray:
    """The day each member's time limit passes: ``day`` plus its draw (rounded to whole days)
    from its parameter set's row of the table ``(kind, a, b, c)`` (see :func:`sampling.draw_at`)
    at the member's own uniform (:attr:`Tag.LIMIT`), also written to ``proc_due``."""
    due = np.empty(len(group), dtype=np.int64)
    for i in range(len(group)):
        ahead(group, i, key)
        m = group[i]
        wait = draw_at(kind, a, b, c, set_of_rep[rep[m]], key[m], Tag.LIMIT, sources[rep[m]])
        due[i] = day + np.int64(np.floor(wait + 0.5))
        proc_due[m] = due[i]
    return due


class Procedures:
    """Places taken per (replication, procedure) and the time limits still to come."""

    def __init__(self, n_reps: int, n_procedures: int, n_days: int, cases: Cases, rng: Streams, rules: Rules,
                 terms: Terms):
        self.taken = np.zeros((n_reps, n_procedures), dtype=np.int64)
        self.limits = DelayStore(n_days)
        self.cases, self.rng, self.rules, self.terms = cases, rng, rules, terms
        self.on_new_deadline: Callable[[np.ndarray], None] = lambda ids: None
        self._for: tuple[int, ...] = ()  # the rules the tables below were made for (see _in_force)
        self._caps = np.zeros(self.taken.shape)
        self._plans: list[tuple[list[tuple], tuple | None]] = []
        self._on_limit = np.zeros((0, 0), dtype=np.int64)

    def _tally(self, ids: np.ndarray, procs: np.ndarray) -> np.ndarray:
        """Counts per (replication, procedure) of cases in the given procedures."""
        flat = self.cases.rep[ids] * self.taken.shape[1] + procs
        return np.bincount(flat, minlength=self.taken.size).reshape(self.taken.shape)

    def leave(self, ids: np.ndarray) -> None:
        """Cases leave the chain: they free their places."""
        if not self.taken.size:  # no procedures: no places
            return
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
        # leavers free their places; the others, by replication and procedure, each in the given order
        at, pair = _moves(ids, rows, self.rules.procedure, cs.proc, cs.rep, self.taken)
        if not len(at):
            return ids, stages, rows, none
        n_proc = self.taken.shape[1]
        counts = np.bincount(pair, minlength=self.taken.size).reshape(self.taken.shape)
        keep = np.ones(len(ids), dtype=bool)
        diverted: list[tuple[np.ndarray, int]] = []
        self._in_force()
        for r, q in np.argwhere(counts > np.maximum(self._caps - self.taken, 0)).tolist():  # no room for all
            pp = self.rules.of_rep(r).procedures[q]
            mine = pair == r * n_proc + q
            sel = at[mine]
            sel = sel[np.argsort(cs.key[ids[sel]], kind="stable")]  # places go in case-key order
            room = max(int(pp.cap) - int(self.taken[r, q]), 0)
            keep[sel[room:]] = False
            diverted.append((ids[sel[room:]], pp.overflow))
            at[np.flatnonzero(mine)] = sel  # the members keep case-key order
        if diverted:
            kept = keep[at]
            at, pair = at[kept], pair[kept]
        members, procs = ids[at], pair % n_proc
        cs.proc[members] = procs
        self.taken += self._tally(members, procs)
        # terms per procedure, for the parameter sets that agree on them at once, then the time
        # limits of all its members in one pass: each replication's members in the order above
        # (its procedures in turn), so a replication sees what it would alone
        sets = self.rules.set_of_rep[cs.rep[members]] if len(self.rules.now) > 1 else None

        def of(in_q: np.ndarray | None, of_set: np.ndarray) -> np.ndarray:
            """The members in procedure ``in_q`` (None: all) whose parameter set is in ``of_set``."""
            sel = in_q if sets is None else (of_set[sets] if in_q is None else in_q & of_set[sets])
            return members if sel is None else members[sel]

        for q, (terms, limits) in enumerate(self._plans):
            in_q = procs == q if n_proc > 1 else None
            for term, of_set in terms:
                group = of(in_q, of_set)
                if len(group):
                    open_ = group[(cs.first_day[group] < 0) & ~cs.prior[group]]
                    cs.deadline[open_] = self.terms.ends(term, cs.lodged[open_])
                    self.on_new_deadline(open_)
            if limits is not None:
                timed, tab = limits
                group = of(in_q, timed)
                if len(group):
                    due = _time_limits(group, day, *tab, cs.key, cs.rep, self.rules.set_of_rep,
                                       self.rng.keys[Source.DELAYS], cs.proc_due)
                    self.limits.add(due, group)
        if diverted:
            over_ids = np.concatenate([d[0] for d in diverted])
            over_stages = np.concatenate([np.full(len(d[0]), d[1], dtype=np.int64) for d in diverted])
            return ids[keep], stages[keep], rows[keep], (over_ids, over_stages)
        return ids, stages, rows, none

    def _in_force(self) -> None:
        """Make the tables of the rules in force, if they changed: the places per (replication,
        procedure) (inf: no cap); per procedure its legal terms, each with a mask of the
        parameter sets that give it, and its time limits, as a mask of the sets that have one
        and a table ``(kind, a, b, c)`` with a row per set (None: no set has one); and the
        fallback stage per (set x procedure, stage)."""
        now = tuple(map(id, self.rules.now))
        if self._for == now:
            return
        sets, n_proc = self.rules.now, self.taken.shape[1]
        self._for, self._plans = now, []
        self._caps = np.array([[pp.cap for pp in self.rules.of_rep(r).procedures]
                               for r in range(self.taken.shape[0])], dtype=float)
        for q in range(n_proc):
            terms: dict[tuple, list[int]] = {}
            for k, p in enumerate(sets):
                if p.procedures[q].term is not None:
                    terms.setdefault(p.procedures[q].term, []).append(k)
            masks = [(term, np.isin(np.arange(len(sets)), ks)) for term, ks in terms.items()]
            limit = [p.procedures[q].limit for p in sets]
            timed = np.array([x is not None for x in limit])
            present = next((x for x in limit if x is not None), None)
            tab = None if present is None else (timed, table([present if x is None else x for x in limit]))
            self._plans.append((masks, tab))
        self._on_limit = np.array([p.procedures[q].on_limit for p in sets for q in range(n_proc)], dtype=np.int64)

    def timed_out(self, day: int) -> tuple[np.ndarray, np.ndarray]:
        """Cases still in a procedure whose time limit passes today, and their fallback stages."""
        ids = self.limits.pop(day)
        cs = self.cases
        if len(ids):
            ids = ids[(cs.proc[ids] >= 0) & (cs.proc_due[ids] == day) & (cs.stage[ids] >= 0)]
        if not len(ids):
            return ids, ids
        self._in_force()
        n_proc, stages = self.taken.shape[1], cs.stage[ids]
        plan = self.rules.set_of_rep[cs.rep[ids]] * n_proc + cs.proc[ids]  # (parameter set, procedure)
        target = self._on_limit[plan, stages]
        return ids[target >= 0], target[target >= 0]
