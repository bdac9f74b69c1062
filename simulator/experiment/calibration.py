"""Calibration as code: which parameters, with which priors, fitted to which published series.

A calibration specification (``scenarios/calibration/*.yaml``) names a scenario, the published
observations to fit (everything else in ``data/published.yaml`` is held back for the backtest),
and each parameter: the scenario paths it moves, how (``set`` a value, ``scale`` values at every
date, or the share of a ``route``), a prior with its range, and why. This module reads such a
file and turns parameter values into a scenario fragment: the same fragment the calibration
simulates, ``--parameter-uncertainty`` samples, and ``posterior.yaml`` writes out for ``extends``.
The fitting itself is in :mod:`simulator.experiment.abc`.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import Field, ValidationError, model_validator
from scipy import stats

from ..errors import IndsimError, ScenarioError
from ..scenario import Scenario, from_data, load_scenario
from ..scenario.merging import merge, nested
from ..scenario.timeline import _walk
from ..scenario.types import LabelText, Strict
from ..scenario.yamlsource import parse_text, read_file
from .published import Published, load_published, validation_problems


class Prior(Strict):
    """A prior distribution with a bounded range."""

    dist: Literal["uniform", "triangular"] = "uniform"
    low: float
    high: float
    mode: float | None = None

    @model_validator(mode="after")
    def _order(self) -> Prior:
        if not self.low < self.high:
            raise ValueError(f"need low < high, got {self.low:g} and {self.high:g}")
        if (self.dist == "triangular") != (self.mode is not None):
            raise ValueError("a triangular prior needs mode; a uniform prior takes none")
        if self.mode is not None and not self.low <= self.mode <= self.high:
            raise ValueError(f"mode {self.mode:g} must lie between low and high")
        return self

    def scipy(self):
        """The prior as a frozen scipy distribution."""
        if self.dist == "uniform":
            return stats.uniform(self.low, self.high - self.low)
        return stats.triang((self.mode - self.low) / (self.high - self.low), self.low, self.high - self.low)

    def text(self) -> str:
        if self.dist == "uniform":
            return f"uniform {self.low:g}-{self.high:g}"
        return f"triangular {self.low:g}-{self.mode:g}-{self.high:g}"


class RouteShare(Strict):
    """The share of ``to`` among the routes ``among`` (default: all) of one route list."""

    routes: str
    to: str
    among: list[str] | None = None


class Parameter(Strict):
    """One calibrated quantity and the scenario values it moves."""

    label: LabelText
    unit: str = ""
    set: list[str] = Field(default_factory=list)
    scale: list[str] = Field(default_factory=list)
    route: list[RouteShare] = Field(default_factory=list)
    prior: Prior
    carry: bool = False
    why: str = Field(min_length=1)

    @model_validator(mode="after")
    def _one_effect(self) -> Parameter:
        if sum(bool(x) for x in (self.set, self.scale, self.route)) != 1:
            raise ValueError("give exactly one of set (paths), scale (paths) or route (route shares)")
        bad = [p for p in self.set if any(part.isdigit() for part in p.split("."))]
        if bad:
            raise ValueError(f"set paths must name fields, not list items ({bad[0]}); use scale")
        return self

    @property
    def kind(self) -> str:
        return "set" if self.set else "scale" if self.scale else "route"

    def targets(self) -> list[str]:
        return self.set or self.scale or [f"{r.routes}->{r.to}" for r in self.route]


class Budget(Strict):
    """How much simulation a calibration may spend (ABC-SMC)."""

    population: int = Field(default=100, ge=5, le=5000)
    generations: int = Field(default=8, ge=1, le=50)
    simulations: int = Field(default=3000, ge=10, le=1_000_000)
    minutes: float | None = Field(default=None, gt=0)
    min_epsilon: float = Field(default=1.0, ge=0)
    kernel: Literal["global", "local"] = "global"  # pyabc's MultivariateNormal or Local(nearest-neighbour) transition
    # The posterior is the last generation whose effective sample is at least this share of the
    # population: a later one whose weights collapsed onto a few particles has intervals too
    # narrow to trust (each generation is a valid sample at its own, slightly higher threshold).
    min_ess: float = Field(default=0.2, ge=0, le=1)


class SpecFile(Strict):
    title: LabelText
    scenario: str
    published: str = "../../data/published.yaml"
    seed: int = Field(default=20230101, ge=0)
    fit: dict[str, list[int]] = Field(min_length=1)
    parameters: dict[str, Parameter] = Field(min_length=1)
    budget: Budget = Field(default_factory=Budget)


@dataclass
class Setup:
    """A calibration specification with its scenario and published series loaded and checked."""

    spec: SpecFile
    file: str
    scenario: Scenario
    published: Published

    @property
    def fit(self) -> list[tuple[str, int]]:
        return [(s, y) for s, years in self.spec.fit.items() for y in sorted(years)]

    @property
    def parameters(self) -> dict[str, Parameter]:
        return self.spec.parameters


def read_spec(path: str | Path) -> SpecFile:
    """Read a calibration specification file (safe YAML; one line per problem)."""
    name = str(path)
    data, origins = parse_text(read_file(Path(path), name), name)
    try:
        return SpecFile.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(validation_problems(exc, origins, name)) from None


def load_spec(path: str | Path, scenario: str | Path | None = None) -> Setup:
    """Read a calibration specification and check it against its scenario and the published data.

    ``scenario`` overrides the file's own (``indsim calibrate SCENARIO``)."""
    path = Path(path)
    name = str(path)
    spec = read_spec(path)
    s = load_scenario(scenario if scenario is not None else path.parent / spec.scenario)
    published = load_published(path.parent / spec.published)
    covered = set(published.observations(s.start, s.end))
    for series, years in spec.fit.items():
        if series not in published.series:
            raise IndsimError(f"{name}: fit.{series}: no such series in {published.file}")
        ser = published.series[series]
        for y in years:
            if y not in ser.values:
                raise IndsimError(f"{name}: fit.{series}: no published value for {y}")
            if (series, y) not in covered:
                raise IndsimError(f"{name}: fit.{series}: {y} lies outside the scenario {s.name} "
                                  f"({s.start} .. {s.end})")
            is_input = ser.role_of(y) == "input"
            if is_input or not ser.values[y].comparable:
                why = "is an input of the scenario" if is_input else "is not comparable"
                raise IndsimError(f"{name}: fit.{series}: {y} {why}, so it cannot be fitted")
    setup = Setup(spec, name, s, published)
    for pname, p in spec.parameters.items():  # every path must exist and give a valid scenario
        try:
            apply_values(s, {pname: p}, {pname: float(p.prior.scipy().median())})
        except (IndsimError, KeyError, TypeError) as err:
            raise IndsimError(f"{name}: parameters.{pname}: {err}") from None
    return setup


