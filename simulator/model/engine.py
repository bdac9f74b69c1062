"""The discrete-event engine: the life of a case, in a batch of replications, on simpy.

A case is created (an outside application, a follow-on case, or the initial stock), enters a
stage (waiting time first, then its pool's line), is worked on, and when its stage is done it is
routed on: it may get a decision, create follow-on cases, enter its next stage or leave the
chain. That is this module. The rest of the world has components of its own, each owning its
state and its part of the day (:mod:`cycle` declares the day once):

* :mod:`arrivals` plans the outside inflow; :mod:`terms` gives each case its legal deadline;
* :mod:`staffing` keeps the FTE of every pool (hiring, training, attrition);
* :mod:`procedures` keeps the places and time limits of procedures such as the border procedure;
* :mod:`queues` keeps the pools' lines and serves them; :mod:`calendar` holds what is due later;
* :mod:`recorder` counts, copies the counts each day and month end, and hands the records out.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

import numpy as np
import simpy

from ..errors import IndsimError
from .arrivals import initial_stock, plan_arrivals
from .calendar import DelayStore
from .cases import Cases
from .compiled import Compiled, Params
from .cycle import Phase
from .followons import FollowOns
from .notices import Notices
from .procedures import Procedures
from .queues import Disciplines, QueueSet
from .recorder import Recorder, Run
from .rng import Source, Streams, Tag, combine
from .routing import create, enter, finish, issue_held, join, regroup, sort_finished
from .rules import Change, Rules
from .staffing import Staffing
from .terms import Terms

_NONE, _NO_FLAGS = np.zeros(0, dtype=np.int64), np.zeros(0, dtype=bool)  # a column not given to _create
RUNAWAY = 4  # cases a batch may create per case of its stock and outside arrivals (the baseline: 1.42)


class RunawayError(IndsimError):
    """A scenario whose follow-on cases multiply without end (a spawn cycle above one case per
    case passes every static check); stopped before it takes the machine's memory."""


@dataclass(frozen=True)
class Member:
    """One replication in a batch: its compiled scenario, seed, number and inflow level."""

    compiled: Compiled
    seed: int
    replication: int
    inflow_factor: float = 1.0


def members(compiled: Compiled, seed: int, replications: int | Sequence[int] = 0,
            inflow_factors: float | Sequence[float] = 1.0) -> list[Member]:
    """Replications of one scenario with one seed, as members of a batch."""
    reps = [int(replications)] if np.ndim(replications) == 0 else [int(r) for r in replications]
    factors = np.broadcast_to(np.asarray(inflow_factors, dtype=float), (len(reps),))
    return [Member(compiled, seed, r, float(f)) for r, f in zip(reps, factors, strict=True)]


REPORT_DAYS = 30  # how often Engine.run tells its caller how far it is


