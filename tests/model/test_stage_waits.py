"""`scripts/stage_waits.py`, the held-back check of the waits to the first interview, notes cases
from inside the engine (a subclass of a private step): it must keep working, and noting must not
change the run."""

from __future__ import annotations

import importlib.util

import numpy as np

from simulator.model import compile_scenario
from simulator.model.engine import Engine, members
from simulator.scenario import load_scenario


def _script(root):
    spec = importlib.util.spec_from_file_location("stage_waits", root / "scripts" / "stage_waits.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_waits_table_has_every_published_wait_with_cases_behind_it(root):
    table = _script(root).waits(root / "scenarios" / "calibration" / "history_calibrated.yaml", 1)
    assert len(table) == 6 and set(table.month) == {"2023-06", "2024-05"}
    assert (table.cases > 0).all() and (table.model_weeks >= 0).all()
    registration = table[table.track.str.startswith("track 4")].model_weeks
    assert registration.between(1, 104).all()  # a wait of weeks to months, not days or years
    fast = table[~table.track.str.startswith("track 4")]
    fitted = fast[fast.month == "2023-06"]  # the head starts are set to IND's 5 weeks of June 2023
    assert ((fitted.model_weeks / fitted.published_weeks - 1).abs() < 0.2).all(), fitted
    dublin = fast[fast.track.str.startswith("Dublin")].model_weeks
    assert dublin.between(2, 61 / 7).all()  # they wait, and within the 2-month deadline


def test_noting_the_cases_changes_nothing_in_the_run(root):
    s = load_scenario(root / "scenarios" / "history_2023_2025.yaml")
    compiled = compile_scenario(s)
    plain = Engine(members(compiled, s.seed, [0])).run()
    noting = _script(root).Noting(members(compiled, s.seed, [0])).run()
    n = plain.cases.n
    assert noting.cases.n == n and sum(len(x[0]) for x in noting.noted) > n
    for column in ("stage", "first_day", "exit_day", "last_outcome"):
        assert np.array_equal(getattr(plain.cases, column)[:n], getattr(noting.cases, column)[:n]), column
