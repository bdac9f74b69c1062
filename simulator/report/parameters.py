"""Scenario parameters in words: 'stages.renewal.routes[appeal/rejected].p' becomes
'Verlenging vergunning asiel: kans op Beroep rechtbank (afgewezen)', and a change is written one
way, old value to new value ('0,80 → 0,83 (+0,03)'), never as raw JSON.

Used by the brief, the assumption log in the report pack, the sensitivity table and the
requirements sentences. Names come from the scenario files' labels, field words from here.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pandas as pd

from ..scenario.timeline import is_routes
from .i18n import capital, day, joined, name, t
from .units import UNITS, number

# Words for the schema's fields (a path's last named part), nl and en.
FIELDS: dict[str, tuple[str, str]] = {
    "monthly_volume": ("instroom per maand", "inflow per month"),
    "seasonality": ("seizoenspatroon", "seasonal pattern"),
    "variation_cv": ("variatie van maand tot maand", "month-to-month variation"),
    "entry": ("eerste stap", "first step"),
    "legal_term": ("beslistermijn", "legal decision term"),
    "eligible_share": ("aandeel dat in aanmerking komt", "share still eligible"),
    "in_reception": ("in de opvang", "in reception"),
    "category": ("categorie", "category"),
    "share": ("aandeel", "share"),
    "fte": ("fte", "FTE"),
    "hours_per_fte_year": ("productieve uren per fte per jaar", "productive hours per FTE a year"),
    "productivity": ("productiviteit", "productivity"),
    "attrition_per_year": ("verloop per jaar", "attrition a year"),
    "target_fte": ("werving: doel in fte", "hiring: target FTE"),
    "hires_per_year": ("werving: aanwervingen per jaar", "hiring: hires a year"),
    "training_months": ("werving: opleidingsduur in maanden", "hiring: months of training"),
    "intake_cap_per_year": ("werving: ten hoogste nieuwe medewerkers per jaar", "hiring: at most new staff a year"),
    "hiring": ("werving", "hiring"),
    "discipline": ("volgorde van behandelen", "order of work"),
    "transfer": ("inzet bij andere capaciteit (fte)", "staff lent to another pool (FTE)"),
    "term_extensions": ("verlenging van de beslistermijn", "extension of the legal term"),
    "owner": ("uitvoerder", "who does it"),
    "pool": ("capaciteit", "capacity"),
    "hours": ("uren per zaak", "hours per case"),
    "delay": ("wachttijd", "waiting time"),
    "completes_decision": ("besluit pas bekendgemaakt na deze stap", "decision issued only after this step"),
    "served_first": ("behandeld vóór de wachtrij", "served before the line"),
    "application": ("telt als aanvraag", "counts as an application"),
    "on_time_limit": ("na de maximale duur naar", "after the time limit to"),
    "appeal_stage": ("stap van het beroep niet tijdig beslissen", "step of the appeal for not deciding in time"),
    "ordered_first": ("opgedragen besluiten vóór de wachtrij", "court-ordered decisions before the line"),
    "order": ("volgorde", "order"),
    "by": ("rangorde naar", "ranked by"),
    "ranking": ("rangorde", "ranking"),
    "then": ("daarna", "then"),
    "head_start": ("voorsprong", "head start"),
    "routes": ("vervolgstappen", "next steps"),
    "after": ("vervolgzaak na", "follow-on case after"),
    "expected": ("verwacht aantal vervolgzaken", "expected follow-on cases"),
    "max_cases": ("ten hoogste zaken tegelijk", "at most cases at once"),
    "time_limit": ("maximale duur", "time limit"),
    "overflow": ("bij vol", "when full"),
    "notice_probability": ("kans op ingebrekestelling", "probability of a notice of default"),
    "appeal_probability": ("kans op beroep niet tijdig beslissen", "probability of an appeal for not deciding"),
    "notice_delay_days": ("dagen tot ingebrekestelling", "days to the notice of default"),
    "appeal_after_days": ("dagen tot beroep", "days to the appeal"),
    "court_days": ("dagen tot uitspraak", "days to the ruling"),
    "decision_order_days": ("dagen om te beslissen na uitspraak", "days to decide after the ruling"),
    "per_day_eur": ("dwangsom per dag (€)", "penalty per day (€)"),
    "cap_eur": ("maximale dwangsom (€)", "penalty cap (€)"),
    "inflow_level": ("onzekerheid instroomniveau", "inflow level uncertainty"),
    "stages": ("stappen", "steps"),
    "label": ("naam", "label"),
    "procedures": ("procedure", "procedure"),
}
# Words for the rates scenario files state; time units take the catalogue's words ("months_word"),
# counts the output units' (units.UNITS), and any other unit is shown as written.
_TIME_UNITS = ("hours", "days", "weeks", "months", "years")
_RATE_UNITS: dict[str, tuple[str, str]] = {
    "euro/day": ("euro per dag", "euro a day"),
    "applications/month": ("aanvragen per maand", "applications a month"),
    "permits/month": ("vergunningen per maand", "permits a month"),
    "h/FTE/year": ("uur per fte per jaar", "hours per FTE a year"),
}
_OWNERS = {"ind": ("IND", "IND"), "court": ("rechtspraak", "courts"), "partner": ("ketenpartner", "chain partner"),
           "none": ("niemand (alleen wachttijd)", "nobody (waiting only)")}
_ROUTE = re.compile(r"^(?P<field>routes|\w+)\[(?P<to>[^\]/\d][^\]/]*)(?:/(?P<outcome>[^\]]+))?\]$")


def field_word(field: str, lang: str = "nl") -> str:
    pair = FIELDS.get(field)
    return (pair[0] if lang == "nl" else pair[1]) if pair else field.replace("_", " ")


def _route_words(scenarios, to: str, outcome: str | None, lang: str) -> str:
    target = name(scenarios, "stages", to, lang)
    if outcome:
        return t("route_to_outcome", lang, to=target, outcome=name(scenarios, "outcomes", outcome, lang))
    return t("route_to", lang, to=target)


def path_words(scenarios, path: str, lang: str = "nl") -> str:
    """A parameter path as a reader says it: '{subject}: {field}'."""
    parts = path.split(".")
    kinds = {"streams", "pools", "stages", "procedures"}
    if parts[0] == "procedures" and len(parts) == 2 and all(parts[1] not in s.procedures for s in scenarios):
        subject, rest = field_word("procedures", lang), []
    elif parts[0] in kinds and len(parts) >= 2:
        subject = name(scenarios, parts[0], parts[1], lang)
        rest = parts[2:]
    elif parts[0] == "penalties":
        subject, rest = t("penalty_eur", lang), parts[1:]
    else:
        subject, rest = field_word(parts[0], lang), parts[1:]
    words: list[str] = []
    i = 0
    while i < len(rest):
        part = rest[i]
        m = _ROUTE.match(part)
        if m:
            words.append(_route_words(scenarios, m["to"], m["outcome"], lang))
        elif part in ("routes_by_group", "groups") and i + 1 < len(rest):
            group = name(scenarios, "groups", re.sub(r"\[.*$", "", rest[i + 1]), lang)
            tail = _ROUTE.match(rest[i + 1])
            words.append(f"{field_word('share', lang) if part == 'groups' else ''} {group}".strip())
            if tail:
                words.append(_route_words(scenarios, tail["to"], tail["outcome"], lang))
            i += 1
        elif not (part in ("p", "value") or part.startswith("spawn") or (part == "hiring" and i < len(rest) - 1)
                  or (part == "share" and i >= 2 and rest[i - 2] == "groups")):
            words.append(field_word(re.sub(r"\[\d+\]$", "", part), lang))
        i += 1
    if not rest:
        return capital(subject)
    return f"{capital(subject)}: {', '.join(w for w in words if w)}"


def _number(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _plain(x: float, lang: str) -> str:
    decimals = 0 if float(x).is_integer() else (2 if abs(x) < 10 else 1)
    return number(x, lang, decimals if abs(x) >= 0.01 or x == 0 else 3)


def _routes_text(scenarios, routes: list[dict], lang: str, before: list[dict] | None = None) -> str:
    """Routes with their shares; with the routes they replace, each share old → new (a route that
    goes: → 0%), so a reader sees where the cases move."""
    def share(r: dict) -> float:
        p = r.get("p")
        return float(p.get("value") if isinstance(p, dict) else p)

    def keyed(rs: list[dict]) -> dict[tuple, dict]:
        """By target and outcome (a changed follow-on case is the same step for a reader) and how
        many such came before: a list may hold two."""
        keys = [(r["to"], r.get("outcome")) for r in rs]
        return {(k, keys[:i].count(k)): r for i, (k, r) in enumerate(zip(keys, rs, strict=True))}

    old = {k: share(r) for k, r in keyed(before or []).items()}
    shown = keyed(routes)
    gone = {k: r for k, r in keyed(before or []).items() if k not in shown}
    items = []
    for k, r in {**shown, **gone}.items():
        text = f"{number(100 * (share(r) if k in shown else 0.0), lang)}%"
        if before is not None and old.get(k, 0.0) != (share(r) if k in shown else 0.0):
            text = f"{number(100 * old.get(k, 0.0), lang)}% → {text}"
        items.append(f"{_route_words(scenarios, r['to'], r.get('outcome'), lang).split(' ', 2)[-1]} {text}")
    return t("routes_word", lang, routes="; ".join(items))


_KINDS = {"stage": "stages", "stream": "streams", "group": "groups"}


def _head_start_text(scenarios, rule: dict, lang: str) -> str:
    """'; with a head start of 11 weeks for Dublin claimants' for an order of work's head starts."""
    parts = []
    for who, term in (rule.get("head_start") or {}).items():
        term = term if isinstance(term, dict) else {"value": term}
        parts.append(f"{_plain(term['value'], lang)} {t(term.get('unit', 'months') + '_word', lang)} "
                     f"{'voor' if lang == 'nl' else 'for'} {name(scenarios, _KINDS[rule['by']], who, lang)}")
    if not parts:
        return ""
    return ("; met een voorsprong van " if lang == "nl" else "; with a head start of ") + joined(parts, lang)


