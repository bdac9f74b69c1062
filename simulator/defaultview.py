"""What the dashboard shows before anyone chooses anything, and how its results get into the cache
before the management team asks for them.

The default view is the first screen (the baseline against the combined scenario) and the
comparison page's default choice. ``indsim cache warm`` (run by ``make dashboard``) computes their
replications at the dashboard's default count into the result cache, and the dashboard starts the
same computation in the background when it finds the cache cold (``simulator/dashboard.py``).
Both use :func:`default_tasks`, the same tasks (hence cache keys) the dashboard's pages look up,
so a warmed cache is exactly what the first screen reads. No Streamlit here: the command line
imports this module.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path

from .errors import IndsimError, ScenarioError
from .experiment import ResultCache, Task, execute, tasks_for
from .scenario import Scenario, load_scenario

log = logging.getLogger("indsim.dashboard")

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
BASE = "baseline"
OVERVIEW_DEFAULT = "combined"  # the scenario the first screen sets against the baseline
COMPARE_DEFAULT = (BASE, "amp", "amp_phased")  # the comparison page's default choice
REPLICATIONS = 10  # per scenario, unless INDSIM_DASHBOARD_REPLICATIONS says otherwise


def env_number(name: str, default: float) -> float:
    """A positive number from the environment (the operator's setting), else the default."""
    text = os.environ.get(name, "").strip()
    try:
        value = float(text) if text else default
    except ValueError:
        value = 0.0
    if not value > 0:
        log.warning("%s=%r is not a positive number; using %g", name, text, default)
        return default
    return value


def default_replications() -> int:
    """Replications per scenario the dashboard shows unless a user picks another number."""
    return int(env_number("INDSIM_DASHBOARD_REPLICATIONS", REPLICATIONS))


def load_shipped(folder: Path = SCENARIO_DIR) -> dict[str, Scenario]:
    """The shipped scenarios that run over the baseline's period (comparable with it). A file
    that does not load is left out and logged for the operator; the others still show."""
    try:
        base = load_scenario(folder / f"{BASE}.yaml")
    except ScenarioError as exc:
        log.error("the baseline scenario does not load: %s", exc.lines()[0])
        raise
    out = {BASE: base}
    for path in sorted(folder.glob("*.yaml")):
        try:
            s = load_scenario(path)
        except ScenarioError as exc:
            log.error("scenario left out of the dashboard: %s", exc.lines()[0])
            continue
        if s.start == base.start and s.name not in out:
            out[s.name] = s
    return out


def overview_names(available: list[str]) -> list[str]:
    """The first screen's scenarios: the baseline and the combined scenario (or the first other)."""
    others = [n for n in available if n != BASE]
    return [BASE, OVERVIEW_DEFAULT if OVERVIEW_DEFAULT in others else others[0]] if others else [BASE]


def compare_names(available: list[str]) -> list[str]:
    return [n for n in COMPARE_DEFAULT if n in available]


def view_tasks(chosen: list[Scenario], replications: int, seed: int, inflow_band: bool = False) -> list[Task]:
    """The replications the dashboard shows for these scenarios (what its pages look up); with
    ``inflow_band``, each at the inflow level its replication draws from the band."""
    if inflow_band:
        lacking = [s.name for s in chosen if s.uncertainty.inflow_level is None]
        if lacking:
            raise IndsimError(f"{', '.join(lacking)}: no inflow band (uncertainty.inflow_level) to draw from; "
                              "switch the inflow's uncertainty off or give the scenario a band")
    return tasks_for(chosen, replications, seed, keep_cases="none", inflow_band=inflow_band)


def default_tasks(shipped: dict[str, Scenario], replications: int | None = None) -> list[Task]:
    """Every replication of the default view, each once (scenarios shared by its pages once)."""
    names = list(dict.fromkeys(overview_names(list(shipped)) + compare_names(list(shipped))))
    reps = default_replications() if replications is None else replications
    return view_tasks([shipped[n] for n in names], reps, shipped[BASE].seed)


def warm(cache: ResultCache, replications: int | None = None, workers: int | None = None,
         progress: Callable[[int, int], None] | None = None) -> tuple[list[str], int, int]:
    """Compute the default view into ``cache``: its scenario names, replications already there,
    and replications computed now."""
    tasks = default_tasks(load_shipped(), replications)
    before = sum(cache.has(t) for t in tasks)
    execute(tasks, workers, progress, cache=cache)
    names = list(dict.fromkeys(t.scenario.name for t in tasks))
    return names, before, len(tasks) - before
