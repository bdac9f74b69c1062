"""The discrete-event engine: one replication of a compiled scenario on simpy.

Time is counted in days from the scenario start. Each day runs in fixed phases, as simpy events
at fractional times, so the order never depends on how a scenario file is written:

====== ===========================================================================
 t+0.0  control: parameter changes in force from today; hiring, training, attrition
 t+0.1  arrivals: new applications and follow-on cases due today
 t+0.2  releases: cases whose waiting time (delay) ends today
 t+0.3  intake: work queued since yesterday's work becomes visible to the pools
 t+0.5  work: every pool (one simpy process each) spends its hours on its queue
 t+0.6  routing: cases finished today record their decisions and move on
 t+0.9  record: stocks of the day, month-end snapshots
====== ===========================================================================

Semantics: a pool serves capacity per working day (FTE x productive hours / working days);
work on a case that does not fit in the day carries over. A case finished today enters its next
stage's queue for tomorrow, so within a day the pools never see each other's output.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import simpy

from .calendar import Calendar, DelayStore
from .cases import NONE, Cases
from .compiled import AGE_EDGES_DAYS, DAYS_PER_MONTH, DRAW, INHERIT, Compiled, Params, Structure
from .decisions import DecisionLog, Decisions
from .kernels import count_into, month_end, route_choice, spawn_keys
from .queues import QueueSet, case_keys
from .rng import Streams, combine
from .sampling import draw_rows, gamma_factor, poisson, poisson_same

_MONTH_TAG = np.uint64(0xA11CE)
_RESIDUAL_TAG = np.uint64(0xBEEF)
_LIMIT_TAG = np.uint64(0x11A17)
_COUNT_TAG = np.uint64(0xC0C0)
_ELIGIBLE_TAG = np.uint64(0xE1E1)
_NO_STAGES = np.zeros(0, dtype=np.int64)


def add_months(start: np.datetime64, days: np.ndarray, months: float) -> np.ndarray:
    """Day numbers ``months`` calendar months after the given day numbers."""
    if months != int(months):
        return days + np.rint(months * 365.25 / 12).astype(days.dtype)
    dates = start + days.astype("timedelta64[D]")
    month = dates.astype("datetime64[M]")
    dom = (dates - month.astype("datetime64[D]")).astype(np.int64)
    target = month + np.timedelta64(int(months), "M")
    length = ((target + np.timedelta64(1, "M")).astype("datetime64[D]")
              - target.astype("datetime64[D]")).astype(np.int64)
    out = target.astype("datetime64[D]") + np.minimum(dom, length - 1).astype("timedelta64[D]")
    return (out - start).astype(np.int64)


def _tally(flat: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    """How often each cell of an array of ``shape`` occurs in the flat indices ``flat``."""
    return np.bincount(flat, minlength=int(np.prod(shape))).reshape(shape)


def split(values: np.ndarray, ids: np.ndarray):
    """Yield (value, ids having that value) in ascending value order, ids in their order;
    cheap when the whole batch shares one value."""
    if len(values) == 0:
        return
    lo, hi = values.min(), values.max()
    if lo == hi:
        yield int(lo), ids
        return
    shifted = values - lo
    counts = np.bincount(shifted)
    present = np.flatnonzero(counts)
    if len(present) <= 4:
        for v in present.tolist():
            yield v + int(lo), ids[shifted == v]
        return
    order = np.argsort(shifted.astype(np.int16) if hi - lo < 2**15 else shifted, kind="stable")  # radix
    grouped = ids[order]
    ends = np.cumsum(counts)
    for v in present.tolist():
        yield v + int(lo), grouped[ends[v] - counts[v]: ends[v]]


def _pairs(a: np.ndarray, b: np.ndarray, ids: np.ndarray):
    """Yield ((a, b), ids) for each distinct pair of values."""
    pair = a * (int(b.max()) + 1) + b
    for _, sel in split(pair, np.arange(len(ids))):
        yield (int(a[sel[0]]), int(b[sel[0]])), ids[sel]


@dataclass
class Planned:
    """All external arrivals of the run, drawn up front (sorted by day, then stream)."""

    day: np.ndarray
    stream: np.ndarray
    group: np.ndarray
    key: np.ndarray
    rep: np.ndarray  # position of the replication in the batch
    offsets: np.ndarray  # offsets[d]:offsets[d+1] are the arrivals of day d


class Engine:
    """A batch of replications of one scenario, run side by side in one simulated world.

    Each replication has its own cases, queues, procedure places and random keys; they share
    only the calendar and the staffing plan (which randomness does not touch). The engine moves
    cases in numpy batches and compiled loops whose cost grows more slowly than their size, so a batch
    of R replications runs faster than R single runs (about 2.4x per replication for R = 10), with
    exactly the same numbers (:meth:`view` takes one replication out).
    ``run()`` returns the raw records that :mod:`results` turns into tables.
    """

    def __init__(self, compiled: Compiled, seed: int, replications: int | Sequence[int] = 0,
                 inflow_factors: float | Sequence[float] = 1.0):
        self.c = compiled
        self.seed = seed
        self.reps = [int(replications)] if np.ndim(replications) == 0 else [int(r) for r in replications]
        R = self.R = len(self.reps)
        self.inflow_factors = np.broadcast_to(np.asarray(inflow_factors, dtype=float), (R,)).copy()
        st = compiled.structure
        self.st = st
        self.rng = Streams(seed, self.reps)
        self.env = simpy.Environment()
        self.start64 = np.datetime64(st.start, "D")
        n_days, n_stages, n_streams, n_pools = st.n_days, len(st.stages), len(st.streams), len(st.pools)
        self.version = 0
        self.p: Params = compiled.params[0]
        self.plan = self._plan_arrivals()
        self._first_lodged = min(0, int(compiled.stock.lodged.min()) if len(compiled.stock.keys) else 0)
        self._term_table: dict[tuple[float, str], np.ndarray] = {}
        self.deadline_of = self._deadline_table()
        # follow-on cases (appeals, family members, renewals) come on top of the planned arrivals;
        # unused capacity costs nothing (see Cases)
        self.cases = Cases(R * len(compiled.stock.keys) + 3 * len(self.plan.day) + 1024, reuse=True)
        n_ranks = 1 + max((int(pp.rank.max()) for p in compiled.params for pp in p.pools if len(pp.rank)), default=0)
        self.queues = QueueSet(R * n_pools, n_ranks)  # line of pool j in replication r: r * n_pools + j
        self.finished: list[np.ndarray] = []
        self.delayed = DelayStore(n_days)
        self.timeouts = DelayStore(n_days)  # procedure time limits
        self.in_procedure = np.zeros((R, len(st.procedures)), dtype=np.int64)
        self.ind_stage = np.array([o == "ind" for o in st.stage_owner])
        self.court_stage = np.array([o == "court" for o in st.stage_owner])
        self.spawn_due = Calendar(n_days, stream=np.int64, group=np.int64, key=np.uint64, parent=np.int64,
                                  rep=np.int64)  # follow-on cases due later
        self.counts = np.zeros((n_stages, R, n_streams), dtype=np.int64)  # stage-major: cheap to count
        self.open = np.zeros((R, n_streams), dtype=np.int64)
        self.fte = np.array([pp.fte for pp in self.p.pools], dtype=float)
        self.training: list[list[tuple[int, float]]] = [[] for _ in st.pools]
        self.daily_stock = np.zeros((n_days, n_stages, R, n_streams), dtype=np.int32)
        self.daily_open = np.zeros((n_days, R, n_streams), dtype=np.int32)
        self.daily_inflow = np.zeros((n_days, R, n_streams), dtype=np.int32)
        self.daily_court_in = np.zeros((n_days, R, n_streams), dtype=np.int32)
        self.hours_available = np.zeros((n_days, n_pools))
        self.hours_used = np.zeros((n_days, R, n_pools))
        self.decisions = DecisionLog(self.cases._cap)  # about one decision per case; unused room costs nothing
        dates = self.start64 + np.arange(n_days)
        months = dates.astype("datetime64[M]")
        self.month_start = np.r_[True, months[1:] != months[:-1]]
        self.month_end = np.r_[months[1:] != months[:-1], True]
        self.snap_days = np.r_[-1, np.flatnonzero(self.month_end)]
        n_snap = len(self.snap_days)
        n_bands = len(AGE_EDGES_DAYS)
        self.snap_stock = np.zeros((n_snap, n_stages, R, n_streams, n_bands), dtype=np.int64)
        self.snap_open = np.zeros((n_snap, R, n_streams, n_bands), dtype=np.int64)
        self.snap_past_term = np.zeros((n_snap, R, n_streams), dtype=np.int64)
        self.snap_fte = np.zeros((n_snap, n_pools))
        self.snap_training = np.zeros((n_snap, n_pools))
        self.snap_queue = np.zeros((n_snap, R, n_pools), dtype=np.int64)
        self._snap_i = 0
        self._active = np.zeros(0, dtype=np.int64)
        self._seen = 0
        self._disciplines: tuple = (-1,)  # (version, *_discipline_tables()) of the rules in force

    # ---------------------------------------------------------------- planning
    def _plan_arrivals(self) -> Planned:
        """Draw every external arrival of the horizon at once (counts by Poisson inversion).

        Sorted by day, then replication, then stream; within that in drawing order, so each
        replication's arrivals come in the order they would have alone.
        """
        st, c = self.st, self.c
        days = np.arange(st.n_days)
        dates = self.start64 + days
        month = dates.astype("datetime64[M]")
        month_index = (month - month[0]).astype(np.int64)
        month_of_year = month.astype(np.int64) % 12
        version = np.searchsorted(c.change_days, days, side="right") - 1
        parts = []
        for s, skey in enumerate(st.stream_keys):
            volume = np.array([p.volume[s] * p.eligible[s] for p in c.params])[version]
            if not volume.any():
                continue
            season = np.array([p.season[s] for p in c.params])[version, month_of_year]
            cv = np.array([p.cv[s] for p in c.params])[version]
            for r in range(self.R):
                noise = np.ones(st.n_days)
                if cv.any():
                    u_month = self.rng.uniform("arrivals", combine(skey, _MONTH_TAG), month_index, rep=r)
                    for v in np.unique(version):
                        sel = version == v
                        noise[sel] = gamma_factor(u_month[sel], float(c.params[v].cv[s]))
                rate = volume * season * noise * self.inflow_factors[r] / DAYS_PER_MONTH
                counts = poisson(self.rng.uniform("arrivals", np.uint64(skey), days, rep=r), rate)
                total = int(counts.sum())
                if total == 0:
                    continue
                day_of = np.repeat(days, counts)
                first = np.repeat(np.cumsum(counts) - counts, counts)
                keys = combine(combine(skey, day_of), np.arange(total) - first)
                u_group = self.rng.uniform("groups", keys, rep=r)
                group = np.zeros(total, dtype=np.int64)
                vday = version[day_of]
                for v in np.unique(vday):
                    sel = vday == v
                    group[sel] = np.searchsorted(c.params[v].group_cum[s], u_group[sel], side="right")
                group = np.minimum(group, len(st.groups) - 1)
                parts.append((day_of, np.full(total, s), group, keys, np.full(total, r)))
        if not parts:
            z = np.zeros(0, dtype=np.int64)
            return Planned(z, z, z, z.astype(np.uint64), z, np.zeros(st.n_days + 1, dtype=np.int64))
        day_of, stream, group, keys, reps = (np.concatenate(x) for x in zip(*parts, strict=True))
        order = np.lexsort((stream, reps, day_of))
        day_of, stream, group, keys, reps = day_of[order], stream[order], group[order], keys[order], reps[order]
        offsets = np.searchsorted(day_of, np.arange(st.n_days + 1))
        return Planned(day_of, stream, group, keys, reps, offsets)

    # ---------------------------------------------------------------- case moves
    def _deadline_table(self) -> np.ndarray:
        """Legal deadline per stream and lodging day, under the term in force that day."""
        days = np.arange(self.st.n_days, dtype=np.int64)
        table = np.zeros((len(self.st.streams), self.st.n_days), dtype=np.int64)
        version = np.searchsorted(self.c.change_days, days, side="right") - 1
        for s in range(len(self.st.streams)):
            for v in np.unique(version):
                sel = version == v
                table[s, sel] = self._term_ends(self.c.params[v].term[s], days[sel])
        return table

    def _term_end(self, term: tuple[float, str], lodged: np.ndarray) -> np.ndarray:
        value, unit = term
        if unit == "months":
            return add_months(self.start64, lodged, value)
        return lodged + round(value * (7 if unit == "weeks" else 1))

    def _term_ends(self, term: tuple[float, str], lodged: np.ndarray) -> np.ndarray:
        """:meth:`_term_end`, looked up in a table made once per term (any lodging day of the run)."""
        table = self._term_table.get(term)
        if table is None:
            days = np.arange(self._first_lodged, self.st.n_days, dtype=np.int64)
            table = self._term_table[term] = self._term_end(term, days)
        return table[lodged - self._first_lodged]

    def _deadline(self, stream: np.ndarray, lodged: np.ndarray) -> np.ndarray:
        if len(lodged) and lodged.min() >= 0:
            return self.deadline_of[stream, lodged]
        out = np.zeros(len(lodged), dtype=np.int64)
        for s, sel in split(stream, np.arange(len(stream))):
            out[sel] = self._term_ends(self.c.params[0].term[s], lodged[sel])
        return out

    def _per_stream(self, table: np.ndarray, ids: np.ndarray, sign: int = 1) -> None:
        """Count cases into a (replication, stream) table, in place."""
        count_into(table.reshape(-1), sign, ids, self.cases.sx, _NO_STAGES, 0)

    def _count(self, ids: np.ndarray, stages: np.ndarray, sign: int) -> None:
        """Count cases into the (stage, replication, stream) stock at the given stages, in place."""
        count_into(self.counts.reshape(-1), sign, ids, self.cases.sx, stages, self.R * len(self.st.streams))

    def _create(self, day: int, stream: np.ndarray, group: np.ndarray, keys: np.ndarray, reps: np.ndarray,
                parent: np.ndarray | None = None, lodged: np.ndarray | None = None,
                prior: np.ndarray | None = None, stage: np.ndarray | None = None) -> None:
        cs = self.cases
        ids = cs.add(len(keys))
        lodged_days = np.full(len(ids), day, dtype=np.int64) if lodged is None else lodged
        cs.key[ids] = keys
        cs.rep[ids] = reps
        cs.stream[ids] = stream
        cs.sx[ids] = reps * len(self.st.streams) + stream
        cs.group[ids] = group
        cs.lodged[ids] = lodged_days
        cs.deadline[ids] = self._deadline(stream, lodged_days)
        if parent is not None:
            cs.parent[ids] = parent
        if prior is not None:
            cs.prior[ids] = prior
        new = ids if prior is None else ids[~prior]
        if prior is None and 0 <= day < self.st.n_days:
            self._per_stream(self.daily_inflow[day], new)
        self._per_stream(self.open, new)
        if stage is None:
            self._enter(ids, self.p.entry[stream, group], day)
        else:
            self._enter(ids, stage, day, residual=True)

    def _enter(self, ids: np.ndarray, stages: np.ndarray, day: int, residual: bool = False) -> None:
        """Cases start their next stage: waiting time first, then the pool's queue."""
        cs = self.cases
        tab = self.p.stages
        if len(self.st.procedures):
            ids, stages = self._procedures(ids, stages, day)
            if not len(ids):
                return
        cs.stage[ids] = stages
        cs.step[ids] += 1
        cs.entered[ids] = cs.lodged[ids] if residual else day
        cs.done[ids] = 0.0
        cs.hours[ids] = np.nan
        self._count(ids, stages, 1)
        court = self.court_stage[stages]
        if not residual and court.any():
            self._per_stream(self.daily_court_in[day], ids[court])
        kind = tab.delay[0][stages]
        if kind.max() > 0 or tab.delay[1][stages].any():
            keys, reps = cs.key[ids], cs.rep[ids]
            wait = draw_rows(tab.delay, stages, keys, cs.step[ids], reps, self.rng.keys["delays"])
            if residual:  # initial stock is part-way through its waiting time
                wait *= self.rng.uniform("delays", keys, _RESIDUAL_TAG, reps)
            ready = day + np.floor(wait + 0.5).astype(np.int64)
            later = ready > day
            if later.any():
                self.delayed.add(ready[later], ids[later])
                now = ~later
                ids, stages = ids[now], stages[now]
                if not len(ids):
                    return
        if residual:  # stock that moves on at once does so in day 0's release phase, after the
            moving = tab.pool[stages] < 0  # snapshot of the initial stock has been taken
            if moving.any():
                self.delayed.add(np.full(moving.sum(), day), ids[moving])
                ids, stages = ids[~moving], stages[~moving]
        self._after_wait(ids, stages, day, stock=residual)

    def _procedures(self, ids: np.ndarray, stages: np.ndarray, day: int) -> tuple[np.ndarray, np.ndarray]:
        """Procedure bookkeeping for cases about to enter ``stages``.

        Cases leaving a procedure free their place. Cases entering one take a place if the cap
        allows (in case-key order), get its legal term and a time limit; the others are sent to
        the procedure's overflow stage instead. Returns the cases that enter ``stages``.
        """
        cs = self.cases
        new_proc = self.p.stages.procedure[stages]
        old_proc = cs.proc[ids]
        moving = new_proc != old_proc
        if not moving.any():
            return ids, stages
        leaving = moving & (old_proc >= 0)
        if leaving.any():
            self.in_procedure -= self._per_procedure(ids[leaving], old_proc[leaving])
            cs.proc[ids[leaving]] = NONE
        entering = moving & (new_proc >= 0)
        if not entering.any():
            return ids, stages
        keep = np.ones(len(ids), dtype=bool)
        n_proc = len(self.st.procedures)
        for rq, sel in split(cs.rep[ids[entering]] * n_proc + new_proc[entering], np.flatnonzero(entering)):
            r, q = divmod(rq, n_proc)
            pp = self.p.procedures[q]
            if np.isfinite(pp.cap):
                room = max(int(pp.cap) - int(self.in_procedure[r, q]), 0)
                if len(sel) > room:
                    sel = sel[np.argsort(cs.key[ids[sel]], kind="stable")]
                    over, sel = sel[room:], sel[:room]
                    keep[over] = False
                    self._enter(ids[over], np.full(len(over), pp.overflow), day)
            members = ids[sel]
            cs.proc[members] = q
            self.in_procedure[r, q] += len(members)
            if pp.term is not None:
                open_ = members[(cs.first_day[members] < 0) & ~cs.prior[members]]
                cs.deadline[open_] = self._term_ends(pp.term, cs.lodged[open_])
            if pp.limit is not None:
                wait = pp.limit.draw(self.rng.uniform("delays", cs.key[members], _LIMIT_TAG, cs.rep[members]))
                due = day + np.floor(wait + 0.5).astype(np.int64)
                cs.proc_due[members] = due
                self.timeouts.add(due, members)
        return ids[keep], stages[keep]

    def _per_procedure(self, ids: np.ndarray, procs: np.ndarray) -> np.ndarray:
        """Counts per (replication, procedure) of cases in the given procedures."""
        n_proc = len(self.st.procedures)
        return _tally(self.cases.rep[ids] * n_proc + procs, self.in_procedure.shape)

    def _time_limits(self, day: int) -> None:
        """Cases still in a procedure when its time limit passes move to its fallback stage."""
        ids = self.timeouts.pop(day)
        if not len(ids):
            return
        cs = self.cases
        ids = ids[(cs.proc[ids] >= 0) & (cs.proc_due[ids] == day) & (cs.stage[ids] >= 0)]
        if not len(ids):
            return
        pairs = zip(cs.proc[ids], cs.stage[ids], strict=True)
        target = np.array([self.p.procedures[q].on_limit[s] for q, s in pairs], dtype=np.int64)
        ids, target = ids[target >= 0], target[target >= 0]
        if len(ids):
            self._pull(ids)
            self._enter(ids, target, day)

    def _pull(self, ids: np.ndarray) -> None:
        """Take waiting cases out of their stage (queue or waiting time), as if they left it."""
        cs = self.cases
        self.delayed.remove(ids)
        pools = self.p.stages.pool[cs.stage[ids]]
        for q, sel in split(np.where(pools >= 0, cs.rep[ids] * len(self.st.pools) + pools, -1), ids):
            if q >= 0:
                self.queues.remove(q, sel)
        self._count(ids, cs.stage[ids], -1)

    def _after_wait(self, ids: np.ndarray, stages: np.ndarray, day: int, stock: bool = False) -> None:
        """Cases whose waiting is over join their pool's line (or move on if no work is needed).

        FIFO order is the day a case's work becomes visible to the pool (its intake): today if it
        joins before the intake phase, tomorrow otherwise. The initial stock queues by lodging date.
        """
        pools = self.p.stages.pool[stages]
        idle = pools < 0
        if idle.all():
            self._route(ids, stages, day)
            return
        if idle.any():
            self._route(ids[idle], stages[idle], day)
            ids, pools = ids[~idle], pools[~idle]
        if not stock:
            self.cases.entered[ids] = day if self.env.now <= day + 0.3 else day + 1
        self._draw_hours(ids)
        lines = pools if self.R == 1 else self.cases.rep[ids] * len(self.st.pools) + pools
        self.queues.add(lines, self._queue_keys(pools, ids), ids)

    def _queue_keys(self, pools: np.ndarray, ids: np.ndarray) -> np.ndarray:
        """Discipline keys of cases joining the given pools (under the rules in force)."""
        if self._disciplines[0] != self.version:
            self._disciplines = (self.version, *self._discipline_tables())
        _, by_lodging, rank_by, rank = self._disciplines
        cs = self.cases
        return case_keys(ids, pools, by_lodging, rank_by, rank, cs.stage, cs.stream, cs.group, cs.lodged,
                         cs.entered, cs.key)

    def _discipline_tables(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Per pool: order by lodging day?, what it ranks by (-1 nothing, 0 stage, 1 stream,
        2 group), and the rank of each stage, stream or group."""
        pools = self.p.pools
        by_lodging = np.array([pp.order == "oldest_first" or (pp.order == "priority" and pp.then == "oldest_first")
                               for pp in pools])
        rank_by = np.array([-1 if pp.rank_by is None else ("stage", "stream", "group").index(pp.rank_by)
                            for pp in pools], dtype=np.int64)
        rank = np.zeros((len(pools), max([len(pp.rank) for pp in pools] + [1])), dtype=np.int64)
        for j, pp in enumerate(pools):
            if pp.rank_by is not None:
                rank[j, : len(pp.rank)] = pp.rank
        return by_lodging, rank_by, rank

    def _route(self, ids: np.ndarray, stages: np.ndarray, day: int) -> None:
        """Cases finish their stage: record decisions, create follow-on cases, move on."""
        cs = self.cases
        tab = self.p.stages
        self._count(ids, stages, -1)
        choice = route_choice(ids, stages, cs.group, tab.cum, cs.key, cs.step, cs.rep, self.rng.keys["routing"])
        outcome = tab.outcome[stages, choice]
        decided = outcome >= 0
        if decided.any():
            self._decide(ids[decided], stages[decided], outcome[decided], day)
        spawning = tab.spawn[stages, choice]
        if spawning.any():
            for (s, o), sel in _pairs(stages[spawning], choice[spawning], ids[spawning]):
                for spawn in tab.options[s][o].spawns:
                    self._spawn(sel, spawn, day)
        to = tab.to[stages, choice]
        leaving = to < 0
        if leaving.any():
            self._exit(ids[leaving], day)
            if leaving.all():
                return
            ids, to = ids[~leaving], to[~leaving]
        self._enter(ids, to, day)

    def _decide(self, ids: np.ndarray, stages: np.ndarray, outcomes: np.ndarray, day: int) -> None:
        cs = self.cases
        self.decisions.append(ids, day, stages, outcomes)
        cs.decisions[ids] += 1
        cs.last_outcome[ids] = outcomes
        first = self.ind_stage[stages] & (cs.first_day[ids] < 0) & ~cs.prior[ids]
        if first.any():
            fids = ids[first]
            cs.first_day[fids] = day
            cs.first_outcome[fids] = outcomes[first]
            self._per_stream(self.open, fids, -1)

    def _exit(self, ids: np.ndarray, day: int) -> None:
        cs = self.cases
        inside = ids[cs.proc[ids] >= 0]
        if len(inside):
            self.in_procedure -= self._per_procedure(inside, cs.proc[inside])
            cs.proc[inside] = NONE
        cs.stage[ids] = NONE
        cs.exit_day[ids] = day
        undecided = ids[(cs.first_day[ids] < 0) & ~cs.prior[ids]]
        self._per_stream(self.open, undecided, -1)

    def _spawn(self, parents: np.ndarray, spawn: tuple, day: int) -> None:
        stream, after, group, expected = spawn
        cs = self.cases
        keys = spawn_keys(parents, cs.key, cs.step, self.st.stream_keys[stream])
        if self.p.eligible[stream] < 1.0:  # rules that admit only part of the follow-on cases
            admitted = self.rng.uniform("spawn", keys, _ELIGIBLE_TAG, cs.rep[parents]) < self.p.eligible[stream]
            parents, keys = parents[admitted], keys[admitted]
        if expected is not None:  # a random number of follow-on cases per parent
            u = self.rng.uniform("spawn", keys, _COUNT_TAG, cs.rep[parents])
            counts = poisson_same(u, expected)
            parents = np.repeat(parents, counts)
            first = np.repeat(np.cumsum(counts) - counts, counts)
            keys = combine(np.repeat(keys, counts), np.arange(len(parents)) - first)
            if not len(parents):
                return
        if group == INHERIT:
            groups = cs.group[parents].astype(np.int64)
        elif group == DRAW:
            u = self.rng.uniform("groups", keys, 0, cs.rep[parents])
            groups = np.minimum(np.searchsorted(self.p.group_cum[stream], u, side="right"),
                                len(self.st.groups) - 1)
        else:
            groups = np.full(len(parents), group)
        streams = np.full(len(parents), stream)
        reps = cs.rep[parents]
        wait = np.zeros(len(parents), dtype=np.int64)
        if not after.is_zero:
            wait = np.floor(after.draw(self.rng.uniform("spawn", keys, 0, reps)) + 0.5).astype(np.int64)
        due = day + wait
        now = due <= day
        if now.any():
            self._create(day, streams[now], groups[now], keys[now], reps[now], parent=parents[now])
        later = ~now & (due < self.st.n_days)
        if later.any():
            self.spawn_due.add(due[later], stream=streams[later], group=groups[later], key=keys[later],
                               parent=parents[later], rep=reps[later])

    # ---------------------------------------------------------------- pools
    def _hours_today(self, pool: int) -> float:
        pp = self.p.pools[pool]
        per_day = 365.25 * self.st.workdays_per_week / 7
        return self.fte[pool] * pp.hours_per_fte_year * pp.productivity / per_day

    def _draw_hours(self, ids: np.ndarray) -> None:
        """Hours the cases need at their current stage, drawn from their own uniforms.

        Drawn when a case joins a line, and again for everything waiting when the rules change,
        so the hours always follow the parameters in force when the work is done.
        """
        if not len(ids):
            return
        cs = self.cases
        cs.hours[ids] = draw_rows(self.p.stages.hours, cs.stage[ids], cs.key[ids], cs.step[ids], cs.rep[ids],
                                  self.rng.keys["hours"])

    def _work(self, pool: int, day: int) -> None:
        """The pool spends today's hours in every replication; finished cases move on in the routing phase."""
        hours = self._hours_today(pool)
        self.hours_available[day, pool] = hours
        n_pools = len(self.st.pools)
        cs = self.cases
        done, _, used, partial_id, partial = self.queues.serve(
            np.arange(pool, self.R * n_pools, n_pools), hours, cs.hours, cs.done)
        started = partial_id >= 0
        cs.done[partial_id[started]] += partial[started]
        self.hours_used[day, :, pool] = used
        if len(done):
            self.finished.append(done)

    def _staffing(self, day: int) -> None:
        """Graduations every day; attrition and new hires at the start of each month."""
        for j, pp in enumerate(self.p.pools):
            pipeline = self.training[j]
            while pipeline and pipeline[0][0] <= day:
                self.fte[j] += pipeline.pop(0)[1]
            if not self.month_start[day] or day == 0:
                continue
            self.fte[j] *= 1.0 - pp.attrition / 12.0
            in_training = sum(n for _, n in pipeline)
            if pp.target_fte is not None:
                hires = max(0.0, pp.target_fte - self.fte[j] - in_training)
            elif pp.hires_per_year is not None:
                hires = pp.hires_per_year / 12.0
            else:
                continue
            if pp.intake_cap is not None:
                hires = min(hires, pp.intake_cap / 12.0)
            if hires <= 0:
                continue
            if pp.training_days <= 0:
                self.fte[j] += hires
            else:
                pipeline.append((day + pp.training_days, hires))

    def _switch(self, version: int) -> None:
        old, new = self.p, self.c.params[version]
        self.p, self.version = new, version
        changed = np.zeros(len(self.st.stages), dtype=bool)
        for a, b in zip(old.stages.hours, new.stages.hours, strict=True):
            changed |= a != b
        if changed.any():  # unchanged hours would redraw to the same values: skip them
            waiting = np.concatenate([self.queues.waiting(q) for q in range(self.queues.n_lines)])
            self._draw_hours(waiting[changed[self.cases.stage[waiting]]])
        moved = np.flatnonzero(old.stages.pool != new.stages.pool)
        n_pools = len(self.st.pools)
        for s in moved:  # a stage's work moved to another pool: its waiting cases move too
            pool = old.stages.pool[s]
            if pool < 0:
                continue
            for r in range(self.R):
                q = r * n_pools + pool
                waiting = self.queues.waiting(q)
                waiting = waiting[self.cases.stage[waiting] == s]
                if len(waiting):
                    self.queues.remove(q, waiting)
                    self._after_wait(waiting, np.full(len(waiting), s), int(self.env.now))
        for j, (a, b) in enumerate(zip(old.pools, new.pools, strict=True)):
            if a.fte != b.fte:
                self.fte[j] = b.fte
            if (a.order, a.then, a.rank_by, tuple(a.rank)) != (b.order, b.then, b.rank_by, tuple(b.rank)):
                for r in range(self.R):
                    self.queues.rekey(r * n_pools + j, lambda ids, j=j: self._queue_keys(np.full(len(ids), j), ids))

    # ---------------------------------------------------------------- records
    def _snapshot(self, day: int) -> None:
        cs = self.cases
        i = self._snap_i
        self._snap_i += 1
        fresh = np.arange(self._seen, cs.n, dtype=np.int64)
        self._seen = cs.n
        active = np.concatenate([self._active, fresh])
        kept = month_end(active, cs.stage, cs.lodged, cs.sx, cs.first_day, cs.prior, cs.deadline, day,
                         AGE_EDGES_DAYS, self.snap_stock[i].reshape(-1), self.snap_open[i].reshape(-1),
                         self.snap_past_term[i].reshape(-1))
        self._active = active[:kept]
        self.snap_fte[i] = self.fte
        self.snap_training[i] = [sum(n for _, n in pl) for pl in self.training]
        self.snap_queue[i] = self.queues.lengths().reshape(self.R, len(self.st.pools))

    # ---------------------------------------------------------------- processes
    def _control(self):
        changes = {int(d): v for v, d in enumerate(self.c.change_days) if d > 0}
        for day in range(self.st.n_days):
            yield self.env.timeout(day - self.env.now)
            if day in changes:
                self._switch(changes[day])
            self._staffing(day)
            self._time_limits(day)

    def _arrivals(self):
        plan = self.plan
        for day in range(self.st.n_days):
            yield self.env.timeout(day + 0.1 - self.env.now)
            lo, hi = plan.offsets[day], plan.offsets[day + 1]
            if hi > lo:
                self._create(day, plan.stream[lo:hi], plan.group[lo:hi], plan.key[lo:hi], plan.rep[lo:hi])
            due = self.spawn_due.pop_rows(day)
            if due is not None:
                self._create(day, due["stream"], due["group"], due["key"], due["rep"], parent=due["parent"])

    def _releases(self):
        for day in range(self.st.n_days):
            yield self.env.timeout(day + 0.2 - self.env.now)
            ids = self.delayed.pop(day)
            if len(ids):
                self._after_wait(ids, self.cases.stage[ids], day)

    def _intake(self):
        for day in range(self.st.n_days):
            yield self.env.timeout(day + 0.3 - self.env.now)
            self.queues.intake()

    def _pool_cycle(self, pool: int):
        for day in np.flatnonzero(self.st.workday):
            yield self.env.timeout(day + 0.5 - self.env.now)
            self._work(pool, int(day))

    def _routing(self):
        """All work finished today moves on at once (t+0.6), whatever pool did it."""
        for day in range(self.st.n_days):
            yield self.env.timeout(day + 0.6 - self.env.now)
            if self.finished:
                done = np.concatenate(self.finished) if len(self.finished) > 1 else self.finished[0]
                self.finished = []
                self._route(done, self.cases.stage[done], day)

    def _record(self):
        for day in range(self.st.n_days):
            yield self.env.timeout(day + 0.9 - self.env.now)
            self.daily_stock[day] = self.counts
            self.daily_open[day] = self.open
            if self.month_end[day]:
                self._snapshot(day)

    def view(self, i: int) -> Run:
        """Replication number ``i`` of the batch, as the records of a run of its own.

        Case ids are renumbered in creation order, so the view equals what a batch of one gives.
        """
        cs = self.cases
        rows = np.flatnonzero(cs.rep[: cs.n] == i)
        cases, new_id = cs.subset(rows)
        cases.rep[: cases.n] = 0
        cases.sx[: cases.n] = cases.stream[: cases.n]
        dec = self.decisions.of_replication(i, cs.rep, self.R)
        decisions = Decisions(new_id[dec.ids], dec.days, dec.stages, dec.outcomes)
        return Run(
            c=self.c, st=self.st, replication=self.reps[i], inflow_factor=float(self.inflow_factors[i]),
            rng=Streams(self.seed, self.reps[i]), cases=cases, decisions=decisions,
            counts=self.counts[:, i], fte=self.fte, daily_stock=self.daily_stock[:, :, i],
            daily_open=self.daily_open[:, i],
            daily_inflow=self.daily_inflow[:, i], daily_court_in=self.daily_court_in[:, i],
            hours_available=self.hours_available, hours_used=self.hours_used[:, i], snap_days=self.snap_days,
            snap_stock=self.snap_stock[:, :, i], snap_open=self.snap_open[:, i],
            snap_past_term=self.snap_past_term[:, i], snap_fte=self.snap_fte, snap_training=self.snap_training,
            snap_queue=self.snap_queue[:, i],
        )

    def give_back(self) -> None:
        """Hand the case and decision columns on to the next engine in this process (after the
        last :meth:`view`; the views own copies of what they need)."""
        self.cases.give_back()
        self.decisions.give_back()

    def run(self) -> Engine:
        """Simulate the whole horizon; the engine then holds the raw records."""
        stock = self.c.stock
        if len(stock.keys):  # stock first: it keeps the lowest case ids; the same in every replication
            R = self.R

            def tile(a: np.ndarray) -> np.ndarray:
                return np.tile(a, R)

            self._create(0, tile(stock.stream), tile(stock.group), tile(stock.keys),
                         np.repeat(np.arange(R), len(stock.keys)), lodged=tile(stock.lodged),
                         prior=tile(stock.decided), stage=tile(stock.stage))
        self.queues.intake()  # the initial stock is workable from day 0
        self._snapshot(-1)
        env = self.env
        for proc in (self._control(), self._arrivals(), self._releases(), self._intake(),
                     self._routing(), self._record()):
            env.process(proc)
        for j in range(len(self.st.pools)):
            env.process(self._pool_cycle(j))
        env.run()
        return self



@dataclass
class Run:
    """The raw records of one replication (see :meth:`Engine.view`); :mod:`results` reads these."""

    c: Compiled
    st: Structure
    replication: int
    inflow_factor: float
    rng: Streams
    cases: Cases
    decisions: Decisions  # in the order taken
    counts: np.ndarray  # (stage, stream) at the end
    fte: np.ndarray  # per pool at the end
    daily_stock: np.ndarray  # (day, stage, stream)
    daily_open: np.ndarray  # (day, stream)
    daily_inflow: np.ndarray
    daily_court_in: np.ndarray
    hours_available: np.ndarray  # (day, pool)
    hours_used: np.ndarray
    snap_days: np.ndarray
    snap_stock: np.ndarray  # (month end, stage, stream, age band)
    snap_open: np.ndarray
    snap_past_term: np.ndarray
    snap_fte: np.ndarray
    snap_training: np.ndarray
    snap_queue: np.ndarray
    memo: dict = field(default_factory=dict, repr=False)  # derived per-case arrays, made once (results)
