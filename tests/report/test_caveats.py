"""A year whose asylum backlog has drained below anything IND has had gets a caveat next to its
figures; a year that has not, none. Hand-built yearly tables, over 3 replications."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from simulator.experiment import Results
from simulator.report.caveats import LOWEST_PUBLISHED_BACKLOG, drained
from simulator.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def baseline():
    return load_scenario(ROOT / "scenarios" / "baseline.yaml")


def _results(baseline, backlog: list[float], decisions: list[float]) -> Results:
    rows = [("baseline", r, 2032, figure, "asylum", v)
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
