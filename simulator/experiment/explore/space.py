"""What an exploration varies: uncertainties (what nobody, or somebody else, controls) and levers
(what IND and the ministry choose), read from YAML files or made from a scenario's own ranges.

Every item is one or two dimensions of the unit cube; a point of the cube becomes plain
overrides of the scenario's numbers (:mod:`.paths`), built into a scenario where the task runs
(:func:`with_overrides`: one validation, then the timeline of the compiled scenario validates
each dated version). Every item names its source or says it is an assumption. A file:

```yaml
uncertainties:
  courts:
    kind: scale                      # value | scale | add | inflow | surge | mix | date | start
    paths: [pools.court_district.fte] #  | phase | choice | table
    low: 0.73
    high: 1.33
    owner: others                    # who controls it: world (default), others, ind
    label: {nl: rechtbankcapaciteit, en: court capacity}
    source: "[E] ..."
```

A levers file has ``levers:`` with the same kinds, each with the ``values`` it may take (the
first is the reference), and optionally ``policies:``, candidate combinations by name.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ...errors import IndsimError, Problem, ScenarioError
from ...scenario import Scenario
from ...scenario.yamlsource import Origins, dotted, parse_text, read_file
from . import paths as P

Kind = Literal["value", "scale", "add", "inflow", "surge", "mix", "date", "start", "phase", "choice", "table",
               "posterior"]
Owner = Literal["world", "others", "ind"]
MAX_ITEMS = 200
MAX_POLICIES = 64
MAX_TABLE_BYTES = 50_000_000
MAX_TABLE_ROWS = 100_000


class Label(BaseModel):
    model_config = ConfigDict(extra="forbid")
    nl: str
    en: str


class Item(BaseModel):
    """One uncertainty or lever (see the module docstring for the kinds)."""

    model_config = ConfigDict(extra="forbid")
    kind: Kind
    source: str = Field(min_length=1, description="where the range comes from, or 'assumption: ...'")
    label: Label | str | None = None
    owner: Owner = "world"
    group: str | None = Field(default=None, description="Sobol indices are given per group (default: the item)")
    path: str | None = None
    paths: list[str] = Field(default_factory=list)
    low: float | None = None
    high: float | None = None
    values: list[Any] | None = None
    name: str | None = Field(default=None, description="kind date: the name in the scenario's 'dates'")
    interventions: list[str] = Field(default_factory=list)
    earliest: dt.date | None = None
    latest: dt.date | None = None
    never: float = Field(default=0.0, ge=0.0, le=1.0, description="share of futures in which it never happens")
    streams: list[str] = Field(default_factory=list)
    years: list[int] = Field(default_factory=list)
    shift: list[str] = Field(default_factory=list, description="kind mix: [from_group, to_group]")
    options: dict[str, Any] = Field(default_factory=dict)
    per_path: bool = Field(default=False, description="kind choice: each option is a list of values, one per "
                                                      "path in the order of paths (a rule written differently "
                                                      "at each place)")
    file: str | None = None
    integer: bool = Field(default=False, description="round sampled values to whole numbers (counts)")

    @model_validator(mode="after")
    def _complete(self) -> Item:
        if self.path:
            self.paths = [self.path, *self.paths]
            self.path = None
        need = {"value": ("paths",), "scale": ("paths",), "add": ("paths",), "surge": ("streams", "years"),
                "mix": ("streams", "shift"), "date": ("name", "earliest", "latest"),
                "start": ("interventions", "earliest", "latest"), "phase": ("interventions",),
                "choice": ("paths", "options"), "table": ("file",), "posterior": ("file",)}.get(self.kind, ())
        for f in need:
            if not getattr(self, f):
                raise ValueError(f"kind {self.kind!r} needs {f!r}")
        numeric = self.kind in ("value", "scale", "add", "inflow", "surge", "mix", "phase")
        if numeric and self.values is None and (self.low is None or self.high is None):
            raise ValueError(f"kind {self.kind!r} needs low and high (or values)")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low {self.low:g} is above high {self.high:g}")
        if self.values is not None and not self.values:
            raise ValueError("values must not be empty")
        if self.values is not None and self.kind != "choice" and not all(
                isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v) for v in self.values):
            raise ValueError("values must be numbers")
        if self.kind == "choice" and self.values is not None and any(str(v) not in self.options for v in self.values):
            raise ValueError(f"values must name options: {', '.join(self.options)}")
        if self.per_path and (self.kind != "choice" or any(
                not isinstance(v, list) or len(v) != len(self.paths) for v in self.options.values())):
            raise ValueError(f"per_path: every option must list one value for each of the {len(self.paths)} paths "
                             "(kind choice only)")
        if self.kind in ("date", "start") and self.earliest > self.latest:
            raise ValueError("earliest is after latest")
        if self.kind == "surge" and (len(self.years) != 2 or self.years[0] > self.years[1]):
            raise ValueError("years must be [first, last]")
        if self.kind == "mix" and len(self.shift) != 2:
            raise ValueError("shift must be [from_group, to_group]")
        return self

    def text(self, lang: str = "nl") -> str | None:
        if isinstance(self.label, Label):
            return getattr(self.label, lang)
        return self.label


class Policy(BaseModel):
    model_config = ConfigDict(extra="forbid")
    name: str = Field(min_length=1)
    label: Label | str | None = None
    levers: dict[str, Any] = Field(default_factory=dict)


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid")
    uncertainties: dict[str, Item] = Field(default_factory=dict, max_length=MAX_ITEMS)
    levers: dict[str, Item] = Field(default_factory=dict, max_length=MAX_ITEMS)
    policies: list[Policy] = Field(default_factory=list, max_length=MAX_POLICIES)


@dataclass(frozen=True)
class Dim:
    """One dimension of the unit cube: an item, or the year of a surge (``part='year'``)."""

    name: str
    item: str
    part: str = ""


@dataclass
class Space:
    """Uncertainties, levers and candidate policies bound to one scenario."""

    scenario: Scenario
    uncertainties: dict[str, Item]
    levers: dict[str, Item] = field(default_factory=dict)
    policies: list[Policy] = field(default_factory=list)
    named_starts: dict[str, list[str]] = field(default_factory=dict)
    tables: dict[str, Any] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    _data: dict | None = field(default=None, repr=False)

    def data(self) -> dict:
        """The scenario's data (dumped once)."""
        if self._data is None:
            self._data = self.scenario.model_dump(mode="json")
        return self._data

    # ------------------------------------------------------------------ dimensions
    @property
    def dims(self) -> list[Dim]:
        out = []
        for name, it in self.uncertainties.items():
            if it.kind == "surge":
                out.append(Dim(f"{name}_year", name, "year"))
            out.append(Dim(name, name))
        return out

    def groups(self) -> list[str]:
        """The Sobol group of each dimension (a surge's year and size are one group)."""
        return [self.uncertainties[d.item].group or d.item for d in self.dims]

    def never_year(self) -> int:
        """The value a date column takes for 'never' (the year after the horizon)."""
        return self.scenario.end.year + 1

    def value(self, d: Dim, u: float) -> Any:
        """The value of dimension ``d`` at ``u`` in [0, 1]."""
        it = self.uncertainties[d.item]
        return _value(it, u, d.part, self)

    def lever_value(self, name: str, u: float) -> Any:
        return _value(self.levers[name], u, "", self)

    # ------------------------------------------------------------------ overrides
    def overrides(self, values: dict[str, Any], lever_values: dict[str, Any]) -> tuple[tuple, float]:
        """(overrides, inflow factor) for one experiment: uncertainty values by dimension name,
        lever values by lever name (missing levers stay as the scenario has them)."""
        out: list[tuple] = []
        inflow = 1.0
        dates = {k: (v if v == "never" else v.isoformat() if isinstance(v, dt.date) else str(v))
                 for k, v in self.scenario.model_dump(mode="json").get("dates", {}).items()}
        items = [(n, it, values) for n, it in self.uncertainties.items()]
        items += [(n, it, lever_values) for n, it in self.levers.items() if n in lever_values]
        for name, it, vals in items:
            x = vals[name]
            if it.kind == "inflow":
                inflow *= float(x)
            elif it.kind == "date":
                dates[it.name] = "never" if x >= self.never_year() else _from_year(x).isoformat()
            else:
                out += _item_overrides(self, name, it, x, vals)
        if any(it.kind == "date" for _, it, _ in items):
            out += _date_overrides(self, dates)
        return tuple(out), inflow