def _structure_text(scenarios, value: Any, lang: str) -> str:
    """A whole list or mapping set by an intervention, in a few words."""
    if value and is_routes(value):
        return _routes_text(scenarios, value, lang)
    if isinstance(value, dict):
        if "label" in value and isinstance(value["label"], dict):
            lab = value["label"].get(lang) or value["label"].get("nl", "")
            extra = []
            if isinstance(value.get("max_cases"), dict):
                extra.append(f"{field_word('max_cases', lang)} {number(value['max_cases']['value'], lang)}")
            if isinstance(value.get("legal_term"), dict):
                term = value["legal_term"]
                extra.append(f"{field_word('legal_term', lang)} {_plain(term['value'], lang)} "
                             f"{t(term.get('unit', 'months') + '_word', lang)}")
            return f"{t('new_value', lang)}: {lab}" + (f" ({'; '.join(extra)})" if extra else "")
        if value.get("order") == "priority":
            ranked = [name(scenarios, _KINDS[value["by"]], r, lang) for r in value.get("ranking", [])]
            within = t("order_within", lang, order=t(f"order_{value.get('then', 'fifo')}", lang))
            return ("voorrang voor " if lang == "nl" else "priority for ") + joined(ranked, lang) + within \
                + _head_start_text(scenarios, value, lang)
        if value.get("order", "fifo") in ("fifo", "oldest_first"):
            return capital(t(f"order_{value.get('order', 'fifo')}", lang)) + _head_start_text(scenarios, value, lang)
    if isinstance(value, list) and all(isinstance(x, int | float) for x in value):
        return " ".join(_plain(x, lang) for x in value)
    return t("new_value", lang)


