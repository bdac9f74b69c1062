"""The recorder: what the run counts as it goes, and the typed records it hands out.

The engine tells the recorder about every case that enters or leaves a stage, opens or gets its
first decision, arrives or appeals; the recorder keeps the live tallies, copies them at the end
of each day and takes a fuller snapshot (by age band, with staff and queues) at each month end.
:meth:`Recorder.take` hands one replication's records out as typed, plain arrays: all that
:mod:`results` reads.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np

from .cases import Cases
from .compiled import AGE_EDGES_DAYS, Compiled, Penalty, Structure
from .decisions import DecisionLog, Decisions
from .rng import Streams
from .tallies import count_into, group_by, month_end

_NO_STAGES = np.zeros(0, dtype=np.int64)


@dataclass(frozen=True)
class Daily:
    """Tallies at the end of each day (first axis: day)."""

    stock: np.ndarray  # (day, stage, stream) cases in each stage
    open: np.ndarray  # (day, stream) open cases without a first decision (werkvoorraad)
    inflow: np.ndarray  # (day, stream) new cases
    court_in: np.ndarray  # (day, stream) appeals lodged (Structure.appeal_entry)


@dataclass(frozen=True)
class PoolDays:
    """Hours per day and pool (first axis: day)."""

    available: np.ndarray  # (day, pool)
    used: np.ndarray  # (day, pool)


@dataclass(frozen=True)
class MonthEnds:
    """Snapshots at the start (day -1) and at every month end (first axis: snapshot); only at
    every year end (``monthly`` false) for a batch that makes no more than the yearly table."""

    days: np.ndarray  # day of each snapshot
    stock: np.ndarray  # (snapshot, stage, stream, age band)
    open: np.ndarray  # (snapshot, stream, age band) open cases without a first decision
    past_term: np.ndarray  # (snapshot, stream) open cases past their legal term
    fte: np.ndarray  # (snapshot, pool) productive staff
    training: np.ndarray  # (snapshot, pool) staff in training
    queue: np.ndarray  # (snapshot, pool) cases waiting for the pool's work
    monthly: bool = True


@dataclass(frozen=True)
class ReceptionDays:
    """Reception capacity and cost per day (first axis: day); places are nan when not given."""

    places: np.ndarray
    cost_per_place: np.ndarray  # a regular place
    cost_beyond: np.ndarray  # a person beyond the regular places (emergency reception)

    def cost(self, occupied: np.ndarray) -> np.ndarray:
        """Euros per day for the given people in reception."""
        beyond = np.maximum(occupied - self.places, 0.0)
        return (occupied - beyond) * self.cost_per_place + beyond * self.cost_beyond


@dataclass
class Run:
    """The records of one replication: what :mod:`results` turns into tables."""

    structure: Structure
    penalty: Penalty | None
    replication: int
    inflow_factor: float
    rng: Streams  # this replication's random keys (the penalty timeline draws from them)
    cases: Cases  # one row per case, ids in creation order
    decisions: Decisions  # in the order taken
    daily: Daily
    pools: PoolDays
    month_ends: MonthEnds
    reception: ReceptionDays
    memo: dict = field(default_factory=dict, repr=False)  # derived per-case arrays, made once (results)


class Recorder:
    """Live tallies, their daily and month-end copies, and the log of decisions, for every
    replication of a batch."""

    def __init__(self, structure: Structure, set_of_rep: np.ndarray, cases: Cases, year_ends_only: bool = False):
        """``year_ends_only``: snapshots at year ends instead of month ends (the yearly table reads
        no others; a month-end snapshot counts every case in the system, a tenth of a batch's
        time when made twelve times as often)."""
        st = structure
        n_reps, n_sets = len(set_of_rep), int(set_of_rep.max()) + 1
        self.st, self.R, self.cases, self.set_of_rep = st, n_reps, cases, set_of_rep
        self.decisions = DecisionLog(cases._cap)  # about one decision per case; unused room costs nothing
        n_days, n_stages, n_streams, n_pools = st.n_days, len(st.stages), len(st.streams), len(st.pools)
        self.stock = np.zeros((n_stages, n_reps, n_streams), dtype=np.int64)  # stage-major: cheap to count
        self.open = np.zeros((n_reps, n_streams), dtype=np.int64)
        self.n_cells = self.open.size  # a case's cell: its replication and stream (Cases.sx)
        # the live tallies, flat, for the engine's compiled steps (routing.finish, routing.enter)
        self.live = (self.stock.reshape(-1), self.open.reshape(-1))
        self.daily_stock = np.zeros((n_days, n_stages, n_reps, n_streams), dtype=np.int32)
        self.daily_open = np.zeros((n_days, n_reps, n_streams), dtype=np.int32)
        self.daily_inflow = np.zeros((n_days, n_reps, n_streams), dtype=np.int32)
        self.daily_court_in = np.zeros((n_days, n_reps, n_streams), dtype=np.int32)
        self.hours_available = np.zeros((n_days, n_sets, n_pools))  # staffing is per parameter set
        self.hours_used = np.zeros((n_days, n_reps, n_pools))
        months = (np.datetime64(st.start, "D") + np.arange(n_days)).astype("datetime64[M]")
        self.month_start = np.r_[True, months[1:] != months[:-1]]
        period = months.astype("datetime64[Y]") if year_ends_only else months
        self.monthly = not year_ends_only
        self.snapshot_day = np.r_[period[1:] != period[:-1], True]  # a month end (or a year end)
        self.snap_days = np.r_[-1, np.flatnonzero(self.snapshot_day)]
        n_snap, n_bands = len(self.snap_days), len(AGE_EDGES_DAYS)
        self.snap_stock = np.zeros((n_snap, n_stages, n_reps, n_streams, n_bands), dtype=np.int64)
        self.snap_open = np.zeros((n_snap, n_reps, n_streams, n_bands), dtype=np.int64)
        self.snap_past_term = np.zeros((n_snap, n_reps, n_streams), dtype=np.int64)
        self.snap_fte = np.zeros((n_snap, n_sets, n_pools))
        self.snap_training = np.zeros((n_snap, n_sets, n_pools))
        self.snap_queue = np.zeros((n_snap, n_reps, n_pools), dtype=np.int64)
        self._snap_i = 0
        self._active = np.zeros(0, dtype=np.int64)  # cases that may still be in the system
        self._seen = 0  # cases created before the last snapshot
        self._by_rep: tuple[np.ndarray, np.ndarray, np.ndarray] | None = None  # for the hand-out (take)

    # ---------------------------------------------------------------- live tallies
    def staged(self, ids: np.ndarray, stages: np.ndarray, sign: int) -> None:
        """Cases enter (+1) or leave (-1) the given stages."""
        count_into(self.live[0], sign, ids, self.cases.sx, stages, self.n_cells)

    def opened(self, ids: np.ndarray, sign: int = 1) -> None:
        """Cases open (+1) or are closed by a first decision or an exit without one (-1)."""
        count_into(self.live[1], sign, ids, self.cases.sx, _NO_STAGES, 0)

    def arrived(self, day: int, ids: np.ndarray) -> None:
        count_into(self.daily_inflow[day].reshape(-1), 1, ids, self.cases.sx, _NO_STAGES, 0)

    def court_in(self, day: int) -> np.ndarray:
        """Today's appeals lodged per cell, flat (cases entering a stage of
        :attr:`Structure.appeal_entry`; counted by :func:`routing.enter`)."""
        return self.daily_court_in[day].reshape(-1)

    def worked(self, day: int, available: np.ndarray, used: np.ndarray) -> None:
        """Hours the pools had today ([pool, parameter set]) and spent ([pool, replication])."""
        self.hours_available[day] = available.T
        self.hours_used[day] = used.T

    # ---------------------------------------------------------------- copies
    def end_of_day(self, day: int) -> None:
        """Copy today's tallies (the engine adds a :meth:`snapshot` at a month end)."""
        self.daily_stock[day] = self.stock
        self.daily_open[day] = self.open

    def snapshot(self, day: int, fte: np.ndarray, training: np.ndarray, queues: np.ndarray) -> None:
        """Stock by age band, open cases, cases past their term, staff and queues (``day`` -1:
        the start)."""
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
        self.snap_fte[i] = fte
        self.snap_training[i] = training
        self.snap_queue[i] = queues.reshape(self.R, len(self.st.pools))

    # ---------------------------------------------------------------- hand-out
    def take(self, i: int, compiled: Compiled, seed: int, replication: int, inflow_factor: float,
             columns: Collection[str] | None = None) -> Run:
        """Replication ``i`` of the batch (run with these parameters, seed and number), as the
        records of a run of its own. Case ids are renumbered in creation order, so the records
        equal what a batch of one gives; the daily and monthly tables are views. ``columns``:
        only these case columns (default all), for a caller that needs a few tables only."""
        cs, k = self.cases, self.set_of_rep[i]
        if self.R == 1:  # the rows are the replication's, their ids its own
            cases, new_id = cs.subset(None, None, columns), None
        else:
            if self._by_rep is None:  # one read of the rows for all replications of the batch
                order, bounds = group_by(cs.rep[: cs.n], self.R)
                new_id = np.empty(cs.n, dtype=np.int64)  # a case's id within its replication
                new_id[order] = np.arange(cs.n) - np.repeat(bounds[:-1], np.diff(bounds))
                self._by_rep = (order, bounds, new_id)
            order, bounds, new_id = self._by_rep
            cases = cs.subset(order[bounds[i]: bounds[i + 1]], new_id, columns)
        if columns is None or "rep" in columns:
            cases.rep[: cases.n] = 0
        if columns is None or "sx" in columns:
            cases.sx[: cases.n] = cases.stream[: cases.n]
        dec = self.decisions.of_replication(i, self.R)
        return Run(
            structure=compiled.structure, penalty=compiled.penalty, replication=replication,
            inflow_factor=inflow_factor, rng=Streams(seed, replication), cases=cases,
            decisions=dec if new_id is None else Decisions(new_id[dec.ids], dec.days, dec.stages, dec.outcomes),
            daily=Daily(self.daily_stock[:, :, i], self.daily_open[:, i], self.daily_inflow[:, i],
                        self.daily_court_in[:, i]),
            pools=PoolDays(self.hours_available[:, k], self.hours_used[:, i]),
            month_ends=MonthEnds(self.snap_days, self.snap_stock[:, :, i], self.snap_open[:, i],
                                 self.snap_past_term[:, i], self.snap_fte[:, k], self.snap_training[:, k],
                                 self.snap_queue[:, i], self.monthly),
            reception=ReceptionDays(*(compiled.daily(lambda p, j=j: p.reception[j]) for j in range(3))))

    def give_back(self) -> None:
        """Hand the case and decision columns on to the next batch in this process (after the
        last :meth:`take`; the records own copies of what they need)."""
        self._by_rep = None
        self.cases.give_back()
        self.decisions.give_back()
