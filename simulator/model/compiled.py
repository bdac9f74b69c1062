"""A scenario compiled to numbers: names become indices, routes become cumulative tables.

Names are sorted, so the compiled form (and every result) is independent of the order in which a
file lists its streams, stages, pools, groups or routes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import NamedTuple

import numpy as np

from ..scenario.checks import parse_age_band
from ..scenario.loader import versions
from ..scenario.schema import EXIT, WEEKDAYS, Route, Scenario, Stage
from ..scenario.types import DAYS_PER_MONTH, DAYS_PER_UNIT
from .rng import Tag, combine, name_key, to_uniform
from .sampling import ZERO, Sampler, sampler, table

# IND's own cohorts in its monthly figures: waiting under 6, 6 to 15, and over 15 months.
AGE_BANDS_MONTHS = (0.0, 6.0, 15.0)
AGE_LABELS = ("0-6", "6-15", "15+")
INHERIT, DRAW = -1, -2  # spawn group modes


def month_days(months: float) -> int:
    """Whole days in a number of months (the unit used for age bands)."""
    return round(months * DAYS_PER_MONTH)


AGE_EDGES_DAYS = np.array([month_days(m) for m in AGE_BANDS_MONTHS], dtype=np.int64)


@dataclass(frozen=True)
class Structure:
    """Everything that has a name, in canonical (sorted) order, shared by all versions."""

    start: dt.date
    n_days: int
    streams: tuple[str, ...]
    groups: tuple[str, ...]
    stages: tuple[str, ...]
    pools: tuple[str, ...]
    outcomes: tuple[str, ...]
    procedures: tuple[str, ...]
    stream_keys: np.ndarray
    stream_category: tuple[str, ...]
    stream_in_reception: np.ndarray
    stream_application: np.ndarray  # whether a stream's cases are applications to IND
    stage_owner: tuple[str, ...]
    stage_completes: np.ndarray  # by stage: IND's decision is issued on leaving it (completes_decision)
    appeal_entry: np.ndarray  # by stage: entering it lodges an appeal (see _appeal_entries)
    workday: np.ndarray
    workdays_per_week: int

    def index(self, kind: str, name: str) -> int:
        return getattr(self, kind).index(name)

    @property
    def signature(self) -> tuple:
        """What scenarios must share to run in one batch: every name, the dates and the calendar.
        Who owns a stage may differ (a chain partner that withdraws in one variant and not in
        another), and so may where IND's decision is issued: the engine looks both up per
        parameter set (:attr:`rules.Rules.ind`, :attr:`rules.Rules.completes`)."""
        return (self.start, self.n_days, self.streams, self.groups, self.stages, self.pools, self.outcomes,
                self.procedures, self.stream_category, tuple(self.stream_in_reception.tolist()),
                tuple(self.stream_application.tolist()), self.workday.tobytes(), self.workdays_per_week)


@dataclass(frozen=True)
class Option:
    """One possible route out of a stage."""

    to: int  # stage index, or -1 for leaving the system
    outcome: int  # outcome index, or -1
    spawns: tuple[tuple[int, Sampler, int, float | None], ...]  # (stream, delay, group, expected)
    regroup: tuple[int, ...] = ()  # groups the case is drawn into (none: it keeps its group)


@dataclass(frozen=True)
class StageTables:
    """All stages' parameters as arrays indexed by stage (and group, option)."""

    pool: np.ndarray  # [S] pool index or -1
    hours: tuple[np.ndarray, ...]  # (kind, a, b, c), each [S]
    delay: tuple[np.ndarray, ...]  # (kind, a, b, c), each [S]
    cum: np.ndarray  # [S, G, K] cumulative route probabilities
    to: np.ndarray  # [S, K] next stage or -1 (exit)
    outcome: np.ndarray  # [S, K] outcome index or -1
    spawn: np.ndarray  # [S, K] whether the option creates follow-on cases
    regroup: np.ndarray  # [S, K, G] groups a case taking the option may be drawn into (none: keeps its group)
    options: tuple[tuple[Option, ...], ...]  # per stage
    hours_sampler: tuple[Sampler, ...]
    delay_sampler: tuple[Sampler, ...]
    procedure: np.ndarray  # [S] procedure index or -1
    first: np.ndarray  # [S] its work goes before its pool's line (Stage.served_first)