def value_words(scenarios, path: str, baseline: str, new: str, lang: str = "nl") -> str:
    """One change, written one way: 'old → new' with the step for a scale or an addition (an
    order of work or a name old → new too; a changed list of routes by its new routes only)."""
    field = path.rsplit(".", 1)[-1]
    if new == "removed":
        return t("removed", lang)
    if new.startswith(("[", "{")):
        try:
            value = json.loads(new)
            before = json.loads(baseline) if baseline.startswith("[") else None
            if value and is_routes(value) and is_routes(before):
                return _routes_text(scenarios, value, lang, before)
            text = _structure_text(scenarios, value, lang)
            if field == "discipline" and baseline.startswith("{"):
                text = f"{_structure_text(scenarios, json.loads(baseline), lang)} → {text}"
            return text
        except ValueError:
            return new
    old = _number(baseline)
    step = re.match(r"^(×|\+|-)\s*(-?[\d.eE+-]+)$", new.strip())
    spread = re.match(r"^\w+ \(mean (-?[\d.eE+-]+)[,)]", baseline or "")  # a distribution: the step moves its mean
    if step and old is None and spread:
        old = float(spread[1])
    if step and old is not None:
        amount = float(step[2]) * (-1 if step[1] == "-" else 1)
        result = old * amount if step[1] == "×" else old + amount
        shown = f"×{_plain(amount, lang)}" if step[1] == "×" else _plain(amount, lang) if amount < 0 else \
            "+" + _plain(amount, lang)
        return (f"{t('mean', lang)} " if spread else "") + f"{_plain(old, lang)} → {_plain(result, lang)} ({shown})"
    if step:
        amount = float(step[2]) * (-1 if step[1] == "-" else 1)
        return f"×{_plain(amount, lang)}" if step[1] == "×" else _plain(amount, lang) if amount < 0 else \
            "+" + _plain(amount, lang)
    value = _number(new)
    if value is not None:
        new = _plain(value, lang)
    else:
        new = _name_words(scenarios, field, new, lang)
        if baseline and _number(baseline) is None:
            return f"{_name_words(scenarios, field, baseline, lang)} → {new}"
    if old is not None:
        return f"{_plain(old, lang)} → {new}"
    return new