def _from_year(x: float) -> dt.date:
    """A decimal year (2027.5) as the first day of its month."""
    year = math.floor(x)
    month = min(12, int((x - year) * 12) + 1)
    return dt.date(year, month, 1)


def _to_year(d: dt.date) -> float:
    return round(d.year + (d.month - 1) / 12, 4)


def _value(it: Item, u: float, part: str, space: Space) -> Any:
    u = min(max(float(u), 0.0), 1.0 - 1e-12)
    if it.values is not None and part != "year":
        return it.values[int(u * len(it.values))]
    if part == "year":
        return it.years[0] + int(u * (it.years[1] - it.years[0] + 1))
    if it.kind in ("date", "start"):
        if u < it.never:
            return space.never_year()
        v = (u - it.never) / (1 - it.never) if it.never < 1 else 0.0
        months = (it.latest.year - it.earliest.year) * 12 + it.latest.month - it.earliest.month
        k = int(v * (months + 1))
        y, m = divmod(it.earliest.month - 1 + k, 12)
        return _to_year(dt.date(it.earliest.year + y, m + 1, 1))
    if it.kind == "table":
        return int(u * len(space.tables[it.file]))
    if it.kind == "posterior":  # a sample drawn by its weight
        cum = np.cumsum(space.tables[it.file].samples.weight.to_numpy(float))
        return int(min(np.searchsorted(cum / cum[-1], u, side="right"), len(cum) - 1))
    if it.kind == "choice":
        names = list(it.options)
        return names[int(u * len(names))]
    x = it.low + u * (it.high - it.low)
    return float(round(x)) if it.integer else x


