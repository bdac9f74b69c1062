"""`indsim report`: the pack's files exist and open, carry provenance, and hold the experiment's numbers."""

from __future__ import annotations

import io
import json
import re
import textwrap
import xml.etree.ElementTree as ET
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from PIL import Image
from pypdf import PdfReader
from typer.testing import CliRunner

from simulator.cli import app
from simulator.experiment import simulate
from simulator.report.export import figures_table
from simulator.scenario import load_scenario, scenario_hash

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> tuple[Path, list[Path]]:
    d = tmp_path_factory.mktemp("report")
    base, other = d / "kort.yaml", d / "meer.yaml"
    base.write_text(textwrap.dedent(f"""\
        extends: {ROOT / 'scenarios/baseline.yaml'}
        name: kort
        title: {{nl: Kort basisscenario, en: Short baseline}}
        horizon_years: 2
        changes: []
        """))
    other.write_text(textwrap.dedent(f"""\
        extends: {base}
        name: meer
        title: {{nl: Meer beslismedewerkers, en: More decision staff}}
        pools:
          ind_decision:
            fte: {{value: 400, source: "assumption: test"}}
        """))
    result = CliRunner().invoke(app, ["report", str(base), str(other), "--out", str(d / "pack"), "-n", "2",
                                      "--no-validation", "--no-cache", "--workers", "1"])
    assert result.exit_code == 0, result.output
    return d / "pack", [base, other]


def test_every_chart_in_three_formats_that_open(pack):
    out, _ = pack
    names = {p.stem for p in (out / "charts").iterdir()}
    assert {"backlog", "lead_time", "within_term", "utilisation", "penalties", "difference_backlog_asylum"} <= names
    for name in names:
        png = Image.open(out / "charts" / f"{name}.png")
        assert round(png.info["dpi"][0]) == 300 and png.size[0] >= 1800  # 16 cm at 300 dpi
        assert "kort" in png.info["Title"] and "meer" in png.info["Description"]
        root = ET.parse(out / "charts" / f"{name}.svg").getroot()
        assert root.tag.endswith("svg")
        pdf = PdfReader(out / "charts" / f"{name}.pdf")
        assert len(pdf.pages) == 1 and "kort" in pdf.metadata.title
        text = pdf.pages[0].extract_text()
        assert "Bron: IND-simulatiemodel" in text and "2 replicaties" in text  # the footer is in the chart


def test_tables_hold_the_experiments_numbers_with_provenance(pack):
    out, (base, other) = pack
    results = simulate([load_scenario(base), load_scenario(other)], replications=2, keep_cases="none", workers=1)
    expected = figures_table(results)
    got = pd.read_csv(out / "tables" / "figures.csv")
    assert {"indsim_version", "seed", "replications", "unit"} <= set(got.columns)
    merged = got.merge(expected, on=["scenario", "category", "figure", "year"], suffixes=("", "_exp"))
    assert len(merged) == len(expected)
    assert (merged["mean"] - merged["mean_exp"]).abs().max() < 1e-9
    lead = got[got.figure == "lead_time_p50"]
    assert set(lead.unit) == {"weeks"} and set(got[got.figure == "within_term_share"].unit) == {"share"}
    days = figures_table(results, people=False)
    assert set(days[days.figure == "lead_time_p50"].unit) == {"days"}  # code reads days, named so
    book = load_workbook(out / "tables.xlsx", read_only=True)
    assert {"herkomst", "hoofdcijfers", "werkvoorraad", "doorlooptijd", "vergelijking"} <= set(book.sheetnames)
    header = [c.value for c in next(book["hoofdcijfers"].iter_rows(max_row=1))]
    assert {"scenario", "categorie", "hoofdcijfer", "jaar", "eenheid", "gemiddelde"} <= set(header)
    cells = {c.value for row in book["hoofdcijfers"].iter_rows(min_row=2, max_row=40) for c in row}
    assert "werkvoorraad eind jaar" in cells and "weken" in cells and "backlog_end" not in cells
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["scenarios"]["meer"]["hash"] == scenario_hash(load_scenario(other))
    assert "tables.xlsx" in manifest["files"]


IDENTIFIER = re.compile(r"\b[a-z]+_[a-z0-9_]+\b")  # backlog_end, lead_time_p50, ind_decision, ...
SECTIONS_NL = ["Kernboodschappen", "Hoofdcijfers", "Grafieken", "Bindende capaciteit",
               "Gewijzigde aannames en bronnen", "Methode, validatie en herkomst"]


def _pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_brief_pdf_reads_back_in_dutch_in_the_order_of_the_stand_van_de_uitvoering(pack):
    out, _ = pack
    text = _pdf_text((out / "brief.pdf").read_bytes())
    positions = [text.find(s) for s in SECTIONS_NL]
    assert all(p >= 0 for p in positions) and positions == sorted(positions), positions
    for words in ("Werkvoorraad eind jaar asiel", "Doorlooptijd (mediaan) asiel (weken)", "procentpunt", "%",
                  "'Kort basisscenario'", "IND beslismedewerkers: fte", "400", "assumption: test"):
        assert words in text, words
    assert not IDENTIFIER.findall(text), IDENTIFIER.findall(text)[:5]
    assert re.search(r"\d\.\d{3}", text)  # Dutch thousands separator
    assert re.search(r"gemaakt \d{1,2} [a-z]{3} \d{4}", text) and not re.search(r"gemaakt \d{4}-", text)  # a Dutch date


