"""Bounds on what a scenario may ask of the machine, so that a hostile or mistaken file is refused
with one line in well under a second instead of filling memory or hanging.

A scenario file travels by email and is uploaded to a shared dashboard: a 300-byte YAML alias
bomb, a 10 kB nest of brackets, ``extends`` of ``/dev/zero``, a monthly volume of 10⁹ or a
phase-in of a million months must each be an ordinary error. The defaults leave every shipped
scenario far inside them (see the comments). An analyst raises a bound for a file they trust
with the environment variable ``INDSIM_LIMITS``, e.g.::

    INDSIM_LIMITS="cases=10e6,horizon_years=60" indsim run big.yaml --out results/big

The dashboard's uploads always use the defaults, whatever the environment says.
"""

from __future__ import annotations

import contextlib
import contextvars
import dataclasses
import datetime as dt
import math
import os
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import IndsimError

if TYPE_CHECKING:
    from .schema import Intervention, Scenario

ENV = "INDSIM_LIMITS"
MAX_LIMIT = 1e15  # above any machine's means; 1e20 bytes overflowed a read with a traceback
MAX_DEPTH = 200  # the YAML builder recurses three frames a level: 328 levels of lists overflowed Python's stack


@dataclass(frozen=True)
class Limits:
    """Upper bounds for one scenario (after ``extends``); each names its shipped counterpart."""

    bytes: int = 1_048_576  # size of one file (baseline.yaml: 33 kB); also the dashboard's upload limit
    depth: int = 20  # nesting of mappings and lists (baseline: 9); raised at most to MAX_DEPTH
    nodes: int = 100_000  # values after aliases are expanded, per file and per extends chain (combined_phased: 11,700)
    aliases: int = 100  # uses of ``*anchor`` in one file (shipped files: none)
    extends_depth: int = 8  # parents of parents (combined.yaml: 2)
    files: int = 40  # files read for one scenario, counting repeats (combined_phased.yaml: 21)
    streams: int = 100  # (combined: 6)
    pools: int = 100  # (baseline: 9)
    stages: int = 300  # (combined: 40)
    procedures: int = 50
    initial_stock: int = 1_000  # entries of initial_stock (baseline: 28)
    changes: int = 500
    interventions: int = 200  # (combined: 4)
    steps: int = 1_200  # dated steps of all changes and interventions, monthly phase-in steps included
    versions: int = 120  # dates within the horizon on which the scenario changes, each validated whole
    #                      (combined_phased.yaml: 20; each takes some 10-30 ms)
    horizon_years: int = 50  # (baseline: 7)
    monthly_volume: float = 100_000  # new cases a month in one stream (baseline: at most 2,000)
    spawn_expected: float = 20  # mean follow-on cases per parent case (baseline: at most 0.9)
    cases: float = 2_000_000  # expected outside cases in a replication, stock included (baseline: 0.65 M;
    #                           the 20-year benchmark simulates 2.0 M cases in 1.7 GB)

    @classmethod
    def from_env(cls) -> Limits:
        """The defaults, with those named in ``INDSIM_LIMITS`` (``name=value,...``) replaced."""
        spec = os.environ.get(ENV, "").strip()
        if not spec:
            return cls()
        fields = {f.name: f.type for f in dataclasses.fields(cls)}
        values: dict[str, Any] = {}
        for item in spec.split(","):
            name, sep, text = item.partition("=")
            name = name.strip()
            if not sep or name not in fields:
                raise IndsimError(f"{ENV}: {item.strip()!r} is not name=value with a name among "
                                  f"{', '.join(fields)}")
            values[name] = _value(name, text, fields[name])
        return dataclasses.replace(cls(), **values)


def _value(name: str, text: str, kind: str) -> float:
    """One limit's value, checked after it is made the whole number the limit uses: bytes=0.5
    became a limit of 0 bytes when it was checked before."""
    try:
        value = float(text)
    except ValueError:
        raise IndsimError(f"{ENV}: {name}={text.strip()!r} is not a number") from None
    if kind == "int" and math.isfinite(value):
        value = int(value)
    top = MAX_DEPTH if name == "depth" else MAX_LIMIT
    if not 0 < value <= top:
        raise IndsimError(f"{ENV}: {name} must be a positive number up to {top:g}, got {text.strip()!r}")
    return value


def over(name: str, limit: float) -> str:
    """The tail of every refusal: which bound, its value, and how to raise it."""
    shown = f"{int(limit):,}" if float(limit).is_integer() else f"{limit:g}"
    return f"(limit {name}={shown}; for a trusted file raise it with {ENV}={name}=...)"


_current: contextvars.ContextVar[Limits | None] = contextvars.ContextVar("indsim_limits", default=None)


def current() -> Limits:
    """The bounds in force: those set by :func:`using`, else the defaults and ``INDSIM_LIMITS``."""
    return _current.get() or Limits.from_env()


@contextlib.contextmanager
def using(limits: Limits) -> Iterator[Limits]:
    """Load scenarios under these bounds inside the block (the dashboard: the defaults)."""
    token = _current.set(limits)
    try:
        yield limits
    finally:
        _current.reset(token)


