"""A case's moves between stages, as compiled passes over a day's cases: finishing a stage (the
route it takes, its decision, its exit), entering the next one (and its waiting time there), and
the keys of the follow-on cases a route creates.

Each pass touches every case of the batch once, reading and writing all the columns that step
needs, and counts the cases into the recorder's live tallies on the way: a few thousand scattered
cases a day, whose columns would otherwise be gathered and scattered again by a dozen numpy
operations each.

The route is chosen by inverting the case's own routing uniform through the stage's cumulative
route probabilities (per group), so a case's path depends only on its own key and step, never
on the other cases.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from .prefetch import ahead
from .queues import case_key, in_lane_0
from .rng import _GOLDEN, Tag, combine64, mix64, uniform64
from .sampling import Kind, draw_at
from .tallies import group_by


@njit(cache=True, nogil=True, inline="always")
def _issued(decides: bool, held: bool, completes: np.ndarray, r: int, next_row: int) -> bool:
    """Whether an open application's first decision is issued as the case leaves stage-table row
    ``r`` for ``next_row`` (-1: the chain): it is decided here (``decides``), or its stage
    ``completes`` a decision it holds (``held``), and the next stage does not complete it instead."""
    return (decides or (completes[r] and held)) and not (next_row >= 0 and completes[next_row])


@njit(cache=True, nogil=True)
def issue_held(ids: np.ndarray, rows: np.ndarray, next_rows: np.ndarray, day: int, completes: np.ndarray,
               prior: np.ndarray, first_day: np.ndarray, first_outcome: np.ndarray) -> np.ndarray:
    """Cases ``ids`` moved out of stage-table rows ``rows`` to ``next_rows`` by other than their
    routes (a procedure's time limit): a decision held by a stage that completes it is issued
    today, by the rule of :func:`finish`. Returns the cases whose decision was issued."""
    out = np.empty(len(ids), dtype=np.int64)
    m = 0
    for i in range(len(ids)):
        c = ids[i]
        if first_day[c] < 0 and not prior[c] and _issued(False, first_outcome[c] >= 0, completes, rows[i],
                                                         next_rows[i]):
            first_day[c] = day
            out[m] = c
            m += 1
    return out[:m]


@njit(cache=True, nogil=True)
def finish(ids: np.ndarray, stages: np.ndarray, rows: np.ndarray, day: int, cum: np.ndarray, to: np.ndarray,
           outcome: np.ndarray, ind: np.ndarray, completes: np.ndarray, key: np.ndarray, step: np.ndarray,
           rep: np.ndarray, group: np.ndarray, sx: np.ndarray, prior: np.ndarray, stage: np.ndarray,
           first_day: np.ndarray, first_outcome: np.ndarray, last_outcome: np.ndarray, decisions: np.ndarray,
           exit_day: np.ndarray, stock: np.ndarray, open_: np.ndarray, table: np.ndarray):
    """Cases ``ids`` finish stage ``stages[i]`` (stage-table row ``rows[i]``) today.

    Each takes the option its routing uniform reaches among the cumulative probabilities
    ``cum[row, group]`` (capped at the last). An option with an outcome is a decision: the case
    counts it, keeps it as its last outcome and, at an IND stage (``ind``, by row), as its first
    decision if it is an open application without one. That decision is issued today, unless the
    case goes on to a stage that ``completes`` it (by row): then the case keeps the outcome and
    stays open until it leaves that stage (a grant before the A/B status is determined). An
    option without a next stage is an exit. The live
    tallies lose the case from its stage (``stock``: stage-major over ``open_``'s cells) and
    from the open cases at its first decision, or at an exit without one.

    Returns each case's option, outcome (-1: none) and next stage (-1: leaves the chain).
    """
    n, k = len(ids), cum.shape[2]
    n_cells = len(open_)
    choice = np.zeros(n, dtype=np.int64)
    decided = np.empty(n, dtype=np.int64)
    target = np.empty(n, dtype=np.int64)
    for i in range(n):
        ahead(ids, i, key)
        ahead(ids, i, prior)
        c, s, r = ids[i], stages[i], rows[i]
        cell = sx[c]
        stock[s * n_cells + cell] -= 1
        option = 0
        if k > 1:
            u = uniform64(key[c], step[c], table[rep[c]])
            reached = 0
            for j in range(k):
                if u >= cum[r, group[c], j]:
                    reached += 1
            option = min(reached, k - 1)
        choice[i] = option
        o = outcome[r, option]
        decided[i] = o
        t = to[r, option]
        target[i] = t
        if o >= 0:
            decisions[c] += 1
            last_outcome[c] = o
        if first_day[c] < 0 and not prior[c]:
            decides = o >= 0 and ind[r]
            if decides and first_outcome[c] < 0:
                first_outcome[c] = o
            if _issued(decides, first_outcome[c] >= 0, completes, r, r - s + t if t >= 0 else -1):
                first_day[c] = day
                open_[cell] -= 1
        if t < 0:
            stage[c] = -1
            exit_day[c] = day
            if first_day[c] < 0 and not prior[c]:
                open_[cell] -= 1
    return choice, decided, target


@njit(cache=True, nogil=True)
def sort_finished(ids: np.ndarray, stages: np.ndarray, rows: np.ndarray, choice: np.ndarray, outcome: np.ndarray,
                  to: np.ndarray, spawn: np.ndarray, moves_group: np.ndarray, rep: np.ndarray):
    """What becomes of the cases :func:`finish` routed, sorted in one pass (each list in the
    order given): the decisions (case, stage, outcome, replication), the positions of the cases
    whose option moves them to another group (``moves_group[row, option]``), the cases leaving
    the chain, and the others with their next stage. (A dozen numpy steps on a day's cases did
    this at several times the cost.)

    The positions of the cases whose option creates follow-on cases (``spawn[row, option]``)
    come grouped by stage and option (ascending; each group in the order given), with a row
    (stage, option, first, end) per group."""
    n = len(ids)
    taken, taken_stages = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    taken_outcomes, taken_reps = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    moving, spawning = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    leaving, staying = np.empty(n, dtype=np.int64), np.empty(n, dtype=np.int64)
    next_stages = np.empty(n, dtype=np.int64)
    n_taken = n_moving = n_spawning = n_leaving = n_staying = 0
    for i in range(n):
        c, r, option, o, t = ids[i], rows[i], choice[i], outcome[i], to[i]
        if o >= 0:
            taken[n_taken], taken_stages[n_taken] = c, stages[i]
            taken_outcomes[n_taken], taken_reps[n_taken] = o, rep[c]
            n_taken += 1
        if moves_group[r, option]:
            moving[n_moving] = i
            n_moving += 1
        if spawn[r, option]:
            spawning[n_spawning] = i
            n_spawning += 1
        if t < 0:
            leaving[n_leaving] = c
            n_leaving += 1
        else:
            staying[n_staying], next_stages[n_staying] = c, t
            n_staying += 1
    return ((taken[:n_taken], taken_stages[:n_taken], taken_outcomes[:n_taken], taken_reps[:n_taken]),
            moving[:n_moving], *_by_option(spawning[:n_spawning], stages, choice, spawn.shape[1]),
            leaving[:n_leaving], staying[:n_staying], next_stages[:n_staying])


@njit(cache=True, nogil=True)
def _by_option(at: np.ndarray, stages: np.ndarray, choice: np.ndarray, n_options: int):
    """Positions ``at`` grouped by (stage, option) with a stable counting sort
    (:func:`tallies.group_by`): the grouped positions and a row (stage, option, first, end) per
    group, in ascending order."""
    if len(at) == 0:
        return at, np.empty((0, 4), dtype=np.int64)
    pair = stages[at] * n_options + choice[at]
    lo = pair.min()
    order, bounds = group_by(pair - lo, pair.max() - lo + 1)
    present = np.flatnonzero(bounds[1:] > bounds[:-1])
    groups = np.empty((len(present), 4), dtype=np.int64)
    for g in range(len(present)):
        k = present[g]
        groups[g, 0], groups[g, 1] = (lo + k) // n_options, (lo + k) % n_options
        groups[g, 2], groups[g, 3] = bounds[k], bounds[k + 1]
    return at[order], groups


@njit(cache=True, nogil=True)
def regroup(ids: np.ndarray, rows: np.ndarray, choice: np.ndarray, allowed: np.ndarray, group_cum: np.ndarray,
            set_of_rep: np.ndarray, stream: np.ndarray, key: np.ndarray, step: np.ndarray, rep: np.ndarray,
            group: np.ndarray, table: np.ndarray) -> None:
    """Cases ``ids`` took option ``choice[i]`` at stage-table row ``rows[i]``, which moves them
    into one of the groups ``allowed[row, option]``: each is drawn among them in proportion to
    its stream's shares (``group_cum[set, stream]``, cumulative) by its own uniform (its key and
    step, :attr:`Tag.REGROUP`). A case whose stream has none of these groups keeps its own."""
    n_g = allowed.shape[2]
    for i in range(len(ids)):
        ahead(ids, i, key)
        ahead(ids, i, stream)
        c, r, o = ids[i], rows[i], choice[i]
        cum = group_cum[set_of_rep[rep[c]], stream[c]]
        total, prev = 0.0, 0.0
        for g in range(n_g):
            if allowed[r, o, g]:
                total += cum[g] - prev
            prev = cum[g]
        if total <= 0.0:
            continue
        u = uniform64(combine64(key[c], np.uint64(step[c])), Tag.REGROUP, table[rep[c]]) * total
        reached, prev, chosen = 0.0, 0.0, -1
        for g in range(n_g):
            if allowed[r, o, g] and cum[g] > prev:
                chosen = g
                reached += cum[g] - prev
                if u < reached:
                    break
            prev = cum[g]
        group[c] = chosen


@njit(cache=True, nogil=True)
def create(start: int, day: int, keys: np.ndarray, reps: np.ndarray, streams: np.ndarray, groups: np.ndarray,
           lodged_in: np.ndarray, parents: np.ndarray, priors: np.ndarray, application: np.ndarray,
           deadlines: np.ndarray, first: int, set_of_rep: np.ndarray, key: np.ndarray, rep: np.ndarray,
           stream: np.ndarray, sx: np.ndarray, group: np.ndarray, lodged: np.ndarray, deadline: np.ndarray,
           parent: np.ndarray, prior: np.ndarray):
    """New cases in the rows from ``start`` on (reserved, with their defaults): their key,
    replication, stream, group, lodging day (``lodged_in``, or today if it is empty), legal
    deadline (from the table ``deadlines`` by parameter set, stream and lodging day from
    ``first``, see :class:`terms.Terms`), parent (if ``parents`` is given) and whether they are
    not open applications (``priors``, if given, and every case of a stream that is not an
    application). Returns the new ids and those of the open applications among them."""
    n = len(keys)
    n_streams = len(application)
    ids, open_ = np.arange(start, start + n), np.empty(n, dtype=np.int64)
    m = 0
    for i in range(n):
        c, r, t = start + i, reps[i], streams[i]
        lo = lodged_in[i] if len(lodged_in) else day
        key[c], rep[c], stream[c], sx[c], group[c] = keys[i], r, t, r * n_streams + t, groups[i]
        lodged[c], deadline[c] = lo, deadlines[set_of_rep[r], t, lo - first]
        if len(parents):
            parent[c] = parents[i]
        not_open = not application[t] or (len(priors) > 0 and priors[i])
        prior[c] = not_open
        if not not_open:
            open_[m] = c
            m += 1
    return ids, open_[:m]


@njit(cache=True, nogil=True)
def enter(ids: np.ndarray, stages: np.ndarray, rows: np.ndarray, day: int, residual: bool, kind: np.ndarray,
          a: np.ndarray, b: np.ndarray, c: np.ndarray, key: np.ndarray, rep: np.ndarray, sx: np.ndarray,
          lodged: np.ndarray, stage: np.ndarray, step: np.ndarray, entered: np.ndarray, done: np.ndarray,
          hours: np.ndarray, appeal: np.ndarray, stock: np.ndarray, court_in: np.ndarray, n_cells: int,
          table: np.ndarray):
    """Cases ``ids`` enter stage ``stages[i]`` (stage-table row ``rows[i]``) today: the case
    takes its next step, starts the stage without work done or hours drawn (``residual``: the
    initial stock, in it since its lodging day), and counts into the stage's live tally and, at
    a stage where an appeal is lodged (``appeal``, by row: ``Structure.appeal_entry``), into
    today's appeals (``court_in``; not for the initial stock).

    Also draws each case's waiting time from the delay table ``(kind, a, b, c)`` at its new
    step, as :func:`sampling.draw_rows` would. Returns the waits and whether any case may wait
    (a random waiting time, or a fixed one above zero).
    """
    n = len(ids)
    wait = np.empty(n)
    timed = False
    for i in range(n):
        ahead(ids, i, key)
        ci, s, r = ids[i], stages[i], rows[i]
        stage[ci] = s
        st = step[ci] + 1
        step[ci] = st
        entered[ci] = lodged[ci] if residual else day
        done[ci] = 0.0
        hours[ci] = np.nan
        cell = sx[ci]
        stock[s * n_cells + cell] += 1
        if appeal[r] and not residual:
            court_in[cell] += 1
        w = draw_at(kind, a, b, c, r, key[ci], st, table[rep[ci]])
        wait[i] = w
        if kind[r] != Kind.FIXED or w != 0.0:
            timed = True
    return wait, timed


@njit(cache=True, nogil=True)
def join(ids: np.ndarray, rows: np.ndarray, visible: int, stock: bool, pool: np.ndarray, first: np.ndarray,
         n_pools: int, set_of_rep: np.ndarray, kind: np.ndarray, a: np.ndarray, b: np.ndarray, c: np.ndarray,
         key: np.ndarray, step: np.ndarray, rep: np.ndarray, entered: np.ndarray, hours: np.ndarray, table: np.ndarray,
         by_lodging: np.ndarray, rank_by: np.ndarray, rank: np.ndarray, head_start: np.ndarray, stage: np.ndarray,
         stream: np.ndarray, group: np.ndarray, lodged: np.ndarray, ordered: np.ndarray):
    """Cases ``ids`` whose waiting is over at stage-table rows ``rows`` join their pool's line.

    A case at a stage without a pool (``pool[row] < 0``) needs no work: it is left out, and its
    position returned. The others become visible to the pool on day ``visible`` (not the initial
    stock, which keeps its lodging day), get the hours their stage needs (drawn from the table
    ``(kind, a, b, c)`` at their step, as :func:`sampling.draw_rows` would) and their line
    (replication x pool) and discipline key (:func:`queues.case_key`, by pool-table row set x pool;
    lane 0 where ``first[row]``: a stage served first).

    Returns the positions of the idle cases and the ids, lines and keys of the joining cases.
    """
    n = len(ids)
    idle = np.empty(n, dtype=np.int64)
    busy = np.empty(n, dtype=np.int64)
    lines = np.empty(n, dtype=np.int64)
    keys = np.empty(n, dtype=np.int64)
    n_idle, m = 0, 0
    for i in range(n):
        ahead(ids, i, key)
        ahead(ids, i, lodged)
        ci, r = ids[i], rows[i]
        p = pool[r]
        if p < 0:
            idle[n_idle] = i
            n_idle += 1
            continue
        if not stock:
            entered[ci] = visible
        hours[ci] = draw_at(kind, a, b, c, r, key[ci], step[ci], table[rep[ci]])
        q = rep[ci]
        busy[m] = ci
        lines[m] = q * n_pools + p
        k = case_key(ci, set_of_rep[q] * n_pools + p, by_lodging, rank_by, rank, head_start, stage, stream, group,
                     lodged, entered, key, ordered)
        keys[m] = in_lane_0(k) if first[r] else k
        m += 1
    return idle[:n_idle], busy[:m], lines[:m], keys[:m]


@njit(cache=True, nogil=True, inline="always")
def stream_salt(stream_key):
    """What a follow-on stream's key adds to its cases' keys (see :func:`spawn_key`)."""
    return mix64(np.uint64(stream_key) + _GOLDEN)


@njit(cache=True, nogil=True, inline="always")
def spawn_key(key, step, salt):
    """The key of a follow-on case: ``combine(combine(key, step), stream_key)`` of its parent's
    key and step (see :func:`rng.combine`), with the stream's :func:`stream_salt`."""
    return mix64(combine64(key, np.uint64(step)) ^ salt)
