"""Workbooks for people say what their numbers are, in words: the charts' band is the 10-90% band
over replications and the main figures' bounds a 95% interval of the mean; codes of streams,
stages and outcomes become the scenario's names. The CSV tables keep their identifiers for code."""

from __future__ import annotations

import io
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from openpyxl import load_workbook
from scipy import stats

from simulator.experiment import simulate
from simulator.report.export import excel_bytes, provenance
from simulator.report.pack import workbook_frame, write_report
from simulator.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    d = tmp_path_factory.mktemp("workbooks")
    base, other = d / "kort.yaml", d / "meer.yaml"
    base.write_text(textwrap.dedent(f"""\
        extends: {ROOT / 'scenarios/baseline.yaml'}
        name: kort
        title: {{nl: Kort, en: Short}}
        horizon_years: 2
        changes: []
        """))
    other.write_text(textwrap.dedent(f"""\
        extends: {base}
        name: meer
        title: {{nl: Meer, en: More}}
        pools:
          ind_decision:
            fte: {{value: 400, source: "assumption: test"}}
        """))
    results = simulate([load_scenario(base), load_scenario(other)], replications=3, keep_cases="none", workers=1)
    return results, write_report(results, d / "pack", "nl")


def _sheet(book, name: str) -> pd.DataFrame:
    rows = list(book[name].iter_rows(values_only=True))
    return pd.DataFrame(rows[1:], columns=rows[0])


def test_band_and_interval_are_headed_as_what_they_are(run):
    results, out = run
    book = load_workbook(out / "tables.xlsx", read_only=True)
    m = results.metrics
    reps = m[(m.metric == "backlog") & (m.category == "asylum") & (m.stream == "") & (m.scenario == "meer")]
    reps = reps.groupby("date").value
    for sheet in ("werkvoorraad", "verschil werkvoorraad asiel"):
        header = _sheet(book, sheet).columns
        assert {"ondergrens 80%-band (10e percentiel)", "bovengrens 80%-band (90e percentiel)"} <= set(header)
        assert not [h for h in header if "95%" in h], header
    backlog = _sheet(book, "werkvoorraad").query("scenario == 'meer' and reeks == 'asiel'").set_index("datum")
    assert np.allclose(backlog["ondergrens 80%-band (10e percentiel)"], reps.quantile(0.1).loc[backlog.index])
    assert np.allclose(backlog["bovengrens 80%-band (90e percentiel)"], reps.quantile(0.9).loc[backlog.index])

    for sheet in ("hoofdcijfers", "vergelijking"):
        header = _sheet(book, sheet).columns
        assert {"ondergrens 95%-interval", "bovengrens 95%-interval"} <= set(header), header
    figures = _sheet(book, "hoofdcijfers").query("scenario == 'meer' and hoofdcijfer == 'eerste besluiten' "
                                                 "and categorie == 'asiel' and jaar == 2026").iloc[0]
    y = results.yearly
    v = y[(y.scenario == "meer") & (y.figure == "first_decisions") & (y.category == "asylum") & (y.year == 2026)].value
    half = stats.t.ppf(0.975, len(v) - 1) * v.std(ddof=1) / np.sqrt(len(v))  # a t-interval of the mean
    assert figures["ondergrens 95%-interval"] == pytest.approx(max(v.mean() - half, 0))
    assert figures["bovengrens 95%-interval"] == pytest.approx(v.mean() + half)


def test_the_report_workbook_has_one_heading_per_meaning_and_the_csv_keeps_codes(run):
    _, out = run
    book = load_workbook(out / "tables.xlsx", read_only=True)
    header = list(_sheet(book, "vergelijking").columns)
    assert "basisscenario" in header and "replicaties met een waarde" in header and "replicaties in de run" in header
    assert not {"base_scenario", "replications", "n", "low", "high"} & set(header), header
    assert len(header) == len(set(header))
    keys = set(_sheet(book, "herkomst").sleutel)
    assert "scenario's" in keys and "software" in keys and not {"Title", "Software", "Description"} & keys
    # the CSV files are for code: identifiers as before
    assert {"base_scenario", "n", "replications", "low", "high"} <= set(pd.read_csv(out / "tables/comparison.csv"))
    assert {"low", "high"} <= set(pd.read_csv(out / "tables/backlog.csv"))
    # the workbook keeps the files' values: its unit column says euro and shares 0-1, not the screen's
    # '€ mln' and '%' (an editor read a penalty of 1,873,675 euro as € million)
    figures = _sheet(book, "hoofdcijfers")
    units = dict(zip(figures.hoofdcijfer, figures.eenheid, strict=True))
    assert units["dwangsommen"] == "euro" and units["binnen de beslistermijn"] == "aandeel (0-1)", units
    assert units["doorlooptijd (mediaan)"] == "weken" and not {"€ mln", "%"} & set(figures.eenheid)
    assert figures[figures.eenheid == "aandeel (0-1)"]["gemiddelde"].between(0, 1).all()


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_the_dashboards_monthly_sheet_names_what_the_scenario_names(run, lang):
    """The dashboard's Export → Excel: the monthly table with headings and names in words."""
    results, _ = run
    s = results.scenarios["kort"]
    frame = workbook_frame(results.metrics, results, lang)
    words = {"nl": ["replicatie", "stroom", "fase", "capaciteit", "uitkomst", "leeftijd zaak (maanden)"],
             "en": ["replication", "stream", "stage", "capacity", "outcome", "case age (months)"]}[lang]
    assert set(words) <= set(frame.columns)
    assert not {"replication", "stream", "stage", "outcome", "age_band"} - set(words) & set(frame.columns)
    stream, stage, outcome = (words[i] for i in (1, 2, 4))
    assert s.streams["first_asylum"].label.text(lang) in set(frame[stream])
    assert s.stages["aa_assessment"].label.text(lang) in set(frame[stage])
    assert s.outcomes["granted"].text(lang) in set(frame[outcome])
    assert {"nl": "zonder uitkomst", "en": "without an outcome"}[lang] in set(frame[outcome])  # the model's 'none'
    codes = {"first_asylum", "dublin_reentry", "aa_assessment", "transfer_failed", "none"}
    assert not codes & {*frame[stream], *frame[stage], *frame[outcome]}
    units = set(frame[{"nl": "eenheid", "en": "unit"}[lang]])  # the monthly table keeps days (it said weeks)
    assert {"nl": {"dagen", "euro", "aandeel (0-1)"}, "en": {"days", "euro", "share (0-1)"}}[lang] <= units, units
    assert not {"weken", "weeks", "%", "€ mln", "€ million"} & units
    data = excel_bytes({"x": frame.head(5)}, provenance(results), "herkomst", lang)
    sheet = _sheet(load_workbook(io.BytesIO(data), read_only=True), "herkomst")
    assert {"nl": ["sleutel", "waarde"], "en": ["key", "value"]}[lang] == list(sheet.columns)
    assert {"nl": "scenario's", "en": "scenarios"}[lang] in set(sheet.iloc[:, 0])
    assert not {"Title", "Software", "Description"} & set(sheet.iloc[:, 0])
