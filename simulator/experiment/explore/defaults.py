"""The default space of an exploration: every number of the scenario that states a range, plus the
structural uncertainties of the issue, and the levers IND and the ministry hold.

Structural uncertainties (each only where the scenario has what it acts on):

* the inflow level over the MPP band (the scenario's ``uncertainty.inflow_level``), a surge year
  and a shift in the nationality mix (more or fewer applicants from high-recognition countries);
* whether and when each national law enters into force (its named date, or never);
* whether and when the chain partner withdraws;
* court capacity; attrition and training time of IND staff; the Pact's learning dip.

A structural uncertainty supersedes the ranged numbers it covers (the inflow level covers the
first-asylum volume, the courts the court FTE, the mix the two recognition groups' shares).
The Pact itself applies by EU law; *how* it is introduced (abrupt or phased) is a lever, so that
both speeds meet the same futures and "gradual or abrupt" is a paired comparison.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from ...scenario import Scenario
from . import paths as P
from .space import Item, Label, Policy, Space, _check, policies_of, read_spec

_LAWS = {  # named date -> (label nl, label en, earliest, latest, never share, source)
    "asielnoodmaatregelenwet": ("inwerkingtreding noodwet", "emergency law in force", "2026-07-01", "2029-12-01", 0.3,
                                "assumption: Senate vote pending in Feb 2026 (DOMAIN 3.1); any month to 2029, "
                                "or never in 30% of futures"),
    "tweestatusstelsel": ("inwerkingtreding tweestatusstelsel", "two-status law in force", "2026-07-01", "2029-12-01",
                          0.3, "assumption: Senate vote pending in Feb 2026 (DOMAIN 3.2); any month to 2029, "
                               "or never in 30% of futures"),
    "uitvoeringswet_pact": ("inwerkingtreding uitvoeringswet Pact", "Pact implementation bill in force",
                            "2026-06-01", "2027-12-01", 0.1,
                            "assumption: parliament asked to finish within 6 months of Dec 2025 (DOMAIN 3.3); "
                            "up to 18 months late, or never (its measures dropped) in 10% of futures"),
}
_SUPERSEDED = {"streams.first_asylum.monthly_volume", "pools.court_district.fte", "pools.council_of_state.fte",
               "pools.ind_hearing.attrition_per_year"}

# Sobol indices are given per group: few groups keep the Sobol design small (N x (groups + 2)
# experiments). First matching prefix -> group. A group named like one of its items reads as that
# item's label; the others have words in the catalogue (xp_group_NAME).
_THEMES = [
    ("streams.", "other_inflow"), ("stages.", "hours_per_case"), ("pools.", "ind_staff"),
    ("reception.", "reception_penalties"), ("penalties.", "reception_penalties"),
    ("interventions.", "pact_law_effects"),
]


_FIELDS = {  # field of a ranged number -> (nl, en)
    "monthly_volume": ("instroom per maand", "inflow per month"),
    "variation_cv": ("variatie per maand", "monthly variation"),
    "fte": ("fte", "FTE"), "hours": ("uren per zaak", "hours per case"),
    "expected": ("vervolgaanvragen per zaak", "follow-on applications per case"),
    "attrition_per_year": ("verloop per jaar", "attrition per year"),
    "places": ("opvangplaatsen", "reception places"),
    "cost_per_place_day": ("kosten per plaats per dag", "cost per place per day"),
    "emergency_cost_per_place_day": ("kosten noodopvang per dag", "emergency reception cost per day"),
    "appeal_probability": ("kans op beroep niet tijdig beslissen", "probability of an appeal for not deciding in time"),
    "cap_eur": ("maximum dwangsom", "penalty cap"),
    "max_cases": ("plaatsen grensprocedure", "border procedure places"),
    "p": ("kans", "probability"),
}


def _label(s: Scenario, keys: tuple[str, ...]) -> tuple[str, str]:
    """A readable name for a ranged number: the stream, pool or stage label and the field."""
    names = {"streams": s.streams, "pools": s.pools, "stages": s.stages}
    inner = keys
    if keys[0] == "interventions" and len(keys) > 3:  # interventions.X.set[stages.Y.hours]
        inner = tuple(k for part in keys[3:] for k in part.split("."))
    nl_f, en_f = _FIELDS.get(inner[-1], (inner[-1], inner[-1]))
    if len(inner) >= 2 and inner[0] in names and inner[1] in names[inner[0]]:
        lab = names[inner[0]][inner[1]].label
        nl, en = (lab.nl, lab.en) if hasattr(lab, "nl") else (str(lab), str(lab))
        if "spawn" in inner:
            nl_f, en_f = (f"{nl_f} ({inner[inner.index('spawn') - 1]})", f"{en_f} ({inner[inner.index('spawn') - 1]})")
        if inner is not keys:
            nl_f, en_f = f"{nl_f} na '{keys[1]}'", f"{en_f} after '{keys[1]}'"
        return f"{nl}: {nl_f}", f"{en}: {en_f}"
    if inner[0] == "procedures":
        return f"{nl_f} na '{keys[1]}'", f"{en_f} after '{keys[1]}'"
    head = {"reception": ("Opvang", "Reception"), "penalties": ("Dwangsommen", "Penalties")}.get(keys[0])
    if head:
        return f"{head[0]}: {nl_f}", f"{head[1]}: {en_f}"
    return P.text(keys), P.text(keys)


def ranged_items(s: Scenario) -> dict[str, Item]:
    """Every number with a range (numbers with the same value, range and source are one item:
    e.g. the repeat applications after each kind of final rejection)."""
    found: dict[tuple, list[tuple[str, ...]]] = {}
    nodes = {}
    for keys, node in P.ranged(s.model_dump(mode="json")):
        if keys[0] in ("changes", "uncertainty") or P.text(keys) in _SUPERSEDED or keys[-1] == "share":
            # group shares move only through the mix uncertainty: alone, a share's siblings would
            # have to absorb it, also where an intervention sets them
            continue
        key = (P.number(node), tuple(node["range"]), node.get("source"))
        found.setdefault(key, []).append(keys)
        nodes[key] = node
    out = {}
    for key, where in found.items():
        (value, (low, high), source) = key
        name = P.text(where[0]).replace("[", ".").replace("]", "").replace("/", "_")
        theme = next(g for prefix, g in [*_THEMES, ("", "other_ranges")] if name.startswith(prefix))
        nl, en = _label(s, where[0])
        if where[0][-1] == "expected" or "spawn" in where[0]:
            theme = "applicant_behaviour"
        whole = all(float(v).is_integer() for v in (value, low, high))
        out[name] = Item(kind="value", paths=[P.text(k) for k in where], low=float(low), high=float(high),
                         integer=whole,
                         label=Label(nl=nl, en=en), group=theme, owner="world",
                         source=f"range of the assumption log: {source or 'assumption'}")
    return out


def structural_items(s: Scenario, named_starts: dict[str, list[str]]) -> dict[str, Item]:
    out: dict[str, Item] = {}
    band = s.uncertainty.inflow_level
    if band is not None:
        out["inflow_level"] = Item(kind="inflow", low=band.low, high=band.high, group="inflow_level",
                                   label=Label(nl="instroomniveau (× basis)", en="inflow level (x base)"),
                                   source=band.source or "the scenario's uncertainty.inflow_level band")
    if "first_asylum" in s.streams:
        first = min(s.start.year + 1, s.end.year)
        out["surge"] = Item(kind="surge", streams=["first_asylum"], years=[first, s.end.year], low=1.0,
                            high=1.6, group="surge", label=Label(nl="piek eerste aanvragen (× in één jaar)",
                                                                   en="surge of first applications (x, one year)"),
                            source="assumption: one year with up to 60% more first applications (2022 brought "
                                   "+25% on 2021, 2015 about double; DOMAIN 2.1 and earlier IND figures)")
        groups = s.streams["first_asylum"].groups
        if {"high_recognition", "low_recognition"} <= set(groups):
            out["mix"] = Item(kind="mix", streams=["first_asylum"], shift=["low_recognition", "high_recognition"],
                              low=-0.06, high=0.06, group="mix",
                              label=Label(nl="verschuiving naar hoog-inwilligbare nationaliteiten",
                                          en="shift to high-recognition nationalities"),
                              source="the assumption log's ranges of the two groups' shares (0.54-0.66, 0.04-0.16)")
    used = {n for names in named_starts.values() for n in names}
    for name, (nl, en, lo, hi, never, source) in _LAWS.items():
        if name in used and s.dates.get(name, "never") != "never":
            out[f"date_{name}"] = Item(kind="date", name=name, earliest=dt.date.fromisoformat(lo),
                                       latest=min(dt.date.fromisoformat(hi), s.end), never=never, owner="others",
                                       group="legislation", label=Label(nl=nl, en=en), source=source)
    partner = [iv for iv in ("vwn_withdrawal", "lawyers_new_role") if iv in s.interventions
               and s.interventions[iv].enabled]
    if partner:
        first = min(s.interventions[iv].start for iv in partner)
        out["chain_partner"] = Item(kind="start", interventions=partner, earliest=max(first, s.start),
                                    latest=min(dt.date(first.year + 2, 12, 1), s.end), never=0.2, owner="others",
                                    group="chain_partner",
                                    label=Label(nl="vertrek ketenpartner", en="chain partner withdraws"),
                                    source="[S] VWN stops nareis guidance and shrinks to ~70 locations in 2026 "
                                           "(DOMAIN 3.4); assumption: the withdrawal may come up to 2.5 years later, "
                                           "or (20%) not at all if funding returns")
    courts = [p for p in ("court_district", "council_of_state") if p in s.pools]
    if courts:
        fte = s.pools[courts[0]].fte
        low, high = (fte.range[0] / fte.value, fte.range[1] / fte.value) if fte.range and fte.value else (0.75, 1.33)
        out["courts"] = Item(kind="scale", paths=[f"pools.{p}.fte" for p in courts], low=round(low, 3),
                             high=round(high, 3), owner="others", group="courts",
                             label=Label(nl="rechtbankcapaciteit (× basis)", en="court capacity (x base)"),
                             source=f"the assumption log's range of pools.{courts[0]}.fte as a factor on all court "
                                    "FTE" if fte.range else "assumption: court capacity -25% to +33%")
    ind = [p for p, pool in s.pools.items() if pool.owner == "ind"]
    if ind:
        out["attrition"] = Item(kind="value", paths=[f"pools.{p}.attrition_per_year" for p in ind], low=0.05,
                                high=0.12, group="ind_staff",
                                label=Label(nl="verloop IND-personeel per jaar", en="IND staff attrition per year"),
                                source="the assumption log's range of the hearing officers' attrition (assumption)")
    hiring = [p for p in ind if s.pools[p].hiring is not None]
    if hiring:
        out["training"] = Item(kind="value", paths=[f"pools.{p}.hiring.training_months" for p in hiring], low=6,
                               high=12, group="ind_staff",
                               label=Label(nl="opleidingsduur nieuwe medewerkers (maanden)",
                                           en="training of new staff (months)"),
                               source="[S] 'ruim 9 maanden' (ind.nl 4 Nov 2022); assumption: 6-12 months")
    if "amp_learning" in s.interventions and s.interventions["amp_learning"].scale:
        keys = [k for k in s.interventions["amp_learning"].scale if k.endswith("productivity")]
        out["pact_dip"] = Item(kind="value", paths=[f"interventions.amp_learning.scale[{k}]" for k in keys],
                               low=0.80, high=0.92, group="pact_law_effects",
                               label=Label(nl="productiviteit tijdens invoering Pact (×)",
                                           en="productivity while the Pact is introduced (x)"),
                               source="[E] productivity -10% to -20% for 6-12 months (DOMAIN 6C); -8% when phased "
                                      "(amp_phased.yaml)")
    return out


def default_levers(s: Scenario) -> tuple[dict[str, Item], list[Policy]]:
    """IND's hiring targets, intake caps, staff lent between pools, its order of interviews
    (:func:`order_of_work`) and how fast the Pact is introduced, with candidate policies that answer the board's
    questions (more staff, and from whom; gradual or abrupt)."""
    levers: dict[str, Item] = {}
    for pool, extra in (("ind_hearing", [0, 50, 100]), ("ind_decision", [0, 50, 100])):
        if pool in s.pools and s.pools[pool].hiring and s.pools[pool].hiring.target_fte is not None:
            lab = s.pools[pool].label
            levers[f"hire_{pool}"] = Item(kind="add", paths=[f"pools.{pool}.hiring.target_fte"], values=extra,
                                          owner="ind", label=Label(nl=f"extra wervingsdoel {lab.nl} (fte)",
                                                                   en=f"extra hiring target {lab.en} (FTE)"),
                                          source="assumption: candidate levels (DOMAIN 3.2: the two-status law alone "
                                                 "asks 120-279 FTE)")
    caps = [f"pools.{p}.hiring.intake_cap_per_year" for p in ("ind_hearing", "ind_decision")
            if p in s.pools and s.pools[p].hiring and s.pools[p].hiring.intake_cap_per_year is not None]
    if caps:
        levers["intake_cap"] = Item(kind="scale", paths=caps, values=[1.0, 1.8], owner="ind",
                                    label=Label(nl="instroomplafond opleiding (×)", en="training intake cap (x)"),
                                    source="[S] max ~180 new asylum colleagues a year for lack of supervisors "
                                           "(dutchnews Dec 2023, DOMAIN 2.2): the baseline's caps (100 + 80) are "
                                           "that ceiling; above x1 assumes IND finds more supervisors (not in DOMAIN)")
    if _has(s, "ind_decision", "ind_hearing"):
        levers["lend_decision_to_hearing"] = Item(
            kind="value", paths=["pools.ind_decision.transfer.ind_hearing"], values=[0, 30], owner="ind",
            label=Label(nl="beslismedewerkers die horen (fte)", en="decision officers hearing (FTE)"),
            source="assumption: candidate level (staff lent between pools, pools.X.transfer)")
    order = order_of_work(s)
    if order is not None:
        levers["order_of_work"] = order
    phased = [iv for iv in ("amp_border_procedure", "amp_dublin") if iv in s.interventions]
    if phased:
        levers["pact_phase_in"] = Item(kind="phase", interventions=phased, values=[0, 12], owner="ind",
                                       label=Label(nl="invoering Pact (maanden)", en="Pact phase-in (months)"),
                                       source="amp.yaml (at once) and amp_phased.yaml (12 months)")
    names = set(levers)

    def pol(name: str, nl: str, en: str, **lv) -> Policy:
        return Policy(name=name, label=Label(nl=nl, en=en), levers={k: v for k, v in lv.items() if k in names})

    policies = [
        pol("as_planned", "zoals gepland", "as planned"),
        pol("phased", "Pact gefaseerd", "Pact phased", pact_phase_in=12),
        pol("hire_100", "+50 hoor- en +50 beslisfte", "+50 hearing and +50 decision FTE",
            hire_ind_hearing=50, hire_ind_decision=50),
        pol("hire_200", "+100 hoor- en +100 beslisfte", "+100 hearing and +100 decision FTE",
            hire_ind_hearing=100, hire_ind_decision=100),
        pol("hire_200_cap", "+100/+100 fte en hoger instroomplafond", "+100/+100 FTE and a higher intake cap",
            hire_ind_hearing=100, hire_ind_decision=100, intake_cap=1.8),
        pol("lend", "30 fte beslissers helpen horen", "30 decision FTE help hearing", lend_decision_to_hearing=30),
        pol("oldest_first", f"oudste aanvraag eerst horen (vanaf {s.start.year})",
            f"oldest application interviewed first (from {s.start.year})", order_of_work="oldest_first"),
        pol("all", "+100/+100 fte, hoger plafond, Pact gefaseerd", "+100/+100 FTE, higher cap, Pact phased",
            hire_ind_hearing=100, hire_ind_decision=100, intake_cap=1.8, pact_phase_in=12),
    ]
    return levers, policies


_ORDERED = "pools.ind_hearing.discipline"  # the interviewing officers' rule


def order_of_work(s: Scenario) -> Item | None:
    """IND's order of interviews: the interviewing officers' rule as planned, or the application
    lodged earliest first within the same priorities (a rule without ranks becomes earliest
    lodged first, keeping its head starts), wherever the scenario states one: the pool, and every intervention or dated
    change that sets a new rule (the Pact's priorities from June 2026, so the lever holds after
    it). None when the scenario already works in that order.

    Not the decision officers: they also decide the applications for a permanent permit, which
    would then wait behind every older asylum case (README, "Assumptions and limits")."""
    if "ind_hearing" not in s.pools:
        return None
    data = s.model_dump(mode="json")
    paths, now = [_ORDERED], [data["pools"]["ind_hearing"]["discipline"]]
    dated = [(f"interventions.{n}.set", iv["set"]) for n, iv in data.get("interventions", {}).items()]
    dated += [(f"changes.{i}.set", c["set"]) for i, c in enumerate(data.get("changes", []))]
    for where, table in dated:
        if isinstance(table.get(_ORDERED), dict):
            paths.append(f"{where}[{_ORDERED}]")
            now.append(table[_ORDERED])
    kept = ("by", "head_start")  # a rule without ranks keeps its head starts, and what they name
    oldest = [{**d, "then": "oldest_first"} if d.get("order") == "priority" else
              {"order": "oldest_first", **{k: d[k] for k in kept if d.get("head_start")}} for d in now]
    if oldest == now:
        return None
    return Item(kind="choice", paths=paths, per_path=True, values=["as_planned", "oldest_first"],
                options={"as_planned": now, "oldest_first": oldest}, owner="ind",
                label=Label(nl=f"volgorde van horen IND (vanaf {s.start.year})",
                            en=f"IND's order of interviews (from {s.start.year})"),
                source="assumption: IND's planning, not a law (README, Assumptions and limits); the earliest "
                       "lodged first within the same priorities, as scenarios/oldest_first.yaml")


def _has(s: Scenario, a: str, b: str) -> bool:
    return a in s.pools and b in s.pools


def named_starts(path: str | Path | None) -> dict[str, list[str]]:
    """Interventions whose start names dates in the scenario file (as written, before the names
    are resolved), so that a date uncertainty moves every measure of that law."""
    if path is None:
        return {}
    from ...scenario.loader import _load_raw

    p = Path(path).resolve()
    raw, _ = _load_raw(p, (p,))
    out = {}
    for name, iv in (raw.get("interventions") or {}).items():
        start = iv.get("start") if isinstance(iv, dict) else None
        names = start if isinstance(start, list) else [start]
        if names and all(isinstance(n, str) and n in (raw.get("dates") or {}) for n in names):
            out[name] = list(names)
    return out


def build_space(s: Scenario, scenario_path: str | Path | None = None, uncertainties: str | Path | None = None,
                levers: str | Path | None = None) -> Space:
    """The space of an exploration: from files where given, else the defaults above; every item
    checked against the scenario (one-line errors naming file, line, field and reason)."""
    starts = named_starts(scenario_path)
    space = Space(s, {}, named_starts=starts)
    if uncertainties:
        spec, origins, file = read_spec(uncertainties, "uncertainties")
        _check(space, "uncertainties", spec.uncertainties, file, origins)
        space.uncertainties = spec.uncertainties
        space.files["uncertainties"] = file
    else:
        space.uncertainties = {**ranged_items(s), **structural_items(s, starts)}
    if levers:
        spec, origins, file = read_spec(levers, "levers")
        _check(space, "levers", spec.levers, file, origins)
        for name, it in spec.levers.items():
            if it.values is None:
                from .space import _problem

                raise _problem(file, origins, ("levers", name), "a lever needs the 'values' it may take")
        space.levers, space.files["levers"] = spec.levers, file
        given = spec.policies
        for i, p in enumerate(given):
            for k, v in p.levers.items():
                if k not in spec.levers:
                    from .space import _problem

                    raise _problem(file, origins, ("policies", i, "levers", k), f"no lever {k!r}")
                if v not in spec.levers[k].values and str(v) not in [str(x) for x in spec.levers[k].values]:
                    from .space import _problem

                    raise _problem(file, origins, ("policies", i, "levers", k),
                                   f"{v!r} is not one of the lever's values {spec.levers[k].values}")
        space.policies = policies_of(space.levers, given)
    else:
        space.levers, space.policies = default_levers(s)
    clash = {P.text(P.parse(p)) for it in space.uncertainties.values() for p in it.paths} & {
        P.text(P.parse(p)) for it in space.levers.values() for p in it.paths}
    if clash:
        from ...errors import IndsimError

        raise IndsimError(f"{sorted(clash)[0]}: is both an uncertainty and a lever; choose one")
    return space
