"""The assumption log: every number of a scenario with its provenance, and what differs from a base.

One table for ``indsim assumptions``, the dashboard's 'Aannames' page and the report's appendix.
"""

from __future__ import annotations

import heapq
import json
import re
from typing import Any

import pandas as pd

from .merging import nested
from .schema import Scenario

COLUMNS = ["parameter", "baseline", "scenario", "unit", "from", "intervention", "source", "confidence"]
_PROVENANCE = ("source", "unit", "confidence", "range", "note")
_SKIP_KEYS = {"label", "title", "description", "name", "changes", "interventions", "outcomes"}


def _fmt(v: Any) -> str:
    if isinstance(v, float):
        return f"{v:g}"
    if isinstance(v, list | dict):
        return json.dumps(v, ensure_ascii=False)
    return "" if v is None else str(v)


def _dist_text(d: dict) -> str:
    kind = d.get("dist", "fixed")
    if kind == "fixed":
        return _fmt(d.get("mean"))
    keys = [k for k in ("mean", "cv", "low", "mode", "high") if d.get(k) is not None]
    params = ", ".join(f"{k} {_fmt(d[k])}" for k in keys)
    return f"{kind} ({params})"


def leaves(data: Any, path: str = "", inherited: str | None = None) -> dict[str, dict]:
    """Every number (or distribution) in scenario data, by dotted path, with its provenance."""
    out: dict[str, dict] = {}
    if isinstance(data, dict):
        if "value" in data and not isinstance(data["value"], dict):
            out[path] = {"value": _fmt(data["value"]), **{k: data.get(k) for k in _PROVENANCE}}
            if not out[path]["source"]:
                out[path]["source"] = inherited
            return out
        if "dist" in data:
            out[path] = {"value": _dist_text(data), **{k: data.get(k) for k in _PROVENANCE}}
            return out
        own = data.get("source") if isinstance(data.get("source"), str) else None  # a route's, a band's
        for k, v in data.items():
            if k in _SKIP_KEYS or k in _PROVENANCE:
                continue
            out.update(leaves(v, f"{path}.{k}" if path else k, own or inherited))
        return out
    if isinstance(data, list):
        if data and all(isinstance(x, dict) and "to" in x for x in data):  # routes: key by target
            for r in data:
                key = r["to"] + (f"/{r['outcome']}" if r.get("outcome") else "")
                out.update(leaves(r, f"{path}[{key}]", inherited))
            return out
        for i, v in enumerate(data):
            out.update(leaves(v, f"{path}[{i}]", inherited))
        return out
    if isinstance(data, int | float) and not isinstance(data, bool):
        out[path] = {"value": _fmt(data), "source": inherited, "unit": None, "confidence": None,
                     "range": None, "note": None}
    return out


def parameters(scenario: Scenario) -> pd.DataFrame:
    """All numbers of a scenario with value, unit, source and confidence."""
    rows = [
        {"parameter": p, "scenario": v["value"], "unit": v["unit"] or "", "source": v["source"] or "",
         "confidence": v["confidence"] or ""}
        for p, v in leaves(scenario.model_dump(mode="json")).items()
        if not p.startswith(("seed", "horizon_years", "calendar", "initial_stock"))
    ]
    return pd.DataFrame(rows, columns=["parameter", "scenario", "unit", "source", "confidence"])


def _named(path: str, data: dict) -> str:
    """``stages.x.routes.1.p`` -> ``stages.x.routes[appeal/rejected].p`` (the name used in leaves)."""
    parts, node, out = path.split("."), data, []
    for part in parts:
        if isinstance(node, list) and part.isdigit() and int(part) < len(node):
            item = node[int(part)]
            if isinstance(item, dict) and "to" in item:
                out[-1] += f"[{item['to']}" + (f"/{item['outcome']}" if item.get("outcome") else "") + "]"
            else:
                out[-1] += f"[{part}]"
            node = item
        else:
            out.append(part)
            node = node.get(part) if isinstance(node, dict) else None
    return ".".join(out)


def _value_at(data: Any, path: str) -> str:
    """The value at a dotted path of scenario data, as the log writes it ('' where there is none):
    for what :func:`leaves` does not list, such as a pool's order of work."""
    for part in path.split("."):
        if isinstance(data, dict):
            data = data.get(part)
        elif isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return ""
    return _fmt(_compact(data))


_CALENDAR_UNITS = ("days", "weeks", "months")


def _compact(data: Any) -> Any:
    """Scenario data as a file would say it: a number with its provenance as the number (a
    duration with its unit), a distribution in words, and no empty or unset fields (which the
    validated model fills in)."""
    if isinstance(data, dict):
        if "value" in data and not isinstance(data["value"], dict):
            if data.get("unit") in _CALENDAR_UNITS:
                return {"value": data["value"], "unit": data["unit"]}
            return data["value"]
        if "dist" in data:
            return _dist_text(data)
        return {k: _compact(v) for k, v in data.items() if v not in (None, [], {})}
    if isinstance(data, list):
        return [_compact(v) for v in data]
    return data