# ------------------------------------------------------------------ checks on the data
Issue = tuple[tuple[str | int, ...], str]
_COUNTED = ("streams", "pools", "stages", "procedures", "initial_stock", "changes", "interventions")
_DAYS_PER_MONTH = 365.25 / 12


def check_data(data: dict, bounds: Limits) -> list[Issue]:
    """Before the schema: how many streams, stages... and how many years (validating a million
    streams would itself take minutes)."""
    out: list[Issue] = []
    for field in _COUNTED:
        value, limit = data.get(field), getattr(bounds, field)
        if isinstance(value, dict | list) and len(value) > limit:
            out.append(((field,), f"{len(value):,} entries, more than {limit:,} {over(field, limit)}"))
    years, start = data.get("horizon_years"), data.get("start")
    if isinstance(years, int | float) and not isinstance(years, bool):
        if years > bounds.horizon_years:
            shown = f"{years:g}" if years < 1e15 else "more than 1e15"  # 10**400 is no float
            out.append((("horizon_years",), f"{shown} years is longer than {bounds.horizon_years} "
                                            f"{over('horizon_years', bounds.horizon_years)}"))
        elif isinstance(start, dt.date) and start.year + years > 9000:
            out.append((("start",), "the scenario would end after the year 9000"))
    return out


def check_scenario(s: Scenario, bounds: Limits) -> list[Issue]:
    """After the schema: volumes and follow-on cases (each version of the timeline is checked)."""
    out: list[Issue] = []
    for name, stream in s.streams.items():
        volume = stream.monthly_volume.value
        if volume > bounds.monthly_volume:
            out.append((("streams", name, "monthly_volume"),
                        f"{volume:,.0f} cases a month is more than {bounds.monthly_volume:,g} "
                        f"{over('monthly_volume', bounds.monthly_volume)}"))
    for stage_name, stage in s.stages.items():
        lists = [(("stages", stage_name, "routes"), stage.routes)]
        lists += [(("stages", stage_name, "routes_by_group", g), r) for g, r in stage.routes_by_group.items()]
        for path, routes in lists:
            for i, route in enumerate(routes):
                for j, spawn in enumerate(route.spawn):
                    if spawn.expected is not None and spawn.expected.value > bounds.spawn_expected:
                        out.append(((*path, i, "spawn", j, "expected"),
                                    f"{spawn.expected.value:g} follow-on cases per case is more than "
                                    f"{bounds.spawn_expected:g} {over('spawn_expected', bounds.spawn_expected)}"))
    return out


def _phase_steps(iv: Intervention) -> float:
    """How many dated steps an intervention adds to the timeline (monthly during a phase-in)."""
    if iv.steps:
        return len(iv.steps)
    if iv.phase_in is None:
        return 1
    ph = iv.phase_in
    months = ph.expected * {"months": 1, "years": 12}.get(ph.unit or "days", 0)
    return months if months else ph.expected * ph.scale / _DAYS_PER_MONTH


def check_steps(s: Scenario, bounds: Limits) -> list[Issue]:
    """Before the timeline is built: the number of dated steps, phase-ins that end in time, and
    the number of versions the timeline would validate."""
    steps = {name: _phase_steps(iv) for name, iv in s.interventions.items()}
    total = len(s.changes) + sum(steps.values())
    if total > bounds.steps:
        return [(("interventions",), f"{total:,.0f} dated steps of changes and phase-ins, more than "
                                     f"{bounds.steps:,} {over('steps', bounds.steps)}")]
    for name, iv in s.interventions.items():
        if iv.start.year + steps[name] / 12 > 9000:
            return [(("interventions", name, "phase_in"), "the phase-in would end after the year 9000")]
    from .timeline import step_dates

    dates = {s.start, *(c.date for c in s.changes)}
    dates |= {d for iv in s.interventions.values() for d in step_dates(iv) if s.start <= d <= s.end}
    if len(dates) > bounds.versions:
        return [(("interventions",), f"the scenario changes on {len(dates):,} dates within its horizon, more than "
                                     f"{bounds.versions:,} {over('versions', bounds.versions)}")]
    return []


def expected_cases(timeline: list[tuple[dt.date, Scenario]]) -> float:
    """Outside cases a replication is expected to create: the initial stock plus each version's
    monthly volumes over the months it is in force, at the top of the inflow band."""
    first = timeline[0][1]
    total = sum(e.count.value for e in first.initial_stock)
    ends = [day for day, _ in timeline[1:]] + [first.end + dt.timedelta(days=1)]
    for (day, s), end in zip(timeline, ends, strict=True):
        months = (end - day).days / _DAYS_PER_MONTH
        total += months * sum(st.monthly_volume.value * st.eligible_share.value for st in s.streams.values())
    band = first.uncertainty.inflow_level
    return total * max(1.0, band.high if band else 1.0)  # an upper bound also when the band scales some streams


def check_cases(timeline: list[tuple[dt.date, Scenario]], bounds: Limits) -> list[Issue]:
    cases = expected_cases(timeline)
    if cases <= bounds.cases:
        return []
    return [(("streams",), f"about {cases:,.0f} cases in one replication, more than {bounds.cases:,.0f} "
                           f"{over('cases', bounds.cases)}")]
