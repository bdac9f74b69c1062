"""From dated changes and interventions to a timeline of validated scenario versions.

The model never interprets interventions: it receives the scenario as it stands from each date
on. Between dates nothing changes; a phase-in is a staircase of monthly steps, so a linear
phase-in over N months reaches k/N of its effect after k months (half at the midpoint).
"""

from __future__ import annotations

import copy
import datetime as dt
import json
import math
import re
from collections.abc import Callable
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Problem, ScenarioError
from .merging import merge, replaces_whole
from .schema import Intervention, Scenario
from .types import DAYS_PER_UNIT
from .yamlsource import dotted

_WHOLE = object()  # marker: value replaced outright


def _shallow(data: Any) -> Any:
    """A new container with the same items (a leaf as it is)."""
    return dict(data) if isinstance(data, dict) else list(data) if isinstance(data, list) else data


def with_validated(data: Any, ref: Any, model: Any) -> Any:
    """``data`` with every part it shares with ``ref`` (the same object: see :func:`_walk`)
    replaced by that part of ``model``, the validated ``ref``.

    Pydantic accepts a model instance where its model is expected without validating it again,
    and validating a part depends on nothing outside it, so the result validates to the same
    scenario as ``data`` itself, only the parts a change wrote are checked again (a timeline of
    30 versions costs about two validations instead of thirty)."""
    if data is ref:
        if isinstance(model, BaseModel):
            return model
        if isinstance(data, dict) and isinstance(model, dict) and data.keys() == model.keys():
            return {k: with_validated(v, v, model[k]) for k, v in data.items()}
        if isinstance(data, list) and isinstance(model, list) and len(data) == len(model):
            return [with_validated(v, v, m) for v, m in zip(data, model, strict=True)]
        return data
    if isinstance(data, dict) and isinstance(ref, dict):
        return {k: with_validated(v, ref[k], _part(model, k)) if k in ref else v for k, v in data.items()}
    if isinstance(data, list) and isinstance(ref, list) and isinstance(model, list) and len(ref) == len(model):
        return [with_validated(v, ref[i], model[i]) if i < len(ref) else v for i, v in enumerate(data)]
    return data


def _part(model: Any, key: str) -> Any:
    """The field or entry ``key`` of a validated model or mapping (None where there is none)."""
    if isinstance(model, BaseModel):
        return getattr(model, key, None)
    return model.get(key) if isinstance(model, dict) else None


def fraction_at(iv: Intervention, day: dt.date) -> float:
    """The share of its full effect an intervention has on ``day``."""
    if not iv.enabled or day < iv.start:
        return 0.0
    if iv.steps:
        f = 0.0
        for step in iv.steps:
            if step.date <= day:
                f = step.fraction
        return f
    if iv.phase_in is None:
        return 1.0
    ramp = _ramp_dates(iv)
    return sum(1 for d in ramp[1:] if d <= day) / (len(ramp) - 1)


def _add_months(d: dt.date, months: int) -> dt.date:
    y, m = divmod(d.month - 1 + months, 12)
    year, month = d.year + y, m + 1
    last = (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(d.day, last))


def _ramp_dates(iv: Intervention) -> list[dt.date]:
    """Start and the dates of each monthly step of a linear phase-in (calendar months when the
    phase-in is given in whole months or years)."""
    ph = iv.phase_in
    months = ph.expected * {"months": 1, "years": 12}.get(ph.unit or "days", 0)
    if months and float(months).is_integer():
        return [_add_months(iv.start, k) for k in range(int(months) + 1)]
    days = ph.expected * ph.scale
    n = max(1, round(days / DAYS_PER_UNIT["months"]))
    return [iv.start + dt.timedelta(days=math.ceil(k * days / n - 1e-9)) for k in range(n + 1)]


def step_dates(iv: Intervention) -> list[dt.date]:
    """Dates on which the intervention's fraction changes."""
    if not iv.enabled:
        return []
    if iv.steps:
        return sorted({iv.start, *(s.date for s in iv.steps)})
    if iv.phase_in is None:
        return [iv.start]
    return _ramp_dates(iv)


# ------------------------------------------------------------------ applying one change
def _num(v: Any) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        return float(v)
    if isinstance(v, dict) and isinstance(v.get("value"), int | float) and not isinstance(v["value"], bool):
        return float(v["value"])
    return None


