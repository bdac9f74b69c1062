"""Staffing: the FTE of every pool over time, and the hours they give each working day.

IND is an "arbeidscapaciteitsorganisatie": its output follows trained staff. New staff become
productive after a training delay, and the intake of new staff is capped per year (DOMAIN 2.2:
at most ~180 new asylum colleagues a year because supervisors are scarce). Staff leave at the
attrition rate. Randomness never touches staffing, so every replication with the same
parameters shares it.
"""

from __future__ import annotations

import numpy as np

from ..scenario.types import DAYS_PER_YEAR
from .compiled import Params, PoolParams, Structure


class Staffing:
    """FTE per pool, with the staff in training (a pipeline of (day productive, FTE) per pool)."""

    def __init__(self, structure: Structure, params: Params, month_start: np.ndarray):
        self.st = structure
        self.p = params
        self.month_start = month_start
        self.fte = np.array([pp.fte for pp in params.pools], dtype=float)
        self.training: list[list[tuple[int, float]]] = [[] for _ in structure.pools]
        self._per_day = DAYS_PER_YEAR * structure.workdays_per_week / 7  # working days a year

    def switch(self, new: Params) -> None:
        """New rules from today: a pool whose FTE the rules set takes that FTE at once."""
        for j, (a, b) in enumerate(zip(self.p.pools, new.pools, strict=True)):
            if a.fte != b.fte:
                self.fte[j] = b.fte
        self.p = new

    def hours_today(self, pool: int) -> float:
        """Productive hours pool ``pool`` gives on a working day."""
        pp = self.p.pools[pool]
        return self.fte[pool] * pp.hours_per_fte_year * pp.productivity / self._per_day

    def in_training(self) -> list[float]:
        return [sum(n for _, n in pipeline) for pipeline in self.training]

    def day(self, day: int) -> None:
        """Graduations every day; attrition and new hires at the start of each month."""
        for j, pp in enumerate(self.p.pools):
            pipeline = self.training[j]
            while pipeline and pipeline[0][0] <= day:
                self.fte[j] += pipeline.pop(0)[1]
            if self.month_start[day] and day != 0:
                self._month(j, pp, day)

    def _month(self, j: int, pp: PoolParams, day: int) -> None:
        pipeline = self.training[j]
        self.fte[j] *= 1.0 - pp.attrition / 12.0
        in_training = sum(n for _, n in pipeline)
        if pp.target_fte is not None:
            hires = max(0.0, pp.target_fte - self.fte[j] - in_training)
        elif pp.hires_per_year is not None:
            hires = pp.hires_per_year / 12.0
        else:
            return
        if pp.intake_cap is not None:
            hires = min(hires, pp.intake_cap / 12.0)
        if hires <= 0:
            return
        if pp.training_days <= 0:
            self.fte[j] += hires
        else:
            pipeline.append((day + pp.training_days, hires))
