"""A batch of replications gives exactly the numbers of the same replications run one by one.

The engine runs several replications side by side for speed; nothing about a replication may
depend on what else is in its batch (its random keys, its queues, its procedure places).
"""

from __future__ import annotations

import pandas as pd
import pytest

from simulator.model import compile_scenario, run_batch, run_replication, run_replications
from simulator.model.engine import Engine, Member
from simulator.model.results import YEARLY_CASE_COLUMNS, daily, metrics, yearly
from simulator.scenario import from_data, load_scenario

from ..conftest import ROOT


def test_batch_equals_single_runs():
    # The combined scenario has every mechanism: procedures with caps and time limits, follow-on
    # cases, a withdrawn partner whose work moves pools, rule changes; two years keep it quick.
    full = load_scenario(ROOT / "scenarios" / "combined.yaml")
    scenario = full.model_copy(update={"horizon_years": 2})
    compiled = compile_scenario(scenario)
    reps, factors = [4, 0, 7], [1.0, 1.2, 0.85]
    batch = run_replications(scenario, reps, keep_cases=True, compiled=compiled, inflow_factors=factors)
    assert [b.replication for b in batch] == reps
    for b, r, f in zip(batch, reps, factors, strict=True):
        alone = run_replication(scenario, r, compiled=compiled, inflow_factor=f)
        for table in ("metrics", "yearly", "daily"):
            pd.testing.assert_frame_equal(getattr(b, table), getattr(alone, table))
        assert b.cases.equals(alone.cases)  # (assert_frame_equal is slow on 200,000 rows of text)
    # and the replications really differ from one another
    assert not batch[0].yearly["value"].equals(batch[1].yearly["value"])


def _variant(scenario, name: str, **changes):
    """The scenario with numbers changed at dotted paths (a different parameter set, same
    structure), cut to two years as in the test above."""
    data = scenario.model_dump(mode="json", exclude_none=True)
    for path, value in changes.items():
        node = data
        *parents, last = path.split(".")
        for key in parents:
            node = node[int(key)] if isinstance(node, list) else node[key]
        node[last] = value
    return from_data(data, name).model_copy(update={"horizon_years": 2})


def test_a_batch_of_different_parameter_sets_equals_each_run_alone():
    # Exploration, calibration and requirements searches batch different scenarios of one
    # structure. Each set here differs in another kind of number: staff, inflow, hours, route
    # probabilities, a discipline, an intervention's date, who owns a stage (as when a chain
    # partner withdraws in one future and not in another; here the appeal stage is no court's, so
    # its appeals are not counted as the courts' inflow), the follow-on cases (how many family
    # members a grant brings and when, the share admitted, the group shares they are drawn from),
    # where IND's decision is issued (the grant, or the two-status system's status step after it),
    # the border procedure's places, time limit and legal term, and the seed.
    full = load_scenario(ROOT / "scenarios" / "combined.yaml")
    base = full.model_copy(update={"horizon_years": 2})
    staff = _variant(full, "staff", **{"pools.ind_decision.fte.value": 380.0,
                                       "pools.ind_decision.hiring.target_fte.value": 380.0})
    inflow = _variant(full, "inflow", **{"streams.first_asylum.monthly_volume.value": 2600.0,
                                         "stages.appeal.hours.value": 11.0})
    routes = _variant(full, "routes", **{"stages.appeal.routes.0.p.value": 0.70,
                                         "stages.appeal.routes.1.p.value": 0.15,
                                         "pools.ind_hearing.discipline.then": "oldest_first"})
    later = _variant(full, "later", **{"interventions.amp_screening.start": "2026-11-01"})
    owner = _variant(full, "owner", **{"stages.appeal.owner": "none"})
    family = _variant(full, "family", **{"stages.permit_issue.routes.0.spawn.0.expected.value": 1.3,
                                         "stages.permit_issue.routes.0.spawn.0.after.mean": 5.0,
                                         "streams.nareis.eligible_share.value": 0.7,
                                         "streams.dublin_reentry.groups.high_recognition.share.value": 0.5,
                                         "streams.dublin_reentry.groups.low_recognition.share.value": 0.5})
    issued = _variant(full, "issued", **{"stages.permit_issue.completes_decision": False})
    data = full.model_dump(mode="json", exclude_none=True)
    procedure = data["interventions"]["amp_border_procedure"]["set"]["procedures.border"]
    for field, value in (("max_cases", 10), ("time_limit", 7), ("legal_term", 2)):
        procedure[field]["value"] = value
    border = from_data(data, "border").model_copy(update={"horizon_years": 2})
    owners = [dict(zip(c.structure.stages, c.structure.stage_owner, strict=True))["appeal"]
              for c in (compile_scenario(base), compile_scenario(owner))]
    assert owners == ["court", "none"]
    scenarios = [base, staff, inflow, base, routes, later, staff, owner, family, issued, border]
    reps = [4, 0, 7, 2, 1, 3, 5, 6, 8, 9, 10]
    seeds = [base.seed] * 6 + [base.seed + 9, base.seed, base.seed, base.seed, base.seed]
    factors = [1.0, 1.0, 0.9, 1.1, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]
    batch = run_batch(scenarios, reps, seeds, [True] * 11, factors)
    for b, s, r, seed, f in zip(batch, scenarios, reps, seeds, factors, strict=True):
        alone = run_replication(s, r, seed=seed, inflow_factor=f)
        assert (b.scenario, b.replication, b.seed) == (s.name, r, seed)
        for table in ("metrics", "yearly", "daily"):
            pd.testing.assert_frame_equal(getattr(b, table), getattr(alone, table))
        assert b.cases.equals(alone.cases)
    # the parameter sets really differ
    first = {b.scenario: b.yearly["value"] for b in batch}
    assert len({tuple(v) for v in first.values()}) == len(first)


