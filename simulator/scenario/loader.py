"""Loading scenario files: ``extends`` chains, merging, validation, and dated changes.

A child file states only what differs from its parent. Mappings merge key by key, except a
sourced number or distribution (a mapping with ``value`` or ``dist``), which is replaced whole so
that a new value never keeps the old value's source. A key set to ``null`` is removed.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import types
import typing
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Problem, ScenarioError
from . import checks
from .schema import Scenario
from .timeline import build_timeline
from .yamlsource import Origins, Path_, dotted, parse_text, read_file

_NOT_INHERITED = ("name", "title", "description")


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _is_whole_value(v: Any) -> bool:
    return isinstance(v, dict) and ("value" in v or "dist" in v)


def merge(base: Any, over: Any) -> Any:
    """Deep-merge ``over`` onto ``base`` (see the module docstring for the rules)."""
    if not isinstance(base, dict) or not isinstance(over, dict) or _is_whole_value(over):
        return copy.deepcopy(over)
    out = copy.deepcopy(base)
    for k, v in over.items():
        if v is None:
            out.pop(k, None)
        elif k in out:
            out[k] = merge(out[k], v)
        else:
            out[k] = copy.deepcopy(v)
    return out


def _resolve(data: dict, origins: Origins, name: str, base_dir: Path | None,
             stack: tuple[Path, ...]) -> tuple[dict, Origins]:
    """Merge the parent file(s) named by ``extends`` under ``data`` (several: left to right)."""
    refs = data.pop("extends", None)
    if refs is None:
        return data, origins
    line = origins.get(("extends",), (name, None))[1]
    if isinstance(refs, str):
        refs = [refs]
    if not isinstance(refs, list) or not refs or not all(isinstance(r, str) and r.strip() for r in refs):
        raise ScenarioError([Problem(name, "extends", "must be the path of another scenario file "
                                     "(or a list of paths)", line)])
    if base_dir is None:
        reason = "cannot follow 'extends' for a scenario that has no folder"
        raise ScenarioError([Problem(name, "extends", reason, line)])
    merged: dict = {}
    merged_origins: Origins = {}
    for ref in refs:
        parent_path = (base_dir / ref).resolve()
        if parent_path in stack:
            chain = " -> ".join(p.name for p in (*stack, parent_path))
            raise ScenarioError([Problem(name, "extends", f"extends forms a cycle: {chain}", line)])
        if not parent_path.exists():
            raise ScenarioError([Problem(name, "extends", f"parent file {ref!r} not found", line)])
        parent, parent_origins = _load_raw(parent_path, (*stack, parent_path))
        for key in _NOT_INHERITED:
            parent.pop(key, None)
        merged = merge(merged, parent)
        merged_origins.update({k: v for k, v in parent_origins.items() if not k or k[0] not in _NOT_INHERITED})
    return merge(merged, data), {**merged_origins, **origins}


def _load_raw(path: Path, stack: tuple[Path, ...]) -> tuple[dict, Origins]:
    name = _display(path)
    data, origins = parse_text(read_file(path, name), name)
    data.setdefault("name", path.stem)
    return _resolve(data, origins, name, path.parent, stack)


def _pretty(err: dict) -> str:
    msg = err["msg"]
    for prefix in ("Value error, ", "Assertion failed, "):
        msg = msg.removeprefix(prefix)
    if err["type"] == "extra_forbidden":
        known = _fields_at(err["loc"][:-1])
        from .checks import _hint

        field = str(err["loc"][-1])
        return f"unknown field {field!r}{_hint(field, known) if known else ''}"
    if err["type"] == "missing":
        return "required field is missing"
    plain = {"greater_than_equal": "must be ≥ {ge}", "greater_than": "must be > {gt}",
             "less_than_equal": "must be ≤ {le}", "less_than": "must be < {lt}"}
    if err["type"] in plain and err.get("ctx"):
        return plain[err["type"]].format(**err["ctx"]) + f", got {err.get('input')!r}"
    if err["type"] == "int_type":
        return f"must be a whole number, got {err.get('input')!r}"
    return msg


def _fields_at(loc: tuple) -> list[str]:
    """Field names of the schema model found at ``loc`` (for 'did you mean' hints)."""
    tp: Any = Scenario
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(tp, type) and issubclass(tp, BaseModel):
            field = tp.model_fields.get(str(part))
            if field is None:
                return []
            tp = field.annotation
        elif typing.get_origin(tp) in (dict, list):
            tp = typing.get_args(tp)[-1]
        else:
            return []
    tp = _unwrap(tp)
    return list(tp.model_fields) if isinstance(tp, type) and issubclass(tp, BaseModel) else []


def _unwrap(tp: Any) -> Any:
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = args[0]
        else:
            return tp


def _locate(path: Path_, origins: Origins, fallback: str) -> tuple[str, int | None]:
    for n in range(len(path), -1, -1):
        hit = origins.get(tuple(path[:n]))
        if hit:
            return hit
    return fallback, None


def _problems(exc: ValidationError, origins: Origins, name: str, prefix: str = "") -> list[Problem]:
    out = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        if loc and loc[-1] in ("value", "mean") and loc[:-1] in origins and loc not in origins:
            loc = loc[:-1]  # the user wrote a plain number, not {value: ...}
        file, line = _locate(loc, origins, name)
        out.append(Problem(file, prefix + dotted(loc), _pretty(err), line))
    return out


def _named_dates(data: dict, origins: Origins, name: str) -> dict:
    """Intervention starts given as names from ``dates`` (a law's date of entry into force,
    changed in one line when parliament decides) become that date; a list of names means the
    earliest of them (a measure that is in several bills starts with the first in force);
    ``never`` for all of them disables the intervention."""
    dates = data.get("dates") or {}
    ivs = data.get("interventions")
    if not isinstance(dates, dict) or not isinstance(ivs, dict):
        return data
    out = None
    for iv_name, iv in ivs.items():
        start = iv.get("start") if isinstance(iv, dict) else None
        names = start if isinstance(start, list) else [start]
        if not names or not all(isinstance(n, str) and not _is_iso_date(n) for n in names):
            continue
        for n in names:
            if n not in dates:
                from .checks import _hint

                file, line = _locate(("interventions", iv_name, "start"), origins, name)
                reason = f"{n!r} is neither a date nor a name in 'dates'{_hint(n, list(dates))}"
                raise ScenarioError([Problem(file, f"interventions.{iv_name}.start", reason, line)])
        if out is None:
            out = copy.deepcopy(data)
        when = sorted(str(dates[n]) for n in names if dates[n] != "never")
        if not when:
            out["interventions"][iv_name].update(start=data["start"], enabled=False)
        else:
            out["interventions"][iv_name]["start"] = when[0]
    return data if out is None else out


def _is_iso_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _validate(data: dict, origins: Origins, name: str, prefix: str = "",
              where: tuple[str, int | None] | None = None) -> Scenario:
    data = _named_dates(data, origins, name)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = _problems(exc, origins, name, prefix)
        if where:
            problems = [Problem(where[0], p.path, p.reason, where[1]) for p in problems]
        raise ScenarioError(problems) from None
    issues = checks.check(scenario)
    if issues:
        problems = []
        for path, reason in issues:
            file, line = where or _locate(path, origins, name)
            problems.append(Problem(file, prefix + dotted(path), reason, line))
        raise ScenarioError(problems)
    return scenario


def versions(scenario: Scenario, origins: Origins | None = None) -> list[tuple[dt.date, Scenario]]:
    """The scenario as it stands from each change or intervention step on (first: the start).

    Validating every version is most of the cost of loading or compiling a scenario with
    interventions, and both do it: a timeline is kept for the last scenarios seen (by content),
    so that compiling a scenario just loaded, or a variant just made, does not build it again.
    """
    key = scenario_hash(scenario)
    timeline = _TIMELINES.pop(key, None)
    if timeline is None:
        origins = origins or {}

        def validate(data: dict, prefix: str, where: tuple[str, int | None]) -> Scenario:
            return _validate(data, {}, scenario.name, prefix, where)

        timeline = build_timeline(scenario, validate, lambda path: _locate(path, origins, scenario.name))
    _TIMELINES[key] = timeline  # most recent last
    while len(_TIMELINES) > _KEEP_TIMELINES:
        _TIMELINES.pop(next(iter(_TIMELINES)))
    return timeline


_TIMELINES: dict[str, list[tuple[dt.date, Scenario]]] = {}
_KEEP_TIMELINES = 64


def from_data(data: dict, name: str, base_dir: Path | None = None,
              origins: Origins | None = None) -> Scenario:
    """Validate scenario data given as a Python mapping (notebooks, the dashboard's what-if)."""
    data = copy.deepcopy(data)
    data.setdefault("name", name)
    data, origins = _resolve(data, origins or {}, name, base_dir, ())
    scenario = _validate(data, origins, name)
    versions(scenario, origins)
    return scenario


def load_scenario(source: str | Path, overrides: dict | None = None) -> Scenario:
    """Load and fully validate a scenario file (following ``extends``), optionally overridden.

    Raises :class:`ScenarioError` whose lines name file, field, line number and reason.
    """
    path = Path(source)
    name = _display(path)
    data, origins = _load_raw(path.resolve(), (path.resolve(),))
    if overrides:
        data = merge(data, overrides)
    scenario = _validate(data, origins, name)
    versions(scenario, origins)
    return scenario


def scenario_from_text(text: str, name: str, base_dir: Path | None = None) -> Scenario:
    """Validate scenario YAML given as text (an uploaded file); ``extends`` resolves in base_dir."""
    data, origins = parse_text(text, name)
    data.setdefault("name", Path(name).stem)
    data, origins = _resolve(data, origins, name, base_dir, ())
    scenario = _validate(data, origins, name)
    versions(scenario, origins)
    return scenario


def scenario_hash(scenario: Scenario) -> str:
    """Content hash: equal for equal scenarios however their files order the keys."""
    blob = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()[:16]