def _dump(v: Any) -> str:
    return json.dumps(v, sort_keys=True, default=str)


def _item_overrides(space: Space, name: str, it: Item, x: Any, vals: dict[str, Any]) -> list[tuple]:
    s = space.scenario
    if it.kind in ("value", "scale", "add"):
        out = []
        for p in it.paths:
            keys = P.parse(p)
            op = {"value": "set"}.get(it.kind, it.kind)
            if it.kind == "value" and keys[-1] in ("share", "p"):
                op = "share"
            out.append((op, keys, float(x)))
        return out
    if it.kind == "mix":  # every share the scenario states for the two groups, also in interventions
        a, b = it.shift
        out = []
        for st in it.streams:
            for g, sign in ((a, -1.0), (b, 1.0)):
                out.append(("add", ("streams", st, "groups", g, "share"), sign * float(x)))
                key = f"streams.{st}.groups.{g}.share"
                out += [("add", ("interventions", iv, "set", key), sign * float(x))
                        for iv, body in s.interventions.items() if key in body.set]
        return out
    if it.kind == "surge":
        year = int(vals[f"{name}_year"])
        first = dt.date(year, 1, 1)
        steps = [{"date": first.isoformat(), "fraction": 1.0}]
        if dt.date(year + 1, 1, 1) <= s.end:
            steps.append({"date": dt.date(year + 1, 1, 1).isoformat(), "fraction": 0.0})
        iv = {"label": {"nl": f"Piek in de instroom ({year})", "en": f"Inflow surge ({year})"},
              "start": first.isoformat(), "steps": steps, "source": it.source,
              "scale": {f"streams.{st}.monthly_volume": float(x) for st in it.streams}}
        return [("put", ("interventions", f"zz_explore_{name}"), _dump(iv))]
    if it.kind == "start":
        never = x >= space.never_year()
        out = []
        for iv in it.interventions:
            out.append(("put", ("interventions", iv, "enabled"), _dump(not never)))
            if not never:
                out.append(("put", ("interventions", iv, "start"), _dump(_from_year(x).isoformat())))
        return out
    if it.kind == "phase":
        ph = None if float(x) <= 0 else {"value": float(x), "unit": "months", "source": it.source}
        return [("put", ("interventions", iv, "phase_in"), _dump(ph)) for iv in it.interventions]
    if it.kind == "choice":
        chosen = it.options[str(x)]
        values = chosen if it.per_path else [chosen] * len(it.paths)
        return [("put", P.parse(p), _dump(v)) for p, v in zip(it.paths, values, strict=True)]
    if it.kind == "table":
        frame = space.tables[it.file]
        row = frame.iloc[int(x)]
        return [("share" if P.parse(c)[-1] in ("share", "p") else "set", P.parse(c), float(row[c]))
                for c in frame.columns if c != "weight"]
    if it.kind == "posterior":  # the calibration's own fragment for that sample, merged into the data
        from ..calibration import fragment

        pu = space.tables[it.file]
        params = pu.applies(s)
        row = pu.samples.iloc[int(x)]
        values = {n: float(row[n]) for n in params}
        sources = {n: f"posterior sample {int(x)} of {pu.file}" for n in params}
        return [("merge", (), _dump(fragment(space.data(), s.start, params, values, sources)))]
    raise AssertionError(it.kind)  # pragma: no cover


