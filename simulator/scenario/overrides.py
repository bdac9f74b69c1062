"""Changes that another intervention silently undoes.

Interventions apply in order of their start, then of their name (:func:`timeline.in_order`),
and a ``set`` replaces what it names whole. So when one intervention sets a whole list or table
(``stages.x.routes``) that an earlier one changed a part of (``stages.x.routes.1.p``), the earlier
change no longer holds from the later one's start. Each file alone is right; combined (an
``extends`` list of shock files) one shock quietly loses part of its effect. Until 6 December
2026 the emergency law did this to the chain partner's extended procedures in the combined
scenario. :func:`overridden` names every such pair, so that ``indsim validate`` can warn.
"""

from __future__ import annotations

from .schema import Scenario
from .timeline import in_order, path_steps


def overridden(s: Scenario) -> list[str]:
    """One line per change that a later intervention's ``set`` replaces (both switched on)."""
    ivs = [(name, iv) for name, iv in in_order(s) if iv.enabled]
    writes = [(k, iv.start, name, op, path_steps(path)) for k, (name, iv) in enumerate(ivs)
              for op, table in (("set", iv.set), ("scale", iv.scale), ("add", iv.add)) for path in table]
    out = []
    for k, start, name, op, path in writes:
        if op != "set":
            continue
        for k2, start2, name2, op2, path2 in writes:
            if k2 < k and path2[: len(path)] == path:
                out.append(f"interventions.{name} sets {'.'.join(path)} whole from {start}: the {op2} of "
                           f"{'.'.join(path2)} by interventions.{name2} (from {start2}) no longer holds from then on")
    return out
