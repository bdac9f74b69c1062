"""Imported once by the fork server of the dashboard's computations (:mod:`.jobs`), so that every
computation forked from it starts warm.

A fresh process loads each compiled kernel from numba's disk cache on its first call: about a
second on the first replication it runs. Importing this module runs the first year of the
baseline once, in the fork server, so the computations and their worker processes (forked from
it in turn) inherit the loaded kernels. Measured on the 2-core reference machine: the first
batch of 5 replications of the Tweestatusstelsel scenario in a fresh process took 14.1 s, and
12.2 s after this warm-up (which itself took 1.1 s, while the server starts).
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..model import run_replication
from ..scenario import load_scenario

log = logging.getLogger(__name__)
SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml"


def warm_up(path: Path = SCENARIO) -> None:
    """Run one replication of the first year of the scenario in ``path`` and keep nothing. Never
    fails: the fork server must start even without the shipped scenarios."""
    try:
        scenario = load_scenario(path)
        run_replication(scenario.model_copy(update={"horizon_years": 1}), keep_cases=False)
    except Exception:  # a cold start is slower, not wrong
        log.warning("could not warm up the compiled kernels from %s", path, exc_info=True)


warm_up()
