"""One catalogue and one formatter: numbers by unit, in Dutch and English; the console summary
never drops a year; parameters and changes in words."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pandas as pd
import pytest
from rich.console import Console

from simulator.report import i18n, units
from simulator.report.parameters import path_words, value_words
from simulator.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(("value", "unit", "nl", "en"), [
    (625.4, "days", "89 weken", "89 weeks"),
    (0.213, "share", "21%", "21%"),
    (8_912_345.0, "euro", "€ 8,9 mln", "€ 8.9 million"),
    (51383.0, "cases", "51.383 zaken", "51,383 cases"),
    (7.0, "days", "1 week", "1 week"),  # "1 weken" before
    (1.0, "cases", "1 zaak", "1 case"),
    (1.0, "decisions", "1 besluit", "1 decision"),
])
def test_a_number_is_shown_by_its_unit(value, unit, nl, en):
    assert units.with_unit(value, unit, "nl") == nl and units.with_unit(value, unit, "en") == en


def test_changes_carry_sign_interval_and_percentage_points_for_shares():
    assert units.change(0.03, "share", "nl", 0.01, 0.06) == "+3 procentpunt (+1 tot +6)"
    assert units.change(-17144, "cases", "nl", -17873, -16415, word=False) == "−17.144 (−17.873 tot −16.415)"
    assert units.change(-4.7e6, "euro", "en") == "−€ 4.7 million"
    assert units.change(7.0, "days", "nl") == "+1 week" and units.change(0.01, "share", "en") == "+1 percentage point"


def test_an_unknown_message_key_is_an_error_not_an_identifier_on_screen():
    with pytest.raises(KeyError):
        i18n.t("backlog_endd")


def test_parameters_and_changes_are_said_in_words():
    b = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    law = load_scenario(ROOT / "scenarios" / "asielnoodmaatregelenwet.yaml")
    assert path_words([law, b], "stages.renewal.routes[appeal/rejected].p") == \
        "Verlenging vergunning asiel (3 jaar): kans op Beroep rechtbank (afgewezen)"
    assert path_words([b], "pools.ind_decision.hiring.intake_cap_per_year", "en") == \
        "IND decision officers: hiring: at most new staff a year"
    assert value_words([b], "stages.appeal.hours", "8", "× 1.1") == "8 → 8,80 (×1,10)"
    path = "stages.final_decision.routes[appeal/rejected].p"
    assert value_words([b], path, "0.8", "+ 0.03") == "0,80 → 0,83 (+0,03)"
    assert value_words([b], "x.p", "0.06", "-0.03") == "0,06 → 0,03 (−0,03)"
    # a step on a distribution moves its mean (the chain partner's information line: once '+0,19' alone)
    assert value_words([b], "stages.nareis_assessment.hours", "gamma (mean 5, cv 0.5)", "+ 0.19") == \
        "gemiddelde 5 → 5,19 (+0,19)"
    routes = '[{"to": "exit", "p": 0.6, "outcome": "upheld"}, {"to": "redecision", "p": 0.4}]'
    assert value_words([b], "stages.appeal.routes", "", routes, "nl").startswith("vervolgstappen: einde (beroep")
    # an order of work says the order within the ranks too: that is all oldest_first.yaml changes
    oldest = '{"order": "priority", "by": "group", "ranking": ["dublin", "safe_country"], "then": "oldest_first"}'
    assert value_words([b], "pools.ind_hearing.discipline", "", oldest, "nl") == (
        "voorrang voor Dublinclaimanten (spoor 1) en Veilig land van herkomst (spoor 2); daarbinnen de vroegst "
        "ingediende aanvraag eerst")
    assert value_words([b], "pools.ind_hearing.discipline", "", oldest.replace("oldest_first", "fifo"), "en") == (
        "priority for Dublin claimants (track 1) and Safe country of origin (track 2); within that, longest waiting "
        "in the line first")
    assert value_words([b], "pools.ind_nareis.discipline", "", '{"order": "oldest_first"}', "en") == \
        "The application lodged earliest first"
    ahead = ('{"order": "fifo", "by": "group", "head_start": {"dublin": {"value": 14, "unit": "weeks"}, '
             '"safe_country": {"value": 2, "unit": "months"}}}')
    assert value_words([b], "pools.ind_hearing.discipline", "", ahead, "nl") == (
        "Wie het langst in de rij wacht eerst; met een voorsprong van 14 weken voor Dublinclaimanten (spoor 1) en "
        "2 maanden voor Veilig land van herkomst (spoor 2)")


def test_a_change_of_order_of_work_or_of_a_name_shows_the_base_value_too():
    """The log had no base value for what is not a number (an order of work, an entry stage, a
    pool), so the brief showed only the new one: the baseline's order looked like the change."""
    from simulator.scenario.assumptions import assumption_log

    b = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    oldest = load_scenario(ROOT / "scenarios" / "oldest_first.yaml")
    log = assumption_log(oldest, b).set_index("parameter")
    fifo = ('{"order": "priority", "by": "stage", "ranking": ["dublin_claim_late"], "then": "fifo", "head_start": '
            '{"dublin_claim": {"value": 15.0, "unit": "weeks"}, "safe_country_interview": {"value": 15.0, "unit": '
            '"weeks"}}}')
    assert log.loc["pools.ind_hearing.discipline", "baseline"] == fifo  # a head start keeps its unit
    ahead = "with a head start of 15 weeks for Dublin interview and claim and 15 weeks for Short interview (track 2)"
    assert value_words([b, oldest], "pools.ind_hearing.discipline", fifo, log.loc["pools.ind_hearing.discipline",
                                                                                  "scenario"], "en") == (
        f"priority for Dublin interview and claim (deadline near); within that, longest waiting in the line first; "
        f"{ahead} → priority for Dublin interview and claim (deadline near); within that, the application lodged "
        f"earliest first; {ahead}")
    amp = load_scenario(ROOT / "scenarios" / "amp.yaml")
    entry = assumption_log(amp, b).set_index("parameter").loc["streams.first_asylum.entry"]
    assert (entry.baseline, entry.scenario) == ("registration", "screening")
    assert value_words([b, amp], "streams.first_asylum.entry", entry.baseline, entry.scenario, "nl") == \
        "Aanmelding en aanmeldgehoor → Screening (Ontvangst en Voorbereiden Asiel)"


