"""Follow-on cases: the new cases a route creates (a permit that expires after its validity,
family members who apply after a grant, a national case after a failed Dublin transfer).

A follow-on case's key comes from its parent's key and step, so it exists whatever else
happens in the run; whether the rules still admit it, how many there are and when they come are
drawn from that key. Those due later wait on a calendar until their day.
"""

from __future__ import annotations

import numpy as np

from .calendar import Calendar
from .cases import Cases
from .compiled import DRAW, INHERIT, Params, Structure
from .rng import Source, Streams, Tag, combine
from .routing import spawn_keys
from .sampling import poisson_same

New = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # stream, group, key, rep, parent
_NOTHING = None, None


class FollowOns:
    """Follow-on cases still to come, by the day they are due."""

    def __init__(self, structure: Structure, cases: Cases, rng: Streams):
        self.st, self.cases, self.rng = structure, cases, rng
        self._due = Calendar(structure.n_days, stream=np.int64, group=np.int64, key=np.uint64, rep=np.int64,
                             parent=np.int64)

    def due(self, day: int) -> New | None:
        """The follow-on cases due today (taken off the calendar)."""
        rows = self._due.pop_rows(day)
        return None if rows is None else (rows["stream"], rows["group"], rows["key"], rows["rep"], rows["parent"])

    def schedule(self, later: tuple[np.ndarray, New] | None) -> None:
        """Put follow-on cases due later (from :meth:`spawn`) on the calendar."""
        if later is not None:
            due, (stream, group, key, rep, parent) = later
            self._due.add(due, stream=stream, group=group, key=key, rep=rep, parent=parent)

    def spawn(self, p: Params, parents: np.ndarray, spawn: tuple, day: int
              ) -> tuple[New | None, tuple[np.ndarray, New] | None]:
        """Follow-on cases of the given parents under one spawn rule: those due today, to be
        created at once, and those due later (with their days), for :meth:`schedule` after that."""
        stream, after, group, expected = spawn
        cs, rng = self.cases, self.rng
        keys = spawn_keys(parents, cs.key, cs.step, self.st.stream_keys[stream])
        if p.eligible[stream] < 1.0:  # rules that admit only part of the follow-on cases
            admitted = rng.uniform(Source.SPAWN, keys, Tag.ELIGIBLE, cs.rep[parents]) < p.eligible[stream]
            parents, keys = parents[admitted], keys[admitted]
        if expected is not None:  # a random number of follow-on cases per parent
            counts = poisson_same(rng.uniform(Source.SPAWN, keys, Tag.COUNT, cs.rep[parents]), expected)
            parents = np.repeat(parents, counts)
            first = np.repeat(np.cumsum(counts) - counts, counts)
            keys = combine(np.repeat(keys, counts), np.arange(len(parents)) - first)
            if not len(parents):
                return _NOTHING
        if group == INHERIT:
            groups = cs.group[parents].astype(np.int64)
        elif group == DRAW:
            u = rng.uniform(Source.GROUPS, keys, 0, cs.rep[parents])
            groups = np.minimum(np.searchsorted(p.group_cum[stream], u, side="right"), len(self.st.groups) - 1)
        else:
            groups = np.full(len(parents), group)
        streams = np.full(len(parents), stream)
        reps = cs.rep[parents]
        wait = np.zeros(len(parents), dtype=np.int64)
        if not after.is_zero:
            wait = np.floor(after.draw(rng.uniform(Source.SPAWN, keys, 0, reps)) + 0.5).astype(np.int64)
        due = day + wait
        now, later = due <= day, (due > day) & (due < self.st.n_days)
        return ((streams[now], groups[now], keys[now], reps[now], parents[now]) if now.any() else None,
                (due[later], (streams[later], groups[later], keys[later], reps[later], parents[later]))
                if later.any() else None)
