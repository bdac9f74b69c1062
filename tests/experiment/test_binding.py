"""The binding pool: flat out and with a growing line; else the busiest."""

from __future__ import annotations

import pandas as pd

from simulator.experiment.binding import binding_pools


def _yearly(rows: list[tuple]) -> pd.DataFrame:
    out = []
    for scenario, year, pool, utilisation, queue in rows:
        for rep in (0, 1):
            out += [(scenario, rep, year, "utilisation", pool, utilisation),
                    (scenario, rep, year, "queue_end", pool, queue),
                    (scenario, rep, year, "backlog_end", "asylum", 1.0)]
    return pd.DataFrame(out, columns=["scenario", "replication", "year", "figure", "category", "value"])


def test_the_flat_out_pool_with_the_growing_line_binds_else_the_busiest():
    y = _yearly([
        ("a", 2026, "hearing", 1.0, 30_000), ("a", 2026, "decision", 0.80, 500), ("a", 2026, "court", 0.99, 100),
        ("a", 2027, "hearing", 1.0, 20_000), ("a", 2027, "decision", 1.0, 9_000), ("a", 2027, "court", 0.97, 150),
        ("b", 2026, "hearing", 0.70, 0), ("b", 2026, "decision", 0.90, 10),
    ])
    got = binding_pools(y).set_index(["scenario", "year"]).pool
    assert got[("a", 2026)] == "hearing"  # first year: no growth known, so the busiest of the flat-out pools
    assert got[("a", 2027)] == "decision"  # hearing still flat out but draining; the decision line grows most
    assert got[("b", 2026)] == "decision"  # nobody flat out: the busiest


def test_the_brief_says_why_a_longer_line_elsewhere_does_not_bind():
    """AMP 2027: the litigation officers bind (their line grew most) while the hearing officers,
    flat out too, have the longest line; without a word on it the sentence reads as wrong."""
    from pathlib import Path

    from simulator.experiment import Results
    from simulator.report.brief import pool_rows
    from simulator.scenario import load_scenario

    baseline = load_scenario(Path(__file__).resolve().parents[2] / "scenarios" / "baseline.yaml")
    y = _yearly([("baseline", 2026, "ind_hearing", 1.0, 40_000), ("baseline", 2026, "ind_litigation", 0.9, 100),
                 ("baseline", 2027, "ind_hearing", 1.0, 31_742), ("baseline", 2027, "ind_litigation", 0.98, 1_600)])
    _, text = pool_rows(Results({"baseline": baseline}, 1, 2, pd.DataFrame(), y, None), "baseline", 2027, "nl")
    assert text.startswith("De bindende capaciteit is IND procesvertegenwoordigers"), text
    assert text.endswith("IND hoormedewerkers heeft een langere wachtrij (31.742 zaken eind 2027), maar die kromp "
                         "(−8.258)."), text