def _date_overrides(space: Space, dates: dict[str, str]) -> list[tuple]:
    """Named dates -> the start of every intervention that names them (earliest in force)."""
    out = [("put", ("dates", k), _dump(v)) for k, v in sorted(dates.items())]
    for iv, names in space.named_starts.items():
        when = sorted(dates[n] for n in names if dates.get(n, "never") != "never")
        out.append(("put", ("interventions", iv, "enabled"), _dump(bool(when))))
        start = when[0] if when else space.scenario.start.isoformat()
        out.append(("put", ("interventions", iv, "start"), _dump(start)))
    return out


# ---------------------------------------------------------------------- building a variant
def with_overrides(base: Scenario, overrides: tuple) -> Scenario:
    """``base`` with ``overrides`` applied to its data, validated once (compiling the result
    builds its timeline, which validates every dated version)."""
    from ...scenario.loader import _validate

    data = base.model_dump(mode="json")
    try:
        P.apply(data, overrides)
    except P.PathError as exc:
        raise ScenarioError([Problem(base.name, "", str(exc))]) from None
    return _validate(data, {}, base.name)


# ---------------------------------------------------------------------- reading files
def _problem(file: str, origins: Origins, loc: tuple, reason: str) -> ScenarioError:
    for n in range(len(loc), -1, -1):
        hit = origins.get(tuple(loc[:n]))
        if hit:
            return ScenarioError([Problem(hit[0], dotted(loc), reason, hit[1])])
    return ScenarioError([Problem(file, dotted(loc), reason)])


def read_spec(path: str | Path, what: str) -> tuple[_File, Origins, str]:
    """Read an uncertainty or lever file (``what``: 'uncertainties' or 'levers'); one-line errors."""
    path = Path(path)
    name = str(path)
    text = read_file(path, name)  # within the loader's limits (size, depth, values, aliases)
    if not text.strip():
        raise ScenarioError([Problem(name, "", f"the file is empty; expected a mapping with '{what}:'")])
    data, origins = parse_text(text, name)
    if not isinstance(data, dict):
        raise ScenarioError([Problem(name, "", f"must be a mapping with '{what}:'")])
    allowed = {"uncertainties"} if what == "uncertainties" else {"levers", "policies"}
    for k in data:
        if k not in allowed:
            raise _problem(name, origins, (k,), f"unknown field {k!r}; expected {', '.join(sorted(allowed))}")
    if not data.get(what):
        raise _problem(name, origins, (what,), f"'{what}' is missing or empty")
    try:
        spec = _File.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith(("function-", "literal"))))
        msg = err["msg"].removeprefix("Value error, ")
        if err["type"] == "extra_forbidden":
            msg = f"unknown field {loc[-1]!r}"
        elif err["type"] == "missing":
            msg = "required field is missing"
        raise _problem(name, origins, loc, msg) from None
    return spec, origins, name


def _check(space: Space, section: str, items: dict[str, Item], file: str, origins: Origins) -> None:
    """Every path, name and value of the items against the scenario, with the file's line."""
    s = space.scenario
    data = s.model_dump(mode="json")
    for name, it in items.items():
        def fail(fld: str, reason: str, name=name) -> None:
            raise _problem(file, origins, (section, name, *([fld] if fld else [])), reason)

        for i, p in enumerate(it.paths):
            try:
                keys = P.parse(p)
                box, k = P.locate(data, keys, create=False) if it.kind != "value" else _parent(data, keys)
                node = box.get(k, 0.0) if isinstance(box, dict) else box[k]
            except P.PathError as exc:
                fail(f"paths[{i}]", str(exc))
            if it.kind in ("value", "scale", "add") and P.number(node) is None:
                fail(f"paths[{i}]", f"{p!r} is not a number")
            if it.kind == "value" and keys[-1] in ("share", "p") and not (0 <= (it.low or 0) <= (it.high or 1) <= 1):
                fail("high", "a share or probability lies between 0 and 1")
        for iv in it.interventions:
            if iv not in s.interventions:
                fail("interventions", f"no intervention {iv!r} in scenario {s.name!r}")
        if it.kind == "date" and it.name not in s.dates:
            fail("name", f"no named date {it.name!r} in scenario {s.name!r}; known: {', '.join(s.dates)}")
        for st in it.streams:
            if st not in s.streams:
                fail("streams", f"no stream {st!r} in scenario {s.name!r}")
        if it.kind == "mix":
            for g in it.shift:
                for st in it.streams:
                    if g not in s.streams[st].groups:
                        fail("shift", f"stream {st!r} has no group {g!r}")
        if it.kind == "surge" and not (s.start.year <= it.years[0] and it.years[1] <= s.end.year):
            fail("years", f"must lie within the horizon {s.start.year}-{s.end.year}")
        if it.kind in ("date", "start") and not (s.start <= it.earliest and it.latest <= s.end):
            fail("latest" if it.latest > s.end else "earliest", f"must lie within the horizon {s.start}..{s.end}")
        if it.kind == "inflow" and (it.low or 1) <= 0:
            fail("low", "an inflow factor must be above 0")
        if it.kind in ("value", "scale", "add"):  # its ends give valid scenarios, or the runs would fail one by one
            ends = [("values", min(it.values)), ("values", max(it.values))] if it.values else [("low", it.low),
                                                                                                ("high", it.high)]
            for fld, x in ends:
                try:
                    with_overrides(s, tuple(_item_overrides(space, name, it, x, {})))
                except ScenarioError as exc:
                    fail(fld, f"at {x:g} the scenario is not valid: {exc.lines()[0]}")
        if it.kind == "table":
            space.tables[it.file] = _table(Path(file).parent / it.file, data, lambda r: fail("file", r))
        if it.kind == "posterior":  # samples of indsim calibrate (posterior.parquet)
            from ..posterior import ParameterUncertainty

            try:
                space.tables[it.file] = ParameterUncertainty.load(Path(file).parent / it.file)
            except IndsimError as exc:
                fail("file", str(exc))
            if not space.tables[it.file].applies(s):
                fail("file", f"no parameter of this posterior applies to scenario {s.name!r}")


