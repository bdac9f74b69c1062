"""The rules in force: the parameters of every parameter set of a batch, as of today.

A batch may hold replications of different scenarios that share a structure (the same named
streams, stages, pools and groups; other numbers). Each scenario is a parameter set with its own
timeline of versions. The compiled loops look parameters up by row, so the stage tables of all
sets are stacked: row ``set * n_stages + stage`` (with one set, the row is the stage itself, and
the tables are that set's own). On a change day only the sets that change switch.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numba import njit

from .compiled import Compiled, Option, Params, Structure
from .followons import SpawnRule
from .prefetch import ahead
from .sampling import draw_rows


@dataclass(frozen=True)
class Change:
    """What a switch of rules means for the work already waiting."""

    hours: np.ndarray  # [stages] whose hours per case changed (waiting cases redraw theirs)
    moved: list[tuple[int, int]]  # (stage, the pool it leaves): its waiting work moves with it
    reordered: list[int]  # pools whose discipline or stages served first changed: lines sorted again

    @staticmethod
    def between(old: Params, new: Params) -> Change:
        hours = np.zeros(len(old.stages.pool), dtype=bool)
        for a, b in zip(old.stages.hours, new.stages.hours, strict=True):
            hours |= a != b
        moved = [(int(s), int(old.stages.pool[s])) for s in np.flatnonzero(old.stages.pool != new.stages.pool)
                 if old.stages.pool[s] >= 0]
        first = {int(new.stages.pool[s]) for s in np.flatnonzero(old.stages.first != new.stages.first)}
        reordered = [j for j, (a, b) in enumerate(zip(old.pools, new.pools, strict=True))
                     if a.ordering() != b.ordering() or j in first]
        return Change(hours, moved, reordered)


@njit(cache=True, nogil=True)
def _rows(stages: np.ndarray, ids: np.ndarray, rep: np.ndarray, set_of_rep: np.ndarray, n_stages: int) -> np.ndarray:
    """Stage-table rows ``set * n_stages + stage`` of cases ``ids``: one pass over their rows."""
    out = np.empty(len(ids), dtype=np.int64)
    for i in range(len(ids)):
        ahead(ids, i, rep)
        out[i] = set_of_rep[rep[ids[i]]] * n_stages + stages[i]
    return out


class Rules:
    """Parameters in force per parameter set, with stage tables stacked by row."""

    def __init__(self, sets: Sequence[Compiled], set_of_rep: np.ndarray):
        self.sets = list(sets)
        self.set_of_rep = np.asarray(set_of_rep, dtype=np.int64)
        self.single = len(self.sets) == 1
        st: Structure = self.sets[0].structure
        self.n_stages, self.n_pools = len(st.stages), len(st.pools)
        self.now: list[Params] = [c.params[0] for c in self.sets]
        # who owns each stage, by stage-table row (a set's owners are those of its latest versions)
        self.ind = np.concatenate([np.array([o == "ind" for o in c.structure.stage_owner]) for c in self.sets])
        self.completes = np.concatenate([c.structure.stage_completes for c in self.sets])  # decision issued on leaving
        self.appeal = np.concatenate([c.structure.appeal_entry for c in self.sets])  # entering it lodges an appeal
        self._changes: dict[int, list[tuple[int, int]]] = {}  # day -> [(set, version)]
        for k, c in enumerate(self.sets):
            for v, d in enumerate(c.change_days):
                if d > 0:
                    self._changes.setdefault(int(d), []).append((k, v))
        self._stack()

    # ---------------------------------------------------------------- lookups
    def of_rep(self, rep: int) -> Params:
        """The parameters replication ``rep`` (position in the batch) runs under today."""
        return self.now[self.set_of_rep[rep]]

    def rows(self, stages: np.ndarray, ids: np.ndarray, rep: np.ndarray) -> np.ndarray:
        """Stage-table rows of cases ``ids`` at the given stages (``rep``: the column of their
        replications, read only when the batch holds more than one parameter set)."""
        return stages if self.single else _rows(stages, ids, rep, self.set_of_rep, self.n_stages)

    def pool_rows(self, pools: np.ndarray, reps: np.ndarray) -> np.ndarray:
        """Pool-table rows (set * n_pools + pool) of the given pools and replications."""
        return pools if self.single else self.set_of_rep[reps] * self.n_pools + pools

    def follow_ons(self, rows: np.ndarray, option: int, ids: np.ndarray):
        """Yield (spawn rules, cases) for the cases ``ids`` taking ``option`` at the stage-table
        rows ``rows`` (all of one stage). Parameter sets whose follow-on rules have one shape
        share one group whatever their numbers (each :class:`SpawnRule` holds every set's), in the
        order of their first set, so that a batch of many parameter sets does not split the work
        set by set; each replication's cases keep their order."""
        stage = int(rows[0]) % self.n_stages
        plans = self._spawn_plans.get((stage, option))
        if plans is None:
            plans = self._spawn_plans[stage, option] = self._plan_spawns(stage, option)
        if len(plans) == 1:
            yield plans[0][0], ids
            return
        sets = rows // self.n_stages
        for spawns, member in plans:
            yield spawns, ids[member[sets]]

    def _plan_spawns(self, stage: int, option: int) -> list[tuple[tuple[SpawnRule, ...], np.ndarray]]:
        """The spawn rules of an option per group of parameter sets of one shape, with a mask of
        the sets in each group."""
        options = [self.options[k * self.n_stages + stage] for k in range(len(self.now))]
        own = [o[option].spawns if option < len(o) else () for o in options]
        shapes: dict[tuple, list[int]] = {}
        for k, spawns in enumerate(own):
            if spawns:
                shapes.setdefault(tuple(SpawnRule.shape(sp) for sp in spawns), []).append(k)
        plans = []
        for members in shapes.values():
            member = np.zeros(len(own), dtype=bool)
            member[members] = True
            # sets outside the group lend the first member's numbers (never read: no parents)
            of = [k if member[k] else members[0] for k in range(len(own))]
            rules = tuple(SpawnRule.over([own[k][i] for k in of], [self.now[k] for k in of])
                          for i in range(len(own[members[0]])))
            plans.append((rules, member))
        return plans

    def hours(self, cases, ids: np.ndarray, source_keys: np.ndarray) -> np.ndarray:
        """Hours the cases need at their current stage, each drawn from its own uniform (see
        :func:`sampling.draw_rows`)."""
        return draw_rows(self.hours_dist, self.rows(cases.stage[ids], ids, cases.rep), ids, cases.key, cases.step,
                         cases.rep, source_keys)

    def entry(self, streams: np.ndarray, groups: np.ndarray, reps: np.ndarray) -> np.ndarray:
        """The first stage of new cases of each stream and group."""
        return self._entry[0 if self.single else self.set_of_rep[reps], streams, groups]

    # ---------------------------------------------------------------- change
    def switch(self, day: int) -> list[tuple[int, Params, Params]]:
        """Put today's changes in force; returns (set, old, new) for each set that changed."""
        changed = []
        for k, v in self._changes.get(day, []):
            old, new = self.now[k], self.sets[k].params[v]
            self.now[k] = new
            changed.append((k, old, new))
        if changed:
            self._stack()
        return changed

    def _stack(self) -> None:
        tabs = [p.stages for p in self.now]
        self._spawn_plans: dict[tuple[int, int], list] = {}
        if self.single:
            t = tabs[0]
            self.pool, self.first, self.hours_dist, self.delay, self.cum = t.pool, t.first, t.hours, t.delay, t.cum
            self.to, self.outcome, self.spawn, self.procedure = t.to, t.outcome, t.spawn, t.procedure
            self.options: list[tuple[Option, ...]] = list(t.options)
            self._entry = self.now[0].entry[None]
            self._groups(t.regroup)
            return
        k = max(t.cum.shape[2] for t in tabs)

        def padded(a: np.ndarray, fill) -> np.ndarray:
            """Options beyond a set's own never match (cum 1.0, target -1)."""
            pad = [(0, 0)] * (a.ndim - 1) + [(0, k - a.shape[-1])]
            return np.pad(a, pad, constant_values=fill)

        self.pool = np.concatenate([t.pool for t in tabs])
        self.first = np.concatenate([t.first for t in tabs])
        self.hours_dist = tuple(np.concatenate(col) for col in zip(*(t.hours for t in tabs), strict=True))
        self.delay = tuple(np.concatenate(col) for col in zip(*(t.delay for t in tabs), strict=True))
        self.cum = np.concatenate([padded(t.cum, 1.0) for t in tabs])
        self.to = np.concatenate([padded(t.to, -1) for t in tabs])
        self.outcome = np.concatenate([padded(t.outcome, -1) for t in tabs])
        self.spawn = np.concatenate([padded(t.spawn, False) for t in tabs])
        self.procedure = np.concatenate([t.procedure for t in tabs])
        self.options = [o for t in tabs for o in t.options]
        self._entry = np.stack([p.entry for p in self.now])
        self._groups(np.concatenate([np.pad(t.regroup, [(0, 0), (0, k - t.regroup.shape[1]), (0, 0)])
                                     for t in tabs]))

    def _groups(self, regroup: np.ndarray) -> None:
        """The options that move a case to another group ([row, option, group]), and the group
        shares they draw from ([set, stream, group], cumulative)."""
        self.regroup = regroup
        self.moves_group = regroup.any(axis=2)
        self.group_cum = np.stack([p.group_cum for p in self.now])
