"""Loading scenario files: ``extends`` chains, merging, validation, and dated changes.

A child file states only what differs from its parent; ``merging`` says how the two combine.
"""

from __future__ import annotations

import copy
import datetime as dt
import difflib
import hashlib
import json
import os
import types
import typing
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError

from ..errors import Problem, ScenarioError
from . import checks, limits
from .merging import merge, shadow
from .recent import Recent
from .schema import Scenario, last_day
from .timeline import build_timeline
from .yamlsource import Origins, Path_, dotted, parse_text, read_file

_NOT_INHERITED = ("name", "title", "description")


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _join_changes(base: dict, over: dict, over_origins: Origins) -> tuple[dict, Origins, dict]:
    """Dated changes add up under ``extends``: ``over``'s follow ``base``'s (a list would otherwise
    replace them, and a child adding one change would silently lose every change of its parent);
    a change both state is kept once, and ``changes: null`` drops the parent's. Returns ``over``
    with the joined list, its origins renumbered, and ``over`` without it, for :func:`shadow`."""
    mine, theirs = over.get("changes"), base.get("changes")
    if not (isinstance(mine, list) and isinstance(theirs, list) and theirs):
        return over, over_origins, over
    new = [i for i, c in enumerate(mine) if c not in theirs]
    at = {i: len(theirs) + j for j, i in enumerate(new)}
    rest = {k: v for k, v in over.items() if k != "changes"}
    return {**over, "changes": theirs + [mine[i] for i in new]}, _renumber(over_origins, at), rest


def _inherited_within_the_horizon(data: dict, origins: Origins, name: str) -> tuple[dict, Origins]:
    """The dated changes a file inherits, fitted to its own horizon: those before its start are in
    force from its first day (as an intervention that starts before it), those after its end
    change nothing and are left out, so a child may run a shorter or later horizon than its
    parent. A file's own change outside its horizon is still refused (likely a mistyped year)."""
    changes = data.get("changes")
    try:
        first = data["start"] if isinstance(data["start"], dt.date) else dt.date.fromisoformat(str(data["start"]))
        end = last_day(first, int(data["horizon_years"]))
        dates = [c["date"] if isinstance(c["date"], dt.date) else dt.date.fromisoformat(str(c["date"]))
                 for c in changes]
    except (KeyError, TypeError, ValueError, OverflowError):
        return data, origins  # validation says what is wrong
    inherited = [_locate(("changes", i), origins, name)[0] != name for i in range(len(changes))]
    keep = [i for i, d in enumerate(dates) if d <= end or not inherited[i]]
    early = {i for i in keep if inherited[i] and dates[i] < first}
    if len(keep) == len(changes) and not early:
        return data, origins
    kept = [{**changes[i], "date": first} if i in early else changes[i] for i in keep]
    return {**data, "changes": kept}, _renumber(origins, {i: j for j, i in enumerate(keep)})


def _renumber(origins: Origins, at: dict[int, int]) -> Origins:
    """Origins of a list of changes whose entry i is now entry ``at[i]`` (left out if absent)."""
    out: Origins = {}
    for k, v in origins.items():
        if len(k) > 1 and k[0] == "changes" and isinstance(k[1], int):
            if k[1] in at:
                out[("changes", at[k[1]], *k[2:])] = v
        else:
            out[k] = v
    return out


def _resolve(data: dict, origins: Origins, name: str, base_dir: Path | None,
             stack: tuple[Path, ...], reads: list[int] | None = None) -> tuple[dict, Origins]:
    """Merge the files named by ``extends`` (and theirs) under ``data``: every file once, its
    parents before it, parents left to right (:func:`_ancestors`).

    Each file adds only what it states itself. Merging the parents whole, as before, let a later
    parent bring back every value it inherits from an ancestor both share: ``extends: [amp.yaml,
    tweestatusstelsel.yaml]`` set the Pact's date back to the baseline's 'never', and the
    dashboard's what-if ran only the last shock ticked."""
    merged: dict = {}
    merged_origins: Origins = {}
    for parent, parent_origins in _ancestors(data, origins, name, base_dir, stack, reads or [], set()):
        for key in _NOT_INHERITED:
            parent.pop(key, None)
        parent, parent_origins, over = _join_changes(merged, parent, parent_origins)
        merged_origins = {**shadow(merged_origins, merged, over),
                          **{k: v for k, v in parent_origins.items() if not k or k[0] not in _NOT_INHERITED}}
        merged = merge(merged, parent)
    data, origins, over = _join_changes(merged, data, origins)
    return merge(merged, data), {**shadow(merged_origins, merged, over), **origins}