def _name_words(scenarios, field: str, value: str, lang: str) -> str:
    """A stage, pool or owner named in a scenario, as a reader says it."""
    if field in ("entry", "overflow"):
        return name(scenarios, "stages", value, lang)
    if field == "pool":
        return name(scenarios, "pools", value, lang)
    if field == "owner" and value in _OWNERS:
        return _OWNERS[value][0 if lang == "nl" else 1]
    if value in ("True", "False"):  # a yes/no setting, such as where a decision is issued
        return t("yes" if value == "True" else "no", lang)
    return value


def _when_words(text: str, lang: str) -> str:
    """'2026-06-12, phased in over 12 months' -> '12 jun 2026, ingevoerd over 12 maanden'."""
    import datetime as dt

    if text in ("not in force", "not reached"):
        return t(text.replace(" ", "_"), lang)

    def one(m: re.Match) -> str:
        return day(dt.date.fromisoformat(m[0]), lang)

    out = re.sub(r"\d{4}-\d{2}-\d{2}", one, text)
    m = re.search(r"phased in over ([\d.]+) (\w+)", out)
    if m:
        unit = {"months": "months_word", "years": "years_word", "weeks": "weeks_word"}.get(m[2], "days_word")
        out = out.replace(m[0], t("phased", lang, n=_plain(float(m[1]), lang), unit=t(unit, lang)))
    out = out.replace("in steps:", t("in_steps", lang, steps="").strip())
    return out


def unit_words(unit: str, lang: str = "nl") -> str:
    """A scenario file's unit as a reader says it: 'months' is 'maanden'."""
    if unit in _TIME_UNITS:
        return t(f"{unit}_word", lang)
    if unit in _RATE_UNITS:
        return _RATE_UNITS[unit][0 if lang == "nl" else 1]
    return UNITS[unit].word(lang) if unit in UNITS else unit


def _unit_of(path: str) -> str:
    """The unit of a field whose unit the model fixes, for a row that does not state one (a step
    such as '+0.19' on hours per case)."""
    return "hours" if re.sub(r"\[.*?\]", "", path).rsplit(".", 1)[-1] == "hours" else ""


def _with_unit(words: str, raw: str, unit: str) -> str:
    """A value in words with its unit after it ('6 maanden', '5 → 5,19 (+0,19) uur'); not after
    a bare factor ('×1,2'), a removal or a list of routes or other structure."""
    if not unit or raw == "removed" or raw.startswith(("[", "{")) or words.startswith("×"):
        return words
    return f"{words} {unit}"


def assumption_words(log: pd.DataFrame, scenarios, labels: dict[str, str], lang: str = "nl") -> pd.DataFrame:
    """The assumption log in words: what changes, old → new with its unit, from when, by which
    measure, source and confidence."""
    rows = []
    for r in log.to_dict("records"):
        rows.append({
            t("what_changes", lang): path_words(scenarios, r["parameter"], lang),
            t("value", lang): _with_unit(value_words(scenarios, r["parameter"], str(r["baseline"]),
                                                     str(r["scenario"]), lang), str(r["scenario"]),
                                         unit_words(str(r["unit"] or _unit_of(r["parameter"])), lang)),
            t("when", lang): _when_words(str(r["from"]), lang),
            t("measure", lang): labels.get(r["intervention"], r["intervention"]) if r["intervention"] else "",
            t("source", lang): r["source"] or t("assumption", lang),
            t("confidence", lang): t(f"{r['confidence']}_conf", lang) if r["confidence"] else "",
        })
    return pd.DataFrame(rows)


def parameter_words(scenario, parameter, lang: str = "nl") -> str:
    """A sensitivity parameter as a reader says it: 'instroom Eerste asielaanvragen'."""
    kind, subject = parameter.kind, parameter.subject
    if kind == "inflow":
        return f"{field_word('monthly_volume', lang)}: {name([scenario], 'streams', subject, lang)}"
    if kind == "hours":
        return f"{field_word('hours', lang)}: {name([scenario], 'pools', subject, lang)}"
    if kind == "fte":
        return f"{field_word('fte', lang)}: {name([scenario], 'pools', subject, lang)}"
    if kind in ("appeal_rate", "grant_rate"):
        return t(kind, lang)
    return path_words([scenario], subject or parameter.name, lang)