def _with_value(template: Any, value: float, source: str | None) -> Any:
    if isinstance(template, dict):
        out = dict(template)
        out["value"] = value
        if source and not out.get("source"):
            out["source"] = source
        return out
    return {"value": value, "source": source} if source else value


def is_routes(v: Any) -> bool:
    return isinstance(v, list) and all(isinstance(r, dict) and "to" in r and "p" in r for r in v)


def _drop_none(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _drop_none(x) for k, x in v.items() if x is not None}
    if isinstance(v, list):
        return [_drop_none(x) for x in v]
    return v


def _route_key(r: dict) -> tuple:
    """Routes are the same when target, outcome, follow-on cases and new groups agree (provenance aside)."""
    spawn = _drop_none(r.get("spawn") or [])
    for sp in spawn:
        sp.pop("source", None)
        for k in ("after", "expected"):
            if isinstance(sp.get(k), dict):
                sp[k] = {a: b for a, b in sp[k].items() if a not in ("source", "confidence", "range", "note")}
    return r["to"], r.get("outcome"), json.dumps(spawn, sort_keys=True, default=str), tuple(r.get("regroup") or ())


def blend_routes(old: list[dict], new: list[dict], f: float) -> list[dict]:
    """Route list at fraction ``f`` between ``old`` and ``new`` (probabilities mixed)."""
    if f >= 1.0:
        return copy.deepcopy(new)
    merged: dict[tuple, dict] = {}
    for weight, routes in ((1 - f, old), (f, new)):
        for r in routes:
            key = _route_key(r)
            p = _num(r["p"]) * weight
            if key in merged:
                merged[key]["p"] += p
            else:
                merged[key] = {**copy.deepcopy(r), "p": p}
    return [r for r in merged.values() if r["p"] > 0]


_DIST_NUMBERS = ("mean", "low", "mode", "high")


def _interpolate(old: Any, target: Any, f: float, source: str | None) -> Any:
    """Value at fraction ``f`` from ``old`` to ``target``; _WHOLE means switch outright."""
    if f >= 1.0:
        return _WHOLE
    a, b = _num(old), _num(target)
    if a is not None and b is not None:
        return _with_value(target, a + f * (b - a), source)
    if is_routes(old) and is_routes(target):
        return blend_routes(old, target, f)
    if (isinstance(old, dict) and isinstance(target, dict) and "dist" in old
            and old.get("dist", "fixed") == target.get("dist", "fixed")):
        out = dict(target)
        for k in _DIST_NUMBERS:
            if isinstance(old.get(k), int | float) and isinstance(target.get(k), int | float):
                out[k] = old[k] + f * (target[k] - old[k])
        return out
    return _WHOLE


def _arith(old: Any, factor: float, op: str) -> Any:
    def apply(x: float) -> float:
        return x * factor if op == "scale" else x + factor

    if _num(old) is not None:
        return _with_value(old, apply(_num(old)), None)
    if isinstance(old, dict) and ("dist" in old or "mean" in old):
        out = dict(old)
        for k in _DIST_NUMBERS:
            if isinstance(out.get(k), int | float):
                out[k] = apply(out[k])
        return out
    return None


def _hint(name: str, known) -> str:
    """"; did you mean 'x'?" for a close name among ``known`` (every depth of a path)."""
    from .checks import _hint as hint

    return hint(name, [str(k) for k in known])


def _walk(data: dict, path: str) -> tuple[Any, str | int, str | None]:
    """The container holding ``path``'s last part, that part, and a reason if it cannot exist.

    Every container on the way is replaced by a shallow copy of itself in ``data`` (path
    copying), so writing into the container returned changes ``data`` and nothing it shares
    with other data: the versions of a timeline share everything no change writes."""
    parts = path.split(".")
    node: Any = data
    for i, part in enumerate(parts[:-1]):
        here = ".".join(parts[: i + 1])
        if isinstance(node, dict):
            if part not in node:
                return None, part, f"no field {here!r} in the scenario{_hint(part, node)}"
            if node[part] is None:
                return None, part, f"no field {here!r} in the scenario"
            node[part] = _shallow(node[part])
            node = node[part]
        elif isinstance(node, list):
            if not part.isdigit() or int(part) >= len(node):
                return None, part, f"no list item {here!r} in the scenario"
            node[int(part)] = _shallow(node[int(part)])
            node = node[int(part)]
        else:
            return None, part, f"{'.'.join(parts[:i])!r} is a value, not a group of fields"
    last = parts[-1]
    if isinstance(node, list):
        if not last.isdigit() or int(last) >= len(node):
            return None, last, f"no list item {path!r} in the scenario"
        return node, int(last), None
    if not isinstance(node, dict):
        return None, last, f"{'.'.join(parts[:-1])!r} is a value, not a group of fields"
    return node, last, None


