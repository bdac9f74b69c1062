"""Follow-on cases: the new cases a route creates (a permit that expires after its validity,
family members who apply after a grant, a national case after a failed Dublin transfer).

A follow-on case's key comes from its parent's key and step, so it exists whatever else
happens in the run; whether the rules still admit it, how many there are and when they come are
drawn from that key. Those due later wait on a calendar until their day.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit

from .calendar import Calendar
from .cases import Cases
from .compiled import DRAW, INHERIT, Structure
from .rng import Source, Streams, Tag, combine64, uniform64
from .routing import spawn_key, stream_salt
from .sampling import Kind, Sampler, inverse, poisson_rows, poisson_same, poisson_tables

New = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # stream, group, key, rep, parent
_NOTHING = None, None


@dataclass(frozen=True)
class SpawnRule:
    """One spawn rule of an option across a batch's parameter sets: its shape (stream, group
    mode, whether a number is drawn, the delay's kind) is shared; its numbers are per set, so
    that parents of many parameter sets spawn in one pass."""

    stream: int
    group: int  # INHERIT, DRAW or a group index
    eligible: np.ndarray  # [sets] share of would-be applications admitted
    group_cum: np.ndarray  # [sets, groups] cumulative group shares (for DRAW)
    expected: np.ndarray | None  # [sets] mean number per parent (None: one each)
    delay: tuple[Kind, np.ndarray, np.ndarray, np.ndarray] | None  # kind, a, b, c [sets]; None: no delay
    tables: tuple[np.ndarray, np.ndarray] | None = None  # Poisson tables when the sets' means differ

    @staticmethod
    def over(spawns: list[tuple[int, Sampler, int, float | None]], now: list) -> SpawnRule:
        """The rule from each set's own (``spawns[k]``, parameters ``now[k]``; all of one shape)."""
        stream, after, group, expected = spawns[0]
        samplers = [sp[1] for sp in spawns]
        means = None if expected is None else np.array([sp[3] for sp in spawns], dtype=float)
        return SpawnRule(
            stream, group, np.array([p.eligible[stream] for p in now], dtype=float),
            np.stack([p.group_cum[stream] for p in now]), means,
            None if all(s.is_zero for s in samplers) else
            (after.kind, *(np.array([getattr(s, f) for s in samplers]) for f in "abc")),
            None if means is None or (means == means[0]).all() else poisson_tables(means))

    @staticmethod
    def shape(spawn: tuple[int, Sampler, int, float | None]) -> tuple:
        stream, after, group, expected = spawn
        return stream, group, expected is None, after.kind


class FollowOns:
    """Follow-on cases still to come, by the day they are due."""

    def __init__(self, structure: Structure, cases: Cases, rng: Streams, set_of_rep: np.ndarray):
        self.st, self.cases, self.rng, self.set_of_rep = structure, cases, rng, set_of_rep
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

    def spawn(self, rule: SpawnRule, parents: np.ndarray, day: int
              ) -> tuple[New | None, tuple[np.ndarray, New] | None]:
        """Follow-on cases of the given parents under one spawn rule: those due today, to be
        created at once, and those due later (with their days), for :meth:`schedule` after that."""
        stream, cs, keys_of, sets = rule.stream, self.cases, self.rng.keys, self.set_of_rep
        counted = rule.expected is not None
        parents, keys, u_count = _admitted(parents, cs.key, cs.step, cs.rep, sets, self.st.stream_keys[stream],
                                           rule.eligible, keys_of[Source.SPAWN], counted)
        counts = _ONE_EACH if not counted else _counts(u_count, rule, sets[cs.rep[parents]])
        parents, keys, groups, u_after = _follow_ons(parents, keys, counts, cs.group, cs.rep, sets, rule.group,
                                                     rule.group_cum, len(self.st.groups), keys_of[Source.GROUPS],
                                                     keys_of[Source.SPAWN], rule.delay is not None)
        if not len(parents):
            return _NOTHING
        streams = np.full(len(parents), stream)
        reps = cs.rep[parents]
        wait = np.zeros(len(parents), dtype=np.int64)
        if rule.delay is not None:
            kind, a, b, c = rule.delay
            of = sets[reps]
            wait = np.floor(inverse(kind, a[of], b[of], c[of], u_after) + 0.5).astype(np.int64)
        due = day + wait
        now, later = due <= day, (due > day) & (due < self.st.n_days)
        return ((streams[now], groups[now], keys[now], reps[now], parents[now]) if now.any() else None,
                (due[later], (streams[later], groups[later], keys[later], reps[later], parents[later]))
                if later.any() else None)


