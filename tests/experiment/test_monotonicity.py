"""More capacity in any IND pool never raises a year-end backlog beyond the replications' noise,
unless a named mechanism of the chain explains it (paired replications, common random numbers).

Each IND pool gets 20% more staff from the start (FTE and hiring target) on the baseline and the
combined scenario, 2026-2028, 3 replications. A rise counts when its 95% interval lies above zero
and it is material (more than 0.5% of the base's backlog). Two mechanisms are real, not model
errors, and the test names them and checks their evidence:

* ``follow_on``: faster asylum decisions give more grants sooner, and each grant brings family
  reunification (nareis) and, under the emergency law and the two-status system, renewals and
  upgrade appeals ('other'). So the nareis and 'other' backlogs rise with their inflow.
* ``work_in_progress``: more hearing officers alone send more cases to the decision officers,
  who are already fully used; they spread their hours over more cases in progress (assessments)
  and finish fewer (first decisions fall), so the asylum backlog rises. The requirements
  sentences say so when a lever makes the figure worse.
* ``court_queue``: more decisions bring more appeals to courts that are already full, and the
  cases of other streams waiting there (upgrade appeals and renewal appeals, 'other') wait longer.
* ``crowding_out``: the decision officers also decide permanent permits and renewals ('other');
  when more work reaches them from elsewhere while they are fully used, that work waits longer.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from simulator.experiment import interval, simulate
from simulator.experiment.variants import default_parameters, variant
from simulator.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
LAST, REPS, MORE, MATERIAL = 2028, 3, 1.2, 0.005


def _paired(yearly: pd.DataFrame, scenario: str, figure: str, category: str, year: int) -> tuple[float, float, float,
                                                                                                  float]:
    sel = yearly[(yearly.figure == figure) & (yearly.category == category) & (yearly.year == year)]
    wide = sel.pivot_table(index="replication", columns="scenario", values="value")
    mean, low, high = interval((wide[scenario] - wide["base"]).to_numpy())
    return mean, low, high, float(wide["base"].mean())


def _utilisation(results, scenario: str, pool: str, year: int) -> float:
    m = results.metrics
    sel = m[(m.metric == "utilisation") & (m.pool == pool) & (m.scenario == scenario) & (m.date.dt.year == year)]
    return float(sel.value.mean())


_RESULTS: dict = {}


def _rises(name: str):
    """Every material rise of a year-end backlog, with the evidence for its mechanism."""
    s = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
    pools = [p for p, pool in s.pools.items() if pool.owner == "ind"]
    fte = {p.subject: p for p in default_parameters(s) if p.kind == "fte"}
    base = variant(s, "base", lambda d: None, LAST)
    more = [variant(s, f"more_{p}", lambda d, p=p: fte[p].apply(d, MORE), LAST) for p in pools]
    results = simulate([base, *more], replications=REPS, keep_cases="none", workers=1)
    _RESULTS[name] = results
    y = results.yearly
    out = []
    for pool in pools:
        for category in ("asylum", "nareis", "other"):
            for year in range(s.start.year, LAST + 1):
                mean, low, _, b = _paired(y, f"more_{pool}", "backlog_end", category, year)
                if not (low > 0 and mean > MATERIAL * max(b, 1.0)):
                    continue
                inflow = [_paired(y, f"more_{pool}", "inflow", category, yr)[1] for yr in range(s.start.year,
                                                                                                  year + 1)]
                decisions = _paired(y, f"more_{pool}", "first_decisions", "asylum", year)
                full = max(_utilisation(results, f"more_{pool}", other, year) for other in pools if other != pool)
                courts = max(_utilisation(results, f"more_{pool}", c, year) for c in s.pools
                             if s.pools[c].owner == "court")
                appeals = max(_paired(y, f"more_{pool}", "court_inflow", c, year)[1] for c in ("asylum", "nareis"))
                out.append({"pool": pool, "category": category, "year": year, "rise": mean, "base": b,
                            "inflow_rose": max(inflow) > 0, "decisions_high": decisions[2], "others_full": full,
                            "courts_full": courts, "appeals_rose": appeals > 0})
    return pd.DataFrame(out)


def _mechanism(row: pd.Series) -> str | None:
    if row.category in ("nareis", "other") and row.inflow_rose:
        return "follow_on"
    if row.category == "asylum" and row.others_full >= 0.97 and row.decisions_high <= 0:
        return "work_in_progress"
    if row.category == "other" and row.appeals_rose and row.courts_full >= 0.97:
        return "court_queue"
    if row.category == "other" and row.others_full >= 0.97:
        return "crowding_out"
    return None


@pytest.fixture(scope="module", params=["baseline", "combined"])
def rises(request):
    return request.param, _rises(request.param)


def test_more_capacity_in_any_ind_pool_raises_no_backlog_without_a_named_reason(rises):
    name, found = rises
    if found.empty:
        return
    found = found.assign(reason=found.apply(_mechanism, axis=1))
    unexplained = found[found.reason.isna()]
    assert unexplained.empty, f"{name}: backlog rises with more capacity and no known mechanism:\n{unexplained}"


def test_on_the_corrected_baseline_more_hearing_officers_alone_lower_the_asylum_backlog(rises):
    """Before the chain was corrected, +1,266 hearing FTE gave a higher backlog (the decision
    officers were full and spread their hours over more cases in progress). On the corrected
    baseline the decision officers bind in the last year too, yet the hearing officers' line is
    part of the backlog, so more of them lower it: the 95% interval lies below zero."""
    name, _ = rises
    if name != "baseline":
        pytest.skip("shown on the baseline")
    mean, _, high, _ = _paired(_RESULTS[name].yearly, "more_ind_hearing", "backlog_end", "asylum", LAST)
    assert high < 0, f"20% more hearing officers change the {LAST} asylum backlog by {mean:+,.0f}"