class Engine:
    """A batch of replications run side by side in one simulated world.

    The replications may belong to different scenarios that share a structure (the same names,
    dates and calendar; other numbers): each scenario is a parameter set (:class:`rules.Rules`).
    Each replication has its own cases, queues, procedure places and random keys; replications of
    one parameter set share only its staffing, which randomness does not touch. Cases move in
    numpy batches and compiled loops whose cost grows more slowly than their size, so a batch of
    R replications runs faster than R single runs, with exactly the same numbers (:meth:`take`
    hands one replication's records out).
    """

    def __init__(self, batch: Sequence[Member], year_ends_only: bool = False):
        """``year_ends_only``: snapshots at year ends only (see :class:`Recorder`)."""
        self.members = list(batch)
        sets: list[Compiled] = []
        for m in self.members:  # parameter sets in order of first appearance
            if not any(m.compiled is c for c in sets):
                sets.append(m.compiled)
        st = self.st = sets[0].structure
        if any(c.structure.signature != st.signature for c in sets[1:]):
            raise ValueError("a batch holds scenarios of one structure only (same names, dates and calendar)")
        set_of_rep = np.array([next(k for k, c in enumerate(sets) if m.compiled is c) for m in self.members])
        R = self.R = len(self.members)
        self.n_pools = len(st.pools)
        self.rng = Streams([m.seed for m in self.members], [m.replication for m in self.members])
        self.env = simpy.Environment()
        self.phase = Phase.CONTROL
        self.rules = Rules(sets, set_of_rep)
        self.plan = plan_arrivals([m.compiled for m in self.members], self.rng,
                                  np.array([m.inflow_factor for m in self.members]))
        # follow-on cases (appeals, family members, renewals) come on top of the planned arrivals;
        # unused capacity costs nothing (see Cases)
        n_stock = sum(len(m.compiled.stock.keys) for m in self.members)
        self.cases = Cases(n_stock + 3 * len(self.plan.day) + 1024, reuse=True)
        self.most_cases = max(RUNAWAY * (n_stock + len(self.plan.day)), 1_000_000)
        self.terms = Terms(sets)
        self.procedures = Procedures(R, len(st.procedures), st.n_days, self.cases, self.rng, self.rules, self.terms)
        self.procedures.on_new_deadline = lambda ids: self.notices.watch(ids)
        self.recorder = Recorder(st, set_of_rep, self.cases, year_ends_only)
        self.staffing = Staffing(st, self.rules.now, self.recorder.month_start)
        n_ranks = 2 + max((int(pp.rank.max()) for c in sets for p in c.params for pp in p.pools if len(pp.rank)),
                          default=0)  # lane 0 is for cases a court ordered to be decided
        # line of pool j in replication r: r * n_pools + j
        self.queues = QueueSet(R * self.n_pools, n_ranks, ids=self.cases.capacity, reuse=True)
        self.disciplines = Disciplines()
        self.delayed = DelayStore(st.n_days)  # cases waiting out a delay, by the day it ends
        self.followons = FollowOns(st, self.cases, self.rng, self.rules.set_of_rep)  # appeals, family members, renewals
        self.notices = Notices([c.penalty for c in sets], set_of_rep, self.cases, self.rng, st.n_days)
        self.finished: list[np.ndarray] = []  # work finished today, per pool, routed at ROUTING
        self._orders: list[np.ndarray] = []  # cases a court ordered IND to decide, prioritised after ROUTING

    # ---------------------------------------------------------------- the day
    def run(self, advanced: Callable[[float], None] | None = None) -> Engine:
        """Simulate the whole horizon; the engine then holds the records of every replication.
        ``advanced(share)`` hears every :data:`REPORT_DAYS` days what share of the horizon is done
        (for a progress bar: a batch of 7 years takes seconds; nothing in the run depends on it)."""
        stock = initial_stock([m.compiled for m in self.members])
        if len(stock["keys"]):  # stock first: it keeps the lowest case ids
            self._create(0, stock["stream"], stock["group"], stock["keys"], stock["rep"], lodged=stock["lodged"],
                         prior=stock["decided"], stage=stock["stage"], stock=True)
        self.queues.intake()  # the initial stock is workable from day 0
        self._snapshot(-1)
        self.env.process(self._days(advanced))
        self.env.run()
        return self

    def _phases(self) -> list[tuple[Phase, Callable[[int], None]]]:
        """The day's phases in their declared order, each with the method that runs it."""
        handlers = {Phase.CONTROL: self._control, Phase.ARRIVALS: self._arrivals, Phase.RELEASES: self._releases,
                    Phase.INTAKE: self._intake, Phase.WORK: self._work, Phase.ROUTING: self._routing,
                    Phase.APPEALS: self._appeals, Phase.RECORD: self._record}
        return [(phase, handlers[phase]) for phase in Phase]

    def _days(self, advanced: Callable[[float], None] | None):
        """The simpy process of the calendar: each day, its phases in their declared order (the
        working-day phases on working days only). One event a day, not one per phase: nothing
        happens between two phases of a day but the phases themselves."""
        phases, workday, n_days = self._phases(), self.st.workday, self.st.n_days
        for day in range(n_days):
            yield self.env.timeout(day - self.env.now)
            for phase, handler in phases:
                if workday[day] or not phase.workdays_only:
                    self.phase = phase
                    handler(day)
            if advanced is not None and (day + 1) % REPORT_DAYS == 0:
                advanced((day + 1) / n_days)

    def _control(self, day: int) -> None:
        for k, old, new in self.rules.switch(day):
            self._switch(k, old, new, day)
        self.staffing.day(day)
        ids, target = self.procedures.timed_out(day)
        if len(ids):
            self._pull(ids)
            cs, rules = self.cases, self.rules
            here, there = rules.rows(cs.stage[ids], ids, cs.rep), rules.rows(target, ids, cs.rep)
            issued = issue_held(ids, here, there, day, rules.completes, cs.prior, cs.first_day, cs.first_outcome)
            self.recorder.opened(issued, -1)
            self._enter(ids, target, day)

    def _arrivals(self, day: int) -> None:
        plan, rows = self.plan, self.plan.on(day)
        if rows.stop > rows.start:
            self._create(day, plan.stream[rows], plan.group[rows], plan.key[rows], plan.rep[rows])
        due = self.followons.due(day)
        if due is not None:
            self._create(day, *due)

    def _releases(self, day: int) -> None:
        ids = self.delayed.pop(day)
        if len(ids):
            self._after_wait(ids, self.cases.stage[ids], day)

    def _intake(self, day: int) -> None:
        self.queues.intake()

    def _work(self, day: int) -> None:
        """Every pool spends today's hours in every replication; finished cases move on at ROUTING."""
        finished, available, used = self.staffing.work(self.queues, self.cases, self.rules.set_of_rep)
        self.finished.extend(finished)
        self.recorder.worked(day, available, used)

    def _routing(self, day: int) -> None:
        """All work finished today moves on at once, whatever pool did it."""
        if self.finished:
            done = np.concatenate(self.finished) if len(self.finished) > 1 else self.finished[0]
            self.finished = []
            self._route(done, self.cases.stage[done], day)
        if self._orders:  # after all of today's moves, so a case is only ever in one line
            self._prioritise(np.concatenate(self._orders))
            self._orders = []

    def _appeals(self, day: int) -> None:
        """Appeals for not deciding in time lodged today: court cases about the late cases, in
        their streams but not applications themselves (see :mod:`notices`)."""
        late, stage = self.notices.lodged(day)
        if len(late):
            cs = self.cases
            self._create(day, cs.stream[late], cs.group[late], combine(cs.key[late], Tag.NONTIMELY), cs.rep[late],
                         late, prior=np.ones(len(late), dtype=bool), stage=stage)

    def _record(self, day: int) -> None:
        self.recorder.end_of_day(day)
        if self.recorder.snapshot_day[day]:
            self._snapshot(day)

    def _snapshot(self, day: int) -> None:
        self.recorder.snapshot(day, self.staffing.working(), self.staffing.in_training(), self.queues.lengths())

    # ---------------------------------------------------------------- the life of a case
    def _create(self, day: int, stream: np.ndarray, group: np.ndarray, keys: np.ndarray, reps: np.ndarray,
                parent: np.ndarray | None = None, *, lodged: np.ndarray | None = None,
                prior: np.ndarray | None = None, stage: np.ndarray | None = None, stock: bool = False) -> None:
        """New cases (``prior``: not open applications; ``stage``: their first stage, else their
        stream's entry; ``stock``: the initial stock, part-way through that stage)."""
        cs = self.cases
        if cs.n + len(keys) > self.most_cases:
            raise RunawayError(f"follow-on cases multiply without end: more than {self.most_cases:,} cases "
                               f"(a million, or {RUNAWAY} times the stock and the outside arrivals if more); a cycle "
                               "of spawns makes more than one case per case (see spawn.expected on the routes that "
                               "lead back to their own stream)")
        start = cs.add(len(keys)).start  # before reading the columns: adding may move them
        ids, new = create(start, day, keys, reps, stream, group, _NONE if lodged is None else lodged,
                          _NONE if parent is None else parent, _NO_FLAGS if prior is None else prior,
                          self.st.stream_application, *self.terms.table, self.rules.set_of_rep, cs.key, cs.rep,
                          cs.stream, cs.sx, cs.group, cs.lodged, cs.deadline, cs.parent, cs.prior)
        if not stock and 0 <= day < self.st.n_days:
            self.recorder.arrived(day, new)
        self.recorder.opened(new)
        self.notices.watch(new)
        self._enter(ids, self.rules.entry(stream, group, reps) if stage is None else stage, day, residual=stock)

    def _enter(self, ids: np.ndarray, stages: np.ndarray, day: int, residual: bool = False) -> None:
        """Cases start their next stage: waiting time first, then the pool's queue."""
        cs, rules = self.cases, self.rules
        rows = rules.rows(stages, ids, cs.rep)
        if len(self.st.procedures):
            ids, stages, rows, (over, over_stages) = self.procedures.admit(ids, stages, rows, day)
            if len(over):  # no place in the procedure: its overflow stage instead
                self._enter(over, over_stages, day)
            if not len(ids):
                return
        stock, _ = self.recorder.live
        wait, timed = enter(ids, stages, rows, day, residual, *rules.delay, cs.key, cs.rep, cs.sx, cs.lodged,
                            cs.stage, cs.step, cs.entered, cs.done, cs.hours, rules.appeal, stock,
                            self.recorder.court_in(day), self.recorder.n_cells, self.rng.keys[Source.DELAYS])
        if timed:
            if residual:  # initial stock is part-way through its waiting time
                wait *= self.rng.uniform(Source.DELAYS, cs.key[ids], Tag.RESIDUAL, cs.rep[ids])
            ids, stages, rows = self.delayed.hold(day, wait, ids, stages, rows)
            if not len(ids):
                return
        if residual:  # stock that moves on at once does so in day 0's release phase, after the
            moving = rules.pool[rows] < 0  # snapshot of the initial stock has been taken
            if moving.any():
                self.delayed.add(np.full(moving.sum(), day), ids[moving])
                ids, stages, rows = ids[~moving], stages[~moving], rows[~moving]
        self._after_wait(ids, stages, day, stock=residual, rows=rows)

    def _after_wait(self, ids: np.ndarray, stages: np.ndarray, day: int, stock: bool = False,
                    rows: np.ndarray | None = None) -> None:
        """Cases whose waiting is over join their pool's line (or move on if no work is needed);
        ``rows``: their stage-table rows, if known.

        FIFO order is the day a case's work becomes visible to the pool (its intake): today if it
        joins before the intake phase, tomorrow otherwise. The initial stock queues by lodging date.
        """
        cs, rules = self.cases, self.rules
        if rows is None:
            rows = rules.rows(stages, ids, cs.rep)
        visible = day if self.phase <= Phase.INTAKE else day + 1
        idle, busy, lines, keys = join(
            ids, rows, visible, stock, rules.pool, rules.first, self.n_pools, rules.set_of_rep, *rules.hours_dist,
            cs.key, cs.step, cs.rep, cs.entered, cs.hours, self.rng.keys[Source.HOURS],
            *self.disciplines.tables(rules.now), cs.stage, cs.stream, cs.group, cs.lodged, cs.ordered)
        if len(idle):  # before the others join their lines: follow-on cases it creates may join them first
            self._route(ids[idle], stages[idle], day)
        self.queues.add(lines, keys, busy)

    def _draw_hours(self, ids: np.ndarray) -> None:
        """Hours the cases need at their current stage: drawn when a case joins a line, and again
        for everything waiting when the rules change, so they follow the rules in force."""
        if len(ids):
            self.cases.hours[ids] = self.rules.hours(self.cases, ids, self.rng.keys[Source.HOURS])

    def _route(self, ids: np.ndarray, stages: np.ndarray, day: int) -> None:
        """Cases finish their stage: record decisions, create follow-on cases, move on."""
        cs, rules = self.cases, self.rules
        rows = rules.rows(stages, ids, cs.rep)
        choice, outcome, to = finish(ids, stages, rows, day, rules.cum, rules.to, rules.outcome, rules.ind,
                                     rules.completes, cs.key, cs.step, cs.rep, cs.group, cs.sx, cs.prior, cs.stage,
                                     cs.first_day, cs.first_outcome, cs.last_outcome, cs.decisions, cs.exit_day,
                                     *self.recorder.live, self.rng.keys[Source.ROUTING])
        (taken, *decided), moving, spawning, spawn_groups, leaving, staying, next_stages = sort_finished(
            ids, stages, rows, choice, outcome, to, rules.spawn, rules.moves_group, cs.rep)
        if len(taken):
            self.recorder.decisions.append(taken, day, *decided)  # stage, outcome, replication
        if len(moving):
            regroup(ids[moving], rows[moving], choice[moving], rules.regroup, rules.group_cum, rules.set_of_rep,
                    cs.stream, cs.key, cs.step, cs.rep, cs.group, self.rng.keys[Source.ROUTING])
        if len(spawning):
            for _, o, first, end in spawn_groups.tolist():
                at = spawning[first: end]
                for spawns, parents in rules.follow_ons(rows[at], o, ids[at]):
                    for spawn in spawns:
                        now, later = self.followons.spawn(spawn, parents, day)
                        if now is not None:
                            self._create(day, *now)
                        self.followons.schedule(later)
        if self.notices.on:
            self._orders.append(self.notices.orders(ids, stages))
        if len(leaving):
            self.procedures.leave(leaving)  # after the follow-on cases: they may take the places
        if len(staying):
            self._enter(staying, next_stages, day)

    def _prioritise(self, ids: np.ndarray) -> None:
        """Cases a court ordered IND to decide: first in line from now on (those waiting in a
        line move to its front; the others get there when they join one)."""
        cs, rules = self.cases, self.rules
        ids = ids[(cs.first_day[ids] < 0) & (cs.stage[ids] >= 0)]
        cs.ordered[ids] = True
        pools = rules.pool[rules.rows(cs.stage[ids], ids, cs.rep)]
        queued = (pools >= 0) & self._in_a_line(ids)
        ids, pools = ids[queued], pools[queued]
        if len(ids):
            reps = cs.rep[ids]
            keys = self.disciplines.keys(rules.now, rules.pool_rows(pools, reps), ids, cs)  # lane 0: ordered
            self.queues.requeue(reps * self.n_pools + pools, keys, ids)

    def _in_a_line(self, ids: np.ndarray) -> np.ndarray:
        """Whether each case waits in (or is served from) its pool's line: hours are drawn when a
        case joins one (:func:`routing.join`) and cleared when it enters its next stage."""
        return ~np.isnan(self.cases.hours[ids])

    def _pull(self, ids: np.ndarray) -> None:
        """Take waiting cases out of their stage (queue or waiting time), as if they left it."""
        cs = self.cases
        waiting = ~self._in_a_line(ids)  # only these can be in the delay store, whose removal
        if waiting.any():  # scans every day still to come
            self.delayed.remove(ids[waiting])
        pools = self.rules.pool[self.rules.rows(cs.stage[ids], ids, cs.rep)]
        queued = pools >= 0
        self.queues.remove(cs.rep[ids[queued]] * self.n_pools + pools[queued], ids[queued])
        self.recorder.staged(ids, cs.stage[ids], -1)

    # ---------------------------------------------------------------- rules
    def _switch(self, k: int, old: Params, new: Params, day: int) -> None:
        """New rules for parameter set ``k`` from today (already in :attr:`rules`): its waiting
        work gets hours under them and moves with a stage that moved to another pool, its lines
        take a new order, and its staff follow the rules' FTE."""
        change, cs = Change.between(old, new), self.cases
        reps = np.flatnonzero(self.rules.set_of_rep == k)
        pools = np.unique(old.stages.pool[change.hours])  # a waiting case is in its stage's pool's line
        pools = pools[pools >= 0]
        if len(pools):  # unchanged hours would redraw to the same values: skip them
            waiting = np.concatenate([self.queues.waiting(r * self.n_pools + j) for r in reps for j in pools])
            self._draw_hours(waiting[change.hours[cs.stage[waiting]]])
        for s, pool in change.moved:
            for q in reps * self.n_pools + pool:
                waiting = self.queues.waiting(q)
                waiting = waiting[cs.stage[waiting] == s]
                if len(waiting):
                    self.queues.remove(q, waiting)
                    self._after_wait(waiting, np.full(len(waiting), s), day)
        self.staffing.switch(k, new)
        for j in change.reordered:
            row = k * self.n_pools + j
            for q in reps * self.n_pools + j:
                self.queues.rekey(q, lambda ids, row=row: self.disciplines.keys(
                    self.rules.now, np.full(len(ids), row), ids, cs,
                    self.rules.first[self.rules.rows(cs.stage[ids], ids, cs.rep)]))

    # ---------------------------------------------------------------- hand-out
    def take(self, i: int, columns: Collection[str] | None = None) -> Run:
        """Replication number ``i`` of the batch, as the records of a run of its own (``columns``:
        only these case columns)."""
        m = self.members[i]
        return self.recorder.take(i, m.compiled, m.seed, m.replication, m.inflow_factor, columns)

    def give_back(self) -> None:
        """Hand the case and decision columns, the queues' table of keys and the table of
        follow-on cases on to the next engine in this process."""
        self.recorder.give_back()
        self.queues.give_back()
        self.followons.give_back()