def test_changed_routes_say_each_share_old_and_new():
    """A changed list of routes named only its new shares, so the chain partner's "10% → 30%
    incomplete" read as "30%", and a route that went was not named at all. (The Pact's Dublin
    transfers: a list of routes whose first share is a number with its own range and source.)"""
    from simulator.scenario.assumptions import assumption_log

    b = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    pact = load_scenario(ROOT / "scenarios" / "amp.yaml")
    row = assumption_log(pact, b).set_index("parameter").loc["stages.dublin_transfer.routes"]
    assert value_words([b, pact], "stages.dublin_transfer.routes", row.baseline, row.scenario, "en") == (
        "next steps: end (transferred) 36% → 52%; end (absconded) 40% → 32%; end (transfer failed) 24% → 16%")
    old = '[{"to": "exit", "p": 0.5}, {"to": "exit", "p": 0.25}, {"to": "redecision", "p": 0.25}]'
    new = '[{"to": "exit", "p": 0.5}, {"to": "exit", "p": 0.5}]'
    assert value_words([b], "stages.appeal.routes", old, new, "en") == (
        "next steps: end 50%; end 25% → 50%; New decision after a ruling 25% → 0%")


def test_the_assumption_table_in_words_gives_each_value_its_unit():
    """The dashboard's and the brief's table said "Beslistermijn: 6" and "uren per zaak: gemiddelde
    5 → 5,19 (+0,19)" without saying months or hours; a factor and a list of routes take no unit."""
    from simulator.report.parameters import assumption_words
    from simulator.scenario.assumptions import assumption_log

    b = load_scenario(ROOT / "scenarios" / "baseline.yaml")
    for name, rows in (("ketenpartner", {"Beoordeling nareis: uren per zaak": "gemiddelde 5 → 5,19 (+0,19) uur",
                                         "Rust- en voorbereidingstermijn: uren per zaak": "1,50 → 0,30 uur"}),
                       ("asielnoodmaatregelenwet", {"Beroep rechtbank: uren per zaak": "8 → 8,48 (×1,06) uur",
                                                    "Nareis (gezinshereniging): aandeel dat in aanmerking komt":
                                                        "1 → 0,85"})):
        s = load_scenario(ROOT / "scenarios" / f"{name}.yaml")
        words = assumption_words(assumption_log(s, b), [s, b], {}, "nl")
        said = dict(zip(words["wat verandert"], words["waarde"], strict=True))
        for what, value in rows.items():
            assert said[what] == value, (name, what, said[what])
        assert all(not v.endswith(" uur") for w, v in said.items() if "vervolgstappen" in v)
    words = assumption_words(assumption_log(b), [b], {}, "en")
    said = dict(zip(words["what changes"], words["value"], strict=True))
    assert said["First asylum applications: legal decision term"] == "6 months"