def _ancestors(data: dict, origins: Origins, name: str, base_dir: Path | None, stack: tuple[Path, ...],
               reads: list[int], done: set[Path]) -> list[tuple[dict, Origins]]:
    """The files ``data`` extends, directly or not, as read (their own values), each once and
    after its own parents; ``done`` holds the files already listed. ``reads`` holds the number
    of values of every file read, so that no tree of ``extends`` lists makes the loader read
    without end (limits ``extends_depth``, ``files`` and ``nodes``, the last for all files)."""
    refs = data.pop("extends", None)
    if refs is None:
        return []
    line = origins.get(("extends",), (name, None))[1]
    if isinstance(refs, str):
        refs = [refs]
    if not isinstance(refs, list) or not refs or not all(isinstance(r, str) and r.strip() for r in refs):
        raise ScenarioError([Problem(name, "extends", "must be the path of another scenario file "
                                     "(or a list of paths)", line)])
    if base_dir is None:
        reason = "cannot follow 'extends' for a scenario that has no folder"
        raise ScenarioError([Problem(name, "extends", reason, line)])
    bounds = limits.current()
    if len(stack) > bounds.extends_depth:
        reason = (f"extends goes deeper than {bounds.extends_depth} parents "
                  f"{limits.over('extends_depth', bounds.extends_depth)}")
        raise ScenarioError([Problem(name, "extends", reason, line)])
    out: list[tuple[dict, Origins]] = []
    for ref in refs:
        try:
            parent_path = (base_dir / ref).resolve()
        except (OSError, ValueError, RuntimeError):  # a NUL byte, a name too long, a symlink loop
            raise ScenarioError([Problem(name, "extends", f"parent file {ref!r} cannot be read", line)]) from None
        if parent_path in stack:
            chain = " -> ".join(p.name for p in (*stack, parent_path))
            raise ScenarioError([Problem(name, "extends", f"extends forms a cycle: {chain}", line)])
        if parent_path in done:  # a diamond: the ancestor both parents share is merged once
            continue
        if len(reads) >= bounds.files:
            reason = f"extends reads more than {bounds.files} files {limits.over('files', bounds.files)}"
            raise ScenarioError([Problem(name, "extends", reason, line)])
        if sum(reads) > bounds.nodes:
            reason = (f"the files named by extends hold more than {bounds.nodes:,} values together "
                      f"{limits.over('nodes', bounds.nodes)}")
            raise ScenarioError([Problem(name, "extends", reason, line)])
        if not os.path.lexists(parent_path):
            raise ScenarioError([Problem(name, "extends", f"parent file {ref!r} not found", line)])
        parent_name = _display(parent_path)
        parent, parent_origins = parse_text(read_file(parent_path, parent_name), parent_name)
        reads.append(len(parent_origins))
        out += _ancestors(parent, parent_origins, parent_name, parent_path.parent, (*stack, parent_path), reads,
                          done)
        done.add(parent_path)
        out.append((parent, parent_origins))
    return out


def _load_raw(path: Path, stack: tuple[Path, ...]) -> tuple[dict, Origins]:
    name = _display(path)
    data, origins = parse_text(read_file(path, name), name)
    data.setdefault("name", path.stem)
    return _resolve(data, origins, name, path.parent, stack, [len(origins)])


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
    if err["type"] == "finite_number":
        return f"must be a finite number, got {err.get('input')!r}"
    if err["type"] == "float_type":
        got = err.get("input")
        return "must be a number, got a true/false value" if isinstance(got, bool) else f"must be a number, got {got!r}"
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


Place = Callable[[Path_], tuple[str, int | None, str]]  # a validation error's loc -> (file, line, field)


def _new_entry_hint(loc: Path_, data: dict) -> str | None:
    """A misspelt name in a child file makes a new, incomplete entry (``streams.first_asylm``):
    name the entry it was probably meant to change."""
    if len(loc) < 3 or loc[0] not in ("streams", "pools", "stages", "procedures") or not isinstance(loc[1], str):
        return None
    known = [k for k in (data.get(loc[0]) or {}) if k != loc[1]]
    close = difflib.get_close_matches(loc[1], known, n=1)
    return (f"unknown {loc[0][:-1]} {loc[1]!r} (a new one needs {loc[2]!r} and more); did you mean {close[0]!r}?"
            if close else None)