def _intervention_rows(name: str, iv: dict) -> list[dict]:
    when = iv["start"]
    if iv.get("phase_in"):
        ph = iv["phase_in"]
        when += f", phased in over {_fmt(ph.get('mean'))} {ph.get('unit') or 'days'}"
    elif iv.get("steps"):
        when += ", in steps: " + "; ".join(f"{s['date']} {s['fraction']:.0%}" for s in iv["steps"])
    if not iv.get("enabled", True):
        when = "not in force"
    rows = []
    for op, table in (("set", iv.get("set", {})), ("scale", iv.get("scale", {})), ("add", iv.get("add", {}))):
        for path, value in table.items():
            own = value if isinstance(value, dict) and "value" in value else {}
            text = {"set": "", "scale": "× ", "add": "+ " if _fmt(value)[:1] != "-" else ""}[op]
            if isinstance(value, dict) and "value" in value:
                text += _fmt(value["value"])
            elif isinstance(value, dict) and "dist" in value:
                text += _dist_text(value)
            elif value is None:
                text = "removed"
            else:
                text += _fmt(value)
            rows.append({
                "parameter": path, "scenario": text, "unit": own.get("unit") or "", "from": when,
                "intervention": name, "source": own.get("source") or iv.get("source") or "",
                "confidence": own.get("confidence") or iv.get("confidence") or "",
            })
    return rows


def _volume(stream: Any) -> float:
    """A stream's outside inflow a month as scenario data gives it (0 if it gives none)."""
    v = stream.get("monthly_volume") if isinstance(stream, dict) else None
    v = v.get("value") if isinstance(v, dict) else v
    return float(v) if isinstance(v, int | float) else 0.0


Node = tuple[str, str, str] | None  # ("stage" or "stream", name, group); None: outside the chain


def _ways_in(data: dict, groups: dict[str, list[str]], procedures: dict) -> list[tuple[Node, Node]]:
    """The ways a case of a group gets somewhere, as scenario data (a file, or one setting of an
    intervention or change) gives them. A route leads from its stage (for its group, or for every
    group without routes of its own) to its next stage, in its new groups if it regroups, and to
    the streams of the follow-on cases it creates; a stream leads into its entry stage, and comes
    from outside if it has an inflow of its own; so does the initial stock; a procedure's
    overflow and time-limit targets lead from its stages. A stage named elsewhere (a pool's
    ranking, a procedure's list) is not a way in."""
    everyone = sorted({g for gs in groups.values() for g in gs})
    out: list[tuple[Node, Node]] = []

    def routes(stage: str, group: str, node: Any) -> None:
        for r in node if isinstance(node, list) else []:
            if not isinstance(r, dict) or not isinstance(r.get("to"), str):
                continue
            if r["to"] != "exit":
                out.extend((("stage", stage, group), ("stage", r["to"], g)) for g in r.get("regroup") or [group])
            for sp in r.get("spawn") or []:
                stream, how = sp.get("stream"), sp.get("group", "inherit")
                new = [group] if how == "inherit" else groups.get(stream, everyone) if how == "draw" else [how]
                out.extend((("stage", stage, group), ("stream", stream, g)) for g in new)

    for name, st in (data.get("stages") or {}).items():
        if isinstance(st, dict):
            for g in everyone:
                routes(name, g, st.get("routes"))
            for g, node in (st.get("routes_by_group") or {}).items():
                routes(name, g, node)
        elif isinstance(st, list):  # an intervention's new routes for a stage
            for g in everyone:
                routes(name, g, st)
    for name, sm in (data.get("streams") or {}).items():
        if not isinstance(sm, dict):
            continue
        own = groups.get(name, everyone)
        if isinstance(sm.get("entry"), str):
            out.extend((("stream", name, g), ("stage", sm["entry"], g)) for g in own)
        for g, gm in (sm.get("groups") or {}).items():
            if isinstance(gm, dict) and isinstance(gm.get("entry"), str):
                out.append((("stream", name, g), ("stage", gm["entry"], g)))
        if _volume(sm) > 0:
            out.extend((None, ("stream", name, g)) for g in own)
    for e in data.get("initial_stock") or []:
        if isinstance(e, dict) and e.get("stage"):
            out.extend((None, ("stage", e["stage"], g)) for g in e.get("groups") or groups.get(e["stream"], everyone))
    for name, proc in (data.get("procedures") or {}).items():
        if not isinstance(proc, dict):
            continue
        own = proc.get("stages") or (procedures.get(name) or {}).get("stages") or []
        limit = proc.get("on_time_limit")
        moves = [(s, proc["overflow"]) for s in own] if isinstance(proc.get("overflow"), str) else []
        moves += ([(s, limit) for s in own] if isinstance(limit, str) else
                  list(limit.items()) if isinstance(limit, dict) else [])
        out.extend((("stage", s, g), ("stage", t, g)) for s, t in moves for g in everyone)
    return out


