"""The brief's tables of words keep every column readable: a column with a few long cells (a
phase-in in steps, a list of outcome shares) no longer takes the page from the others."""

from __future__ import annotations

import io
import re

from pypdf import PdfReader

from simulator.report.brief import Block, to_pdf, to_typst

HEADER = ["Wat verandert", "Waarde", "Wanneer", "Maatregel", "Bron", "Betrouwbaarheid"]
STEPS = "12 jun 2026, in stappen: 12 jun 2026 100%; 12 sep 2026 75%; 12 dec 2026 50%; 12 mrt 2027 25%; 12 jun 2027 0%"
SHARES = "; ".join(f"vervolgstap {i}: verblijfsvergunning 10% → 20%" for i in range(10))  # ~460 characters


def _assumptions(n: int = 100) -> Block:
    """An assumptions table like the combined scenario's: most cells short, some very long."""
    rows = [[f"Eerste asielaanvragen, algemene procedure: beslistermijn van stap {i}",
             SHARES if i % 10 == 0 else "6 maanden", STEPS if i % 3 == 0 else "1 jan 2026", "Asiel- en migratiepact",
             "[S] Asielnoodmaatregelenwet (MvT 36704-3); effects [E] DOMAIN 6A: IND -3 h per rejection", "middel"]
            for i in range(n)]
    return Block("table", header=HEADER, rows=rows, text_table=True)


def test_only_columns_of_short_cells_take_their_contents_width():
    source, _ = to_typst([_assumptions()], "nl", {})
    columns = re.search(r"columns: \(([^)]*)\)", source).group(1).split(", ")
    assert len(columns) == 6 and columns[5] == "auto"  # the confidence: 'hoog', 'middel', 'laag'
    assert all(c.endswith("fr") for c in columns[:5]), columns  # 'Wanneer' holds the steps of a phase-in
    assert all(1 <= float(c[:-2]) <= 2 for c in columns[:5]), columns  # no column gets more than twice another


def test_a_long_assumptions_table_stays_a_few_pages():
    """These 100 rows took 28 pages when the 'Wanneer' column was as wide as its longest cell."""
    pdf = PdfReader(io.BytesIO(to_pdf([_assumptions()], "nl", {})))
    assert len(pdf.pages) <= 15, len(pdf.pages)
    first = pdf.pages[0].extract_text()
    assert all(h in first for h in HEADER), first[:300]  # each heading whole, not broken letter by letter