@dataclass(frozen=True)
class ProcedureParams:
    """Limits of one procedure in one version (cap = inf when there is none)."""

    cap: float
    overflow: int
    limit: Sampler | None
    on_limit: np.ndarray  # [S] fallback stage for a case timing out in each stage (-1: none)
    term: tuple[float, str] | None


@dataclass(frozen=True)
class PoolParams:
    fte: float
    hours_per_fte_year: float
    productivity: float
    attrition: float
    target_fte: float | None
    hires_per_year: float | None
    training_days: int
    intake_cap: float | None
    order: str
    then: str
    rank: np.ndarray  # rank per stage / stream / group index (priority only)
    rank_by: str | None  # what rank and head_start are indexed by (stage, stream, group)
    transfer: tuple[tuple[int, float], ...] = ()  # (pool index, FTE) lent to other pools
    head_start: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))  # days, as rank

    def ordering(self) -> tuple:
        """What orders the pool's line: lines are sorted again when it changes."""
        return self.order, self.then, self.rank_by, tuple(self.rank), tuple(self.head_start)


@dataclass(frozen=True)
class Params:
    """The numbers in force from one date on."""

    day: int
    volume: np.ndarray  # [streams] mean monthly volume
    eligible: np.ndarray  # [streams] share of would-be applications admitted
    season: np.ndarray  # [streams, 12] multipliers with mean 1
    cv: np.ndarray  # [streams]
    group_cum: np.ndarray  # [streams, groups] cumulative group shares
    entry: np.ndarray  # [streams, groups] entry stage
    term: tuple[tuple[float, str], ...]  # per stream (value, unit)
    stages: StageTables
    pools: tuple[PoolParams, ...]
    procedures: tuple[ProcedureParams, ...]
    reception: tuple[float, float, float] = (np.nan, 0.0, 0.0)  # places (nan: none given), euro per place per
    # day in a regular place and beyond the places (emergency reception)


@dataclass(frozen=True)
class StockCases:
    """Initial stock, expanded to one row per case."""

    stream: np.ndarray
    group: np.ndarray
    stage: np.ndarray
    lodged: np.ndarray
    decided: np.ndarray
    keys: np.ndarray


@dataclass(frozen=True)
class Penalty:
    notice_p: float
    appeal_p: float
    notice_delay: int
    appeal_after: int
    court_days: int
    order_days: int
    per_day: float
    cap: float
    appeal_stage: int = -1  # stage an appeal for not deciding in time enters; -1: none (no court capacity)
    ordered_first: bool = True  # a case with a court order goes before other work


@dataclass(frozen=True)
class Extension:
    """A term extension for one stream, in day numbers from the start (see schema.TermExtension)."""

    stream: int
    lodged_from: int
    lodged_until: int
    extra: tuple[float, str]
    lapses: int | None


@dataclass
class Compiled:
    structure: Structure
    params: list[Params]
    stock: StockCases
    penalty: Penalty | None
    change_days: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    extensions: tuple[Extension, ...] = ()
    in_band: np.ndarray | None = None  # [streams] whether the inflow level scales the stream (None: all)

    def version_at(self, day: int) -> int:
        return int(np.searchsorted(self.change_days, day, side="right") - 1)

    def daily(self, get) -> np.ndarray:
        """A parameter for every day of the run: ``get(params)`` under the version in force."""
        days = np.arange(self.structure.n_days)
        version = np.searchsorted(self.change_days, days, side="right") - 1
        return np.array([get(p) for p in self.params], dtype=float)[version]


