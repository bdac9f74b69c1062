"""An appeal counts once, on the day it is lodged: at IND's defence step where one precedes the
court, at the court stage otherwise (a higher appeal, an appeal for not deciding
in time), whatever IND's litigation staff can handle."""

from __future__ import annotations

from pathlib import Path

import pytest

from simulator.experiment import simulate
from simulator.experiment.variants import variant
from simulator.model import compile_scenario
from simulator.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]


def _lodged_at(name: str) -> set[str]:
    st = compile_scenario(load_scenario(ROOT / "scenarios" / f"{name}.yaml")).structure
    return {s for s, here in zip(st.stages, st.appeal_entry, strict=True) if here}


def test_appeals_are_counted_where_they_are_lodged():
    # a Dublin appeal is lodged at IND's defence in it (dublin_defence)
    assert _lodged_at("baseline") == {"defence", "dublin_defence", "higher_appeal", "nontimely_appeal"}
    # the Pact's border appeal is lodged at IND's defence in the border procedure; at its time limit
    # the regular court takes it over, which is no new appeal; the two-status law's upgrade appeals
    # pass their own defence step
    assert _lodged_at("combined") == {"defence", "dublin_defence", "higher_appeal", "nontimely_appeal",
                                      "border_defence", "upgrade_defence"}


@pytest.fixture(scope="module")
def few_litigators():
    """The baseline's 2026 with all and with a twentieth of IND's litigation staff, 2 replications."""
    baseline = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    cut = variant(baseline, "baseline", lambda d: None, 2026)
    few = variant(baseline, "few", lambda d: d["pools"]["ind_litigation"].update(
        fte={**d["pools"]["ind_litigation"]["fte"], "value": d["pools"]["ind_litigation"]["fte"]["value"] / 20}), 2026)
    return simulate([cut, few], replications=2, keep_cases="none", workers=1)


def test_the_count_of_appeals_does_not_wait_for_inds_litigation_staff(few_litigators):
    """With a twentieth of the litigation staff the appeals wait in IND's defence line (at most
    its term), but they were lodged all the same: the year's count stays but for the higher
    appeals that fewer court rulings bring (it fell by most of it while the count was taken at
    the court)."""
    y = few_litigators.yearly
    lodged = y[(y.figure == "court_inflow") & (y.category == "asylum")].groupby("scenario").value.mean()
    assert lodged["few"] > 0.8 * lodged["baseline"]
    assert lodged["baseline"] > 15_000


def test_the_court_hears_an_appeal_without_inds_defence_once_its_term_has_passed(few_litigators):
    """IND's defence has 8 weeks (procedure defence_term): with a twentieth of the litigation
    staff the district court still rules on most of the year's appeals, and the defence line
    holds no more than about 8 weeks of appeals. Without the term, the appeals waited for the
    litigation staff without end and the court ruled on a fraction (the combined scenario's
    17,000 rejected applicants in IND's line while the courts ran short of work)."""
    m = few_litigators.metrics
    rulings = m[(m.metric == "decisions") & (m.stage == "appeal")].groupby(["scenario", "replication"]).value.sum()
    rulings = rulings.groupby("scenario").mean()
    assert rulings["few"] > 0.8 * rulings["baseline"], rulings
    stock = m[(m.metric == "stock") & (m.stage == "defence")].groupby(["scenario", "replication", "date"]).value.sum()
    lodged = few_litigators.yearly
    per_week = lodged[(lodged.figure == "court_inflow") & (lodged.scenario == "few")].groupby(
        "replication").value.sum().mean() / 52
    assert stock["few"].max() < 8 * per_week * 1.5, (stock["few"].max(), per_week)
