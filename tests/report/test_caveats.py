"""A year whose asylum backlog has drained below anything IND has had gets a caveat next to its
figures, on the dashboard, in the brief and on the command line; a year that has not, none.
Hand-built yearly tables over 3 replications, and a short run whose staff drain the backlog."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from simulator.experiment import Results
from simulator.report.caveats import LOWEST_PUBLISHED_BACKLOG, drained, for_year, over_years
from simulator.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(ROOT / "scenarios" / "baseline.yaml")


def _results(baseline, backlog: list[float], decisions: list[float], year: int = 2032) -> Results:
    rows = [("baseline", r, year, figure, "asylum", v)
            for figure, values in (("backlog_end", backlog), ("first_decisions", decisions))
            for r, v in enumerate(values)]
    yearly = pd.DataFrame(rows, columns=["scenario", "replication", "year", "figure", "category", "value"])
    return Results({"baseline": baseline}, 1, len(backlog), pd.DataFrame(), yearly, None)


def test_a_drained_backlog_with_decisions_above_the_stated_capacity_gets_both_sentences(baseline):
    text = drained(_results(baseline, [6000, 7000, 8000], [34000, 34100, 34200]), "baseline", 2032, "nl")
    title = baseline.title.text("nl")
    assert text == (f"Let op: eind 2032 is de werkvoorraad asiel in {title} 7.000 zaken, lager dan IND sinds 2022 "
                    "heeft gehad (20.400 begin 2022). Doorlooptijden en het aandeel binnen de termijn volgen dan "
                    "vooral uit de aanname over het personeel, niet uit het beleid. Het model neemt dat jaar 34.100 "
                    "eerste besluiten, meer dan de 30.000 per jaar die IND in maart 2025 als zijn capaciteit "
                    "noemde (zie Aannames en beperkingen in de README).")


def test_a_drained_backlog_within_the_stated_capacity_gets_the_first_sentence_only(baseline):
    text = drained(_results(baseline, [15000, 15000, 15000], [28000, 28000, 28000]), "baseline", 2032, "en")
    assert text.startswith("Note: at the end of 2032 the asylum backlog in") and "15,000 cases" in text
    assert text.endswith("not from the policy.")


def test_a_backlog_at_or_above_the_lowest_published_figure_gets_none(baseline):
    at = [LOWEST_PUBLISHED_BACKLOG] * 3
    assert drained(_results(baseline, at, [40000] * 3), "baseline", 2032) == ""
    assert drained(_results(baseline, [46566] * 3, [34000] * 3), "baseline", 2032) == ""
    assert drained(_results(baseline, [5000] * 3, [34000] * 3), "baseline", 2031) == ""  # no figures that year


def _years(baseline, by_year: dict[int, tuple[list[float], list[float]]]) -> Results:
    """Yearly asylum figures of the baseline: year -> (backlogs, first decisions) per replication."""
    parts = [_results(baseline, backlog, decisions, year).yearly for year, (backlog, decisions) in by_year.items()]
    return Results({"baseline": baseline}, 1, 3, pd.DataFrame(), pd.concat(parts, ignore_index=True), None)


def test_a_table_of_every_year_gets_one_caveat_naming_the_drained_years_and_their_backlogs(baseline):
    results = _years(baseline, {2029: ([25000] * 3, [36000] * 3), 2030: ([16000, 17000, 18000], [36500] * 3),
                                2031: ([8000] * 3, [36700] * 3)})
    title = baseline.title.text("nl")
    assert over_years(results, "baseline", "nl") == (
        f"Let op: eind 2030 en 2031 is de werkvoorraad asiel in {title} lager dan IND sinds 2022 heeft gehad "
        "(17.000 en 8.000 zaken, tegen 20.400 begin 2022). Doorlooptijden en het aandeel binnen de termijn volgen "
        "in die jaren vooral uit de aanname over het personeel, niet uit het beleid. Het model neemt in die jaren "
        "tot 36.700 eerste besluiten per jaar, meer dan de 30.000 per jaar die IND in maart 2025 als zijn "
        "capaciteit noemde (zie Aannames en beperkingen in de README).")
    one = _years(baseline, {2030: ([21000] * 3, [36000] * 3), 2031: ([8000] * 3, [29000] * 3)})
    assert over_years(one, "baseline", "en") == drained(one, "baseline", 2031, "en") != ""  # one year: as for one
    assert over_years(_years(baseline, {2031: ([30000] * 3, [36000] * 3)}), "baseline") == ""


@pytest.fixture(scope="module")
def drained_run(baseline):
    """Two years of the baseline, and the same with three times the asylum staff, which drains
    the asylum backlog within the first year (3 replications each)."""
    from simulator.experiment import simulate
    from simulator.experiment.variants import variant

    def triple(data: dict) -> None:
        data["title"] = {"nl": "Driemaal het asielpersoneel", "en": "Three times the asylum staff"}
        for pool in ("ind_hearing", "ind_decision"):
            data["pools"][pool]["fte"]["value"] *= 3

    cut = variant(baseline, "baseline", lambda d: None, 2027)
    staffed = variant(baseline, "staffed", triple, 2027)
    return simulate([cut, staffed], replications=3, keep_cases="none", workers=1)


def test_the_brief_and_both_commands_carry_the_caveat_where_their_figures_come_from_a_drained_year(drained_run):
    from rich.console import Console

    from simulator.experiment import paired_differences
    from simulator.report.brief import blocks
    from simulator.report.summary import print_comparison, print_summary

    assert for_year(drained_run, ["baseline"], 2027) == []  # the shipped staff do not drain it by 2027
    (caveat,) = for_year(drained_run, ["baseline", "staffed"], 2027, "nl")
    assert caveat.startswith("Let op: eind 2027 is de werkvoorraad asiel in Driemaal het asielpersoneel")
    # the brief: under the key messages, before the table of main figures of that year
    content = blocks(drained_run, {}, {}, "baseline", "nl")
    said = caveat + " De kernboodschappen hierboven nemen doorlooptijden en het aandeel binnen de termijn daarom " \
                    "niet uit zo'n jaar."
    at = next(i for i, b in enumerate(content) if b.kind == "text" and b.text == said)
    assert content[at - 1].kind == "list" and content[at + 1].text == "Hoofdcijfers 2027"
    # indsim compare: under the comparison of that year
    console = Console(record=True, width=140)
    print_comparison(drained_run, paired_differences(drained_run, "baseline"), "nl", console=console)
    assert caveat in " ".join(console.export_text().split())
    # indsim run: under each scenario's table of every year, the years that drained
    console = Console(record=True, width=140)
    print_summary(drained_run, "en", console=console)
    printed = " ".join(console.export_text().split())
    assert drained(drained_run, "staffed", 2027, "en") in printed  # 2027 only: 2026 ends above 20,400
    assert printed.count("Note: at the end of") == 1


def test_key_messages_take_no_lead_time_or_within_term_share_from_a_drained_year(drained_run):
    from simulator.report.caveats import drained_in
    from simulator.report.sentences import key_messages

    assert drained_in(drained_run, ["baseline", "staffed"]) == {2027}
    timing = [m for m in key_messages(drained_run, "staffed", "baseline", "nl")
              if "doorlooptijd" in m or "binnen de beslistermijn" in m]
    assert timing and all(" in 2026 " in m for m in timing), timing  # 2027 is the drained year


def test_several_drained_scenarios_in_one_year_get_one_sentence(baseline):
    from simulator.experiment.variants import variant

    other = variant(baseline, "other", lambda d: d.update(title={"nl": "Ander scenario", "en": "Other scenario"}))
    one = _results(baseline, [3000] * 3, [32000] * 3).yearly
    two = _results(baseline, [5000] * 3, [36000] * 3).yearly.assign(scenario="other")
    results = Results({"baseline": baseline, "other": other}, 1, 3, pd.DataFrame(), pd.concat([one, two]), None)
    title = baseline.title.text("nl")
    assert for_year(results, ["baseline", "other"], 2032, "nl") == [
        f"Let op: eind 2032 is de werkvoorraad asiel in {title} 3.000 zaken en in Ander scenario 5.000 zaken: lager "
        "dan IND sinds 2022 heeft gehad (20.400 begin 2022). Doorlooptijden en het aandeel binnen de termijn volgen "
        "dan vooral uit de aanname over het personeel, niet uit het beleid. Het model neemt dat jaar tot 36.000 "
        "eerste besluiten, meer dan de 30.000 per jaar die IND in maart 2025 als zijn capaciteit noemde (zie "
        "Aannames en beperkingen in de README)."]
    (english,) = for_year(results, ["baseline", "other"], 2032, "en")
    assert english.startswith("Note: at the end of 2032 the asylum backlog is 3,000 cases in ") and \
        "and 5,000 cases in Other scenario: lower than IND has had since 2022" in english
    assert for_year(results, ["other"], 2032, "nl") == [drained(results, "other", 2032, "nl")]


def test_a_key_message_that_names_a_drained_year_carries_its_caveat_wherever_it_is_shown(drained_run):
    from simulator.report.brief import blocks
    from simulator.report.sentences import key_messages, named_years

    assert 2027 in named_years(drained_run, "staffed", "baseline")  # the backlog at the end of 2027
    caveat = drained(drained_run, "staffed", 2027, "nl")
    messages = key_messages(drained_run, "staffed", "baseline", "nl")  # as the dashboard's pages show them
    assert messages[-1] == caveat
    assert caveat not in key_messages(drained_run, "staffed", "baseline", "nl", caveats=False)
    # the brief of 2026's table (not drained) still says it under key messages that name 2027
    texts = [b.text for b in blocks(drained_run, {}, {}, "baseline", "nl", year=2026) if b.kind == "text"]
    assert any(x.startswith(caveat) for x in texts), texts
    assert not any(caveat in m for b in blocks(drained_run, {}, {}, "baseline", "nl", year=2026) if b.kind == "list"
                   for m in b.items)  # said once, under the list
