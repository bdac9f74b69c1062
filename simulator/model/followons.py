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
from .sampling import Kind, Sampler, count_at, inverse_at, past_tables, poisson_tables

New = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, np.ndarray]  # stream, group, key, rep, parent
_NOTHING = None, None
_NO_TABLES = np.zeros((0, 0)), np.zeros(0, dtype=np.int64)  # no number drawn: one case each


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
    tables: tuple[np.ndarray, np.ndarray]  # the Poisson CDF of each set's mean (see sampling.poisson_tables)

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
            _NO_TABLES if means is None else poisson_tables(means))

    @staticmethod
    def shape(spawn: tuple[int, Sampler, int, float | None]) -> tuple:
        stream, after, group, expected = spawn
        return stream, group, expected is None, after.kind


class FollowOns:
    """Follow-on cases still to come, by the day they are due."""

    def __init__(self, structure: Structure, cases: Cases, rng: Streams, set_of_rep: np.ndarray):
        self.st, self.cases, self.rng, self.set_of_rep = structure, cases, rng, set_of_rep
        # the table of follow-on cases (see _follow_ons), with room for as many as there may be cases
        self._due = Calendar(structure.n_days, _DUE, cases.capacity, purpose="followons")

    def give_back(self) -> None:
        """Hand the calendar's table on to the next batch in this process (see :mod:`spare`)."""
        self._due.give_back()

    def due(self, day: int) -> New | None:
        """The follow-on cases due today (taken off the calendar)."""
        rows = self._due.pop_rows(day)
        return None if rows is None else _new(rows)

    def schedule(self, later: np.ndarray | None) -> None:
        """Put follow-on cases due later (from :meth:`spawn`) on the calendar."""
        if later is not None:
            self._due.add(later[_DUE], later)

    def spawn(self, rule: SpawnRule, parents: np.ndarray, day: int) -> tuple[New | None, np.ndarray | None]:
        """Follow-on cases of the given parents under one spawn rule: those due today, to be
        created at once, and those due later (their rows of the table of follow-on cases, due
        day included), for :meth:`schedule` after that."""
        cs, keys_of, sets = self.cases, self.rng.keys, self.set_of_rep
        counted = rule.expected is not None
        parents, keys, counts, u, beyond = _admitted(parents, cs.key, cs.step, cs.rep, sets,
                                                     self.st.stream_keys[rule.stream], rule.eligible,
                                                     keys_of[Source.SPAWN], counted, *rule.tables)
        if beyond:
            past_tables(counts, u, rule.expected, sets[cs.rep[parents]])
        kind, a, b, c = (Kind.FIXED, _NO_DELAY, _NO_DELAY, _NO_DELAY) if rule.delay is None else rule.delay
        rows, wait = _follow_ons(parents, keys, counts, cs.group, cs.rep, sets, rule.stream, rule.group,
                                 rule.group_cum, len(self.st.groups), keys_of[Source.GROUPS], keys_of[Source.SPAWN],
                                 int(kind), a, b, c, rule.delay is not None)
        if not rows.shape[1]:
            return _NOTHING
        rows, n_now, n_later = _by_due(rows, wait, day, self.st.n_days)
        now, later = rows[:, :n_now], rows[:, n_now: n_now + n_later]
        return (_new(now) if n_now else None, later if n_later else None)


_NO_DELAY = np.zeros(1)  # a, b, c of a rule without a delay (never read)
# rows of the table of follow-on cases the compiled passes hand back (keys as int64 bits)
_STREAM, _GROUP, _KEY, _REP, _PARENT, _SET, _DUE = range(7)


def _new(rows: np.ndarray) -> New:
    """The columns of new cases from rows of the table of follow-on cases."""
    return rows[_STREAM], rows[_GROUP], rows[_KEY].view(np.uint64), rows[_REP], rows[_PARENT]


