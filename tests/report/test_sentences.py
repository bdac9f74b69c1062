"""The sentences say the main thing: checked against what we expect of the shipped policy
scenarios (written down before looking at the numbers), 2026-2028, 3 paired replications."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import numpy as np
import pytest

from simulator.experiment import simulate
from simulator.experiment.variants import variant
from simulator.report.sentences import MAIN, figure_difference, figure_differences, key_messages, peak_sentence
from simulator.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
NAMES = ["baseline", "asielnoodmaatregelenwet", "tweestatusstelsel", "ketenpartner"]


@pytest.fixture(scope="module")
def results():
    cut = [variant(load_scenario(ROOT / "scenarios" / f"{n}.yaml"), n, lambda d: None, 2028) for n in NAMES]
    return simulate(cut, replications=3, keep_cases="none", workers=1)


def _never_wrong(lines: list[str]) -> None:
    text = " ".join(x for x in lines if not x.startswith("Let op:"))  # a caveat quotes IND's statement of 2025
    assert "2025" not in text  # never a date before the start
    assert not re.search(r"\b0% \(0%? ?(–|tot) ?0%\)", text) and "0 tot 0 " not in text
    assert not re.search(r"\b[a-z]+_[a-z0-9_]+\b", text), text  # no identifiers


def test_the_emergency_law_opens_with_the_fall_of_the_asylum_backlog_and_explains_the_renewals(results):
    lines = key_messages(results, "asielnoodmaatregelenwet", "baseline")
    _never_wrong(lines)
    # no written intention to reject: faster decisions, a smaller asylum backlog
    assert lines[0].startswith("Het grootste effect: de werkvoorraad asiel is eind 2028")
    assert "minder dan in het basisscenario (95%-interval:" in lines[0]
    # no permanent permit: permits expiring from 2027 on need a 3-hour renewal instead of a permanent
    # permit, so the 'other' backlog (expiring permits) is smaller, and the sentence says what it holds
    other = [x for x in lines if x.startswith("De werkvoorraad overig")]
    assert other and "minder dan in het basisscenario" in other[0] and "'Overig' zijn:" in other[0]
    # family reunification for the core family only: a smaller nareis backlog
    nareis = [x for x in lines if x.startswith("De werkvoorraad nareis")]
    assert nareis and "minder dan in het basisscenario" in nareis[0]
    # appeals are counted over every stream: the renewals' appeals are 'other', and counting asylum
    # alone told "fewer appeals" while IND's litigation officers' line grew sevenfold
    appeals = [x for x in lines if x.startswith("Het aantal beroepszaken (beroep, hoger beroep en beroep wegens niet "
                                                "tijdig beslissen; asiel, nareis en verlengingen)")]
    assert appeals and "meer dan in het basisscenario" in appeals[0], lines


def test_the_two_status_system_brings_upgrade_appeals_and_less_family_reunification(results):
    lines = key_messages(results, "tweestatusstelsel", "baseline")
    _never_wrong(lines)
    # the decision officers spend hours on status questions, so expiring permits wait longer: the
    # 'other' backlog grows, said in words (upgrade appeals are court cases, not in the werkvoorraad)
    other = [x for x in lines if x.startswith("De werkvoorraad overig")]
    assert other and "meer dan in het basisscenario" in other[0] and "'Overig' zijn:" in other[0]
    # B-status family reunification only after a waiting period: a smaller nareis backlog
    nareis = [x for x in lines if "werkvoorraad nareis" in x]
    assert nareis and "minder dan in het basisscenario" in nareis[0]


def test_the_chain_partner_leaving_raises_the_asylum_backlog(results):
    lines = key_messages(results, "ketenpartner", "baseline", "en")
    text = " ".join(lines)
    assert "2025" not in text and not re.search(r"\b[a-z]+_[a-z0-9_]+\b", text)
    asylum = [x for x in lines if "asylum backlog at the end of" in x]
    assert asylum and "more than in the baseline (95% interval:" in asylum[0]


def test_a_scenario_alone_states_its_levels_and_a_peak_from_the_start_on(results):
    lines = key_messages(results, "baseline")
    _never_wrong(lines)
    assert lines[0].startswith("De werkvoorraad asiel")
    assert any(x.startswith("De werkvoorraad asiel is eind 2028") for x in lines)
    peak = peak_sentence(results, "asielnoodmaatregelenwet", "baseline")
    assert "2025" not in peak and "(0" not in peak
    # a peak in the first month is dated, not called "the start" (the opening stock is higher still),
    # and the sentence ends on the last year's level rather than claiming a fall all the way
    first = peak_sentence(results, "baseline")
    assert first.startswith("De werkvoorraad asiel is het hoogst in de eerste maand (") and "eind jan 2026" in first
    assert "bij de start" not in first and "daalt daarna" not in first, first


def test_all_years_at_once_give_each_year_s_numbers_exactly(results):
    """The key messages read every year of a figure from one table; each year's figures are
    those of its own table, bit for bit, also where a scenario lacks a year or replications."""
    y = results.yearly
    gaps = ((y.scenario == "tweestatusstelsel") & (y.year == 2027)) | (
        (y.scenario == "baseline") & (y.year == 2026) & (y.replication == 2))
    for r in (results, dataclasses.replace(results, yearly=y[~gaps])):
        years = [*sorted(set(r.yearly.year)), 2099]
        for figure, cats in MAIN:
            for scenario, base in (("tweestatusstelsel", "baseline"), ("baseline", "tweestatusstelsel"),
                                   ("baseline", "baseline"), ("nope", "baseline"),
                                   ("ketenpartner", "nope")):
                every = figure_differences(r, scenario, base, figure, cats)
                for year in years:
                    one = np.array(figure_difference(r, scenario, base, figure, cats, year))
                    assert np.array_equal(np.array(every.get(year, (np.nan,) * 4)), one, equal_nan=True), \
                        (figure, cats, year, scenario, base)
    assert not np.isnan(figure_differences(results, "tweestatusstelsel", "baseline", "backlog_end", ("asylum",))[
        2027][1])  # a real difference where both have the year


def test_a_move_that_turns_the_other_way_later_is_told_beside_the_largest(results):
    """The emergency law's 'other' backlog: 7,003 fewer at the end of 2029, then 6,077 more at the
    end of 2031 (4 replications to 2032); the year of the largest move alone told half the story.
    Hand-made moves, so the rule is exact: a reversal of at least half the largest is told."""
    from simulator.report.sentences import Change, told

    fewer = Change("backlog_end", ("other",), 2029, 412.0, 7415.0, -7003.0, -7406.0, -6600.0)
    more = Change("backlog_end", ("other",), 2031, 7163.0, 1086.0, 6077.0, 4226.0, 7928.0)
    small = dataclasses.replace(more, diff=3000.0, value=4086.0, low=1000.0, high=5000.0)
    text = told(results, [fewer, more], fewer, "baseline")
    assert text.startswith("De werkvoorraad overig is eind 2029 412 zaken: 7.003 minder dan in het basisscenario")
    assert "Maar: de werkvoorraad overig is eind 2031 7.163 zaken: 6.077 meer dan in het basisscenario" in text
    assert text.count("'Overig' zijn:") == 1  # said once, at the end
    assert "Maar:" not in told(results, [fewer, small], fewer, "baseline")  # less than half: not told


def test_a_higher_share_within_the_term_is_told_with_the_cases_past_it_when_those_rise_too():
    """The Pact's 2026: fast tracks decided first lift the share within the term while old cases
    wait longer; the share alone told half of it (a sceptic's first objection)."""
    cut = [variant(load_scenario(ROOT / "scenarios" / f"{n}.yaml"), n, lambda d: None, 2026)
           for n in ("baseline", "amp")]
    res = simulate(cut, replications=3, keep_cases="none", workers=1)
    (share,) = [m for m in key_messages(res, "amp", "baseline") if "binnen de beslistermijn is in 2026" in m]
    assert "procentpunt hoger" in share
    assert "Maar: het aantal asielzaken over de beslistermijn is eind 2026" in share and share.endswith("meer).")
    _never_wrong([share])
