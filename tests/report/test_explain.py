"""The sentence that explains a move against intuition: it appears only when the results show
the pattern and a reason, and every figure in it is computed from the results' own tables. Real
runs of shipped scenarios (2026-2027, 3 paired replications) and hand-built tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from simulator.experiment import Results, simulate
from simulator.experiment.variants import variant
from simulator.model import METRIC_COLUMNS
from simulator.report.explain import explanation, first_decision_stages, latest_explanation, track_mix
from simulator.report.units import percent, show
from simulator.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
FAST = ["accelerated_decision", "border_decision", "dublin_decision", "safe_country_decision", "repeat_assessment"]


@pytest.fixture(scope="module")
def real() -> Results:
    names = ["baseline", "combined", "asielnoodmaatregelenwet"]
    cut = [variant(load_scenario(ROOT / "scenarios" / f"{n}.yaml"), n, lambda d: None, 2027) for n in names]
    return simulate(cut, replications=3, keep_cases="none", workers=1)


def _mean(results: Results, scenario: str, figure: str, year: int) -> float:
    y = results.yearly
    return float(y[(y.scenario == scenario) & (y.figure == figure) & (y.category == "asylum")
                   & (y.year == year)].value.mean())


def _late(results: Results, scenario: str, year: int) -> float:
    """First decisions on cases past their term, mean over replications: decisions x (1 - share)."""
    y = results.yearly
    wide = y[(y.scenario == scenario) & (y.category == "asylum") & (y.year == year)].pivot_table(
        index="replication", columns="figure", values="value")
    return float((wide.first_decisions * (1 - wide.within_term_share)).mean())


def test_a_higher_within_term_share_with_a_larger_backlog_is_explained_by_the_fast_tracks(real):
    text = explanation(real, "combined", "baseline", 2026, "nl")
    share = (percent(_mean(real, "combined", "within_term_share", 2026), "nl"),
             percent(_mean(real, "baseline", "within_term_share", 2026), "nl"))
    backlog = (show(_mean(real, "combined", "backlog_end", 2026), "cases", "nl"),
               show(_mean(real, "baseline", "backlog_end", 2026), "cases", "nl"))
    assert text.startswith(f"In 2026 is het aandeel eerste besluiten binnen de wettelijke termijn hoger dan in het "
                           f"basisscenario ({share[0]} tegen {share[1]}), hoewel de werkvoorraad asiel eind 2026 "
                           f"groter is ({backlog[0]} tegen {backlog[1]} zaken): "), text
    # the fast tracks' share, counted here by the stages' names, is what the sentence says
    m = real.metrics
    dec = m[(m.metric == "decisions") & (m.category == "asylum") & (m.date.dt.year == 2026)]
    first = first_decision_stages(real.scenarios["combined"]) | first_decision_stages(real.scenarios["baseline"])
    fast = {s: dec[(dec.scenario == s) & dec.stage.isin(FAST)].value.sum()
            / dec[(dec.scenario == s) & dec.stage.isin(first)].value.sum() for s in ("combined", "baseline")}
    assert fast["combined"] > fast["baseline"] + 0.08  # the Pact's accelerated procedure and its Dublin share
    clause = text[text.index(f"{percent(fast['combined'], 'nl')} van de eerste besluiten valt in snelle sporen "
                             "(vooral "):]
    assert "Versnelde procedure - besluit" in clause.split(")")[0], text
    assert (f"), waar wachtende zaken jonger zijn dan 6 maanden, tegen {percent(fast['baseline'], 'nl')} in het "
            f"basisscenario") in clause, text
    late = {s: show(_late(real, s, 2026), "decisions", "nl") for s in ("combined", "baseline")}
    past = _mean(real, "combined", "past_term_end", 2026) - _mean(real, "baseline", "past_term_end", 2026)
    assert text.endswith(f"; oude zaken wachten: minder besluiten gaan over zaken die de termijn al over waren "
                         f"({late['combined']} tegen {late['baseline']} besluiten), en eind 2026 staan "
                         f"{show(past, 'cases', 'nl')} meer zaken over de termijn open."), text
    english = explanation(real, "combined", "baseline", 2026, "en")
    assert english.startswith("In 2026, the share of first decisions within the legal term is higher than in the "
                              "baseline"), english
    assert "of first decisions fall in fast tracks (mainly " in english, english
    assert "Accelerated procedure - decision" in english
    assert "old cases wait: fewer decisions concern cases already past their term" in english


def test_a_lower_within_term_share_with_a_smaller_backlog_is_explained_by_old_cases_cleared(real):
    # the emergency law: no written intention to reject, so the IND decides more, the old cases too
    assert explanation(real, "asielnoodmaatregelenwet", "baseline", 2026, "nl") == ""  # in force from 2027 only
    text = explanation(real, "asielnoodmaatregelenwet", "baseline", 2027, "nl")
    past = _mean(real, "baseline", "past_term_end", 2027) - _mean(real, "asielnoodmaatregelenwet", "past_term_end",
                                                                  2027)
    assert text.startswith("In 2027 is het aandeel eerste besluiten binnen de wettelijke termijn lager dan in het "
                           "basisscenario"), text
    assert "hoewel de werkvoorraad asiel eind 2027 kleiner is" in text
    assert ": oude zaken worden afgehandeld: meer besluiten gaan over zaken die de termijn al over waren (" in text
    assert text.endswith(f", en eind 2027 staan {show(past, 'cases', 'nl')} minder zaken over de termijn open.")
    assert "snelle sporen" not in text  # the mix hardly moves: not told as a reason
    assert latest_explanation(real, "asielnoodmaatregelenwet", "baseline", 2027, "nl") == text


def test_no_sentence_for_the_base_itself_or_an_unknown_scenario(real):
    assert explanation(real, "baseline", "baseline", 2026) == ""
    assert explanation(real, "combined", "no_such_scenario", 2026) == ""


def test_first_decisions_are_taken_where_a_case_arrives_undecided(real):
    stages = first_decision_stages(real.scenarios["combined"])
    assert {"final_decision", "dublin_decision", "accelerated_decision", "border_decision", "aa_assessment"} <= stages
    assert not {"redecision", "permit_issue", "appeal", "dublin_transfer"} & stages  # after a decision, or not IND


# ---------------------------------------------------------------- hand-built tables
YEAR = 2027
WOBBLE = np.array([-1.0, 0.0, 1.0, 0.0])  # replication noise of the scenario (paired with the base)


def _built(real: Results, base: dict[str, float], scen: dict[str, float], tracks: dict[str, tuple] | None = None,
           ) -> Results:
    """Two scenarios' yearly asylum figures (``base``, ``scen``: figure -> mean) over 4
    replications, and per first-decision stage ``tracks``: stage -> (base decisions, scenario
    decisions, share of its waiting cases younger than 6 months)."""
    names = {"baseline": base, "built": scen}
    yearly = pd.DataFrame([(n, r, YEAR, f, "asylum", v + (WOBBLE[r] * abs(v) * 0.002 if n == "built" else 0.0))
                           for n, figs in names.items() for r in range(4) for f, v in figs.items()],
                          columns=["scenario", "replication", "year", "figure", "category", "value"])
    rows = []
    for stage, (b, s, young) in (tracks or {}).items():
        for n, count in (("baseline", b), ("built", s)):
            for r in range(4):
                rows.append((n, r, pd.Timestamp(f"{YEAR}-06-30"), "decisions", "asylum", "first_asylum", stage, "",
                             "rejected", "", count + (WOBBLE[r] if count else 0.0)))
                for band, part in (("0-6", young), ("6-15", 1 - young)):
                    rows.append((n, r, pd.Timestamp(f"{YEAR}-06-30"), "stock", "asylum", "first_asylum", stage, "",
                                 "", band, 100 * part))
    metrics = pd.DataFrame(rows, columns=METRIC_COLUMNS)
    scenarios = {"baseline": real.scenarios["baseline"],
                 "built": real.scenarios["baseline"].model_copy(update={"name": "built"})}
    return Results(scenarios, 1, 4, metrics, yearly, None)


BASE = {"backlog_end": 40000, "inflow": 28000, "first_decisions": 30000, "within_term_share": 0.30,
        "lead_time_p50": 300, "past_term_end": 25000}
TRACKS_BASE = {"final_decision": 8000, "dublin_decision": 2000}


def test_a_built_pattern_of_timelier_under_more_load_names_the_grown_fast_track_with_its_shares(real):
    scen = {**BASE, "backlog_end": 45000, "within_term_share": 0.40, "past_term_end": 28000}
    tracks = {"final_decision": (8000, 5000, 0.05), "dublin_decision": (2000, 2000, 0.95),
              "safe_country_decision": (0, 3000, 1.0)}
    text = explanation(_built(real, BASE, scen, tracks), "built", "baseline", YEAR, "en")
    # 5,000 of 10,000 first decisions in fast tracks against 2,000 of 10,000; 30000*0.6 vs 30000*0.7 late
    assert text == ("In 2027, the share of first decisions within the legal term is higher than in the baseline "
                    "(40% against 30%), although the asylum backlog at the end of 2027 is larger (45,000 against "
                    "40,000 cases): 50% of first decisions fall in fast tracks (mainly Track 2 decision), where "
                    "waiting cases are younger than 6 months, against 20% in the baseline; old cases wait: fewer "
                    "decisions concern cases already past their term (18,000 against 21,000 decisions), and at the "
                    "end of 2027, 3,000 more cases are open past their term."), text


def test_no_sentence_when_the_load_does_not_move_or_no_reason_holds(real):
    tracks = {"final_decision": (8000, 5000, 0.05), "dublin_decision": (2000, 5000, 0.95)}
    steady = {**BASE, "within_term_share": 0.40}  # timelier, and the backlog as in the base: no surprise
    assert explanation(_built(real, BASE, steady, tracks), "built", "baseline", YEAR) == ""
    # timelier under more load, but the mix stays and no fewer late decisions: no reason, no sentence
    bare = {**BASE, "backlog_end": 45000, "within_term_share": 0.40, "first_decisions": 35000}
    same = {"final_decision": (8000, 8000, 0.05), "dublin_decision": (2000, 2000, 0.95)}
    assert explanation(_built(real, BASE, bare, same), "built", "baseline", YEAR) == ""
    # a mix shift of 3 points cannot carry a 10-point move: told only with a reason that can
    small = {"final_decision": (8000, 7700, 0.05), "dublin_decision": (2000, 2300, 0.95)}
    assert "fast tracks" not in explanation(_built(real, BASE, {**bare, "first_decisions": 30000}, small), "built",
                                            "baseline", YEAR, "en")


def test_a_built_pattern_of_a_longer_lead_time_with_a_smaller_backlog_is_explained_by_old_cases(real):
    scen = {**BASE, "backlog_end": 34000, "first_decisions": 36000, "lead_time_p50": 364, "past_term_end": 20000}
    text = explanation(_built(real, BASE, scen), "built", "baseline", YEAR, "nl")
    assert text == ("In 2027 is de doorlooptijd tot het eerste besluit (mediaan) langer dan in het basisscenario "
                    "(52 tegen 43 weken), hoewel de werkvoorraad asiel eind 2027 kleiner is (34.000 tegen 40.000 "
                    "zaken): oude zaken worden afgehandeld: meer besluiten gaan over zaken die de termijn al over "
                    "waren (25.200 tegen 21.000 besluiten), en eind 2027 staan 5.000 minder zaken over de termijn "
                    "open."), text
    shorter = {**scen, "lead_time_p50": 250}  # a smaller backlog and shorter lead times: as expected
    assert explanation(_built(real, BASE, shorter), "built", "baseline", YEAR) == ""
    cleared_nothing = {**scen, "first_decisions": 30000, "within_term_share": 0.35}  # fewer late decisions
    assert explanation(_built(real, BASE, cleared_nothing), "built", "baseline", YEAR) == ""


def test_the_track_mix_is_none_without_decisions_by_stage(real):
    assert track_mix(_built(real, BASE, BASE), "built", "baseline", YEAR) is None


def test_the_brief_and_indsim_compare_tell_it_beside_the_binding_pool(real):
    from rich.console import Console

    from simulator.experiment import paired_differences
    from simulator.report.brief import blocks
    from simulator.report.summary import print_comparison

    content = blocks(real, {}, {}, "baseline", "nl")
    start = next(i for i, b in enumerate(content) if b.kind == "heading" and b.text == "Bindende capaciteit")
    end = next(i for i, b in enumerate(content) if i > start and b.kind == "heading")
    section = [b.text for b in content[start:end] if b.kind == "text"]
    for name in ("combined", "asielnoodmaatregelenwet"):
        sentence = latest_explanation(real, name, "baseline", 2027, "nl")
        assert sentence.startswith("In 2027 is het aandeel") and sentence in section
    console = Console(record=True, width=140)
    print_comparison(real, paired_differences(real, "baseline"), "en", console=console)
    printed = " ".join(console.export_text().split())
    english = latest_explanation(real, "combined", "baseline", 2027, "en")
    assert f"Everything together as planned (Pact, implementation bill, emergency law, two statuses, chain " \
           f"partner): {english}" in printed
    assert "Columns: baseline = Baseline 2026-2032" in printed  # the table names files, the sentences titles
    assert "; combined = Everything together as planned (Pact," in printed