def test_a_batch_refuses_scenarios_of_different_structures():
    base = load_scenario(ROOT / "scenarios" / "baseline.yaml").model_copy(update={"horizon_years": 1})
    pact = load_scenario(ROOT / "scenarios" / "amp.yaml").model_copy(update={"horizon_years": 1})
    with pytest.raises(ValueError, match="one structure"):
        run_batch([base, pact], [0, 0], [1, 1], [False, False], [1.0, 1.0])


def test_a_batch_for_the_yearly_table_only_snapshots_year_ends_and_gives_the_same_figures():
    # an exploration's batch makes the yearly table only; its snapshots are taken at year ends
    s = load_scenario(ROOT / "scenarios" / "combined.yaml").model_copy(update={"horizon_years": 3})
    full = run_batch([s, s], [0, 1], [s.seed] * 2, [False] * 2, [1.0] * 2, keep_records=True)
    only = run_batch([s, s], [0, 1], [s.seed] * 2, [False] * 2, [1.0] * 2, metrics_of=[False] * 2)
    for a, b in zip(full, only, strict=True):
        assert b.metrics is None
        pd.testing.assert_frame_equal(a.yearly, b.yearly)
        pd.testing.assert_frame_equal(a.daily, b.daily)
    assert full[0].records.month_ends.monthly and len(full[0].records.month_ends.days) == 1 + 36
    compiled = compile_scenario(s)
    engine = Engine([Member(compiled, s.seed, 0, 1.0)], year_ends_only=True).run()
    run = engine.take(0)
    assert not run.month_ends.monthly and len(run.month_ends.days) == 1 + 3
    with pytest.raises(ValueError, match="year-end snapshots only"):
        metrics(run)


@pytest.mark.parametrize("path", sorted((ROOT / "scenarios").glob("*.yaml")), ids=lambda p: p.stem)
def test_the_yearly_case_columns_are_all_the_yearly_and_daily_tables_read(path):
    # a replication that needs no other table hands out these columns only (run_batch)
    s = load_scenario(path).model_copy(update={"horizon_years": 2})
    engine = Engine([Member(compile_scenario(s), s.seed, 0, 1.0)], year_ends_only=True).run()
    whole, few = engine.take(0), engine.take(0, YEARLY_CASE_COLUMNS)
    assert not hasattr(few.cases, "stage")  # the others are left out, not copied
    pd.testing.assert_frame_equal(yearly(whole), yearly(few))
    pd.testing.assert_frame_equal(daily(whole), daily(few))