def _parent(data: dict, keys: tuple[str, ...]) -> tuple[Any, Any]:
    """Like paths.locate, but the last key may be new when its parent is a mapping (a transfer)."""
    try:
        return P.locate(data, keys)
    except P.PathError:
        box = P.get(data, keys[:-1]) if len(keys) > 1 else data
        if not isinstance(box, dict) or keys[-2:-1] != ("transfer",):
            raise
        return box, keys[-1]


def _table(path: Path, data: dict, fail) -> Any:
    """A table of parameter values to draw rows from (e.g. posterior samples): numeric columns
    named by paths, an optional ``weight`` column; bounded."""
    import pandas as pd

    try:
        if path.stat().st_size > MAX_TABLE_BYTES:
            fail(f"{path}: file too large")
        frame = pd.read_parquet(path) if path.suffix == ".parquet" else pd.read_csv(path)
    except (OSError, ValueError) as exc:
        fail(f"{path}: cannot read the table ({type(exc).__name__})")
    if len(frame) == 0 or len(frame) > MAX_TABLE_ROWS:
        fail(f"{path}: needs 1 to {MAX_TABLE_ROWS:,} rows")
    for c in frame.columns:
        if c == "weight":
            continue
        try:
            if P.number(P.get(data, P.parse(str(c)))) is None:
                fail(f"column {c!r}: not a number in the scenario")
        except P.PathError as exc:
            fail(f"column {c!r}: {exc}")
        if not np.isfinite(pd.to_numeric(frame[c], errors="coerce")).all():
            fail(f"column {c!r}: values must be finite numbers")
    if "weight" in frame.columns:  # draw rows by weight: repeat each in proportion (rounded)
        w = frame.pop("weight").to_numpy(float)
        if not np.isfinite(w).all() or (w < 0).any() or w.sum() <= 0:
            fail("weights must be finite, non-negative and not all zero")
        counts = np.maximum(0, np.round(w / w.sum() * len(w) * 10)).astype(int)
        frame = frame.loc[frame.index.repeat(counts)].reset_index(drop=True)
    return frame.astype(float)


def policies_of(levers: dict[str, Item], given: list[Policy]) -> list[Policy]:
    """The candidate policies: those given, or every combination of the levers' values; the
    first is the reference (every lever at its first value)."""
    if given:
        return given
    if not levers:
        return [Policy(name="reference", label=Label(nl="zoals gepland", en="as planned"))]
    choices = [it.values or [it.low, it.high] for it in levers.values()]
    count = math.prod(len(c) for c in choices)  # counted before they are made: 40 levers give 1e12
    if count > MAX_POLICIES:
        raise IndsimError(f"the levers give {count:,} combinations (more than {MAX_POLICIES}); "
                          "list candidate 'policies:' in the levers file")
    combos = list(itertools.product(*choices))
    return [Policy(name="p" + "_".join(str(v) for v in c), levers=dict(zip(levers, c, strict=True)))
            for c in combos]
