"""Policy-shock mechanisms, each on a small scenario whose answer is known by construction."""

from __future__ import annotations

import copy
import datetime as dt

import numpy as np
import pandas as pd
import pytest

from simulator.model import run_replication
from simulator.scenario import from_data, load_scenario
from simulator.scenario.timeline import blend_routes, fraction_at, step_dates

START = dt.date(2026, 1, 1)


def base(**over) -> dict:
    """One stream, one decision stage on an ample IND pool, 7-day week."""
    data = {
        "name": "mechanism",
        "title": "mechanism test",
        "start": "2026-01-01",
        "horizon_years": 2,
        "seed": 11,
        "calendar": {"workdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]},
        "outcomes": {"granted": "granted", "done": "done", "prepared": "prepared", "intended": "intended"},
        "streams": {
            "apps": {"label": "apps", "monthly_volume": 304.375, "entry": "decide",
                     "legal_term": 6, "groups": {"all": {"share": 1}}},
        },
        "pools": {
            "ind": {"label": "IND", "fte": 100, "hours_per_fte_year": 365.25},
        },
        "stages": {
            "decide": {"label": "decide", "pool": "ind", "hours": 1,
                       "routes": [{"to": "exit", "p": 1, "outcome": "done"}]},
        },
    }
    for key, value in over.items():
        data[key] = value
    return data


def run(data: dict, rep: int = 0):
    return run_replication(from_data(data, data["name"]), replication=rep, keep_records=True)


def day(date: str) -> int:
    return (dt.date.fromisoformat(date) - START).days


# ---------------------------------------------------------------- timeline arithmetic
def test_linear_phase_in_reaches_half_at_midpoint():
    s = from_data(base(interventions={"ramp": {
        "label": "ramp", "start": "2026-03-01", "phase_in": {"value": 12, "unit": "months"},
        "set": {"pools.ind.fte": 200}}}), "x")
    iv = s.interventions["ramp"]
    assert fraction_at(iv, dt.date(2026, 2, 28)) == 0.0
    assert fraction_at(iv, dt.date(2026, 3, 1)) == 0.0
    assert fraction_at(iv, dt.date(2026, 9, 1)) == pytest.approx(0.5)  # midpoint: 6 of 12 monthly steps
    assert fraction_at(iv, dt.date(2027, 3, 1)) == 1.0
    assert len(step_dates(iv)) == 13


def test_blended_routes_mix_probabilities():
    old = [{"to": "a", "p": 1.0}]
    new = [{"to": "a", "p": 0.4}, {"to": "b", "p": 0.6}]
    mid = {r["to"]: r["p"] for r in blend_routes(old, new, 0.5)}
    assert mid == pytest.approx({"a": 0.7, "b": 0.3})
    assert blend_routes(old, new, 1.0) == new


def test_phase_in_capacity_is_half_way_at_midpoint_in_the_model():
    data = base(interventions={"ramp": {
        "label": "ramp", "start": "2026-03-01", "phase_in": {"value": 12, "unit": "months"},
        "set": {"pools.ind.fte": 200}}})
    e = run(data).records
    hours = e.pools.available[:, 0]
    assert hours[day("2026-02-28")] == pytest.approx(100)  # 100 FTE x 1 h a day before
    assert hours[day("2026-09-01")] == pytest.approx(150)  # half way at the midpoint
    assert hours[day("2027-03-01")] == pytest.approx(200)  # full effect at the end
    assert np.all(np.diff(hours) >= -1e-9)  # a staircase upwards, never down


def test_steps_can_dip_and_recover():
    data = base(interventions={"dip": {
        "label": "dip", "start": "2026-06-01", "scale": {"pools.ind.productivity": 0.8},
        "steps": [{"date": "2026-06-01", "fraction": 1.0}, {"date": "2026-12-01", "fraction": 0.5},
                  {"date": "2027-06-01", "fraction": 0.0}]}})
    hours = run(data).records.pools.available[:, 0]
    assert hours[day("2026-05-31")] == pytest.approx(100)
    assert hours[day("2026-06-01")] == pytest.approx(80)
    assert hours[day("2026-12-01")] == pytest.approx(90)
    assert hours[day("2027-06-01")] == pytest.approx(100)


def test_intervention_after_the_horizon_is_refused_and_a_shorter_horizon_switches_it_off():
    """It used to run without effect and without a word; a horizon cut short (``explore --until``)
    switches it off, keeping its date (an exploration's date may bring it back), and the rest runs
    as without it."""
    from simulator.errors import ScenarioError
    from simulator.experiment.variants import variant

    late = {"late": {"label": "late", "start": "2027-07-01", "set": {"pools.ind.fte": 1}}}
    with pytest.raises(ScenarioError, match="after the end of the horizon"):
        from_data(base(horizon_years=1, interventions=late), "late")
    cut = variant(from_data(base(interventions=late), "late"), "mechanism", lambda d: None, 2026)
    assert cut.end == dt.date(2026, 12, 31) and not cut.interventions["late"].enabled
    pd.testing.assert_frame_equal(run(base(horizon_years=1)).metrics, run_replication(cut, 0).metrics)


def test_disabled_intervention_changes_nothing():
    plain = run(base())
    off = run(base(interventions={"off": {
        "label": "off", "start": "2026-02-01", "enabled": False, "set": {"pools.ind.fte": 1}}}))
    pd.testing.assert_frame_equal(plain.metrics.drop(columns="scenario"),
                                  off.metrics.drop(columns="scenario"))


# ---------------------------------------------------------------- feedback flows
def test_renewals_arrive_exactly_one_validity_after_each_grant_and_again_after_renewal():
    data = base(horizon_years=8)
    data["streams"]["apps"]["monthly_volume"] = 30.4375  # one a day
    data["streams"]["renewals"] = {"label": "renewals", "monthly_volume": 0, "entry": "renew",
                                   "legal_term": 6, "groups": {"all": {"share": 1}}, "category": "other"}
    three_years = {"value": 3, "unit": "years"}
    data["stages"]["decide"]["routes"] = [{"to": "validity", "p": 1, "outcome": "granted"}]
    data["stages"]["validity"] = {"label": "validity", "owner": "none", "routes": [
        {"to": "exit", "p": 1, "spawn": [{"stream": "renewals", "after": three_years}]}]}
    data["stages"]["renew"] = {"label": "renew", "pool": "ind", "hours": 1,
                               "routes": [{"to": "validity", "p": 1, "outcome": "granted"}]}
    c = run(data).cases.set_index("case_id")
    renewals = c[c.stream == "renewals"]
    assert len(renewals) > 1000
    parent_decided = c.loc[renewals.parent_id, "first_decision"].to_numpy()
    gap = (renewals.lodged.to_numpy() - parent_decided) / np.timedelta64(1, "D")
    assert np.all(gap == round(3 * 365.25))  # exactly the validity after the decision
    second = renewals[c.loc[renewals.parent_id, "stream"].to_numpy() == "renewals"]
    assert len(second) > 300  # renewals of renewals: the cycle repeats


def test_spawn_expected_count_matches_on_average():
    data = base(horizon_years=1)
    data["streams"]["family"] = {"label": "family", "monthly_volume": 0, "entry": "decide", "legal_term": 6,
                                 "groups": {"all": {"share": 1}}, "category": "nareis"}
    data["stages"]["decide"]["routes"] = [{"to": "exit", "p": 1, "outcome": "granted",
                                           "spawn": [{"stream": "family", "expected": 0.6}]}]
    c = run(data).cases
    parents = c[c.stream == "apps"]
    children = c[(c.stream == "family") & c.parent_id.isin(parents.case_id)]
    n = len(parents[parents.first_decision.notna()])
    mean = len(children) / n
    half = 2.576 * np.sqrt(0.6 / n)  # 99% interval of a Poisson mean
    assert abs(mean - 0.6) < half


def test_eligible_share_thins_inflow():
    full = run(base()).cases
    thinned = run(base(interventions={"thin": {
        "label": "thin", "start": "2026-01-01", "scale": {"streams.apps.eligible_share": 0.5}}})).cases
    ratio = len(thinned) / len(full)
    assert 0.47 < ratio < 0.53
    assert set(thinned.lodged) <= set(full.lodged)  # inversion: thinning never adds a day's arrival


# ---------------------------------------------------------------- procedures
def border(cap: int, fte: float = 100) -> dict:
    data = base(horizon_years=1)
    data["streams"]["apps"]["monthly_volume"] = 608.75  # 20 a day
    data["pools"]["ind"]["fte"] = fte
    data["stages"]["decide"]["routes"] = [{"to": "exit", "p": 1, "outcome": "done"}]
    data["stages"]["triage"] = {"label": "triage", "owner": "none",
                                "routes": [{"to": "border_work", "p": 0.5}, {"to": "decide", "p": 0.5}]}
    data["stages"]["border_work"] = {"label": "border", "pool": "ind", "hours": 3,
                                     "delay": {"value": 20, "unit": "days"},
                                     "routes": [{"to": "exit", "p": 1, "outcome": "granted"}]}
    data["streams"]["apps"]["entry"] = "triage"
    data["procedures"] = {"border": {
        "label": "border", "stages": ["border_work"], "max_cases": cap, "overflow": "decide",
        "time_limit": {"value": 84, "unit": "days"}, "on_time_limit": "decide",
        "legal_term": {"value": 12, "unit": "weeks"}}}
    return data


def test_border_procedure_cap_is_never_exceeded_and_overflow_goes_to_the_regular_procedure():
    r = run(border(cap=100))
    e = r.records
    b = e.structure.stages.index("border_work")
    inside = e.daily.stock[:, b, :].sum(axis=1)
    assert inside.max() <= 100
    assert inside.max() == 100  # the cap binds (about 10 a day x 20 days wait > 100)
    d = r.metrics[r.metrics.metric == "decisions"].groupby("stage").value.sum()
    assert d["decide"] > d["border_work"]  # most went the regular way: half by routing, plus overflow


def test_border_cases_finish_within_the_limit_or_move_to_the_regular_procedure():
    r = run(border(cap=10_000, fte=30))  # too little capacity: a queue builds up, limits pass
    e = r.records
    cs = e.cases
    ids, days, stage = e.decisions.ids, e.decisions.days, e.decisions.stages
    at_border = stage == e.structure.stages.index("border_work")
    due = cs.column("proc_due")[ids[at_border]]
    assert np.all(days[at_border] <= due)  # every border decision within 84 days of entry
    moved = (cs.column("proc_due") >= 0) & (cs.column("stage") != e.structure.stages.index("border_work"))
    regular = np.isin(np.arange(cs.n), ids[stage == e.structure.stages.index("decide")])
    assert (moved & regular).sum() > 0  # and some that ran out of time were decided regularly


def test_a_time_limit_that_passes_during_a_waiting_time_takes_the_case_out_of_it():
    """Members still waiting out the stage's delay when the limit passes move on and never come
    back from that delay (the engine looks for them in the delay store, not in a line)."""
    data = border(cap=10_000)
    data["stages"]["border_work"]["delay"] = {"value": 120, "unit": "days"}  # longer than the 84-day limit
    r = run(data)
    e = r.records
    decided_at = e.decisions.stages
    assert not (decided_at == e.structure.stages.index("border_work")).any()  # nobody finished the wait
    assert (decided_at == e.structure.stages.index("decide")).sum() > 0
    assert np.bincount(e.decisions.ids).max() == 1  # nobody released a second time


def test_procedure_legal_term_replaces_the_stream_term():
    r = run(border(cap=10_000))
    c = r.cases
    e = r.records
    in_border = c[e.cases.column("proc_due") >= 0]
    term = (in_border.deadline - in_border.lodged) / np.timedelta64(1, "D")
    assert (term == 84).all()
    outside = c[e.cases.column("proc_due") < 0]
    assert ((outside.deadline - outside.lodged) / np.timedelta64(1, "D") > 170).all()


# ---------------------------------------------------------------- capacity moving between pools
def partner_takeover(partner_fte: float) -> dict:
    data = base()
    data["pools"]["partner"] = {"label": "partner", "owner": "partner", "fte": partner_fte,
                                "hours_per_fte_year": 365.25}
    data["streams"]["apps"]["entry"] = "prep"
    data["stages"]["prep"] = {"label": "prep", "owner": "partner", "pool": "partner", "hours": 2,
                              "routes": [{"to": "decide", "p": 1, "outcome": "prepared"}]}
    data["interventions"] = {"withdraw": {
        "label": "partner leaves", "start": "2026-07-01",
        "set": {"pools.partner.fte": 0, "stages.prep.pool": "ind", "stages.prep.owner": "ind",
                "stages.prep.hours": 3}}}
    return data


def test_withdrawn_pool_has_no_capacity_and_its_work_is_done_by_ind_at_ind_hours():
    e = run(partner_takeover(100)).records
    d0 = day("2026-07-01")
    partner, ind = e.structure.pools.index("partner"), e.structure.pools.index("ind")
    assert (e.pools.available[d0:, partner] == 0).all()
    assert (e.pools.used[:d0, partner] > 0).any()
    prep, decide = e.structure.stages.index("prep"), e.structure.stages.index("decide")
    per_day = np.zeros((e.structure.n_days, len(e.structure.stages)))
    np.add.at(per_day, (e.decisions.days, e.decisions.stages), 1)
    expected_ind = 3 * per_day[:, prep] + 1 * per_day[:, decide]
    expected_ind[:d0] = per_day[:d0, decide]
    np.testing.assert_allclose(e.pools.used[:, ind], expected_ind)  # IND does prep at 3 h from then on
    np.testing.assert_allclose(e.pools.used[:d0, partner], 2 * per_day[:d0, prep])


def test_waiting_work_moves_with_the_stage_to_the_new_pool():
    e = run(partner_takeover(5)).records  # 2.5 preps a day for 10 arrivals: a queue builds at the partner
    prep = e.structure.stages.index("prep")
    stock = e.daily.stock[:, prep, :].sum(axis=1)
    d0 = day("2026-07-01")
    assert stock[d0 - 1] > 500
    ind = e.structure.pools.index("ind")
    assert np.allclose(e.pools.used[d0: d0 + 30, ind], 100)  # IND works full days on them
    # IND clears prep at ~30 a day (100 h minus decisions, at 3 h) against 10 arrivals a day
    assert stock[d0 + 30] < stock[d0 - 1] - 15 * 30
    assert stock[d0 + 120] < 20  # the partner's waiting line was taken over (it has no staff left)


def test_waiting_work_takes_the_new_hours_from_the_day_they_change():
    data = base()  # registration first, by a pool of its own with time to spare; then decide
    data["pools"] = {"front": {"label": "front", "fte": 100, "hours_per_fte_year": 365.25},
                     "ind": {"label": "IND", "fte": 5, "hours_per_fte_year": 365.25}}
    data["streams"]["apps"]["entry"] = "register"
    data["stages"] = {"register": {"label": "register", "pool": "front", "hours": 1,
                                   "routes": [{"to": "decide", "p": 1}]}, **data["stages"]}
    # IND: 5 decisions a day at 1 h against 10 arrivals, so a line builds; then 0.25 h a case
    data["interventions"] = {"faster": {"label": "faster", "start": "2026-07-01",
                                        "set": {"stages.decide.hours": 0.25}}}
    e = run(data).records
    d0 = day("2026-07-01")
    assert e.daily.stock[d0 - 1, e.structure.stages.index("decide")].sum() > 500
    decide = e.decisions.stages == e.structure.stages.index("decide")
    per_day = np.bincount(e.decisions.days[decide], minlength=e.structure.n_days)
    assert per_day[d0 - 30: d0].mean() == pytest.approx(5, rel=0.05)
    # the cases already in line are done at 0.25 h too: 20 a day at once, not 5 until the line turns over
    assert per_day[d0 + 1: d0 + 30].mean() == pytest.approx(20, rel=0.05)


# ---------------------------------------------------------------- removed stages
def test_removed_stage_is_never_entered_after_its_date_and_finishes_its_cases():
    data = base()
    data["pools"]["ind"]["fte"] = 25  # 12.5 cases a day at 2 h: a queue builds in 'intent'
    data["stages"]["decide"]["routes"] = [{"to": "intent", "p": 1}]
    data["stages"]["intent"] = {"label": "intent", "pool": "ind", "hours": 1,
                                "routes": [{"to": "exit", "p": 1, "outcome": "intended"}]}
    data["interventions"] = {"abolish": {
        "label": "no intent", "start": "2026-07-01",
        "set": {"stages.intent": None, "stages.decide.routes": [{"to": "exit", "p": 1, "outcome": "done"}]}}}
    e = run(data).records
    intent = e.structure.stages.index("intent")
    stock = e.daily.stock[:, intent, :].sum(axis=1)
    exits = np.zeros(e.structure.n_days)
    np.add.at(exits, e.decisions.days, e.decisions.stages == intent)
    entries = np.diff(stock, prepend=0) + exits
    d0 = day("2026-07-01")
    assert entries[:d0].sum() > 0
    assert (entries[d0 + 1:] == 0).all()  # nobody enters the removed stage after its date
    assert stock[d0 - 1] > 0 and stock[-1] == 0  # those already in it are finished under the old rules


# ---------------------------------------------------------------- shipped shock scenarios
def test_combined_scenario_contains_every_shock_and_its_variants_switch_the_laws():
    combined = load_scenario("scenarios/combined.yaml")
    for part in ("asielnoodmaatregelenwet", "tweestatusstelsel", "amp", "uitvoeringswet_pact", "ketenpartner"):
        for name in load_scenario(f"scenarios/{part}.yaml").interventions:
            assert name in combined.interventions, (part, name)
    iv = combined.interventions
    assert iv["amp_screening"].start == iv["permit_3y"].start == iv["two_status"].start == dt.date(2026, 6, 12)
    assert iv["law_no_intention"].start == iv["nareis_core_family"].start == dt.date(2027, 1, 1)
    off = load_scenario("scenarios/combined_laws_not_in_force.yaml").interventions
    assert not off["law_no_intention"].enabled and not off["nareis_core_family"].enabled
    assert off["two_status"].enabled and off["permit_3y"].enabled  # the implementation bill still brings them
    assert off["amp_screening"].enabled
    no_two_status = load_scenario("scenarios/combined_without_tweestatusstelsel.yaml").interventions
    assert no_two_status["nareis_core_family"].enabled  # the emergency law still limits nareis


def test_every_shock_keeps_its_changes_in_the_combined_scenario():
    """The chain partner sends 5 points more of the AA's cases to the extended procedure; the
    emergency law, from 2027, sends the AA's and VA's rejections to the final decision. Until 6
    December 2026 the law set those routes whole, at the baseline's shares, and so undid the
    chain partner's change in combined.yaml from the law's first day. Each now changes only its
    own part, so both hold in the combined scenario after 2027."""
    from simulator.model.compiled import versions

    def aa_routes(path: str, day: dt.date) -> dict[str, dict[str, float]]:
        s = load_scenario(path)
        v = [scenario for d, scenario in versions(s) if d <= day][-1]
        stage = v.stages["aa_assessment"]
        return {"low": {r.to: r.p.value for r in stage.routes},
                "high": {r.to: r.p.value for r in stage.routes_by_group["high_recognition"]}}

    base = aa_routes("scenarios/baseline.yaml", dt.date(2028, 1, 1))
    combined = aa_routes("scenarios/combined.yaml", dt.date(2028, 1, 1))
    law = aa_routes("scenarios/asielnoodmaatregelenwet.yaml", dt.date(2028, 1, 1))
    for group in ("low", "high"):
        assert combined[group]["va_investigation"] == pytest.approx(base[group]["va_investigation"] + 0.05)
        assert law[group]["va_investigation"] == pytest.approx(base[group]["va_investigation"])
        assert "intention_to_reject" not in combined[group] and "final_decision" in combined[group]
        assert sum(combined[group].values()) == pytest.approx(1.0)


def test_phased_pact_differs_from_abrupt_only_in_its_phasing():
    abrupt = load_scenario("scenarios/amp.yaml").model_dump(mode="json")
    phased = load_scenario("scenarios/amp_phased.yaml").model_dump(mode="json")
    a, p = copy.deepcopy(abrupt), copy.deepcopy(phased)
    for d in (a, p):
        for key in ("name", "title", "description"):
            d.pop(key)
        for iv in d["interventions"].values():
            iv.pop("phase_in"), iv.pop("source")
        d["interventions"]["amp_learning"]["scale"] = {}
    assert a == p


# ---------------------------------------------------------------- staff transfers between pools
def two_pools(transfer: dict | None = None, **iv) -> dict:
    data = base()
    data["pools"] = {"ind_a": {"label": "A", "fte": 100, "hours_per_fte_year": 365.25},
                     "ind_b": {"label": "B", "fte": 50, "hours_per_fte_year": 365.25,
                               **({"transfer": transfer} if transfer else {})}}
    data["stages"] = {"decide": {"label": "decide", "pool": "ind_a", "hours": 1, "routes": [{"to": "check", "p": 1}]},
                      "check": {"label": "check", "pool": "ind_b", "hours": 1,
                                "routes": [{"to": "exit", "p": 1, "outcome": "done"}]}}
    if iv:
        data["interventions"] = {"move": {"label": "move", **iv}}
    return data


def test_a_transfer_moves_hours_between_pools_from_its_date_phased_in_from_zero():
    e = run(two_pools(start="2026-03-01", phase_in={"value": 2, "unit": "months"},
                      set={"pools.ind_a.transfer.ind_b": 20})).records
    a, b = e.structure.pools.index("ind_a"), e.structure.pools.index("ind_b")
    hours = e.pools.available  # one FTE gives one hour a day here
    np.testing.assert_allclose(hours[: day("2026-04-01"), [a, b]], [[100, 50]] * day("2026-04-01"))
    np.testing.assert_allclose(hours[day("2026-04-01"), [a, b]], [90, 60])  # half after the first month
    np.testing.assert_allclose(hours[day("2026-05-01"):, a], 80)
    np.testing.assert_allclose(hours[day("2026-05-01"):, b], 70)
    assert hours.sum(axis=1).max() == pytest.approx(150)  # staff move; none are made
    fte = e.month_ends.fte  # the FTE working in each pool
    np.testing.assert_allclose(fte[-1, [a, b]], [80, 70])


def test_a_pool_lends_at_most_the_staff_it_has():
    e = run(two_pools(transfer={"ind_a": 500})).records
    a, b = e.structure.pools.index("ind_a"), e.structure.pools.index("ind_b")
    np.testing.assert_allclose(e.pools.available[:, a], 150)
    np.testing.assert_allclose(e.pools.available[:, b], 0)


def test_a_transfer_to_an_unknown_pool_or_to_itself_is_refused():
    from simulator.errors import ScenarioError

    with pytest.raises(ScenarioError, match=r"pools.ind_b.transfer.ind_c: unknown pool 'ind_c'"):
        from_data(two_pools(transfer={"ind_c": 5}), "x")
    with pytest.raises(ScenarioError, match="cannot transfer staff to itself"):
        from_data(two_pools(transfer={"ind_b": 5}), "x")


# ---------------------------------------------------------------- legal terms by lodging date
def test_a_term_extension_covers_its_lodging_window_and_lapses_on_its_date():
    """6 months, +9 for applications lodged in March 2026, lapsing on 1 October 2026: a case
    lodged on 10 March has its deadline on 10 June 2027 until the lapse day; lapsed, its term is
    the ordinary one (10 September 2026), but it cannot have run out before 1 October 2026."""
    data = base()
    data["streams"]["apps"]["term_extensions"] = [
        {"lodged_from": "2026-03-01", "lodged_until": "2026-03-31", "extra": {"value": 9, "unit": "months"},
         "source": "test"}]
    cases = run(data).cases
    dl = dict(zip(cases.lodged.dt.date, cases.deadline.dt.date, strict=False))
    assert dl[dt.date(2026, 2, 28)] == dt.date(2026, 8, 28)  # before the window: 6 months
    assert dl[dt.date(2026, 3, 10)] == dt.date(2027, 6, 10)  # in it: 15 months
    assert dl[dt.date(2026, 4, 1)] == dt.date(2026, 10, 1)
    data["streams"]["apps"]["term_extensions"][0]["lapses"] = "2026-10-01"
    cases = run(data).cases
    dl = dict(zip(cases.lodged.dt.date, cases.deadline.dt.date, strict=False))
    assert dl[dt.date(2026, 3, 10)] == dt.date(2026, 10, 1)  # 10 Sep had passed when it lapsed
    assert dl[dt.date(2026, 3, 1)] == dt.date(2026, 10, 1)
    assert dl[dt.date(2026, 2, 28)] == dt.date(2026, 8, 28)


def test_a_term_extension_reaches_the_initial_stock_lodged_before_the_start():
    data = base(initial_stock=[{"stream": "apps", "stage": "decide", "count": 400, "age_months": {"9-10": 1}}])
    data["pools"]["ind"]["fte"] = 0  # nobody is decided: every deadline stays visible
    data["streams"]["apps"]["term_extensions"] = [
        {"lodged_from": "2025-01-01", "lodged_until": "2025-12-31", "extra": {"value": 9, "unit": "months"}}]
    cases = run(data).cases
    stock = cases[cases.lodged < pd.Timestamp("2026-01-01")]
    assert len(stock) == 400
    months = (stock.deadline.dt.year - stock.lodged.dt.year) * 12 + stock.deadline.dt.month - stock.lodged.dt.month
    assert set(months) == {15}


# ---------------------------------------------------------------- appeals for not deciding in time
def late_cases(court_fte: float) -> dict:
    """IND decides nothing for 200 days: every case passes its 1-month term; every late case sends
    a notice 10 days later and appeals 14 days after that, to a court of ``court_fte`` hours a day."""
    data = base(horizon_years=1)
    data["outcomes"]["ordered"] = "ordered"
    data["streams"]["apps"].update(legal_term=1, monthly_volume=60.875)  # 2 a day
    data["pools"]["ind"]["fte"] = 0
    data["pools"]["court"] = {"label": "court", "owner": "court", "fte": court_fte, "hours_per_fte_year": 365.25}
    data["stages"]["nontimely"] = {"label": "appeal for not deciding in time", "owner": "court", "pool": "court",
                                   "hours": 1, "routes": [{"to": "exit", "p": 1, "outcome": "ordered"}]}
    data["changes"] = [{"date": "2026-07-20", "set": {"pools.ind.fte": 50}}]
    data["penalties"] = {"notice_probability": 1, "appeal_probability": 1, "notice_delay_days": 10,
                         "appeal_after_days": 14, "court_days": 84, "decision_order_days": 30,
                         "per_day_eur": 100, "cap_eur": 15000, "appeal_stage": "nontimely"}
    return data


def test_appeals_for_not_deciding_in_time_are_court_cases_that_take_court_hours():
    r = run(late_cases(court_fte=100))
    e, cases = r.records, r.cases
    court = cases[cases.nontimely_appeal]
    apps = cases[~cases.nontimely_appeal]
    late = apps[apps.deadline + pd.Timedelta(days=24) < apps.first_decision.fillna(pd.Timestamp("2100-01-01"))]
    late = late[late.deadline + pd.Timedelta(days=24) <= pd.Timestamp("2026-12-31")]
    assert len(late) > 200 and len(court) == len(late)  # one court case per late case, none for others
    assert set(court.parent_id) == set(late.case_id)
    lodged = court.set_index("parent_id").lodged
    assert (lodged.loc[late.case_id].values == (late.deadline + pd.Timedelta(days=24)).values).all()
    assert court.stream.eq("apps").all() and court.first_decision.isna().all()
    pool = e.structure.pools.index("court")
    assert e.pools.used[:, pool].sum() == pytest.approx(court.exit.notna().sum())  # 1 h each
    m = r.metrics  # court cases are not applications: no inflow, no werkvoorraad
    inflow = m[(m.metric == "inflow") & (m.stream == "apps")].value.sum()
    assert inflow == len(apps)
    assert m[(m.metric == "nontimely_appeals") & (m.stream == "apps")].value.sum() == len(late)


def test_a_slow_court_delays_the_order_and_so_the_penalties():
    fast = run(late_cases(court_fte=100)).cases
    slow = run(late_cases(court_fte=0.5)).cases  # half a ruling a day: rulings come late
    for cases in (fast, slow):
        court = cases[cases.nontimely_appeal].set_index("parent_id")
        apps = cases[~cases.nontimely_appeal].set_index("case_id")
        # a penalty accrues from the ruling + 30 days until the first decision (at most the cap)
        ruled = court.exit.dropna()
        start = ruled + pd.Timedelta(days=30)
        decided = apps.loc[start.index, "first_decision"].fillna(pd.Timestamp("2027-01-01"))
        days = (decided - start).dt.days.clip(lower=0, upper=150)
        assert apps.loc[start.index, "penalty_eur"].values == pytest.approx(100.0 * days.values)
    assert slow.penalty_eur.sum() < fast.penalty_eur.sum()


# ---------------------------------------------------------------- named dates (law variants)
def test_an_intervention_starts_on_a_named_date_and_a_variant_changes_it_in_one_line(tmp_path):
    law = base(dates={"law_in_force": "2026-06-01"},
               interventions={"law": {"label": "law", "start": "law_in_force", "set": {"pools.ind.fte": 50}}})
    s = from_data(law, "law")
    assert s.interventions["law"].start == dt.date(2026, 6, 1) and s.interventions["law"].enabled
    later = from_data({**law, "dates": {"law_in_force": "2027-01-01"}}, "later")
    assert later.interventions["law"].start == dt.date(2027, 1, 1)
    never = from_data({**law, "dates": {"law_in_force": "never"}}, "never")
    assert not never.interventions["law"].enabled
    hours = run({**law, "dates": {"law_in_force": "never"}}).records.pools.available[:, 0]
    np.testing.assert_allclose(hours, 100)  # never in force: the pool keeps its 100 FTE


def test_an_unknown_date_name_is_refused_with_a_suggestion():
    from simulator.errors import ScenarioError

    bad = base(dates={"law_in_force": "2026-06-01"},
               interventions={"law": {"label": "law", "start": "law_in_forse", "set": {"pools.ind.fte": 50}}})
    with pytest.raises(ScenarioError, match=r"interventions.law.start: 'law_in_forse' is neither a date nor a name "
                                            r"in 'dates'.*law_in_force"):
        from_data(bad, "bad")


# ---------------------------------------------------------------- reception capacity and the pools that bind
def test_reception_places_short_and_cost_follow_the_people_in_reception():
    data = base()
    data["streams"]["apps"]["in_reception"] = True
    data["stages"]["decide"]["delay"] = 60  # everyone stays two months: about 600 people in reception
    data["reception"] = {"places": 500, "cost_per_place_day": 100, "emergency_cost_per_place_day": 250}
    data["changes"] = [{"date": "2027-01-01", "set": {"reception.places": 800}}]
    r = run(data)
    y = r.yearly.set_index(["year", "figure", "category"]).value
    occupied = r.records.daily.stock.sum(axis=(1, 2))  # one stage, one stream
    assert 550 < occupied[-365:].mean() < 650
    assert y[(2026, "reception_places_end", "asylum")] == 500 and y[(2027, "reception_places_end", "asylum")] == 800
    assert y[(2026, "reception_short_end", "asylum")] == max(occupied[364] - 500, 0) > 0
    assert y[(2027, "reception_short_end", "asylum")] == 0
    cost = 100 * np.minimum(occupied, 500) + 250 * np.maximum(occupied - 500, 0)  # 2026: 500 regular places
    assert y[(2026, "reception_cost_eur", "asylum")] == pytest.approx(cost[:365].sum())
    m = r.metrics
    monthly = m[(m.metric == "reception_cost_eur") & (m.date < "2027-01-01")].value
    assert monthly.sum() == pytest.approx(cost[:365].sum())


def test_pool_figures_give_each_pools_utilisation_staff_and_queue_per_year():
    data = base()
    data["pools"]["ind"]["fte"] = 9  # 9 hours a day for 10 cases a day: saturated, the queue grows
    r = run(data)
    y = r.yearly.set_index(["year", "figure", "category"]).value
    e = r.records
    assert y[(2026, "utilisation", "ind")] == pytest.approx(1.0, abs=0.01)  # idle only in the first days
    assert y[(2027, "utilisation", "ind")] == pytest.approx(1.0)
    assert y[(2026, "fte_end", "ind")] == 9
    assert y[(2027, "queue_end", "ind")] > y[(2026, "queue_end", "ind")] > 200  # about one more a day
    assert y[(2026, "queue_end", "ind")] == e.month_ends.queue[12, 0]


def test_a_measure_in_several_bills_starts_with_the_first_in_force():
    data = base(dates={"law_a": "2027-01-01", "law_b": "2026-06-12"},
                interventions={"m": {"label": "m", "start": ["law_a", "law_b"], "set": {"pools.ind.fte": 50}}})
    assert from_data(data, "x").interventions["m"].start == dt.date(2026, 6, 12)
    data["dates"]["law_b"] = "never"
    assert from_data(data, "x").interventions["m"].start == dt.date(2027, 1, 1)
    data["dates"]["law_a"] = "never"
    assert not from_data(data, "x").interventions["m"].enabled


def test_cases_a_court_ordered_go_first_so_fewer_penalties_accrue():
    """IND works through a backlog (1 case a day for 2 arriving); half the late cases appeal.
    With court orders first, an ordered case is decided within days of its order; without, it
    waits its FIFO turn behind cases that did not appeal."""
    def penalties(first: bool) -> pd.DataFrame:
        data = late_cases(court_fte=100)
        data["changes"] = [{"date": "2026-07-20", "set": {"pools.ind.fte": 1}}]
        data["penalties"].update(ordered_first=first, appeal_probability=0.5)
        return run(data).cases

    first, fifo = penalties(True), penalties(False)
    assert first.penalty_eur.sum() < 0.9 * fifo.penalty_eur.sum()  # 2.45 against 2.94 million here
    ordered = first.case_id.isin(first[first.nontimely_appeal].parent_id)
    resumed = first.first_decision >= pd.Timestamp("2026-07-20")
    soon = first.first_decision < pd.Timestamp("2026-10-01")
    assert (soon & resumed)[ordered].sum() > 50 and (soon & resumed)[~ordered & ~first.nontimely_appeal].sum() == 0
    # same arrivals, same decisions in number: only their order differs
    assert first.first_decision.notna().sum() == fifo.first_decision.notna().sum()


def test_the_chain_partners_extra_incomplete_nareis_files_cost_what_the_sources_say():
    """DOMAIN 6D: without VWN's guidance 0.3 instead of 0.1 of nareis applications arrive
    incomplete, each costing +1.5 h and +6 weeks. Completing one once sent the file back through a
    whole assessment (the baseline's nareis hours 5.7 a decision instead of 5.2, the scenario's
    effect about three times its sources'); now the completion step decides, in both. The extra
    incomplete files are those lodged without VWN, a group drawn when the application arrives: all
    of the run's applications, as VWN takes no new ones from 1 December 2025."""
    from simulator.model.compiled import versions

    for path, group, share in (("scenarios/baseline.yaml", None, 0.10),
                               ("scenarios/ketenpartner.yaml", "unguided", 0.30)):
        s = load_scenario(path)
        full = dict(versions(s)).get(dt.date(2026, 6, 1), s)
        stage = full.stages["nareis_assessment"]
        shares = {r.to: r.p.value for r in (stage.routes if group is None else stage.routes_by_group[group])}
        if group is not None:
            lodging = {g: spec.share.value for g, spec in full.streams["nareis"].groups.items()}
            assert lodging == {"family": 0, group: 1}  # in force from the run's first day
        assert shares["nareis_rework"] == pytest.approx(share) and sum(shares.values()) == pytest.approx(1.0)
        completion = full.stages["nareis_rework"]
        assert completion.hours.mean == 1.5 and completion.delay.mean == 42
        assert "nareis_assessment" not in {r.to for r in completion.routes}  # it decides, no second assessment
        assert {r.outcome for r in completion.routes} == {"granted", "rejected"}
        granted = shares["nareis_permit"] + share * sum(r.p.value for r in completion.routes if r.outcome == "granted")
        # the incomplete files decided as the others; 3 points more rejections without guidance
        # (0.826 until 6 December 2026, when the 0.2 more incomplete files came from the grants)
        assert granted == pytest.approx(0.88 if share == 0.10 else 0.85)


def test_dublin_and_safe_country_claimants_take_their_own_interview_only_until_the_pact_screens_everyone():
    """DOMAIN 5 gives 6 interviewing hours per Dublin case and 8 IND hours per safe-country case in
    all, and IND publishes separate waits for the Dublin, safe-country and AA registration
    interviews (DOMAIN 1.2). Sending both tracks through the registration interview first cost
    them 3 hours more each (9 and 11); they now start at their own interview. The Pact screens
    every applicant first, these tracks too."""
    from simulator.model.compiled import versions

    s = load_scenario("scenarios/baseline.yaml")
    groups = s.streams["first_asylum"].groups
    assert (groups["dublin"].entry, groups["safe_country"].entry) == ("dublin_claim", "safe_country_interview")
    assert groups["high_recognition"].entry is None and s.streams["first_asylum"].entry == "registration"
    hearing = s.stages["dublin_claim"]
    assert hearing.pool == "ind_hearing" and hearing.hours.mean == 6
    safe = [s.stages[n] for n in ("safe_country_interview", "safe_country_decision")]
    assert sum(st.hours.mean for st in safe) == 8
    amp = load_scenario("scenarios/amp.yaml")
    after = dict(versions(amp))[dt.date(2026, 6, 12)].streams["first_asylum"]
    assert after.entry == "screening" and {g.entry for g in after.groups.values()} <= {"screening", None}
    assert after.groups["dublin"].entry == "screening"


# ---------------------------------------------------------------- a decision issued at a later stage
def _status_step(completes: bool, days: int = 30) -> dict:
    """Grants at ``decide``, then a status step of ``days`` that issues the decision or does not."""
    data = base()
    data["stages"] = {
        "decide": {"label": "decide", "pool": "ind", "hours": 1,
                   "routes": [{"to": "status", "p": 1, "outcome": "granted"}]},
        "status": {"label": "status", "delay": {"value": days, "unit": "days"}, "completes_decision": completes,
                   "routes": [{"to": "exit", "p": 1, "outcome": "done"}]},
    }
    return data


def _granted_then_status(completes: bool):
    return run(_status_step(completes))


def test_a_decision_is_issued_where_the_scenario_says_and_the_case_stays_open_until_then():
    """The two-status system decides a grant and then its A/B status: one decision, issued with
    the status. Until 6 December 2026 the grant counted as the first decision, so the cases
    waiting for their status left the werkvoorraad early."""
    plain, held = _granted_then_status(False), _granted_then_status(True)
    p, h = plain.cases.set_index("case_id"), held.cases.set_index("case_id")
    assert p.index.equals(h.index) and p.lodged.equals(h.lodged)  # the same cases, the same draws
    done = h.first_decision.notna()
    assert done.sum() > 5000
    assert ((h.first_decision - p.first_decision)[done] == pd.Timedelta(days=30)).all()
    assert (h.first_outcome[done] == "granted").all() and (p.first_outcome[done] == "granted").all()
    assert (h.decisions == p.decisions).all()  # the grant and the status step both count as decisions
    waiting = h.stage_at_end == "status"
    assert waiting.sum() > 100
    assert h.first_decision[waiting].isna().all() and p.first_decision[waiting].notna().all()
    assert (h.first_outcome[waiting].astype(str) == "").all()  # not issued: no first outcome shown

    def last_backlog(r) -> float:
        b = r.metrics[(r.metrics.metric == "backlog") & (r.metrics.stream == "") & (r.metrics.age_band == "")]
        return b[b.date == b.date.max()].value.sum()  # the category total

    assert last_backlog(held) - last_backlog(plain) == waiting.sum()  # still open, so in the werkvoorraad


def test_a_held_decision_is_issued_when_a_time_limit_takes_the_case_out_of_its_completing_stage():
    """A procedure's time limit that moves a case out of the stage that completes its decision
    issues that decision on the day it passes, as leaving the stage by its routes does (until
    6 December 2026 the decision stayed unissued, and the case left the chain without one)."""
    data = _status_step(True, days=60)
    data["stages"]["after"] = {"label": "after", "delay": {"value": 5, "unit": "days"},
                               "routes": [{"to": "exit", "p": 1}]}
    data["procedures"] = {"limit": {"label": "limit", "stages": ["status"],
                                    "time_limit": {"value": 20, "unit": "days"}, "on_time_limit": "after"}}
    r = run(data)
    c, e = r.cases.set_index("case_id"), r.records
    at_decide = e.decisions.stages == e.structure.stages.index("decide")
    granted = pd.Series(pd.Timestamp(START) + pd.to_timedelta(e.decisions.days[at_decide], "D"),
                        index=e.decisions.ids[at_decide])
    left = granted.index[c.stage_at_end[granted.index] != "status"]
    assert len(left) > 5000 and (c.stage_at_end[granted.index] == "status").sum() > 100
    assert ((c.first_decision[left] - granted[left]) == pd.Timedelta(days=20)).all()  # the limit's day
    assert (c.first_outcome[left] == "granted").all()
    assert c.first_decision[c.stage_at_end == "status"].isna().all()  # still held at the end
    backlog = r.metrics[(r.metrics.metric == "backlog") & (r.metrics.stream == "apps") & (r.metrics.age_band == "")]
    still_open = (c.first_decision.isna() & (c.stage_at_end != "")).sum()
    assert backlog.sort_values("date").value.iloc[-1] == still_open


def _status_work(first: bool):
    """Grants from an overloaded decision line (120 hours of work a day for 100), then half an
    hour of status work at the same pool, served first or not."""
    data = _status_step(True)
    data["stages"]["decide"]["hours"] = 12
    data["stages"]["status"] = {"label": "status", "pool": "ind", "hours": 0.5, "completes_decision": True,
                                "served_first": first, "routes": [{"to": "exit", "p": 1, "outcome": "done"}]}
    e = run(data).records
    at = {name: e.decisions.stages == e.structure.stages.index(name) for name in ("decide", "status")}
    granted = pd.Series(e.decisions.days[at["decide"]], index=e.decisions.ids[at["decide"]])
    done = pd.Series(e.decisions.days[at["status"]], index=e.decisions.ids[at["status"]])
    return (done - granted[done.index]), len(granted)


def test_work_of_a_stage_served_first_does_not_queue_behind_the_line():
    """The two-status system's A/B determination is part of a grant already in hand: its pool
    does it before the backlog (``served_first``); behind the line, a grant waited months for
    its status while the line grew."""
    first, n_first = _status_work(True)
    behind, n_behind = _status_work(False)
    assert len(first) > 5000 and (first == 1).all()  # the day after the grant
    assert behind.median() > 30 and len(behind) < len(first) - 500
    assert abs(n_first - n_behind) < 0.02 * n_behind  # the same hours: about as many grants either way