@njit(cache=True, nogil=True)
def _admitted(parents: np.ndarray, key: np.ndarray, step: np.ndarray, rep: np.ndarray, set_of_rep: np.ndarray,
              stream_key, eligible: np.ndarray, spawn_table: np.ndarray, counted: bool, cdf: np.ndarray,
              length: np.ndarray):
    """The first compiled pass of :meth:`FollowOns.spawn`: each parent's follow-on key, the
    parents whose key's uniform falls under their parameter set's ``eligible`` share (all when it
    is 1), and for those, with ``counted``, their Poisson number of follow-on cases, read from
    their set's row of the tables ``cdf`` and ``length`` (see :func:`sampling.count_at`), with
    the uniforms it was drawn at and how many fell beyond the tables (-1, for
    :func:`sampling.past_tables`). Without ``counted`` the numbers are empty: one case each."""
    salt = stream_salt(stream_key)
    n = len(parents)
    kept, keys = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.uint64)
    counts, u = np.empty(n if counted else 0, dtype=np.int64), np.empty(n if counted else 0)
    m = 0
    beyond = 0
    for i in range(n):
        c = parents[i]
        k = spawn_key(key[c], step[c], salt)
        source = spawn_table[rep[c]]
        s = set_of_rep[rep[c]]
        e = eligible[s]
        if e < 1.0 and not uniform64(k, Tag.ELIGIBLE, source) < e:
            continue
        kept[m], keys[m] = c, k
        if counted:
            u[m] = uniform64(k, Tag.COUNT, source)
            counts[m] = count_at(u[m], cdf, length, s)
            if counts[m] < 0:
                beyond += 1
        m += 1
    return kept[:m], keys[:m], counts[:m], u[:m], beyond


@njit(cache=True, nogil=True)
def _follow_ons(parents: np.ndarray, keys: np.ndarray, counts: np.ndarray, group_col: np.ndarray, rep: np.ndarray,
                set_of_rep: np.ndarray, stream: int, mode: int, group_cum: np.ndarray, n_groups: int,
                groups_table: np.ndarray, spawn_table: np.ndarray, kind: int, a: np.ndarray, b: np.ndarray,
                c: np.ndarray, timed: bool):
    """The second compiled pass of :meth:`FollowOns.spawn`: ``counts[i]`` follow-on cases of
    parent i (one each if ``counts`` is empty), the j-th keyed ``combine(key, j)``; each one's
    group (the parent's, drawn from its parameter set's row of ``group_cum``, or the rule's
    ``mode``) and, if ``timed``, its delay in days of the given kind, with its parameter set's
    ``a``, ``b``, ``c``. Returns the table of follow-on cases (rows :data:`_STREAM` to
    :data:`_SET`, one column a case) and the delays."""
    counted = len(counts) > 0
    total = 0
    if counted:
        for i in range(len(counts)):
            total += counts[i]
    else:
        total = len(parents)
    out = np.empty((_DUE + 1, total), dtype=np.int64)
    wait = np.zeros(total)
    w = 0
    for i in range(len(parents)):
        p = parents[i]
        r = rep[p]
        s = set_of_rep[r]
        for j in range(counts[i] if counted else 1):
            k = combine64(keys[i], np.uint64(j)) if counted else keys[i]
            if mode == INHERIT:
                g = group_col[p]
            elif mode == DRAW:
                g = min(np.searchsorted(group_cum[s], uniform64(k, 0, groups_table[r]), side="right"), n_groups - 1)
            else:
                g = mode
            out[_STREAM, w], out[_GROUP, w], out[_KEY, w] = stream, g, np.int64(k)
            out[_REP, w], out[_PARENT, w], out[_SET, w] = r, p, s
            if timed:
                wait[w] = inverse_at(kind, a[s], b[s], c[s], uniform64(k, 0, spawn_table[r]))
            w += 1
    return out, wait


@njit(cache=True, nogil=True)
def _by_due(rows: np.ndarray, wait: np.ndarray, day: int, n_days: int):
    """The table of follow-on cases with each one's due day (``day`` plus its delay rounded to
    whole days) in row :data:`_DUE`, those due today first, then those due later within the
    horizon, each in their order; returns it and the numbers of both."""
    n = rows.shape[1]
    due = np.empty(n, dtype=np.int64)
    n_now = 0
    n_later = 0
    for i in range(n):
        due[i] = day + np.int64(np.floor(wait[i] + 0.5))
        if due[i] <= day:
            n_now += 1
        elif due[i] < n_days:
            n_later += 1
    out = np.empty((_DUE + 1, n_now + n_later), dtype=np.int64)
    w_now, w_later = 0, n_now
    for i in range(n):
        if due[i] <= day:
            w = w_now
            w_now += 1
        elif due[i] < n_days:
            w = w_later
            w_later += 1
        else:
            continue
        for f in range(_DUE):
            out[f, w] = rows[f, i]
        out[_DUE, w] = due[i]
    return out, n_now, n_later
