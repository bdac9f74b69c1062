"""Turning one replication's raw records into plain tables.

``metrics``: tidy monthly table, one row per (date, metric, dimensions). Dimension columns that do
not apply to a metric hold "" (not NA, so that group-bys keep them). Rows with an empty ``stream``
and a ``category`` are totals over the streams of that category (asylum, nareis, other);
percentiles there are computed from the pooled cases, not averaged.

``cases``: one row per case (optional; large for long horizons).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from numba import njit

from .compiled import AGE_LABELS
from .recorder import Run
from .rng import Source
from .tallies import group_by

METRIC_COLUMNS = ["scenario", "replication", "date", "metric", "category", "stream", "stage",
                  "pool", "outcome", "age_band", "value"]
DIMENSIONS = ["category", "stream", "stage", "pool", "outcome", "age_band"]

# metric -> (unit, what it measures); the dashboard and reports read labels from here.
METRICS: dict[str, tuple[str, str]] = {
    "stock": ("cases", "cases in a stage at month end, by age since lodging"),
    "backlog": ("cases", "open cases without a first IND decision at month end (werkvoorraad)"),
    "past_term": ("cases", "open cases past their legal decision term at month end"),
    "reception": ("persons", "applicants of reception streams still in the chain at month end"),
    "reception_places": ("persons", "reception places available at month end"),
    "reception_short": ("persons", "people in reception beyond the regular places (emergency) at month end"),
    "reception_cost_eur": ("euro", "cost of the occupied reception places in the month"),
    "inflow": ("cases", "new cases in the month (applications and follow-on cases)"),
    "court_inflow": ("cases", "appeals lodged in the month (at IND's defence step or the court: "
                              "Structure.appeal_entry)"),
    "decisions": ("decisions", "decisions and rulings in the month, by stage and outcome"),
    "first_decisions": ("decisions", "first IND decisions in the month"),
    "lead_time_mean": ("days", "mean days from lodging to first decision, decided in the month"),
    "lead_time_p50": ("days", "median days from lodging to first decision"),
    "lead_time_p90": ("days", "90th percentile of days from lodging to first decision"),
    "within_term_share": ("share", "share of first decisions taken within the legal term"),
    "exits": ("cases", "cases leaving the chain in the month, by last outcome"),
    "notices": ("notices", "notices of default (ingebrekestellingen) sent in the month"),
    "nontimely_appeals": ("appeals", "appeals for not deciding in time lodged in the month, each a court case of "
                                     "its own in its application's stream (stock + inflow + these = exits + stock)"),
    "penalty_eur": ("euro", "court-imposed penalty payments accrued in the month"),
    "fte": ("FTE", "productive staff at month end"),
    "trainees": ("FTE", "staff in training at month end"),
    "hours_available": ("hours", "working hours available in the month"),
    "hours_used": ("hours", "working hours spent on cases in the month"),
    "utilisation": ("share", "hours used / hours available in the month"),
    "queue": ("cases", "cases waiting for the pool's work at month end"),
}


@dataclass
class Penalties:
    notice_day: np.ndarray
    appeal_day: np.ndarray
    start: np.ndarray
    end: np.ndarray
    eur: np.ndarray


def penalty_timeline(e: Run) -> Penalties | None:
    """Notices, appeals for not deciding in time and penalties, per case (-1 = none).

    Computed once per run: the metrics, yearly and per-case tables all read it.
    """
    if "penalties" not in e.memo:
        e.memo["penalties"] = _penalty_timeline(e)
    return e.memo["penalties"]


_NEVER = 10**6  # days past the horizon: "not resolved" or "no ruling" within the run


def _penalty_timeline(e: Run) -> Penalties | None:
    pen = e.penalty
    cs = e.cases
    if pen is None or cs.n == 0:
        return None
    n_days = e.structure.n_days
    keys = cs.column("key")
    ruled = pen.appeal_stage >= 0  # the appeal was a court case in the run: its ruling starts the order
    ruling = np.zeros(0, dtype=np.int64)
    if ruled:
        ruling = np.full(cs.n, _NEVER + n_days, dtype=np.int64)
        court = nontimely_appeals(e)
        ruled_on = cs.column("exit_day")[court].astype(np.int64)
        ruling[cs.column("parent")[court]] = np.where(ruled_on >= 0, ruled_on, _NEVER + n_days)
    delays = np.array([pen.notice_delay, pen.appeal_after, pen.court_days, pen.order_days], dtype=np.int64)
    cap_days = int(np.ceil(pen.cap / pen.per_day)) if pen.per_day > 0 else 0
    u, u_appeal = e.rng.uniform(Source.NOTICES, keys), e.rng.uniform(Source.NOTICES, keys, 1)
    first, exit_day, deadline = cs.column("first_day"), cs.column("exit_day"), cs.column("deadline")
    return Penalties(*_timeline(first, exit_day, deadline, cs.column("prior"), u, u_appeal, ruling, n_days, delays,
                                float(pen.notice_p), float(pen.appeal_p), float(pen.per_day), float(pen.cap),
                                cap_days, ruled))


@njit(cache=True, nogil=True)
def _timeline(first, exit_day, deadline, prior, u, u_appeal, ruling, n_days, delays, notice_p, appeal_p, per_day,
              cap, cap_days, ruled):
    """Per case: the day its notice of default is sent, its appeal for not deciding in time is
    lodged, and its penalty starts and ends accruing (-1: none), and the penalty in euro. One
    pass over the cases (the column-by-column numpy version took a few per cent of a batch).

    A notice is sent (with chance ``notice_p``, by the case's uniform ``u``) ``notice_delay``
    days after the deadline of an open application still undecided then; an appeal follows
    ``appeal_after`` days later (chance ``appeal_p``, by ``u_appeal``) if still undecided; the
    order starts ``order_days`` after the ruling (``ruled``: the court case's exit in the run,
    ``ruling`` by case; else ``court_days`` after the appeal) and the penalty accrues at
    ``per_day`` until the decision, the cap or the horizon."""
    notice_delay, appeal_after, court_days, order_days = delays[0], delays[1], delays[2], delays[3]
    n = len(first)
    notice_day = np.full(n, -1, dtype=np.int64)
    appeal_day = np.full(n, -1, dtype=np.int64)
    start_day = np.full(n, -1, dtype=np.int64)
    end_day = np.full(n, -1, dtype=np.int64)
    eur = np.zeros(n)
    for c in range(n):
        f, x = np.int64(first[c]), np.int64(exit_day[c])
        resolved = f if f >= 0 else (x if x >= 0 else n_days + _NEVER)
        sent_on = np.int64(deadline[c]) + notice_delay
        if prior[c] or not (u[c] < notice_p) or sent_on >= resolved or sent_on >= n_days:
            continue
        notice_day[c] = sent_on
        appealed_on = sent_on + appeal_after
        if not (u_appeal[c] < appeal_p) or appealed_on >= resolved or appealed_on >= n_days:
            continue
        appeal_day[c] = appealed_on
        start = ruling[c] + order_days if ruled else appealed_on + court_days + order_days
        if start >= resolved or start >= n_days or not per_day > 0:
            continue
        end = min(min(resolved, start + cap_days), n_days)
        if end <= max(start, 0):  # no longer accruing inside the horizon
            continue
        start_day[c], end_day[c] = max(start, 0), end
        before = max(0, -start)
        eur[c] = min((end - max(start, 0)) * per_day, max(cap - before * per_day, 0.0))
    return notice_day, appeal_day, start_day, end_day, eur


def _person_stages(e: Run) -> np.ndarray:
    """Stages whose cases are people (all but the stage of court cases about cases not decided
    in time, which are not people of their own)."""
    mask = np.ones(len(e.structure.stages), dtype=bool)
    if e.penalty is not None and e.penalty.appeal_stage >= 0:
        mask[e.penalty.appeal_stage] = False
    return mask


def in_reception_daily(e: Run) -> np.ndarray:
    """People in reception at the end of each day: applicants of reception streams in the chain."""
    st = e.structure
    return e.daily.stock[:, _person_stages(e)][:, :, st.stream_in_reception].sum(axis=(1, 2)).astype(float)


def nontimely_appeals(e: Run) -> np.ndarray:
    """Ids of the court cases about cases not decided in time: not open, with a parent, in a
    stream of applications (their parent's)."""
    cs = e.cases
    application = e.structure.stream_application[cs.column("stream").astype(np.int64)]
    return np.flatnonzero(cs.column("prior") & (cs.column("parent") >= 0) & application)


class _Rows:
    """Collects metric rows column-wise: the values as arrays, the labels once per series (a
    series' rows share them), spread out to the rows only when the frame is made."""

    def __init__(self, e: Run):
        self.e = e
        self.i: list[np.ndarray] = []
        self.values: list[np.ndarray] = []
        self.labels: list[tuple[str, ...]] = []  # metric, then DIMENSIONS, per series

    def add(self, metric: str, i: np.ndarray, value: np.ndarray, **dims: str) -> None:
        if len(value) == 0:
            return
        self.i.append(np.asarray(i))
        self.values.append(np.asarray(value, dtype=float))
        self.labels.append((metric, *(str(dims.get(d, "")) for d in DIMENSIONS)))

    def frame(self, dates: np.ndarray) -> pd.DataFrame:
        if not self.i:
            return pd.DataFrame(columns=METRIC_COLUMNS)
        lengths = [len(v) for v in self.values]
        columns = {}
        for j, name in enumerate(["metric", *DIMENSIONS]):
            names, codes = np.unique(np.array([lab[j] for lab in self.labels], dtype=object), return_inverse=True)
            text = pd.Series(names).array  # the text type pandas gives labels
            columns[name] = text.take(np.repeat(codes, lengths))
        return pd.DataFrame({"date": dates[np.concatenate(self.i)], **columns, "value": np.concatenate(self.values)})


def _month_of(e: Run, days: np.ndarray) -> np.ndarray:
    """Snapshot row (1..) of the month containing each day (read from a table by day, made once
    per run: a binary search per case was a sixth of the table's time)."""
    table = e.memo.get("month_of_day")
    if table is None:
        table = e.memo["month_of_day"] = np.searchsorted(e.month_ends.days[1:], np.arange(e.structure.n_days),
                                                         side="left") + 1
    days = np.asarray(days)
    if len(days) and (days.min() < 0 or days.max() >= len(table)):
        return np.searchsorted(e.month_ends.days[1:], days, side="left") + 1
    return table[days]


def _series(rows: _Rows, metric: str, values: np.ndarray, names, dim: str,
            keep_zero: bool = False, **fixed) -> None:
    """Add one time series per name (values: [n_snap, n_names])."""
    n_snap = values.shape[0]
    for j, name in enumerate(names):
        col = values[:, j]
        if not keep_zero and not col.any():
            continue
        rows.add(metric, np.arange(n_snap), col, **{dim: name}, **fixed)


def metrics(e: Run) -> pd.DataFrame:
    """The tidy monthly metrics table of one replication."""
    if not e.month_ends.monthly:
        raise ValueError("these records hold year-end snapshots only: no monthly metrics")
    st, cs = e.structure, e.cases
    n_snap = len(e.month_ends.days)
    dates = (np.datetime64(st.start, "D") + e.month_ends.days).astype("datetime64[s]")
    rows = _Rows(e)
    streams = list(st.streams)
    cat_of = np.array(st.stream_category, dtype=object)
    categories = sorted(set(st.stream_category))

    def per_stream(metric: str, values: np.ndarray, agg: bool = True, keep_zero: bool = True) -> None:
        for s, name in enumerate(streams):
            if keep_zero or values[:, s].any():
                rows.add(metric, np.arange(n_snap), values[:, s], stream=name, category=cat_of[s])
        if agg:
            for c in categories:
                sel = [s for s in range(len(streams)) if cat_of[s] == c]
                rows.add(metric, np.arange(n_snap), values[:, sel].sum(axis=1), category=c)

    # stocks
    for stage_i, stage in enumerate(st.stages):
        for s, stream in enumerate(streams):
            block = e.month_ends.stock[:, stage_i, s, :]
            if not block.any():
                continue
            for b, band in enumerate(AGE_LABELS):
                rows.add("stock", np.arange(n_snap), block[:, b], stage=stage, stream=stream,
                         category=cat_of[s], age_band=band)
    for s, stream in enumerate(streams):
        for b, band in enumerate(AGE_LABELS):
            rows.add("backlog", np.arange(n_snap), e.month_ends.open[:, s, b], stream=stream,
                     category=cat_of[s], age_band=band)
    per_stream("backlog", e.month_ends.open.sum(axis=2))
    per_stream("past_term", e.month_ends.past_term)
    persons = _person_stages(e)
    in_rec = e.month_ends.stock[:, persons].sum(axis=(1, 3)) * st.stream_in_reception[None, :]
    if st.stream_in_reception.any():
        rows.add("reception", np.arange(n_snap), in_rec.sum(axis=1))

    # monthly flows
    day_month = _month_of(e, np.arange(st.n_days))
    places = e.reception.places
    if st.stream_in_reception.any() and not np.isnan(places).all():
        occupied = in_reception_daily(e)
        last = e.month_ends.days[1:]
        rows.add("reception_places", np.arange(1, n_snap), places[last])
        rows.add("reception_short", np.arange(1, n_snap), np.maximum(occupied[last] - places[last], 0))
        cost = np.bincount(day_month, weights=e.reception.cost(occupied), minlength=n_snap)
        rows.add("reception_cost_eur", np.arange(1, n_snap), cost[1:])

    def monthly(daily: np.ndarray) -> np.ndarray:
        out = np.zeros((n_snap, *daily.shape[1:]))
        np.add.at(out, day_month, daily)
        return out

    per_stream("inflow", monthly(e.daily.inflow))
    per_stream("court_inflow", monthly(e.daily.court_in))

    n = cs.n
    stream_c = cs.column("stream").astype(np.int64)
    if len(e.decisions):
        ids, dday, dstage, dout = e.decisions.ids, e.decisions.days, e.decisions.stages, e.decisions.outcomes
        m = _month_of(e, dday)
        key = ((m * len(st.stages) + dstage) * len(streams) + stream_c[ids]) * len(st.outcomes) + dout
        counts = np.bincount(key, minlength=n_snap * len(st.stages) * len(streams) * len(st.outcomes))
        counts = counts.reshape(n_snap, len(st.stages), len(streams), len(st.outcomes))
        for a, stage in enumerate(st.stages):
            for s, stream in enumerate(streams):
                for o, outcome in enumerate(st.outcomes):
                    col = counts[:, a, s, o]
                    if col.any():
                        rows.add("decisions", np.arange(n_snap), col, stage=stage, stream=stream,
                                 category=cat_of[s], outcome=outcome)

    first = cs.column("first_day").astype(np.int64)
    decided = first >= 0
    lead = (first - cs.column("lodged"))[decided]  # whole days
    fm = _month_of(e, first[decided])
    fs = stream_c[decided]
    in_term = (first <= cs.column("deadline"))[decided]
    fo = cs.column("first_outcome")[decided].astype(np.int64)
    fcount = _tally((n_snap, len(streams)), fm, fs)
    per_stream("first_decisions", fcount)
    for o, outcome in enumerate(st.outcomes):
        sel = fo == o
        if sel.any():
            c = _tally((n_snap, len(streams)), fm[sel], fs[sel])
            for s, stream in enumerate(streams):
                if c[:, s].any():
                    rows.add("first_decisions", np.arange(n_snap), c[:, s], stream=stream,
                             category=cat_of[s], outcome=outcome)
    _lead_times(rows, fm, fs, lead, in_term, streams, cat_of, categories)

    exit_day = cs.column("exit_day").astype(np.int64)
    gone = exit_day >= 0
    last = cs.column("last_outcome")[gone].astype(np.int64)
    em = _month_of(e, exit_day[gone])
    labels = [*st.outcomes, "none"]
    ex = _tally((n_snap, len(streams), len(labels)), em, stream_c[gone], np.where(last >= 0, last, len(labels) - 1))
    for s, stream in enumerate(streams):
        for o, outcome in enumerate(labels):
            if ex[:, s, o].any():
                rows.add("exits", np.arange(n_snap), ex[:, s, o], stream=stream, category=cat_of[s],
                         outcome=outcome)

    pen = penalty_timeline(e)
    if pen is not None and n:
        for metric, day in (("notices", pen.notice_day), ("nontimely_appeals", pen.appeal_day)):
            sel = day >= 0
            per_stream(metric, _tally((n_snap, len(streams)), _month_of(e, day[sel]), stream_c[sel]))
        sel = pen.start >= 0
        shape = (len(streams), st.n_days + 1)
        diff = _tally(shape, stream_c[sel], pen.start[sel]) - _tally(shape, stream_c[sel], pen.end[sel])
        accruing = np.cumsum(diff, axis=1)[:, : st.n_days].T
        per_stream("penalty_eur", monthly(accruing * e.penalty.per_day))

    # pools
    avail, used = monthly(e.pools.available), monthly(e.pools.used)
    with np.errstate(invalid="ignore", divide="ignore"):
        util = np.where(avail > 0, used / np.where(avail > 0, avail, 1), 0.0)
    for j, pool in enumerate(st.pools):
        rows.add("fte", np.arange(n_snap), e.month_ends.fte[:, j], pool=pool)
        rows.add("trainees", np.arange(n_snap), e.month_ends.training[:, j], pool=pool)
        rows.add("queue", np.arange(n_snap), e.month_ends.queue[:, j], pool=pool)
        rows.add("hours_available", np.arange(1, n_snap), avail[1:, j], pool=pool)
        rows.add("hours_used", np.arange(1, n_snap), used[1:, j], pool=pool)
        rows.add("utilisation", np.arange(1, n_snap), util[1:, j], pool=pool)

    frame = rows.frame(dates)
    return frame


def _tally(shape: tuple[int, ...], *index: np.ndarray) -> np.ndarray:
    """How often each cell of an array of ``shape`` occurs in ``index`` (as floats)."""
    flat = np.ravel_multi_index(index, shape) if len(index[0]) else np.zeros(0, dtype=np.int64)
    return np.bincount(flat, minlength=int(np.prod(shape))).reshape(shape).astype(float)


def _quantiles(key: np.ndarray, by_value: np.ndarray, values: np.ndarray, qs: tuple[float, ...]) -> tuple:
    """Per-key quantiles of integers (linear interpolation, as numpy's default): the keys that
    occur and a dict of their quantiles. ``by_value``: the positions in value order, so a stable
    counting sort by key leaves each key's values sorted (no comparison sort)."""
    grouped, bounds = group_by(key[by_value], int(key.max()) + 1)
    v = values[by_value[grouped]].astype(float)
    uniq = np.flatnonzero(np.diff(bounds))
    start, count = bounds[uniq], bounds[uniq + 1] - bounds[uniq]
    out = {}
    for q in qs:
        pos = start + q * (count - 1)
        lo = np.floor(pos).astype(np.int64)
        hi = np.minimum(lo + 1, start + count - 1)
        frac = pos - lo
        out[q] = v[lo] * (1 - frac) + v[hi] * frac
    return uniq, out


def _lead_times(rows: _Rows, fm, fs, lead, in_term, streams, cat_of, categories) -> None:
    n_s = len(streams)
    cat_index = {c: i for i, c in enumerate(categories)}
    fc = np.array([cat_index[c] for c in cat_of], dtype=np.int64)[fs] if len(fs) else fs
    by_value = group_by(lead - lead.min(), int(lead.max() - lead.min()) + 1)[0] if len(lead) else fs
    for kind, gid, names in (("stream", fs, streams), ("category", fc, categories)):
        if not len(gid):
            continue
        key = fm * max(n_s, len(categories)) + gid
        uniq, q = _quantiles(key, by_value, lead, (0.5, 0.9))
        counts = np.bincount(key)
        sums = np.bincount(key, weights=lead)
        ok = np.bincount(key, weights=in_term.astype(float))
        month = uniq // max(n_s, len(categories))
        who = uniq % max(n_s, len(categories))
        for w in np.unique(who):
            sel = who == w
            dims = ({"stream": names[w], "category": cat_of[w]} if kind == "stream"
                    else {"category": names[w]})
            k = uniq[sel]
            rows.add("lead_time_mean", month[sel], sums[k] / counts[k], **dims)
            rows.add("lead_time_p50", month[sel], q[0.5][sel], **dims)
            rows.add("lead_time_p90", month[sel], q[0.9][sel], **dims)
            rows.add("within_term_share", month[sel], ok[k] / counts[k], **dims)


def cases_table(e: Run) -> pd.DataFrame:
    """One row per case: its path summary, first decision, exit and penalty."""
    st, cs = e.structure, e.cases
    start = np.datetime64(st.start, "D")

    def dates(days: np.ndarray, missing: np.ndarray | None = None) -> np.ndarray:
        out = (start + days.astype("timedelta64[D]")).astype("datetime64[s]")
        if missing is not None:
            out[missing] = np.datetime64("NaT")
        return out

    def names(codes: np.ndarray, table: tuple[str, ...], none: str = "") -> pd.Categorical:
        return pd.Categorical.from_codes(np.where(codes >= 0, codes, len(table)),
                                         categories=[*table, none] if none not in table else table)

    first = cs.column("first_day")
    exit_day = cs.column("exit_day")
    pen = penalty_timeline(e)
    n = cs.n
    frame = pd.DataFrame({
        "replication": np.full(n, e.replication, dtype=np.int32),
        "case_id": np.arange(n, dtype=np.int64),
        "stream": names(cs.column("stream").astype(np.int64), st.streams),
        "group": names(cs.column("group").astype(np.int64), st.groups),
        "parent_id": cs.column("parent").astype(np.int64),
        "lodged": dates(cs.column("lodged")),
        "deadline": dates(cs.column("deadline")),
        "first_decision": dates(first, first < 0),
        "first_outcome": names(np.where(first >= 0, cs.column("first_outcome"), -1).astype(np.int64), st.outcomes),
        "within_term": pd.array(np.where(first >= 0, first <= cs.column("deadline"), False),
                                dtype="boolean"),
        "exit": dates(exit_day, exit_day < 0),
        "final_outcome": names(cs.column("last_outcome").astype(np.int64), st.outcomes),
        "stage_at_end": names(cs.column("stage").astype(np.int64), st.stages),
        "decisions": cs.column("decisions").astype(np.int32),
        "decided_before_start": cs.column("prior") & (cs.column("parent") < 0),
        "nontimely_appeal": np.isin(np.arange(n), nontimely_appeals(e)),
        "notice": (pen.notice_day >= 0) if pen else np.zeros(n, dtype=bool),
        "penalty_eur": pen.eur.astype(float) if pen else np.zeros(n),
    })
    frame.loc[first < 0, "within_term"] = pd.NA
    return frame


def daily(e: Run) -> pd.DataFrame:
    """Daily open cases (werkvoorraad) per stream: wide, one column per stream."""
    idx = pd.date_range(e.structure.start, periods=e.structure.n_days, freq="D", name="date")
    return pd.DataFrame(e.daily.open, index=idx, columns=list(e.structure.streams))


YEARLY_COLUMNS = ["scenario", "replication", "year", "figure", "category", "value"]
# figure -> (unit, meaning); the main figures of a scenario, per calendar year and category.
FIGURES: dict[str, tuple[str, str]] = {
    "backlog_end": ("cases", "open cases without a first decision at the end of the year"),
    "past_term_end": ("cases", "open cases past their legal term at the end of the year"),
    "reception_end": ("persons", "applicants of reception streams in the chain at the end of the year"),
    "inflow": ("cases", "new cases in the year"),
    "first_decisions": ("decisions", "first IND decisions in the year"),
    "lead_time_p50": ("days", "median days from lodging to first decision, decided in the year"),
    "lead_time_p90": ("days", "90th percentile of days from lodging to first decision"),
    "within_term_share": ("share", "share of first decisions in the year taken within the legal term"),
    "court_inflow": ("cases", "appeals lodged in the year"),
    "notices": ("notices", "notices of default in the year"),
    "penalty_eur": ("euro", "court-imposed penalties accrued in the year"),
    "reception_places_end": ("persons", "regular reception places at the end of the year (category asylum)"),
    "reception_short_end": ("persons", "people beyond the regular places (emergency) at the end of the year"),
    "reception_cost_eur": ("euro", "cost of the occupied reception places in the year (category asylum)"),
    "utilisation": ("share", "hours a pool spent / hours it had in the year (category: the pool)"),
    "fte_end": ("FTE", "staff working in a pool at the end of the year (category: the pool)"),
    "queue_end": ("cases", "cases waiting for a pool's work at the end of the year (category: the pool)"),
}
# Figures given per pool: their category column holds the pool's name.
POOL_FIGURES = ("utilisation", "fte_end", "queue_end")
# The case columns :func:`yearly` and :func:`daily` read: all a replication that needs no other
# table hands out (copying the other 14 of a batch's millions of rows cost a tenth of an
# exploration's experiment). tests/model/test_batch.py holds it to the tables of every scenario.
YEARLY_CASE_COLUMNS = ("stream", "parent", "lodged", "deadline", "first_day", "exit_day", "prior", "key")


def yearly(e: Run) -> pd.DataFrame:
    """Main figures per calendar year and category, computed exactly from the case records."""
    st, cs = e.structure, e.cases
    start = np.datetime64(st.start, "D")
    day_year = (start + np.arange(st.n_days)).astype("datetime64[Y]").astype(np.int64) + 1970
    years = np.unique(day_year)
    cat_of = np.array(st.stream_category, dtype=object)
    categories = sorted(set(st.stream_category))
    stream_c = cs.column("stream").astype(np.int64)
    cat_c = np.array([categories.index(c) for c in cat_of])[stream_c] if cs.n else stream_c
    year_end_snap = {int(y): int(np.searchsorted(e.month_ends.days, np.flatnonzero(day_year == y)[-1]))
                     for y in years}
    first = cs.column("first_day").astype(np.int64)
    decided = np.flatnonzero(first >= 0)
    year_of = np.searchsorted(years, day_year)  # day -> position of its year
    n_years = len(years)
    # first decisions grouped by (category, year): a counting sort, as the median, the 90th
    # percentile and the share within the term do not depend on the order within a group
    group = cat_c[decided] * n_years + year_of[first[decided]]
    order, bounds = group_by(group, len(categories) * n_years)
    lead = (first - cs.column("lodged"))[decided][order]
    in_term = (first <= cs.column("deadline"))[decided][order]
    persons = _person_stages(e)
    reception = None
    if st.stream_in_reception.any() and not np.isnan(e.reception.places).all():
        occupied = in_reception_daily(e)
        reception = occupied, e.reception.places, e.reception.cost(occupied)
    pen = penalty_timeline(e)
    if pen:
        sent = np.flatnonzero(pen.notice_day >= 0)
        notices = np.bincount(cat_c[sent] * n_years + year_of[pen.notice_day[sent]],
                              minlength=len(categories) * n_years)
        accruing = np.flatnonzero(pen.start >= 0)
    rows: list[tuple] = []
    for ci, cat in enumerate(categories):
        sel_s = [s for s in range(len(st.streams)) if cat_of[s] == cat]
        if pen:
            mine = accruing[cat_c[accruing] == ci]
        for yi, y in enumerate(years.tolist()):
            days = day_year == y
            snap = year_end_snap[y]
            lo, hi = np.flatnonzero(days)[[0, -1]]
            g = ci * n_years + yi
            dec_lead, dec_in_term = lead[bounds[g]: bounds[g + 1]], in_term[bounds[g]: bounds[g + 1]]
            n_dec = len(dec_lead)
            values = {
                "backlog_end": e.month_ends.open[snap][sel_s].sum(),
                "past_term_end": e.month_ends.past_term[snap][sel_s].sum(),
                "reception_end": (e.month_ends.stock[snap][persons].sum(axis=(0, 2))[sel_s]
                                  * st.stream_in_reception[sel_s]).sum(),
                "inflow": e.daily.inflow[days][:, sel_s].sum(),
                "first_decisions": n_dec,
                "lead_time_p50": np.median(dec_lead) if n_dec else np.nan,
                "lead_time_p90": np.percentile(dec_lead, 90) if n_dec else np.nan,
                "within_term_share": dec_in_term.mean() if n_dec else np.nan,
                "court_inflow": e.daily.court_in[days][:, sel_s].sum(),
                "notices": notices[g] if pen else 0,
                "penalty_eur": _penalty_in(pen, mine, lo, hi + 1, e) if pen else 0.0,
            }
            if reception is not None and cat == "asylum":  # reception streams are asylum streams
                occupied, places, cost = reception
                values["reception_places_end"] = places[hi]
                values["reception_short_end"] = max(occupied[hi] - places[hi], 0.0)
                values["reception_cost_eur"] = cost[lo: hi + 1].sum()
            rows.extend((y, f, cat, float(v)) for f, v in values.items())
    rows.extend(_pool_rows(e, years, day_year, year_end_snap))
    return pd.DataFrame(rows, columns=["year", "figure", "category", "value"])


def _pool_rows(e: Run, years: np.ndarray, day_year: np.ndarray, year_end_snap: dict[int, int]) -> list[tuple]:
    """Utilisation, staff and queue per pool and year (category: the pool), to see which binds."""
    rows = []
    for y in years.tolist():
        days = day_year == y
        available, used = e.pools.available[days].sum(axis=0), e.pools.used[days].sum(axis=0)
        snap = year_end_snap[y]
        for j, pool in enumerate(e.structure.pools):
            rows.append((y, "utilisation", pool, float(used[j] / available[j]) if available[j] > 0 else 0.0))
            rows.append((y, "fte_end", pool, float(e.month_ends.fte[snap, j])))
            rows.append((y, "queue_end", pool, float(e.month_ends.queue[snap, j])))
    return rows


def _penalty_in(pen: Penalties, cases: np.ndarray, lo: int, hi: int, e: Run) -> float:
    """Euros accrued within days [lo, hi) by the given cases (all with a penalty)."""
    overlap = np.minimum(pen.end[cases], hi) - np.maximum(pen.start[cases], lo)
    return float(np.clip(overlap, 0, None).sum() * e.penalty.per_day)