def test_brief_follows_the_language_asked_for(pack):
    from simulator.report import brief
    from simulator.scenario.assumptions import assumption_log

    _, (base, other) = pack
    results = simulate([load_scenario(base), load_scenario(other)], replications=2, keep_cases="none", workers=1)
    logs = {"kort": assumption_log(results.scenarios["kort"]),
            "meer": assumption_log(results.scenarios["meer"], results.scenarios["kort"])}
    content = brief.blocks(results, {}, logs, "kort", "en")
    text = _pdf_text(brief.to_pdf(content, "en", {}))
    for words in ("Key messages", "Main figures", "Backlog at year end asylum", "percentage points",
                  "IND decision officers: FTE", "Method, validation and provenance"):
        assert words in text, words
    assert "Kernboodschappen" not in text and not IDENTIFIER.findall(text)
    assert 'lang="en"' in brief.to_html(content, "en").replace("'", '"')


def test_brief_and_assurance_documents(pack):
    out, _ = pack
    brief = (out / "brief.html").read_text()
    assert brief.count("<svg") >= 5 and "Hoofdcijfers" in brief and "Methode" in brief
    assert "assumption: test" in brief  # the changed parameter with its source
    # the base's parameters counted from its log: the model's defaults name no source ('elk met bron' was false)
    log = pd.read_csv(out / "assurance" / "assumptions.csv").query("scenario_name == 'kort'")
    missing = int(log.source.isna().sum())
    assert missing > 0 and f"{len(log) - missing} met bron en {missing} zonder, zoals" in brief
    assert "elk met bron" not in brief
    assert "Aannamelog" in (out / "assurance" / "assumptions.md").read_text()
    assert "| 1.1 | Doel van het model |" in (out / "assurance" / "stress_des.md").read_text()
    stress = (out / "assurance" / "stress_des.md").read_text()
    for item in ("1.1", "2.5.3", "3.3", "4.3", "5.2", "6.1"):
        assert f"| {item} |" in stress
    assert "ind_decision" in (out / "assurance" / "assumptions.md").read_text()


def test_validation_document_shows_the_backtest_table_of_indsim_backtest():
    from simulator.experiment.backtest import BACKTEST_COLUMNS, backtest
    from simulator.report.pack import validation_md

    _, frame = backtest(2, workers=1)
    text = validation_md({"backtest": frame})
    assert "| " + " | ".join(BACKTEST_COLUMNS) + " |" in text
    row = frame[(frame.series == "backlog_asylum") & (frame.year == 2023)].iloc[0]
    assert f"| backlog_asylum | 2023 | 50,000 | {row.model_mean:,.6g} |" in text
    assert "Achtergehouden:" in text
    english = validation_md({"backtest": frame}, "en")
    assert "Held back:" in english and "Achtergehouden:" not in english


def test_the_brief_takes_the_year_asked_for_and_refuses_one_outside_the_horizon(pack, tmp_path):
    """`indsim report --year`: the table against the base and the binding capacity of that year,
    not always the last (a drained 2032 for the shipped scenarios)."""
    from simulator.report import brief
    from simulator.scenario.assumptions import assumption_log

    _, (base, other) = pack
    results = simulate([load_scenario(base), load_scenario(other)], replications=2, keep_cases="none", workers=1)
    logs = {"kort": assumption_log(results.scenarios["kort"]),
            "meer": assumption_log(results.scenarios["meer"], results.scenarios["kort"])}

    def headers(year):
        content = brief.blocks(results, {}, logs, "kort", "en", year=year)
        return [b.text for b in content if b.kind == "heading"], [" ".join(b.header) for b in content
                                                                   if b.kind == "table" and b.header]

    (heads, tables), (heads_2026, tables_2026) = headers(None), headers(2026)
    assert any("2027" in h for h in heads) and any("utilisation 2027" in h for h in tables)
    assert any("2026" in h for h in heads_2026) and any("utilisation 2026" in h for h in tables_2026)
    assert not any("2027" in h for h in heads_2026)
    result = CliRunner().invoke(app, ["report", str(base), str(other), "--out", str(tmp_path / "p"), "--year", "2031",
                                      "--no-validation", "--no-cache"])
    assert result.exit_code == 2 and "--year: 2031 is outside the years the scenarios share (2026-2027)" in \
        " ".join(result.output.split())
    assert not (tmp_path / "p").exists()
    # the pack's manifest says what the brief was made for, so a rerun from it gives the same brief
    manifest = json.loads((pack[0] / "manifest.json").read_text())
    assert (manifest["year"], manifest["base"], manifest["validation"], manifest["exploration"]) == \
        (2027, "kort", False, False)


def test_a_long_title_in_a_number_table_breaks_at_a_syllable_instead_of_printing_over_its_neighbour():
    """'Asielnoodmaatregelenwet' in the main table's heading ran into the next column in the PDF
    ('VerschAsiel(95%noodmaatregelenwet'): number tables did not hyphenate, only text tables."""
    from simulator.report import brief

    header = ["Hoofdcijfer", "Basisscenario 2026-2032 (beleid van vóór de hervormingen)",
              "Asielnoodmaatregelenwet vanaf 1 januari 2027", "Verschil (95%-interval)",
              "EU-Asiel- en Migratiepact vanaf 12 juni 2026 (in één keer)", "Verschil (95%-interval)"]
    content = [brief.Block("table", header=header, rows=[["Werkvoorraad", "38.409", "30.000", "−8.409 (−9.000 tot "
                                                         "−7.800)", "36.100", "−2.309 (−2.900 tot −1.700)"]])]
    text = _pdf_text(brief.to_pdf(content, "nl", {}))
    assert re.search(r"Asielnood\S*-\s", text), text  # broken at a syllable, with its hyphen
