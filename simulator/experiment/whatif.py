"""What-if scenarios from a few levers: the shocks on or off with their date and phase-in, the
asylum inflow level, extra IND staff from a date, and the order of IND's interviews.

The result is a short scenario mapping that ``extends`` the shipped files it builds on, so it
reads (and downloads) as a normal scenario file that states only what differs.
"""

from __future__ import annotations

import copy
import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import yaml

from ..scenario import Scenario, from_data, load_scenario
from .variants import add_capacity, default_levers

SHOCKS = ("amp", "uitvoeringswet_pact", "asielnoodmaatregelenwet", "tweestatusstelsel", "ketenpartner")
ASYLUM_INFLOW = ("first_asylum", "repeat")


@dataclass(frozen=True)
class ShockChoice:
    """One shock: on or off, from which date, phased in over how many months (0: abrupt)."""

    on: bool = False
    start: dt.date | None = None
    phase_in_months: int = 0


@dataclass
class WhatIf:
    shocks: dict[str, ShockChoice] = field(default_factory=dict)
    inflow_level: float = 1.0
    extra_fte: float = 0.0
    extra_from: dt.date | None = None
    oldest_first: bool = False  # IND's interviews: the earliest lodged first within the priorities
    base: str = "baseline"
    name: str = "wat_als"

    @property
    def unchanged(self) -> bool:
        """Whether no lever differs from the base: the what-if would be the base itself."""
        return (not any(c.on for c in self.shocks.values()) and self.inflow_level == 1.0
                and self.extra_fte == 0 and not self.oldest_first)


@lru_cache(maxsize=32)
def shock_interventions(folder: Path, shock: str, base: str = "baseline") -> dict[str, dt.date]:
    """The interventions a shock file adds to its base, with their start dates (cached: the
    dashboard asks on every rerun, and loading a shock file takes a second)."""
    own = load_scenario(folder / f"{shock}.yaml").interventions
    inherited = load_scenario(folder / f"{base}.yaml").interventions
    return {k: v.start for k, v in own.items() if k not in inherited}


@lru_cache(maxsize=32)
def shock_law(folder: Path, shock: str, base: str = "baseline") -> str | None:
    """The named date a shock file sets for its law's entry into force (``pact``,
    ``asielnoodmaatregelenwet``...), or None when its measures carry their own dates."""
    own = load_scenario(folder / f"{shock}.yaml").dates
    inherited = load_scenario(folder / f"{base}.yaml").dates
    keys = [k for k, v in own.items() if inherited.get(k) != v]
    return keys[0] if len(keys) == 1 else None


@lru_cache(maxsize=32)
def shock_date(folder: Path, shock: str) -> dt.date:
    """The shock's main date: the most common start of its interventions within the run (the
    latest on a tie), so one a user can choose in the dashboard; a measure in force before the
    run starts (the chain partner's nareis guidance, stopped on 1 December 2025) moves with it."""
    starts = list(shock_interventions(folder, shock).values())
    first = load_scenario(folder / f"{shock}.yaml").start
    counts = Counter([d for d in starts if d >= first] or starts)
    return max(counts, key=lambda d: (counts[d], d))


def whatif_data(folder: Path, choice: WhatIf) -> dict:
    """The scenario mapping for ``choice``, ready to validate or to write as YAML."""
    on = [k for k in SHOCKS if choice.shocks.get(k, ShockChoice()).on]
    data: dict = {
        "extends": [f"{k}.yaml" for k in on] or [f"{choice.base}.yaml"],
        "name": choice.name,
        "title": {"nl": "Wat-als-scenario", "en": "What-if scenario"},
        "description": "Made with the dashboard's what-if levers.",
        "interventions": {},
    }
    ivs = data["interventions"]
    for k in on:
        c = choice.shocks[k]
        shift = (c.start - shock_date(folder, k)) if c.start else dt.timedelta(0)
        own = load_scenario(folder / f"{k}.yaml").interventions
        law = shock_law(folder, k)
        if law and shift:  # its measures start with the law; one shared by two laws with the first in force
            data.setdefault("dates", {})[law] = c.start.isoformat()
        for name, start in shock_interventions(folder, k).items():
            change: dict = {}
            if shift and (law is None or own[name].steps):  # own dates, or steps dated in the file
                change["start"] = (start + shift).isoformat()
                if own[name].steps:
                    change["steps"] = [{**step.model_dump(mode="json", exclude_none=True),
                                        "date": (step.date + shift).isoformat()} for step in own[name].steps]
            if c.phase_in_months > 0 and not own[name].steps:
                change["phase_in"] = {"value": c.phase_in_months, "unit": "months", "source": "what-if lever"}
            if change:
                ivs[name] = change
    if choice.oldest_first:
        _oldest_first(folder, data)
    base = load_scenario(folder / f"{choice.base}.yaml")
    if choice.inflow_level != 1.0:
        ivs["whatif_inflow_level"] = {
            "label": {"nl": "Instroomniveau", "en": "Inflow level"}, "start": base.start.isoformat(),
            "scale": {f"streams.{s}.monthly_volume": choice.inflow_level for s in ASYLUM_INFLOW if s in base.streams},
            "source": "what-if lever: asylum inflow level relative to the baseline"}
    if choice.extra_fte > 0:
        lever = default_levers(base)[0]
        holder = {"pools": base.model_dump(mode="json")["pools"]}
        add_capacity(holder, lever, choice.extra_fte, choice.extra_from or base.start)
        iv = holder["interventions"]["zz_extra_capacity"]
        iv["set"] = {k: round(v, 1) for k, v in iv["set"].items()}
        iv.update(label={"nl": "Extra IND-medewerkers asiel", "en": "Extra IND asylum staff"},
                  source="what-if lever: extra IND asylum staff (hearing and decision, through hiring)")
        ivs["whatif_extra_staff"] = iv
    if not ivs:
        del data["interventions"]
    return data


def _oldest_first(folder: Path, data: dict) -> None:
    """Write IND's order of interviews as the exploration's lever sets it into the mapping: the
    earliest lodged first within the same priorities, at the pool and in every intervention that
    sets its rule (:func:`order_of_work`; the what-if's files state no dated ``changes``)."""
    from .explore.defaults import order_of_work
    from .explore.paths import parse

    item = order_of_work(from_data(copy.deepcopy(data), data["name"], base_dir=folder))
    if item is None:
        return
    for path, rule in zip(item.paths, item.options["oldest_first"], strict=True):
        keys = parse(path)
        if keys[0] == "pools":
            data.setdefault("pools", {}).setdefault(keys[1], {})["discipline"] = rule
        elif keys[0] == "interventions":
            data["interventions"].setdefault(keys[1], {}).setdefault("set", {})[keys[3]] = rule
        else:
            raise ValueError(f"the what-if cannot set the order of work at {path}")


def whatif_scenario(folder: Path, choice: WhatIf) -> Scenario:
    """The validated what-if scenario (``extends`` resolved in ``folder``)."""
    return from_data(whatif_data(folder, choice), choice.name, base_dir=folder)


def to_yaml(data: dict) -> str:
    """A scenario mapping as YAML text a user can save next to the shipped scenarios."""
    head = "# What-if scenario from the IND simulator dashboard; save it in scenarios/ to run it.\n"
    return head + yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