def _structure(s: Scenario, all_versions: list[Scenario]) -> Structure:
    def names(attr: str) -> tuple[str, ...]:
        return tuple(sorted({n for v in all_versions for n in getattr(v, attr)}))

    streams = names("streams")
    groups = tuple(sorted({g for v in all_versions for st in v.streams.values() for g in st.groups}))
    outcomes = names("outcomes")
    latest = {}
    for v in all_versions:
        latest.update(v.stages)
    stages = tuple(sorted(latest))
    stream_def = {}
    for v in all_versions:
        stream_def.update(v.streams)
    n_days = s.n_days
    dates = np.datetime64(s.start) + np.arange(n_days)
    weekday = (dates.astype("datetime64[D]").view("int64") - 4) % 7  # 1970-01-01 was a Thursday
    wd_idx = {WEEKDAYS.index(d) for d in s.calendar.workdays}
    workday = np.isin(weekday, sorted(wd_idx))
    for h in s.calendar.holidays:
        i = (h - s.start).days
        if 0 <= i < n_days:
            workday[i] = False
    return Structure(
        start=s.start,
        n_days=n_days,
        streams=streams,
        groups=groups,
        stages=stages,
        pools=names("pools"),
        outcomes=outcomes,
        procedures=names("procedures"),
        stream_keys=np.array([name_key(n) for n in streams], dtype=np.uint64),
        stream_category=tuple(stream_def[n].category for n in streams),
        stream_in_reception=np.array([stream_def[n].in_reception for n in streams]),
        stream_application=np.array([stream_def[n].application for n in streams]),
        stage_owner=tuple(latest[n].owner for n in stages),
        stage_completes=np.array([latest[n].completes_decision for n in stages], dtype=bool),
        appeal_entry=_appeal_entries(all_versions, stages, {n: latest[n].owner for n in stages}),
        workday=workday,
        workdays_per_week=len(wd_idx),
    )


def _appeal_entries(all_versions: list[Scenario], stages: tuple[str, ...], owner: dict[str, str]) -> np.ndarray:
    """Where an appeal is lodged, by stage: the count of appeals is taken when a case enters one.

    An appeal starts at a court stage, or at a step of IND whose every way on leads to a court
    (its statement of defence, which the court waits for). Such a defence step is where the appeal
    is lodged when every court it leads to is entered from counting defence steps only (not from
    another stage, a stream's entry or a procedure's overflow); that court then does not count
    it again, nor a case a procedure's time limit moves there from another appeal step (a border
    appeal taken over by the regular court). Every other court stage counts at its own entry (a
    higher appeal is a new appeal). So each appeal counts once, on the day it is lodged, however
    long IND's litigation officers take over the defence."""
    def ways(stage) -> set[str]:
        return {r.to for r in stage.routes} | {r.to for rs in stage.routes_by_group.values() for r in rs}

    court = {n for n in stages if owner[n] == "court"}
    defence = {n for n in stages if n not in court
               and all(ways(v.stages[n]) and ways(v.stages[n]) <= court for v in all_versions if n in v.stages)}
    before: dict[str, set[str]] = {n: set() for n in stages}
    after: dict[str, set[str]] = {n: set() for n in stages}
    outside: set[str] = set()  # entered other than by a stage's route or a move within an appeal
    for v in all_versions:
        for n, stage in v.stages.items():
            after[n] |= ways(stage)
            for t in ways(stage) & set(before):
                before[t].add(n)
        outside |= {st.entry for st in v.streams.values()}
        outside |= {g.entry for st in v.streams.values() for g in st.groups.values() if g.entry}
        for pr in v.procedures.values():
            outside |= {pr.overflow} - {None}
            limit = pr.on_time_limit
            moves = limit.items() if isinstance(limit, dict) else [(n, limit) for n in pr.stages]
            # a case moved on at a time limit from an appeal step (the border appeal to the court)
            # has lodged its appeal already; from another step it enters anew
            outside |= {target for source, target in moves if target and source not in court | defence}
    counting = set(defence)
    while True:
        quiet = {n for n in court if n not in outside and before[n] and before[n] <= counting}
        kept = {n for n in counting if after[n] <= quiet}
        if kept == counting:
            break
        counting = kept
    return np.array([n in counting or (n in court and n not in quiet) for n in stages])


def _options(st: Structure, routes: list[Route]) -> list[tuple[Option, float]]:
    out = []
    for r in sorted(routes, key=lambda r: (r.to, r.outcome or "")):
        spawns = tuple(
            (st.index("streams", sp.stream), sampler(sp.after) if sp.after else ZERO,
             {"inherit": INHERIT, "draw": DRAW}.get(sp.group)
             if sp.group in ("inherit", "draw") else st.index("groups", sp.group),
             None if sp.expected is None else sp.expected.value)
            for sp in sorted(r.spawn, key=lambda sp: (sp.stream, sp.group))
        )
        option = Option(-1 if r.to == EXIT else st.index("stages", r.to),
                        -1 if r.outcome is None else st.index("outcomes", r.outcome), spawns,
                        tuple(sorted(st.index("groups", g) for g in r.regroup)))
        out.append((option, r.p.value))
    return out