def first_reached(data: dict) -> dict[str, str]:
    """The first day (ISO) a case can reach each stage (and each stream, as ``stream:name``; a
    group's cases, as ``stage/group``; a procedure's first stage, as ``procedure:name``).
    A stage that only a later intervention or dated change leads to (the Pact's screening, say)
    is in the file from the start, but in force from then. Stages no case can reach are left
    out. Every way in counts from its date on, even one a later setting takes away: the first
    day is the earliest a case can get there."""
    start, procedures = data["start"], data.get("procedures") or {}
    groups = {name: list((sm.get("groups") or {}).keys()) or ["default"]
              for name, sm in (data.get("streams") or {}).items()}
    edges = [(f, t, start) for f, t in _ways_in(data, groups, procedures)]
    settings = [(c["date"], c.get("set") or {}) for c in data.get("changes") or []]
    settings += [(min([iv["start"], *(st["date"] for st in iv.get("steps") or [])]), iv.get("set") or {})
                 for iv in (data.get("interventions") or {}).values() if iv.get("enabled", True)]
    for when, table in settings:
        for path, value in table.items():
            edges += [(f, t, when) for f, t in _ways_in(nested(path, value), groups, procedures)]
    after: dict[Node, list[tuple[Node, str]]] = {}
    for f, t, when in edges:
        after.setdefault(f, []).append((t, when))
    reached: dict[Node, str] = {}
    heap = [(when, t) for t, when in after.get(None, [])]
    heapq.heapify(heap)
    while heap:  # earliest first, as Dijkstra: a way in never leads to an earlier day than its start
        day, node = heapq.heappop(heap)
        if node in reached:
            continue
        reached[node] = day
        for t, when in after.get(node, []):
            if t not in reached:
                heapq.heappush(heap, (max(day, when), t))
    out: dict[str, str] = {}
    for (kind, name, group), day in ((n, d) for n, d in reached.items() if n is not None):
        label = name if kind == "stage" else f"stream:{name}"
        out[label] = min(day, out.get(label, day))
        out[f"{label}/{group}"] = day
    for name, proc in procedures.items():  # a procedure is in force once a case can reach one of its stages
        days = [out[st] for st in (proc or {}).get("stages") or [] if st in out]
        if days:
            out[f"procedure:{name}"] = min(days)
    return out


def _from(path: str, reached: dict[str, str], start: str) -> str:
    """When a number in the file itself is in force: from the start, or for a stage's, a stream's
    or a procedure's own numbers (one group's, if they are a group's) from the first day a case
    can reach it ('not reached' if none can)."""
    parts = re.split(r"[.\[]", path)
    kind, name = [*parts, ""][:2]
    label = {"stages": name, "streams": f"stream:{name}", "procedures": f"procedure:{name}"}.get(kind)
    if label is None:
        return start
    if len(parts) > 3 and parts[2] in ("routes_by_group", "groups"):  # one group's numbers
        label += f"/{parts[3]}"
    return reached.get(label, "not reached")


def assumption_log(scenario: Scenario, base: Scenario | None = None) -> pd.DataFrame:
    """Parameters of ``scenario`` that differ from ``base`` (all of them without a base).

    Rows for numbers that differ in the file itself, then one row per change an intervention
    makes (with its date, phase-in, source and confidence).
    """
    mine = scenario.model_dump(mode="json")
    theirs = base.model_dump(mode="json") if base is not None else {}
    a, b = leaves(theirs), leaves(mine)
    reached = first_reached(mine)
    rows = []
    for path, v in b.items():
        if path.startswith(("seed", "horizon_years", "initial_stock")):
            continue
        old = a.get(path)
        if old is not None and old["value"] == v["value"]:
            continue
        rows.append({"parameter": path, "baseline": old["value"] if old else "", "scenario": v["value"],
                     "unit": v["unit"] or "", "from": _from(path, reached, scenario.start.isoformat()),
                     "intervention": "",
                     "source": v["source"] or "", "confidence": v["confidence"] or ""})
    base_ivs = theirs.get("interventions", {})
    for name, iv in mine.get("interventions", {}).items():
        if base_ivs.get(name) == iv:
            continue
        for row in _intervention_rows(name, iv):
            raw, row["parameter"] = row["parameter"], _named(row["parameter"], mine)
            old = a.get(row["parameter"])
            row["baseline"] = old["value"] if old else _value_at(theirs, raw)
            rows.append(row)
    for i, c in enumerate(mine.get("changes", [])):
        if c in theirs.get("changes", []):
            continue
        for path, value in c["set"].items():
            own = value if isinstance(value, dict) else {}
            old = a.get(path)
            rows.append({"parameter": path, "baseline": old["value"] if old else "",
                         "scenario": _fmt(own.get("value", value)), "unit": own.get("unit") or "",
                         "from": c["date"], "intervention": f"changes[{i}]",
                         "source": own.get("source") or c.get("source") or "",
                         "confidence": own.get("confidence") or ""})
    return pd.DataFrame(rows, columns=COLUMNS)


def to_markdown(frame: pd.DataFrame) -> str:
    """A Markdown table (pipes in cells escaped)."""
    cols = list(frame.columns)
    lines = ["| " + " | ".join(cols) + " |", "|" + "|".join("---" for _ in cols) + "|"]
    for _, row in frame.iterrows():
        cells = [str(row[c]).replace("|", "\\|").replace("\n", " ") for c in cols]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)
