"""Checks that need the whole scenario: references between stages, pools, streams and groups.

Each check yields ``(path, reason)``; the loader turns the path into a file and line number.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from .schema import EXIT, Route, Scenario

Issue = tuple[tuple[str | int, ...], str]
_TOL = 1e-6
_AGE_BAND = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*-\s*(\d+(?:\.\d+)?)\s*$")


def parse_age_band(band: str) -> tuple[float, float] | None:
    """``"6-15"`` -> ``(6.0, 15.0)`` months, or None when it is not such a band."""
    m = _AGE_BAND.match(band)
    if not m:
        return None
    low, high = float(m.group(1)), float(m.group(2))
    return (low, high) if high > low else None


def _hint(name: str, known: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, known, n=1)
    if close:
        return f"; did you mean {close[0]!r}?"
    return f"; known: {', '.join(sorted(known))}" if len(known) <= 12 else ""


def _shares(path: tuple, values: dict[str, float], what: str) -> Iterator[Issue]:
    total = sum(values.values())
    if abs(total - 1.0) > _TOL:
        yield path, f"{what} must sum to 1, they sum to {total:.6g}"


def check(s: Scenario) -> list[Issue]:
    """All cross-reference problems of a scenario (empty when it is consistent)."""
    return list(_check(s))


def _check(s: Scenario) -> Iterator[Issue]:
    stages, pools, streams = list(s.stages), list(s.pools), list(s.streams)
    groups = sorted({g for st in s.streams.values() for g in st.groups})
    outcomes = list(s.outcomes)

    band = s.uncertainty.inflow_level
    for i, name in enumerate((band.streams or []) if band is not None else []):
        if name not in s.streams:
            yield ("uncertainty", "inflow_level", "streams", i), f"unknown stream {name!r}{_hint(name, streams)}"

    for name, st in s.streams.items():
        p = ("streams", name)
        if st.entry not in s.stages:
            yield (*p, "entry"), f"unknown stage {st.entry!r}{_hint(st.entry, stages)}"
        yield from _shares((*p, "groups"), {g: v.share.value for g, v in st.groups.items()},
                           "group shares")
        for g, grp in st.groups.items():
            if grp.entry is not None and grp.entry not in s.stages:
                yield (*p, "groups", g, "entry"), f"unknown stage {grp.entry!r}{_hint(grp.entry, stages)}"

    for name, pool in s.pools.items():
        p = ("pools", name)
        d = pool.discipline
        if d.order == "priority" and (d.by is None or not d.ranking):
            yield (*p, "discipline"), "priority needs 'by' (stage, stream or group) and a 'ranking'"
        elif d.order != "priority" and d.ranking:
            yield (*p, "discipline"), "'ranking' only applies to order: priority"
        elif d.order != "priority" and d.by and not d.head_start:
            yield (*p, "discipline"), "'by' applies to order: priority or to a head_start"
        if d.head_start and d.by is None:
            yield (*p, "discipline"), "a head_start needs 'by' (stage, stream or group)"
        if d.by is not None:  # the names ranked or given a head start
            known = {"stage": stages, "stream": streams, "group": groups}[d.by]
            named = [(("ranking", i), r) for i, r in enumerate(d.ranking if d.order == "priority" else [])]
            for where, r in named + [(("head_start", r), r) for r in d.head_start]:
                if r not in known:
                    yield (*p, "discipline", *where), f"unknown {d.by} {r!r}{_hint(r, known)}"
        if pool.hiring is not None and pool.hiring.target_fte is None and pool.hiring.hires_per_year is None:
            yield (*p, "hiring"), "hiring needs target_fte or hires_per_year"
        for to in pool.transfer:
            if to == name:
                yield (*p, "transfer", to), "a pool cannot transfer staff to itself"
            elif to not in s.pools:
                yield (*p, "transfer", to), f"unknown pool {to!r}{_hint(to, pools)}"

    if s.penalties is not None and s.penalties.appeal_stage is not None:
        stage = s.penalties.appeal_stage
        if stage not in s.stages:
            yield ("penalties", "appeal_stage"), f"unknown stage {stage!r}{_hint(stage, stages)}"

    for name, stage in s.stages.items():
        p = ("stages", name)
        if stage.pool is not None and stage.pool not in s.pools:
            yield (*p, "pool"), f"unknown pool {stage.pool!r}{_hint(stage.pool, pools)}"
        if stage.pool is not None and stage.hours is None:
            yield (*p, "hours"), "a stage with a pool needs hours per case"
        if stage.hours is not None and stage.pool is None:
            yield (*p, "pool"), "a stage with hours needs a pool to do the work"
        yield from _routes(s, (*p, "routes"), stage.routes, stages, streams, outcomes, groups)
        for g, routes in stage.routes_by_group.items():
            if g not in groups:
                yield (*p, "routes_by_group", g), f"unknown group {g!r}{_hint(g, groups)}"
            yield from _routes(s, (*p, "routes_by_group", g), routes, stages, streams, outcomes, groups)

    for i, e in enumerate(s.initial_stock):
        p = ("initial_stock", i)
        if e.stream not in s.streams:
            yield (*p, "stream"), f"unknown stream {e.stream!r}{_hint(e.stream, streams)}"
            continue
        if e.stage not in s.stages:
            yield (*p, "stage"), f"unknown stage {e.stage!r}{_hint(e.stage, stages)}"
        if e.groups is not None:
            known = list(s.streams[e.stream].groups)
            for g in e.groups:
                if g not in known:
                    yield (*p, "groups", g), f"stream {e.stream!r} has no group {g!r}{_hint(g, known)}"
            yield from _shares((*p, "groups"), {g: v.value for g, v in e.groups.items()}, "group shares")
        for band in e.age_months:
            if parse_age_band(band) is None:
                yield (*p, "age_months", band), "age band must look like '6-15' (months, low < high)"
        yield from _shares((*p, "age_months"), {b: v.value for b, v in e.age_months.items()},
                           "age shares")

    in_procedure: dict[str, str] = {}
    for name, proc in s.procedures.items():
        p = ("procedures", name)
        for i, st in enumerate(proc.stages):
            if st not in s.stages:
                yield (*p, "stages", i), f"unknown stage {st!r}{_hint(st, stages)}"
            elif st in in_procedure:
                yield (*p, "stages", i), f"stage {st!r} already belongs to procedure {in_procedure[st]!r}"
            else:
                in_procedure[st] = name
        for field, needs, what in (("overflow", "max_cases", "a case cap"),
                                   ("on_time_limit", "time_limit", "a time limit")):
            target = getattr(proc, field)
            if getattr(proc, needs) is not None and target is None:
                yield (*p, field), f"{what} ({needs}) needs '{field}': the stage where those cases go"
            targets = target.items() if isinstance(target, dict) else [(None, target)]
            for member, to in targets:
                where = (*p, field) if member is None else (*p, field, member)
                if member is not None and member not in proc.stages:
                    yield where, f"stage {member!r} is not part of this procedure"
                if to is None:
                    continue
                if to not in s.stages:
                    yield where, f"unknown stage {to!r}{_hint(to, stages)}"
                elif to in proc.stages:
                    yield where, f"stage {to!r} is part of the procedure itself"
            if isinstance(target, dict) and proc.time_limit is not None:
                for member in proc.stages:
                    if member not in target:
                        yield (*p, field), f"no fallback stage for procedure stage {member!r}"

    for name, iv in s.interventions.items():
        p = ("interventions", name)
        if iv.phase_in is not None and iv.steps:
            yield p, "give either phase_in or steps, not both"
        dates = [st.date for st in iv.steps]
        if dates != sorted(dates):
            yield (*p, "steps"), "steps must be in date order"
        if dates and dates[0] < iv.start:
            yield (*p, "steps", 0, "date"), f"step date {dates[0]} lies before the start {iv.start}"
        if not (iv.set or iv.scale or iv.add):
            yield p, "an intervention needs at least one of set, scale or add"
        if iv.enabled and iv.start > s.end:  # before the start: in force from day one (calibration fragments)
            yield (*p, "start"), f"start {iv.start} lies after the end of the horizon {s.end}: it would change nothing"

    for i, c in enumerate(s.changes):
        if not s.start <= c.date <= s.end:
            yield ("changes", i, "date"), (
                f"date {c.date} lies outside the horizon {s.start} .. {s.end}"
            )

    yield from _zero_time_cycles(s)


def _routes(s, path, routes: list[Route], stages, streams, outcomes, groups) -> Iterator[Issue]:
    yield from _shares(path, {str(i): r.p.value for i, r in enumerate(routes)}, "route probabilities")
    seen = set()
    for i, r in enumerate(routes):
        if r.to != EXIT and r.to not in s.stages:
            yield (*path, i, "to"), f"unknown stage {r.to!r}{_hint(r.to, [*stages, EXIT])}"
        key = (r.to, r.outcome, tuple((sp.stream, sp.group) for sp in r.spawn), tuple(r.regroup))
        if key in seen:
            yield (*path, i), f"route to {r.to!r} with outcome {r.outcome!r} appears twice"
        seen.add(key)
        if r.outcome is not None and r.outcome not in s.outcomes:
            yield (*path, i, "outcome"), (
                f"outcome {r.outcome!r} is not declared under 'outcomes'{_hint(r.outcome, outcomes)}"
            )
        for j, g in enumerate(r.regroup):
            if g not in groups:
                yield (*path, i, "regroup", j), f"unknown group {g!r}{_hint(g, groups)}"
        if len(set(r.regroup)) < len(r.regroup):
            yield (*path, i, "regroup"), "a group is listed twice"
        for j, sp in enumerate(r.spawn):
            if sp.stream not in s.streams:
                hint = _hint(sp.stream, streams)
                yield (*path, i, "spawn", j, "stream"), f"unknown stream {sp.stream!r}{hint}"
            elif sp.group not in ("inherit", "draw") and sp.group not in s.streams[sp.stream].groups:
                yield (*path, i, "spawn", j, "group"), (
                    f"stream {sp.stream!r} has no group {sp.group!r} (use 'inherit', 'draw' or one of "
                    f"{', '.join(s.streams[sp.stream].groups)})"
                )


def _zero_time_cycles(s: Scenario) -> Iterator[Issue]:
    """A loop of stages that take neither work nor time would never let the clock move."""
    instant = {n for n, st in s.stages.items() if st.pool is None and st.delay is None}
    edges = {
        n: {r.to for r in [*st.routes, *(r for rs in st.routes_by_group.values() for r in rs)]
            if r.to in instant}
        for n, st in s.stages.items() if n in instant
    }
    state: dict[str, int] = {}

    def visit(n: str) -> str | None:
        state[n] = 1
        for m in sorted(edges[n]):
            if state.get(m) == 1:
                return m
            if m not in state and (hit := visit(m)):
                return hit
        state[n] = 2
        return None

    for n in sorted(edges):
        if n not in state and (hit := visit(n)):
            yield ("stages", hit, "routes"), (
                "stages without pool or delay route in a loop back to this stage "
                "(a case would go round forever in zero time)"
            )
            return