def _stage_routes(st: Structure, stage: Stage | None) -> tuple[list[Option], np.ndarray]:
    """Options of one stage and their probabilities per group ([G, K])."""
    if stage is None:  # a stage that only exists from a later version on: nobody is in it yet
        return [Option(-1, -1, ())], np.ones((len(st.groups), 1))
    default = _options(st, stage.routes)
    options = [o for o, _ in default]
    per_group = {st.index("groups", g): _options(st, r) for g, r in stage.routes_by_group.items()}
    for lst in per_group.values():
        options.extend(o for o, _ in lst)
    probs = np.zeros((len(st.groups), len(options)))
    probs[:, : len(default)] = [p for _, p in default]
    offset = len(default)
    for g, lst in per_group.items():
        probs[g, :] = 0.0
        probs[g, offset: offset + len(lst)] = [p for _, p in lst]
        offset += len(lst)
    return options, probs


class StagePart(NamedTuple):
    """One stage definition's rows of the stage tables (see :func:`_stages`)."""

    options: list[Option]
    cum: np.ndarray  # [G, K] cumulative probabilities per group
    to: np.ndarray  # [K] next stage per option
    outcome: np.ndarray  # [K]
    spawn: np.ndarray  # [K] whether the option creates follow-on cases
    regroup: np.ndarray  # [K, G] groups the option may move a case to
    hours: Sampler
    delay: Sampler


def _stage_part(st: Structure, stage: Stage | None) -> StagePart:
    options, probs = _stage_routes(st, stage)
    c = np.cumsum(probs, axis=1)
    c /= c[:, -1:]
    c[:, -1] = 1.0
    regroup = np.zeros((len(options), len(st.groups)), dtype=bool)
    for j, o in enumerate(options):
        regroup[j, list(o.regroup)] = True
    return StagePart(options, c, np.array([o.to for o in options], dtype=np.int64),
                     np.array([o.outcome for o in options], dtype=np.int64),
                     np.array([bool(o.spawns) for o in options]), regroup,
                     sampler(stage.hours, 1.0) if stage else ZERO, sampler(stage.delay) if stage else ZERO)


def _stages(st: Structure, s: Scenario, defs: dict[str, Stage], seen: dict[int, StagePart]) -> StageTables:
    """Stage tables of one version. ``defs`` also holds stages removed in this version, with
    their last definition: nobody is routed into them any more, but the cases already there
    finish under the old rules (as transitional law usually provides). ``seen``: each stage
    definition's rows (:class:`StagePart`), by the definition's identity, for the versions of
    one scenario (a version shares the definitions no change touched with the one before)."""
    n_s, n_g = len(st.stages), len(st.groups)
    for n in st.stages:
        stage = defs.get(n)
        if id(stage) not in seen:
            seen[id(stage)] = _stage_part(st, stage)
    own = [seen[id(defs.get(n))] for n in st.stages]
    k = max(len(part.options) for part in own)
    cum = np.ones((n_s, n_g, k))
    to = np.full((n_s, k), -1, dtype=np.int64)
    outcome = np.full((n_s, k), -1, dtype=np.int64)
    spawn = np.zeros((n_s, k), dtype=bool)
    regroup = np.zeros((n_s, k, n_g), dtype=bool)
    for i, part in enumerate(own):
        m = len(part.options)
        cum[i, :, :m], to[i, :m], outcome[i, :m] = part.cum, part.to, part.outcome
        spawn[i, :m], regroup[i, :m] = part.spawn, part.regroup
    hs, ds = [part.hours for part in own], [part.delay for part in own]
    pool = np.full(n_s, -1, dtype=np.int64)
    first = np.zeros(n_s, dtype=np.bool_)
    procedure = np.full(n_s, -1, dtype=np.int64)
    for name, proc in s.procedures.items():
        for member in proc.stages:
            procedure[st.index("stages", member)] = st.index("procedures", name)
    for i, n in enumerate(st.stages):
        stage = defs.get(n)
        if stage is not None and stage.pool is not None:
            pool[i] = st.index("pools", stage.pool)
            first[i] = stage.served_first

    return StageTables(pool, table(hs), table(ds), cum, to, outcome, spawn, regroup,
                       tuple(tuple(part.options) for part in own), tuple(hs), tuple(ds), procedure, first)