def test_the_console_summary_never_drops_a_year_on_a_narrow_terminal(tmp_path):
    from simulator.experiment import simulate
    from simulator.experiment.variants import variant
    from simulator.report.summary import print_summary

    s = variant(load_scenario(ROOT / "scenarios" / "baseline.yaml"), "baseline", lambda d: None, 2029)
    results = simulate(s, replications=2, keep_cases="none", workers=1)
    buf = io.StringIO()
    print_summary(results, "nl", tmp_path, Console(file=buf, width=90, force_terminal=False))
    text = buf.getvalue()
    assert all(str(y) in text for y in range(2026, 2030)) and "…" not in text
    assert max(len(line) for line in text.splitlines()) <= 90
    assert re.search(r"\(1/\d\)", text) and str(tmp_path / "figures.csv") in text.replace("\n", "")
    assert "Volledige tabel" in text
    assert "Doorlooptijd (mediaan) asiel (weken)" in text
    assert "Bindende capaciteit" in text


def test_the_comparison_names_the_pool_that_binds_in_each_scenario():
    from simulator.experiment import paired_differences, simulate
    from simulator.experiment.binding import binding_pools
    from simulator.experiment.variants import variant
    from simulator.report.summary import difference_frame

    base = variant(load_scenario(ROOT / "scenarios" / "baseline.yaml"), "baseline", lambda d: None, 2027)
    def fewer(d: dict) -> None:
        d["pools"]["ind_decision"]["fte"] = {"value": 100, "source": "test"}
        d["pools"]["ind_decision"]["hiring"]["target_fte"] = {"value": 100, "source": "test"}

    slow = variant(base, "slow", fewer, 2027)
    results = simulate([base, slow], replications=2, keep_cases="none", workers=1)
    frame = difference_frame(paired_differences(results, "baseline"), "en", 2027, results)
    row = frame[frame[""] == "Binding capacity"].iloc[0]
    bound = binding_pools(results.yearly).set_index(["scenario", "year"])
    assert bound.loc[("slow", 2027)].pool == "ind_decision" and bound.loc[("slow", 2027)].saturated
    assert row["slow"].startswith("IND decision officers (") and row["slow"].endswith("%)")
    # the brief's sentence says why this pool (its line grew most of the full ones) and that the line
    # holds every stream (it stood beside a smaller asylum backlog, unexplained)
    from simulator.report.brief import pool_rows

    text = pool_rows(results, "slow", 2027, "en")[1]
    growth = bound.loc[("slow", 2027)].queue_growth
    assert text.startswith("The binding capacity is IND decision officers: utilisation ")
    assert f"its line grew most (+{growth:,.0f}, to " in text and "all streams together" in text, text


def test_every_figure_metric_and_unit_of_the_model_has_words_in_the_catalogue():
    from simulator.model import FIGURES, METRICS

    names = list(FIGURES) + list(METRICS)
    assert not [k for k in names if not i18n.has(k)]
    assert {u for u, _ in [*FIGURES.values(), *METRICS.values()]} <= set(units.UNITS)


def test_every_field_a_change_can_set_has_words():
    """A changed field is said in Dutch in the brief and the dashboard (``served_first`` showed
    in English until 6 December 2026). A stream's groups and a stage's routes by group are said
    through the group's name."""
    from simulator.report.parameters import FIELDS
    from simulator.scenario import schema

    models = [schema.Stream, schema.Group, schema.Hiring, schema.Discipline, schema.Pool, schema.Stage,
              schema.Procedure, schema.Penalties]
    missing = [f"{m.__name__}.{f}" for m in models for f in m.model_fields
               if f not in FIELDS and f not in ("groups", "routes_by_group")]
    assert not missing


def test_every_message_key_the_code_names_is_in_the_catalogue():
    import re

    called = re.compile(r"""\b(?:t|tr)\(\s*["']([a-z][a-z0-9_.]*)["']""")
    files = [*ROOT.joinpath("simulator").rglob("*.py"), *ROOT.joinpath("views").glob("*.py"), ROOT / "app.py"]
    missing = sorted({(f.relative_to(ROOT).as_posix(), k) for f in files
                      for k in called.findall(f.read_text()) if not i18n.has(k)})
    assert not missing


def test_a_sensitivity_or_requirements_table_carries_its_figure_and_unit_with_lead_times_in_weeks():
    """Every written table has its unit; the tables about one figure got none (a lead time's
    effects were days in the file and weeks on the console)."""
    from simulator.experiment.figures import Figure
    from simulator.report.export import _with_unit, for_people

    table = pd.DataFrame({"parameter": ["hours"], "base": [70.0], "effect_low": [-14.0], "effect_low_ci": [7.0],
                          "swing": [28.0], "figure_mean": [63.0]})
    out = for_people(_with_unit(table, Figure("lead_time_p50", "asylum", 2028))).iloc[0]
    assert (out.figure, out.category, out.year, out.unit) == ("lead_time_p50", "asylum", 2028, "weeks")
    assert (out.base, out.effect_low, out.effect_low_ci, out.swing, out.figure_mean) == (10, -2, 1, 4, 9)
    assert for_people(_with_unit(table, Figure("backlog_end", "asylum", 2028))).iloc[0].base == 70.0