def apply_set(data: dict, path: str, target: Any, f: float = 1.0, source: str | None = None) -> str | None:
    """Set ``path`` to ``target`` at fraction ``f``; returns a reason when the path is wrong."""
    node, key, reason = _walk(data, path)
    if reason:
        return reason
    old = node.get(key) if isinstance(node, dict) else node[key]
    if target is None:
        if isinstance(node, dict):
            if key not in node:
                return f"no field {path!r} to remove{_hint(key, node)}"
            node.pop(key, None)
        return None
    if old is None and _num(target) is not None:  # a number that did not exist is phased in from 0
        old = 0.0
    value = _interpolate(old, target, f, source) if old is not None else _WHOLE
    if value is _WHOLE:
        value = copy.deepcopy(target)
        if not replaces_whole(old, target):
            value = merge(old, target)
        if source and _num(value) is not None and not (isinstance(value, dict) and value.get("source")):
            value = _with_value(value, _num(value), source)
    node[key] = value
    return None


def apply_arith(data: dict, path: str, amount: float, op: str, f: float) -> str | None:
    node, key, reason = _walk(data, path)
    if reason:
        return reason
    old = node.get(key) if isinstance(node, dict) else node[key]
    if old is None:
        return f"no field {path!r} in the scenario{_hint(key, node) if isinstance(node, dict) else ''}"
    step = 1 + f * (amount - 1) if op == "scale" else f * amount
    value = _arith(old, step, op)
    if value is None:
        return f"{path!r} is not a number, so it cannot be {'scaled' if op == 'scale' else 'added to'}"
    node[key] = value
    return None


def apply_intervention(data: dict, iv: Intervention, f: float) -> list[tuple[str, str]]:
    """Apply one intervention at fraction ``f``; returns (field, reason) for paths that fail."""
    problems = []
    if f <= 0:
        return problems
    for path, target in iv.set.items():
        if reason := apply_set(data, path, target, f, iv.source):
            problems.append((f"set.{path}", reason))
    for op, table in (("scale", iv.scale), ("add", iv.add)):
        for path, amount in table.items():
            if reason := apply_arith(data, path, amount, op, f):
                problems.append((f"{op}.{path}", reason))
    return problems


# ------------------------------------------------------------------ the timeline
def in_order(scenario: Scenario) -> list[tuple[str, Intervention]]:
    """The interventions in the order they apply, on any day: by start, then by name (a later
    ``set`` replaces what an earlier intervention wrote there; see :mod:`overrides`)."""
    return sorted(scenario.interventions.items(), key=lambda kv: (kv[1].start, kv[0]))


def path_steps(path: str) -> tuple[str, ...]:
    """'stages.x.routes.0.p' and 'stages.x.routes[0].p' alike, as parts."""
    return tuple(part for part in re.split(r"[.\[\]]+", path) if part)


def _placer(writes: list[tuple[tuple, str, str]], locate: Callable[[tuple], tuple[str, int | None]],
            fallback: tuple, prefix: str) -> Callable[[tuple], tuple[str, int | None, str]]:
    """Where a problem in a dated version was written: the ``set``/``scale``/``add`` key whose
    path leads to the faulty field (its own line), else the change or intervention itself.
    ``writes``: (origin path of the key, field name to show, the path it writes)."""
    def place(loc: tuple) -> tuple[str, int | None, str]:
        here = tuple(str(p) for p in loc)
        best = None
        for origin, shown, path in writes:
            steps = path_steps(path)
            leads = here[: len(steps)] == steps or steps[: len(here)] == here
            if leads and (best is None or len(steps) > len(path_steps(best[2]))):
                best = (origin, shown, path)
        if best is None:
            file, line = locate(fallback)
            return file, line, prefix + dotted(loc)
        origin, shown, path = best
        rest = dotted(loc[len(path_steps(path)):]) if len(here) > len(path_steps(path)) else ""
        file, line = locate(origin)
        return file, line, shown + ("" if not rest else rest if rest.startswith("[") else "." + rest)
    return place


