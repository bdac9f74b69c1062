"""Paths into scenario data as the assumption log writes them, and the changes an exploration
makes there.

A path is dotted (``pools.ind_hearing.fte``); a key that itself holds dots goes in brackets
(``interventions.law_no_intention.set[stages.final_decision.hours]``), and an item of a route
list is named by its target and outcome (``stages.appeal.routes[higher_appeal/upheld].p``), as
``indsim assumptions`` prints them, so a path can be copied from the log.

An override is plain, hashable data ``(op, keys, value)``, applied where the task runs:

* ``set``: a number (a sourced number keeps its provenance; a distribution gets it as mean);
* ``scale`` / ``add``: a number, or every number of a distribution;
* ``share``: a group share or route probability, its siblings rescaled so they still sum to 1;
* ``put``: any value, given as JSON text, replacing what was there (created if missing);
* ``merge``: a scenario fragment (JSON text) merged into the data as ``extends`` merges a child.
"""

from __future__ import annotations

import json
import re
from typing import Any

_DIST_NUMBERS = ("mean", "low", "mode", "high")
_PART = re.compile(r"\[([^\]]+)\]|([^.\[\]]+)")


class PathError(ValueError):
    """A path that does not exist in the scenario, or does not hold what was asked."""


def parse(text: str) -> tuple[str, ...]:
    """``a.b[c.d].e`` -> ('a', 'b', 'c.d', 'e')."""
    text = text.strip()
    keys, pos = [], 0
    while pos < len(text):
        if text[pos] == ".":
            pos += 1
            continue
        m = _PART.match(text, pos)
        if not m:
            raise PathError(f"cannot read path {text!r} at {text[pos:]!r}")
        keys.append(m.group(1) if m.group(1) is not None else m.group(2))
        pos = m.end()
    if not keys:
        raise PathError("empty path")
    return tuple(keys)


def text(keys: tuple[str, ...]) -> str:
    """The inverse of :func:`parse`."""
    out = ""
    for k in keys:
        out += f"[{k}]" if ("." in k or "/" in k) else (f".{k}" if out else k)
    return out


def _route_index(routes: list, key: str) -> int | None:
    to, _, outcome = key.partition("/")
    for i, r in enumerate(routes):
        if isinstance(r, dict) and r.get("to") == to and (r.get("outcome") or "") == outcome:
            return i
    return None


def _step(node: Any, key: str, keys: tuple[str, ...], create: bool = False) -> tuple[Any, Any]:
    """(container, key) for one step; raises PathError naming the path."""
    if isinstance(node, dict):
        if key not in node:
            if create:
                return node, key
            raise PathError(f"no field {text(keys)!r} in the scenario")
        return node, key
    if isinstance(node, list):
        if key.isdigit() and int(key) < len(node):
            return node, int(key)
        i = _route_index(node, key)
        if i is None:
            raise PathError(f"no list item {text(keys)!r} in the scenario")
        return node, i
    raise PathError(f"{text(keys[:-1])!r} is a value, not a group of fields")


def locate(data: Any, keys: tuple[str, ...], create: bool = False) -> tuple[Any, Any]:
    """The container of the last key and that key (intermediate mappings created if ``create``)."""
    node = data
    for i, key in enumerate(keys[:-1]):
        box, k = _step(node, key, keys[: i + 1], create)
        if create and isinstance(box, dict) and k not in box:
            box[k] = {}
        node = box[k]
    return _step(node, keys[-1], keys, create)


def get(data: Any, keys: tuple[str, ...]) -> Any:
    box, k = locate(data, keys)
    return box[k]


def number(v: Any) -> float | None:
    """The number a node stands for: a plain number, a sourced number, or a distribution's mean."""
    if isinstance(v, bool):
        return None
    if isinstance(v, int | float):
        return float(v)
    if isinstance(v, dict):
        for k in ("value", "mean"):
            if isinstance(v.get(k), int | float) and not isinstance(v.get(k), bool):
                return float(v[k])
    return None


def _arith(v: Any, f, keys) -> Any:
    if isinstance(v, int | float) and not isinstance(v, bool):
        return f(float(v))
    if isinstance(v, dict) and "value" in v and number(v) is not None:
        return {**v, "value": f(float(v["value"]))}
    if isinstance(v, dict) and "dist" in v:
        return {**v, **{k: f(float(v[k])) for k in _DIST_NUMBERS if isinstance(v.get(k), int | float)}}
    raise PathError(f"{text(keys)!r} is not a number")


def _set(v: Any, x: float, keys) -> Any:
    if isinstance(v, dict) and "dist" in v:
        old = number(v)
        if old is None:
            raise PathError(f"{text(keys)!r} is not a number")
        return _arith(v, lambda y: y * (x / old) if old else x, keys)
    return _arith(v, lambda _: x, keys)


def apply(data: dict, overrides: tuple) -> None:
    """Apply overrides in order (see the module docstring)."""
    for op, keys, value in overrides:
        if op == "merge":
            from ...scenario.merging import merge

            merged = merge(data, json.loads(value))
            data.clear()
            data.update(merged)
            continue
        if op == "put":
            box, k = locate(data, keys, create=True)
            v = json.loads(value)
            if v is None and isinstance(box, dict):
                box.pop(k, None)
            else:
                box[k] = v
            continue
        box, k = locate(data, keys, create=op == "set")
        if op == "set" and isinstance(box, dict) and k not in box:  # e.g. a new transfer between pools
            box[k] = float(value)
        elif op == "set":
            box[k] = _set(box[k], float(value), keys)
        elif op == "scale":
            box[k] = _arith(box[k], lambda y, f=float(value): y * f, keys)
        elif op == "add":
            box[k] = _arith(box[k], lambda y, a=float(value): y + a, keys)
        elif op == "share":
            _rebalance(data, keys, float(value))
        else:  # pragma: no cover - overrides are made by this package
            raise AssertionError(op)


def _rebalance(data: dict, keys: tuple[str, ...], x: float) -> None:
    """``groups.G.share`` or ``routes[item].p`` set to x, the siblings rescaled to keep the sum."""
    if len(keys) >= 3 and keys[-1] == "share":  # streams.S.groups.G.share
        siblings = get(data, keys[:-2])
        names = list(siblings)
        values = {g: number(siblings[g]["share"]) for g in names}
        own = keys[-2]
    elif keys[-1] == "p":  # ...routes[item].p
        siblings = get(data, keys[:-2])
        _box, i = locate(data, keys[:-1])
        names = list(range(len(siblings)))
        values = {j: number(siblings[j]["p"]) for j in names}
        own = i
    else:
        raise PathError(f"{text(keys)!r} is neither a group share nor a route probability")
    x = min(max(x, 0.0), 1.0)
    rest = sum(v for g, v in values.items() if g != own)
    field = "share" if keys[-1] == "share" else "p"
    for g in names:
        new = x if g == own else (values[g] * (1 - x) / rest if rest > 0 else (1 - x) / max(1, len(names) - 1))
        siblings[g][field] = _set(siblings[g][field], new, keys)


def ranged(data: Any, keys: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], dict]]:
    """Every number in scenario data that states a ``range: [low, high]``, with its node."""
    out = []
    if isinstance(data, dict):
        if isinstance(data.get("range"), list) and number(data) is not None:
            return [(keys, data)]
        for k, v in data.items():
            if k == "initial_stock":
                continue
            out += ranged(v, (*keys, str(k)))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            key = (f"{v['to']}/{v.get('outcome') or ''}".rstrip("/")
                   if isinstance(v, dict) and "to" in v else str(i))
            out += ranged(v, (*keys, key))
    return out