def _problems(exc: ValidationError, origins: Origins, name: str, prefix: str = "",
              place: Place | None = None, data: dict | None = None) -> list[Problem]:
    out, new_entries = [], set()
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        if loc and loc[-1] in ("value", "mean") and loc[:-1] in origins and loc not in origins:
            loc = loc[:-1]  # the user wrote a plain number, not {value: ...}
        reason = _pretty(err)
        if err["type"] == "missing" and data is not None and (hint := _new_entry_hint(loc, data)):
            if loc[:2] in new_entries:
                continue
            new_entries.add(loc[:2])
            loc, reason = loc[:2], hint
        if place is not None:
            file, line, field = place(loc)
        else:
            (file, line), field = _locate(loc, origins, name), prefix + dotted(loc)
        out.append(Problem(file, field, reason, line))
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


def _validate(data: dict, origins: Origins, name: str, prefix: str = "", place: Place | None = None) -> Scenario:
    """Validate merged data within the limits; each problem names its file, line and field
    (``place`` maps a field of a dated version back to the change or intervention key that wrote it)."""
    bounds = limits.current()
    _raise_issues(limits.check_data(data, bounds), origins, name, prefix, place)
    if place is None and isinstance(data.get("changes"), list):
        data, origins = _inherited_within_the_horizon(data, origins, name)
    data = _named_dates(data, origins, name)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(_problems(exc, origins, name, prefix, place, data)) from None
    _raise_issues(limits.check_scenario(scenario, bounds) or checks.check(scenario), origins, name, prefix, place)
    return scenario


def _raise_issues(issues: list, origins: Origins, name: str, prefix: str = "", place: Place | None = None) -> None:
    """Raise the (path, reason) issues of a check as one ScenarioError, each at its file and line."""
    if issues:
        problems = []
        for path, reason in issues:
            if place is not None:
                file, line, field = place(path)
            else:
                (file, line), field = _locate(path, origins, name), prefix + dotted(path)
            problems.append(Problem(file, field, reason, line))
        raise ScenarioError(problems)


def versions(scenario: Scenario, origins: Origins | None = None) -> list[tuple[dt.date, Scenario]]:
    """The scenario as it stands from each change or intervention step on (first: the start).

    Validating every version is most of the cost of loading or compiling a scenario with
    interventions, and both do it: a timeline is kept for the last scenarios seen (by content and
    the limits in force), so that compiling a scenario just loaded, or a variant just made, does
    not build it again.
    """
    bounds = limits.current()
    key = (scenario_hash(scenario), repr(bounds))
    timeline = _TIMELINES.take(key)
    if timeline is None:
        origins = origins or {}

        def validate(data: dict, place: Place) -> Scenario:
            return _validate(data, {}, scenario.name, place=place)

        _raise_issues(limits.check_steps(scenario, bounds), origins, scenario.name)
        timeline = build_timeline(scenario, validate, lambda path: _locate(path, origins, scenario.name))
        _raise_issues(limits.check_cases(timeline, bounds), origins, scenario.name)
    _TIMELINES.put(key, timeline)
    return timeline


_TIMELINES: Recent[list[tuple[dt.date, Scenario]]] = Recent(64)


def from_data(data: dict, name: str, base_dir: Path | None = None,
              origins: Origins | None = None) -> Scenario:
    """Validate scenario data given as a Python mapping (notebooks, the dashboard's what-if)."""
    data = copy.deepcopy(data)
    data.setdefault("name", name)
    data, origins = _resolve(data, origins or {}, name, base_dir, (), [len(origins or {})])
    scenario = _validate(data, origins, name)
    versions(scenario, origins)
    return scenario


def load_scenario(source: str | Path, overrides: dict | None = None) -> Scenario:
    """Load and fully validate a scenario file (following ``extends``), optionally overridden.

    Raises :class:`ScenarioError` whose lines name file, field, line number and reason.
    """
    path = Path(source)
    try:
        name, resolved = _display(path), path.resolve()
    except (OSError, RuntimeError):  # a symlink loop, a name too long
        raise ScenarioError([Problem(str(path), "", "cannot be read (symlink loop or name too long)")]) from None
    data, origins = _load_raw(resolved, (resolved,))
    if overrides:
        data = merge(data, overrides)
    scenario = _validate(data, origins, name)
    versions(scenario, origins)
    return scenario


def scenario_from_text(text: str, name: str, base_dir: Path | None = None) -> Scenario:
    """Validate scenario YAML given as text (an uploaded file); ``extends`` resolves in base_dir."""
    data, origins = parse_text(text, name)
    data.setdefault("name", Path(name).stem)
    data, origins = _resolve(data, origins, name, base_dir, (), [len(origins)])
    scenario = _validate(data, origins, name)
    versions(scenario, origins)
    return scenario


def scenario_hash(scenario: Scenario) -> str:
    """Content hash: equal for equal scenarios however their files order the keys."""
    blob = json.dumps(scenario.model_dump(mode="json"), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()[:16]