def _counts(u: np.ndarray, rule: SpawnRule, of: np.ndarray) -> np.ndarray:
    """Poisson numbers of follow-on cases, each parent with the mean of its parameter set (``of``)."""
    if rule.tables is None:
        return poisson_same(u, float(rule.expected[0]))
    return poisson_rows(u, rule.expected, rule.tables, of)


_ONE_EACH = np.zeros(0, dtype=np.int64)  # no number drawn: one follow-on case per parent


@njit(cache=True, nogil=True)
def _admitted(parents: np.ndarray, key: np.ndarray, step: np.ndarray, rep: np.ndarray, set_of_rep: np.ndarray,
              stream_key, eligible: np.ndarray, spawn_table: np.ndarray, counted: bool):
    """The first compiled pass of :meth:`FollowOns.spawn`: each parent's follow-on key, the
    parents whose key's uniform falls under their parameter set's ``eligible`` share (all when it
    is 1), and for those, with ``counted``, the uniform that draws their number of follow-on cases."""
    salt = stream_salt(stream_key)
    n = len(parents)
    kept, keys, u = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.uint64), np.empty(n if counted else 0)
    m = 0
    for i in range(n):
        c = parents[i]
        k = spawn_key(key[c], step[c], salt)
        source = spawn_table[rep[c]]
        e = eligible[set_of_rep[rep[c]]]
        if e < 1.0 and not uniform64(k, Tag.ELIGIBLE, source) < e:
            continue
        kept[m], keys[m] = c, k
        if counted:
            u[m] = uniform64(k, Tag.COUNT, source)
        m += 1
    return kept[:m], keys[:m], u[:m]


@njit(cache=True, nogil=True)
def _follow_ons(parents: np.ndarray, keys: np.ndarray, counts: np.ndarray, group_col: np.ndarray, rep: np.ndarray,
                set_of_rep: np.ndarray, mode: int, group_cum: np.ndarray, n_groups: int, groups_table: np.ndarray,
                spawn_table: np.ndarray, timed: bool):
    """The second compiled pass of :meth:`FollowOns.spawn`: ``counts[i]`` follow-on cases of
    parent i (one each if ``counts`` is empty), the j-th keyed ``combine(key, j)``; each one's
    group (the parent's, drawn from its parameter set's row of ``group_cum``, or the rule's
    ``mode``) and, if ``timed``,
    the uniform of its delay. Returns parents, keys, groups and those uniforms, case by case."""
    counted = len(counts) > 0
    total = 0
    if counted:
        for i in range(len(counts)):
            total += counts[i]
    else:
        total = len(parents)
    out_p, out_k = np.empty(total, dtype=np.int64), np.empty(total, dtype=np.uint64)
    groups, u = np.empty(total, dtype=np.int64), np.empty(total if timed else 0)
    w = 0
    for i in range(len(parents)):
        c = parents[i]
        for j in range(counts[i] if counted else 1):
            k = combine64(keys[i], np.uint64(j)) if counted else keys[i]
            out_p[w], out_k[w] = c, k
            if mode == INHERIT:
                groups[w] = group_col[c]
            elif mode == DRAW:
                groups[w] = min(np.searchsorted(group_cum[set_of_rep[rep[c]]], uniform64(k, 0, groups_table[rep[c]]),
                                                side="right"), n_groups - 1)
            else:
                groups[w] = mode
            if timed:
                u[w] = uniform64(k, 0, spawn_table[rep[c]])
            w += 1
    return out_p, out_k, groups, u