# ------------------------------------------------------------------ values -> scenario
def _drop_none(v):
    if isinstance(v, dict):
        return {k: _drop_none(x) for k, x in v.items() if x is not None}
    if isinstance(v, list):
        return [_drop_none(x) for x in v]
    return v


def _existing(data: dict, path: str):
    node, key, reason = _walk(data, path)
    if reason:
        raise IndsimError(reason)
    value = node.get(key) if isinstance(node, dict) else node[key]
    if value is None:
        raise IndsimError(f"no field {path!r} in the scenario")
    return value


def _set_value(old, value: float, source: str):
    """``old`` (a number, sourced number or distribution) with its expected value set to ``value``."""
    if isinstance(old, int | float) and not isinstance(old, bool):
        return {"value": value, "source": source}
    if isinstance(old, dict) and "value" in old:
        return {**old, "value": value, "source": source}
    if isinstance(old, dict) and "dist" in old:
        if old.get("mean") is not None:
            return {**old, "mean": value, "source": source}
        expected = (old["low"] + old["high"]) / 2 if old["dist"] == "uniform" else \
            (old["low"] + old["mode"] + old["high"]) / 3
        f = value / expected if expected else 0.0
        return {**old, **{k: old[k] * f for k in ("low", "mode", "high") if old.get(k) is not None},
                "source": source}
    raise IndsimError("is not a number, so it cannot be set")


def _route_share(routes: list, share: RouteShare, value: float, source: str) -> list:
    if not isinstance(routes, list) or not all(isinstance(r, dict) and "to" in r for r in routes):
        raise IndsimError(f"{share.routes!r} is not a list of routes")
    among = share.among or [r["to"] for r in routes]
    picked = [i for i, r in enumerate(routes) if r["to"] in among]
    target = [i for i in picked if routes[i]["to"] == share.to]
    if len(target) != 1:
        raise IndsimError(f"{share.routes}: needs exactly one route to {share.to!r} among {among}")
    if not 0.0 <= value <= 1.0:
        raise IndsimError(f"a route share must lie between 0 and 1, got {value:g}")

    def p(r) -> float:
        return float(r["p"]["value"] if isinstance(r["p"], dict) else r["p"])

    total = sum(p(routes[i]) for i in picked)
    rest = total - p(routes[target[0]])
    out = copy.deepcopy(routes)
    for i in picked:
        if i == target[0]:
            out[i]["p"], out[i]["source"] = value * total, source
        else:
            share_of_rest = p(routes[i]) / rest if rest > 0 else 1 / (len(picked) - 1)
            out[i]["p"] = (1 - value) * total * share_of_rest
    return out


def fragment(data: dict, start: dt.date, parameters: dict[str, Parameter], values: dict[str, float],
             sources: dict[str, str] | None = None) -> dict:
    """The scenario fragment that gives ``parameters`` the ``values``: top-level values for
    ``set`` and ``route`` (dated changes later in the scenario still apply), and one intervention
    per ``scale`` parameter from the day before ``start`` (so it holds at every date, on top of
    dated changes, and is not drawn as a policy event)."""
    out: dict = {}
    for name, p in parameters.items():
        v = float(values[name])
        src = (sources or {}).get(name, f"calibration candidate {name} = {v:g}")
        if p.kind == "set":
            for path in p.set:
                out = merge(out, nested(path, _set_value(_existing(data, path), v, src)))
        elif p.kind == "route":
            for r in p.route:
                out = merge(out, nested(r.routes, _route_share(_existing(data, r.routes), r, v, src)))
        else:
            out.setdefault("interventions", {})[f"calibration_{name}"] = {
                "label": {"nl": f"Kalibratie: {p.label.nl}", "en": f"Calibration: {p.label.text('en')}"},
                "start": (start - dt.timedelta(days=1)).isoformat(),
                "scale": {path: v for path in p.scale},
                "source": src,
                "note": "calibration, not a policy change",
            }
    return _drop_none(out)


def apply_values(scenario: Scenario, parameters: dict[str, Parameter], values: dict[str, float],
                 sources: dict[str, str] | None = None, data: dict | None = None) -> Scenario:
    """A validated copy of ``scenario`` (same name) with the parameters at ``values``.

    ``data``: the scenario's data when the caller has it already (saves a dump per call)."""
    data = scenario.model_dump(mode="json") if data is None else data
    merged = merge(data, fragment(data, scenario.start, parameters, values, sources))
    return from_data(merged, scenario.name)
