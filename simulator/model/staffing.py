"""Staffing: the FTE of every pool over time, and the hours they give each working day.

IND is an "arbeidscapaciteitsorganisatie": its output follows trained staff. New staff become
productive after a training delay, and the intake of new staff is capped per year (DOMAIN 2.2:
at most ~180 new asylum colleagues a year because supervisors are scarce). Staff leave at the
attrition rate. A pool may lend staff to another (a transfer): they work there but stay on their
own pool's books. Randomness never touches staffing, so it is kept per parameter set, shared by
every replication of that set.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..scenario.types import DAYS_PER_YEAR
from .compiled import Params, PoolParams, Structure


class Staffing:
    """FTE per (parameter set, pool) on each pool's books, with the staff in training: a pipeline
    of (day productive, FTE) per set and pool."""

    def __init__(self, structure: Structure, params: Sequence[Params], month_start: np.ndarray):
        self.p = list(params)
        self.month_start = month_start
        self.fte = np.array([[pp.fte for pp in p.pools] for p in self.p], dtype=float)
        self.training: list[list[list[tuple[int, float]]]] = [[[] for _ in structure.pools] for _ in self.p]
        self._per_day = DAYS_PER_YEAR * structure.workdays_per_week / 7  # working days a year
        self._today: tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray] | None = None  # see work()
        self._graduates = 0  # no staff finish their training before this day (see day())

    def switch(self, k: int, new: Params) -> None:
        """New rules for set ``k`` from today: a pool whose FTE the rules set takes it at once."""
        for j, (a, b) in enumerate(zip(self.p[k].pools, new.pools, strict=True)):
            if a.fte != b.fte:
                self.fte[k, j] = b.fte
        self.p[k] = new
        self._today = None

    def working(self) -> np.ndarray:
        """FTE working in each pool per (set, pool): its own staff, less those it lends (at most
        all of them), plus those lent to it."""
        if not any(pp.transfer for p in self.p for pp in p.pools):
            return self.fte
        out = self.fte.copy()
        for k, p in enumerate(self.p):
            for j, pp in enumerate(p.pools):
                lent = sum(fte for _, fte in pp.transfer)
                if not lent:
                    continue
                share = min(1.0, self.fte[k, j] / lent)
                for to, fte in pp.transfer:
                    out[k, j] -= fte * share
                    out[k, to] += fte * share
        return np.maximum(out, 0.0)

    def hours_today(self, working: np.ndarray) -> np.ndarray:
        """Productive hours each pool gives on a working day, per [pool, parameter set], from the
        FTE ``working`` there (see :meth:`working`)."""
        return np.array([[working[k, j] * p.pools[j].hours_per_fte_year * p.pools[j].productivity / self._per_day
                          for k, p in enumerate(self.p)] for j in range(working.shape[1])])

    def work(self, queues, cases, set_of_rep: np.ndarray) -> tuple[list[np.ndarray], np.ndarray, np.ndarray]:
        """Every pool spends today's hours on its line in every replication (``queues`` holds
        pool j of replication r at line r * n_pools + j), all lines in one pass, pool by pool.
        Returns the cases finished (pool by pool, each in service order); the hours each pool had
        per parameter set ([pool, set]) and spent per replication ([pool, replication])."""
        n_pools, R = self.fte.shape[1], len(set_of_rep)
        if self._today is None or self._today[3] is not set_of_rep:  # the hours change only with the staff
            available = self.hours_today(self.working())
            lines = (np.arange(n_pools)[:, None] + n_pools * np.arange(R)).ravel()  # pool-major
            self._today = available, lines, available[:, set_of_rep].ravel(), set_of_rep
        available, lines, per_line, _ = self._today
        done, _, spent, partial_id, partial = queues.serve(lines, per_line, cases.hours, cases.done)
        started = partial_id >= 0  # a case waits in one line only: no line sees another's partial work
        cases.done[partial_id[started]] += partial[started]
        return [done] if len(done) else [], available, spent.reshape(n_pools, R)

    def in_training(self) -> np.ndarray:
        """FTE in training per (set, pool)."""
        return np.array([[sum(n for _, n in pipeline) for pipeline in per_set] for per_set in self.training])

    def day(self, day: int) -> None:
        """Graduations every day; attrition and new hires at the start of each month."""
        month = self.month_start[day] and day != 0
        if month:
            self._today = None
        elif day < self._graduates:  # most days: nothing to do (a loop over every set and pool)
            return
        for k, p in enumerate(self.p):
            for j, pp in enumerate(p.pools):
                pipeline = self.training[k][j]
                while pipeline and pipeline[0][0] <= day:
                    self.fte[k, j] += pipeline.pop(0)[1]
                    self._today = None
                if month:
                    self._month(k, j, pp, day)
        self._graduates = min((pipeline[0][0] for per_set in self.training for pipeline in per_set if pipeline),
                              default=self.month_start.size)

    def _month(self, k: int, j: int, pp: PoolParams, day: int) -> None:
        pipeline = self.training[k][j]
        self.fte[k, j] *= 1.0 - pp.attrition / 12.0
        in_training = sum(n for _, n in pipeline)
        if pp.target_fte is not None:
            hires = max(0.0, pp.target_fte - self.fte[k, j] - in_training)
        elif pp.hires_per_year is not None:
            hires = pp.hires_per_year / 12.0
        else:
            return
        if pp.intake_cap is not None:
            hires = min(hires, pp.intake_cap / 12.0)
        if hires <= 0:
            return
        if pp.training_days <= 0:
            self.fte[k, j] += hires
        else:
            pipeline.append((day + pp.training_days, hires))