def _procedures(st: Structure, s: Scenario) -> tuple[ProcedureParams, ...]:
    out = []
    for name in st.procedures:
        proc = s.procedures.get(name)
        on_limit = np.full(len(st.stages), -1, dtype=np.int64)
        if proc is None:
            out.append(ProcedureParams(np.inf, -1, None, on_limit, None))
            continue
        fallback = proc.on_time_limit
        for member in proc.stages:
            to = fallback.get(member) if isinstance(fallback, dict) else fallback
            if to is not None:
                on_limit[st.index("stages", member)] = st.index("stages", to)
        out.append(ProcedureParams(
            cap=np.inf if proc.max_cases is None else proc.max_cases.value,
            overflow=-1 if proc.overflow is None else st.index("stages", proc.overflow),
            limit=None if proc.time_limit is None else sampler(proc.time_limit),
            on_limit=on_limit,
            term=None if proc.legal_term is None else (proc.legal_term.value, proc.legal_term.unit),
        ))
    return tuple(out)


def _pool(st: Structure, s: Scenario, name: str) -> PoolParams:
    if name not in s.pools:
        return PoolParams(0, 0, 0, 0, None, None, 0, None, "fifo", "fifo", np.zeros(0), None)
    p = s.pools[name]
    d = p.discipline
    rank_by = d.by if d.order == "priority" or d.head_start else None
    rank = head_start = np.zeros(0, dtype=np.int64)
    if rank_by:
        universe = {"stage": st.stages, "stream": st.streams, "group": st.groups}[rank_by]
        rank = np.full(len(universe), len(d.ranking), dtype=np.int64)  # no ranking: all in one lane
        for i, n in enumerate(d.ranking):
            rank[universe.index(n)] = i
        head_start = np.zeros(len(universe), dtype=np.int64)
        for n, term in d.head_start.items():
            head_start[universe.index(n)] = round(term.value * DAYS_PER_UNIT[term.unit])
    h = p.hiring
    return PoolParams(
        fte=p.fte.value,
        hours_per_fte_year=p.hours_per_fte_year.value,
        productivity=p.productivity.value,
        attrition=p.attrition_per_year.value,
        target_fte=h.target_fte.value if h and h.target_fte else None,
        hires_per_year=h.hires_per_year.value if h and h.hires_per_year else None,
        training_days=round(h.training_months.value * DAYS_PER_MONTH) if h else 0,
        intake_cap=h.intake_cap_per_year.value if h and h.intake_cap_per_year else None,
        order=d.order,
        then=d.then,
        rank=rank,
        rank_by=rank_by,
        head_start=head_start,
        transfer=tuple((st.index("pools", to), q.value) for to, q in sorted(p.transfer.items()) if q.value > 0),
    )


def _params(st: Structure, s: Scenario, day: int, defs: dict[str, Stage], seen: dict[int, StagePart]
            ) -> Params:
    n_s, n_g = len(st.streams), len(st.groups)
    volume = np.zeros(n_s)
    eligible = np.ones(n_s)
    season = np.ones((n_s, 12))
    cv = np.zeros(n_s)
    group_cum = np.zeros((n_s, n_g))
    entry = np.zeros((n_s, n_g), dtype=np.int64)
    term = []
    for i, name in enumerate(st.streams):
        stream = s.streams.get(name)
        if stream is None:
            group_cum[i, :] = 1.0
            term.append((0.0, "days"))
            continue
        volume[i] = stream.monthly_volume.value
        eligible[i] = stream.eligible_share.value
        if stream.seasonality is not None:
            prof = np.array(stream.seasonality.value, dtype=float)
            season[i] = prof / prof.mean()
        cv[i] = stream.variation_cv.value
        shares = np.zeros(n_g)
        entry[i, :] = st.index("stages", stream.entry)
        for g, grp in stream.groups.items():
            gi = st.index("groups", g)
            shares[gi] = grp.share.value
            if grp.entry:
                entry[i, gi] = st.index("stages", grp.entry)
        group_cum[i] = np.cumsum(shares) / shares.sum()
        term.append((stream.legal_term.value, stream.legal_term.unit))
    return Params(
        day=day,
        volume=volume,
        eligible=eligible,
        season=season,
        cv=cv,
        group_cum=group_cum,
        entry=entry,
        term=tuple(term),
        stages=_stages(st, s, defs, seen),
        pools=tuple(_pool(st, s, n) for n in st.pools),
        procedures=_procedures(st, s),
        reception=(np.nan, 0.0, 0.0) if s.reception is None
        else (s.reception.places.value, s.reception.cost_per_place_day.value,
              (s.reception.emergency_cost_per_place_day or s.reception.cost_per_place_day).value),
    )


