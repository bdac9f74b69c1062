"""Scenario variants for sensitivity analysis and capacity searches, made on plain data.

A variant changes the scenario's own values (before its interventions act). Extra capacity is
added as an intervention from a date: for a pool that hires, as a higher hiring target (so the
training delay and the yearly intake cap apply); otherwise as FTE available at once.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field

from ..errors import IndsimError
from ..scenario import Scenario, from_data
from ..scenario.timeline import apply_arith


def truncated(data: dict, last_year: int) -> dict:
    """The scenario data cut off after ``last_year``: dated changes beyond it dropped, interventions
    that start beyond it switched off."""
    start = dt.date.fromisoformat(str(data["start"]))
    years = max(1, last_year - start.year + (1 if (start.month, start.day) == (1, 1) else 0))
    out = copy.deepcopy(data)
    out["horizon_years"] = min(int(data["horizon_years"]), years)
    end = Scenario.model_construct(start=start, horizon_years=out["horizon_years"]).end
    out["changes"] = [c for c in data.get("changes", []) if dt.date.fromisoformat(str(c["date"])) <= end]
    for iv in out.get("interventions", {}).values():  # kept, for an exploration's dates may bring it back
        if dt.date.fromisoformat(str(iv["start"])) > end:
            iv["enabled"] = False
    return out


@dataclass
class Parameter:
    """A named group of values varied together: ('scale', path) or ('route', path, index).
    ``kind`` and ``subject`` say what it is for readers: ('inflow', stream), ('hours', pool),
    ('fte', pool), ('appeal_rate', ''), ('grant_rate', ''), or ('path', the path itself)."""

    name: str
    items: list[tuple] = field(default_factory=list)
    kind: str = "path"
    subject: str = ""

    def apply(self, data: dict, factor: float) -> None:
        for item in self.items:
            if item[0] == "scale":
                reason = apply_arith(data, item[1], factor, "scale", 1.0)
                if reason:
                    raise IndsimError(f"parameter {self.name!r}: {reason}")
            else:
                _scale_route(data, item[1], item[2], factor)


def _p(v) -> float:
    return float(v["value"]) if isinstance(v, dict) else float(v)


def _set_p(route: dict, p: float) -> None:
    if isinstance(route["p"], dict):
        route["p"] = {**route["p"], "value": p}
    else:
        route["p"] = p


def _scale_route(data: dict, path: str, index: int, factor: float) -> None:
    """Scale one route's probability; the other routes of the list absorb the change."""
    node = data
    for part in path.split("."):
        node = node[part]
    routes = node
    old = _p(routes[index]["p"])
    new = min(max(old * factor, 0.0), 1.0)
    rest = 1.0 - old
    for i, r in enumerate(routes):
        if i == index:
            _set_p(r, new)
        elif rest > 0:
            _set_p(r, _p(r["p"]) * (1.0 - new) / rest)


def default_parameters(s: Scenario) -> list[Parameter]:
    """The numbers that matter most: inflow, hours per case, FTE, appeal and grant rates."""
    out = []
    for name, st in s.streams.items():
        if st.monthly_volume.value > 0:
            out.append(Parameter(f"inflow {name}", [("scale", f"streams.{name}.monthly_volume")], "inflow", name))
    for pool, p in s.pools.items():
        stages = [n for n, st in s.stages.items() if st.pool == pool and st.hours is not None]
        if p.owner == "ind" and stages:
            out.append(Parameter(f"hours {pool}", [("scale", f"stages.{n}.hours") for n in stages], "hours", pool))
    for pool, p in s.pools.items():
        items = [("scale", f"pools.{pool}.fte")]
        if p.hiring is not None and p.hiring.target_fte is not None:
            items.append(("scale", f"pools.{pool}.hiring.target_fte"))
        out.append(Parameter(f"fte {pool}", items, "fte", pool))
    appeal, grant = Parameter("appeal rate", kind="appeal_rate"), Parameter("grant rate", kind="grant_rate")
    entry = appeal_steps(s)
    for name, st in s.stages.items():
        lists = [(f"stages.{name}.routes", st.routes)]
        lists += [(f"stages.{name}.routes_by_group.{g}", r) for g, r in st.routes_by_group.items()]
        for path, routes in lists:
            if len(routes) < 2:  # a step with one way on has no rate to vary
                continue
            for i, r in enumerate(routes):
                if r.to in entry and name not in entry:
                    appeal.items.append(("route", path, i))
                if r.outcome == "granted":
                    grant.items.append(("route", path, i))
    return out + [p for p in (appeal, grant) if p.items]


def appeal_steps(s: Scenario) -> set[str]:
    """The stages of an appeal: the courts' own, and those whose every way on leads to a court
    (IND's statement of defence before the court hears the appeal). A route into one of them from
    another stage is the choice to appeal."""
    court = {n for n, st in s.stages.items() if st.owner == "court"}
    return court | {n for n, st in s.stages.items()
                    if st.routes and all(r.to in court for r in st.routes)
                    and all(r.to in court for rs in st.routes_by_group.values() for r in rs)}


def parameter_by_path(path: str) -> Parameter:
    """A single user-named parameter: a numeric path, scaled."""
    return Parameter(path, [("scale", path)], "path", path)


def variant(s: Scenario, name: str, change, last_year: int | None = None) -> Scenario:
    """A validated copy of ``s`` named ``name``, changed by ``change(data)`` in place."""
    data = s.model_dump(mode="json")
    if last_year is not None:
        data = truncated(data, last_year)
    change(data)
    data["name"] = name
    return from_data(data, name)


@dataclass(frozen=True)
class Lever:
    """Capacity that can be added: one pool, or several scaled in proportion (e.g. IND staff).
    ``name`` is how the command line names it (pools joined by '+'); readers see the pools' labels."""

    name: str
    pools: tuple[str, ...]

    @classmethod
    def of(cls, *pools: str) -> Lever:
        return cls("+".join(pools), tuple(pools))


def default_levers(s: Scenario) -> list[Lever]:
    """Every pool on its own, plus IND's asylum hearing and decision staff together."""
    levers = []
    pair = tuple(p for p in ("ind_hearing", "ind_decision") if p in s.pools)
    if len(pair) == 2:
        levers.append(Lever.of(*pair))
    levers += [Lever.of(p) for p in s.pools]
    return levers


def add_capacity(data: dict, lever: Lever, extra_fte: float, start: dt.date) -> None:
    """Add ``extra_fte`` (split over the lever's pools by their size) from ``start``."""
    pools = data["pools"]
    sizes = {p: float(pools[p]["fte"]["value"]) for p in lever.pools}
    total = sum(sizes.values()) or len(sizes)
    sets = {}
    for p, size in sizes.items():
        extra = extra_fte * (size / total if sum(sizes.values()) else 1 / len(sizes))
        hiring = pools[p].get("hiring")
        if hiring and hiring.get("target_fte"):
            sets[f"pools.{p}.hiring.target_fte"] = float(hiring["target_fte"]["value"]) + extra
        else:
            sets[f"pools.{p}.fte"] = size + extra
    data.setdefault("interventions", {})["zz_extra_capacity"] = {
        "label": {"nl": f"Extra capaciteit {lever.name}", "en": f"Extra capacity {lever.name}"},
        "start": start.isoformat(), "set": sets, "source": "requirements search"}