def _writes(scenario: Scenario, names: list[str], changes: list[int]) -> list[tuple[tuple, str, str]]:
    """The keys that interventions ``names`` and dated changes ``changes`` write, with their origins."""
    out = []
    for name in names:
        iv = scenario.interventions[name]
        for op, table in (("set", iv.set), ("scale", iv.scale), ("add", iv.add)):
            out += [(("interventions", name, op, path), f"interventions.{name}.{op}.{path}", path) for path in table]
    for i in changes:
        out += [(("changes", i, "set", path), f"changes[{i}].set.{path}", path) for path in scenario.changes[i].set]
    return out


def build_timeline(scenario: Scenario, validate: Callable[..., Scenario],
                   locate: Callable[[tuple], tuple[str, int | None]]) -> list[tuple[dt.date, Scenario]]:
    """Versions of the scenario: (first day in force, validated scenario), starting at the start.

    A problem is reported at the line of the ``set``/``scale``/``add`` key that causes it, with
    "did you mean" for a misspelt name at any depth of its path."""
    if not scenario.changes and not scenario.interventions:
        return [(scenario.start, scenario)]
    base = scenario.model_dump(mode="json", exclude={"changes", "interventions"})
    base["changes"], base["interventions"] = [], {}
    stock = base.pop("initial_stock")  # only the version of day 0 has it (its stages may be gone later)
    try:  # the parts no change writes are validated once, here (see with_validated)
        reference = Scenario.model_validate({**base, "initial_stock": []})
    except ValidationError:  # then every version is validated whole and reports its own problem
        reference = None

    def checked(data: dict, place) -> Scenario:
        return validate(data if reference is None else with_validated(data, base, reference), place)

    changes = sorted(enumerate(scenario.changes), key=lambda ic: ic[1].date)
    ivs = in_order(scenario)

    # each intervention alone at full effect: errors then name the intervention and its key
    for name, iv in ivs:
        trial = dict(base)  # changes copy what they write (see _walk)
        trial["initial_stock"] = []  # checked with the version of day 0 below
        problems = []
        for field, reason in apply_intervention(trial, iv, 1.0):
            op, _, path = field.partition(".")
            file, line = locate(("interventions", name, op, path))
            problems.append(Problem(file, f"interventions.{name}.{field}", reason, line))
        if problems:
            raise ScenarioError(problems)
        checked(trial, _placer(_writes(scenario, [name], []), locate, ("interventions", name),
                               f"interventions.{name} -> "))

    dates = {scenario.start}
    dates |= {c.date for _, c in changes}
    for _, iv in ivs:
        dates |= {d for d in step_dates(iv) if scenario.start <= d <= scenario.end}
    out: list[tuple[dt.date, Scenario]] = []
    previous = None
    for day in sorted(dates):
        data = dict(base)  # changes copy what they write (see _walk)
        data["initial_stock"] = stock if day == scenario.start else []
        for i, c in changes:
            if c.date > day:
                continue
            for key, value in c.set.items():
                reason = apply_set(data, key, value, 1.0, c.source)
                if reason:
                    file, line = locate(("changes", i, "set", key))
                    raise ScenarioError([Problem(file, f"changes[{i}].set.{key}", reason, line)])
        active = []
        for name, iv in ivs:
            f = fraction_at(iv, day)
            if f > 0:
                apply_intervention(data, iv, f)
                active.append((name, f))
        if data == previous:
            continue
        previous = data  # not changed after this: the next day starts from a copy of base
        today = [i for i, c in changes if c.date == day]
        fallback = ("changes", today[0]) if today else ("interventions",)
        label = [f"changes[{i}]" for i in today] + [f"{n}@{f:.2f}" for n, f in active]
        prefix = f"on {day} ({', '.join(label) or 'start'}) -> "
        writes = _writes(scenario, [n for n, _ in active], [i for i, c in changes if c.date <= day])
        out.append((day, checked(data, _placer(writes, locate, fallback, prefix))))
    return out