def largest_remainder(total: int, shares: np.ndarray) -> np.ndarray:
    """Split a whole number by shares into whole numbers that add up exactly."""
    raw = total * np.asarray(shares, dtype=float) / max(float(np.sum(shares)), 1e-300)
    out = np.floor(raw).astype(np.int64)
    rest = total - int(out.sum())
    if rest > 0:
        order = np.argsort(-(raw - out), kind="stable")
        out[order[:rest]] += 1
    return out


def _stock(st: Structure, s: Scenario) -> StockCases:
    cols: dict[str, list] = {k: [] for k in ("stream", "group", "stage", "lodged", "decided", "keys")}
    seen: dict[tuple[str, str], int] = {}
    for e in s.initial_stock:
        occurrence = seen.get((e.stream, e.stage), 0)
        seen[(e.stream, e.stage)] = occurrence + 1
        base = name_key(f"stock/{e.stream}/{e.stage}/{occurrence}")
        stream = s.streams[e.stream]
        gshares = e.groups if e.groups is not None else {g: v.share for g, v in stream.groups.items()}
        gnames = sorted(gshares)
        per_group = largest_remainder(int(e.count.value), np.array([gshares[g].value for g in gnames]))
        bands = sorted(e.age_months.items(), key=lambda kv: parse_age_band(kv[0]))
        serial = 0
        for g, n_g in zip(gnames, per_group, strict=True):
            per_band = largest_remainder(int(n_g), np.array([v.value for _, v in bands]))
            for (band, _), n_b in zip(bands, per_band, strict=True):
                if n_b == 0:
                    continue
                lo, hi = parse_age_band(band)
                lo_d, hi_d = month_days(lo), month_days(hi)
                keys = combine(base, np.arange(serial, serial + n_b, dtype=np.uint64))
                serial += n_b
                u = to_uniform(combine(keys, Tag.STOCK_AGE))
                age = lo_d + np.floor(u * (hi_d - lo_d)).astype(np.int64)
                cols["stream"].append(np.full(n_b, st.index("streams", e.stream)))
                cols["group"].append(np.full(n_b, st.index("groups", g)))
                cols["stage"].append(np.full(n_b, st.index("stages", e.stage)))
                cols["lodged"].append(-age)
                cols["decided"].append(np.full(n_b, e.decided))
                cols["keys"].append(keys)
    dtypes = {"stream": np.int64, "group": np.int64, "stage": np.int64, "lodged": np.int64,
              "decided": bool, "keys": np.uint64}
    return StockCases(**{k: (np.concatenate(v).astype(dtypes[k]) if v else np.zeros(0, dtypes[k]))
                         for k, v in cols.items()})


def compile_scenario(s: Scenario) -> Compiled:
    """Compile a validated scenario (with its dated changes) for the engine."""
    timeline = versions(s)
    st = _structure(s, [v for _, v in timeline])
    params, defs, seen = [], {}, {}  # seen: see _stages (the timeline keeps the definitions alive)
    for d, v in timeline:
        defs = {**defs, **v.stages}
        params.append(_params(st, v, (d - s.start).days, defs, seen))
    penalty = None
    if s.penalties is not None:
        p = s.penalties
        penalty = Penalty(
            p.notice_probability.value, p.appeal_probability.value,
            round(p.notice_delay_days.value),
            round(p.appeal_after_days.value), round(p.court_days.value),
            round(p.decision_order_days.value), p.per_day_eur.value, p.cap_eur.value,
            -1 if p.appeal_stage is None else st.index("stages", p.appeal_stage), p.ordered_first,
        )
    def day(d: dt.date) -> int:
        return (d - s.start).days

    extensions = tuple(
        Extension(st.index("streams", name), day(x.lodged_from), day(x.lodged_until), (x.extra.value, x.extra.unit),
                  None if x.lapses is None else day(x.lapses))
        for name, stream in sorted(s.streams.items()) for x in stream.term_extensions)
    band = s.uncertainty.inflow_level
    in_band = None if band is None or band.streams is None else np.isin(st.streams, band.streams)
    return Compiled(st, params, _stock(st, s), penalty, np.array([p.day for p in params], dtype=np.int64),
                    extensions, in_band)
