"""How a child's values change its parent's (``extends``, an intervention's ``set``).

Mappings merge key by key, except a value that is replaced whole: a sourced number or a
distribution (a mapping with ``value`` or ``dist``), so that a new value never keeps the old
value's source or parameters, and a queue discipline that changes its ``order``, so that
``{order: oldest_first}`` does not keep a priority's ``ranking``. Lists and plain values are
replaced. A key set to ``null`` is removed.
"""

from __future__ import annotations

import copy
from typing import Any

Path_ = tuple[str | int, ...]


def replaces_whole(base: Any, over: Any) -> bool:
    """Whether ``over`` replaces ``base`` instead of merging into it (see the module docstring)."""
    if not isinstance(base, dict) or not isinstance(over, dict):
        return True
    return "value" in over or "dist" in over or ("order" in over and over["order"] != base.get("order"))


def merge(base: Any, over: Any) -> Any:
    """Deep-merge ``over`` onto ``base`` (see the module docstring for the rules)."""
    if replaces_whole(base, over):
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


def nested(path: str, value: Any) -> dict:
    """A dotted setting as the data it sets: ``a.b.c`` = v is {a: {b: {c: v}}}."""
    for part in reversed(path.split(".")):
        value = {part: value}
    return value


def replaced(base: Any, over: Any, path: Path_ = ()) -> list[Path_]:
    """The paths of ``base`` whose values ``over`` replaces whole or removes."""
    if replaces_whole(base, over):
        return [path]
    return [p for k, v in over.items()
            for p in ([(*path, k)] if v is None or k not in base else replaced(base[k], v, (*path, k)))]


def shadow(origins: dict[Path_, Any], base: Any, over: Any) -> dict[Path_, Any]:
    """``origins`` (of ``base``'s values) without those of the values ``over`` replaces or removes,
    so that a problem in a child's new value is placed at the child's line, not at the parent's."""
    cut = {p for p in replaced(base, over) if p}
    if not cut:
        return origins
    return {k: v for k, v in origins.items() if not any(k[:n] in cut for n in range(1, len(k) + 1))}
