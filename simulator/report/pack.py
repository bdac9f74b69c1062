"""The report pack for publications: every chart as PNG (300 dpi), SVG and PDF; the table behind
each chart as CSV and all of them in one Excel workbook (in the reader's language); the scenario
brief as PDF and self-contained HTML (:mod:`simulator.report.brief`); and the assurance documents
(assumption log, STRESS-DES checklist, validation report), all in the language asked for.

Provenance (scenarios with content hashes, version, seed, replications, date) is in every chart's
footer and file metadata, in every table's columns, and in the workbook's first sheet.
"""

from __future__ import annotations

import json
import platform
from pathlib import Path

import pandas as pd

from .. import __version__
from ..experiment import Results, monthly_differences, paired_differences
from ..scenario.assumptions import assumption_log, to_markdown
from . import brief
from .charts import compare_charts, run_charts
from .chartspec import CHARTS, chart_frame
from .export import MANIFEST, _manifest, excel_bytes, figure_bytes, figures_table, for_people, provenance, staged
from .i18n import has, name, t
from .parameters import assumption_words
from .units import stored_word

FORMATS = ("png", "svg", "pdf")


def chart_tables(results: Results) -> dict[str, pd.DataFrame]:
    """The numbers behind each chart (the series of :data:`~.chartspec.CHARTS`): per scenario,
    series and month the mean and 10-90% band, with the unit (lead times in weeks, as the chart
    shows them)."""
    out = {}
    for chart, spec in CHARTS.items():
        frame = chart_frame(results, spec)
        if not frame.empty:
            out[chart] = for_people(frame)
    if len(results.names) > 1:
        for cat in ("asylum", "nareis"):
            d = monthly_differences(results, results.names[0], "backlog", category=cat)
            out[f"difference_backlog_{cat}"] = d.assign(metric="backlog", series=cat, unit="cases",
                                                        base=results.names[0])
    return out


def _stamp(frame: pd.DataFrame, results: Results) -> pd.DataFrame:
    """Provenance columns on a table, so a figure copied from it can be traced to its run."""
    m = results.manifest()
    return frame.assign(indsim_version=m["version"], seed=m["seed"], replications=m["replications"],
                        created=m["created"])


def _sheet(name_: str, lang: str) -> str:
    """A workbook sheet's name in the reader's language (Excel allows 31 characters)."""
    if name_.startswith("difference_backlog_"):
        cat = name_.rsplit("_", 1)[-1]
        text = f"{t('col_difference', lang)} {t('backlog', lang)} {t(cat, lang)}"
    else:
        key = f"sheet_{name_}"
        text = t(key, lang) if has(key) else t({"lead_time": "lead_time_p50", "within_term": "within_term_share",
                                                "penalties": "penalty_eur"}.get(name_, name_), lang)
    return text[:31]


def workbook_frame(frame: pd.DataFrame, results: Results, lang: str, band: bool = False) -> pd.DataFrame:
    """A table for people: headings, figures, categories, series, streams, stages, pools, outcomes
    and units in words. ``band``: ``low`` and ``high`` are the charts' 10-90% band over
    replications, not the 95% interval of a mean, and are headed so."""
    scenarios = list(results.scenarios.values())
    out = frame.copy()
    words = {"figure": lambda v: t(v, lang), "metric": lambda v: t(v, lang),
             "category": lambda v: t(v, lang) if has(v) else name(scenarios, "pools", v, lang),
             "unit": lambda v: stored_word(v, lang) or t("cases", lang),
             "series": lambda v: t(v, lang) if v in ("asylum", "nareis", "other") else name(scenarios, "pools", v,
                                                                                             lang),
             **{col: lambda v, kind=f"{col}s": name(scenarios, kind, v, lang)
                for col in ("stream", "stage", "pool", "outcome")}}
    for col, word in words.items():
        if col in out.columns:
            out[col] = out[col].map(lambda v, w=word: w(v) if isinstance(v, str) and v else v)
    cols = {c: t(f"col_{c}", lang) if has(f"col_{c}") else t(c, lang) if has(c) else c for c in out.columns}
    cols.update({"base": t("col_base", lang), "difference": t("col_difference", lang),
                 "base_scenario": t("col_base_name", lang)})
    if band:
        cols.update({"low": t("col_band_low", lang), "high": t("col_band_high", lang)})
    return out.rename(columns=cols)


def write_report(results: Results, out: Path, lang: str = "nl", validation: dict[str, pd.DataFrame] | None = None,
                 base: str | None = None, exploration: Path | None = None, force: bool = False,
                 year: int | None = None) -> Path:
    """Write the pack to ``out`` (whole or not at all). Charts, brief, assurance documents and the
    workbook are in ``lang``; the CSV tables keep identifiers and units for code. ``exploration``: a
    folder of ``indsim explore`` to include (its files under exploration/, its sentences and charts
    in the brief); ``year``: the brief's year against the base (default: the last)."""
    base = base or results.names[0]
    meta = provenance(results)
    bands = chart_tables(results)
    tables = {"figures": figures_table(results), **bands}
    if len(results.names) > 1:
        comparison = paired_differences(results, base)
        tables["comparison"] = for_people(comparison.table).assign(base_scenario=comparison.base)
    charts = compare_charts(results, lang) if len(results.names) > 1 else run_charts(results, lang)
    logs = {n: assumption_log(s, None if n == base else results.scenarios[base]) for n, s in results.scenarios.items()}
    svgs = {n: figure_bytes(fig, "svg", meta) for n, fig in charts.items()}
    found = []
    if exploration is not None:
        from .explore import exploration_blocks

        found = exploration_blocks(exploration, lang)
    content = brief.blocks(results, svgs, logs, base, lang, validation, found, year)
    with staged(Path(out), force) as d:
        (d / "charts").mkdir()
        for chart, fig in charts.items():
            for fmt in FORMATS:
                (d / "charts" / f"{chart}.{fmt}").write_bytes(svgs[chart] if fmt == "svg" else
                                                              figure_bytes(fig, fmt, meta))
        (d / "tables").mkdir()
        for table, frame in tables.items():
            _stamp(frame, results).to_csv(d / "tables" / f"{table}.csv", index=False)
        book = {_sheet(k, lang): workbook_frame(_stamp(v, results), results, lang, band=k in bands)
                for k, v in tables.items()}
        (d / "tables.xlsx").write_bytes(excel_bytes(book, meta, _sheet("provenance", lang), lang))
        (d / "assurance").mkdir()
        (d / "assurance" / "assumptions.md").write_text(assumptions_md(results, logs, base, lang))
        pd.concat([log.assign(scenario_name=n) for n, log in logs.items()]).to_csv(
            d / "assurance" / "assumptions.csv", index=False)
        (d / "assurance" / "stress_des.md").write_text(stress_des(results, logs, lang))
        if validation:
            (d / "assurance" / "validation.md").write_text(validation_md(validation, lang))
        if exploration is not None:
            from .explore import copy_exploration

            copy_exploration(exploration, d / "exploration")
        (d / "brief.html").write_text(brief.to_html(content, lang))
        (d / "brief.pdf").write_bytes(brief.to_pdf(content, lang, meta))
        _manifest(d, {**results.manifest(), "kind": "report", "lang": lang, "base": base,
                      "year": int(results.yearly.year.max()) if year is None else year,  # the brief's
                      "validation": bool(validation), "exploration": exploration is not None})
    return Path(out)


def assumptions_md(results: Results, logs: dict[str, pd.DataFrame], base: str, lang: str) -> str:
    """Per scenario: the changes in words (with sources), then the full log with the paths analysts write."""
    scenarios = list(results.scenarios.values())
    parts = [f"# {t('assumption_log', lang)}\n", f"indsim {__version__}; {', '.join(results.names)}\n"]
    for n, log in logs.items():
        s = results.scenarios[n]
        labels = {k: iv.label.text(lang) for k, iv in s.interventions.items()}
        parts.append(f"\n## {n}: {s.title.text(lang)}\n")
        if n != base:
            parts.append(f"\n{to_markdown(assumption_words(log, scenarios, labels, lang))}\n")
        parts.append(f"\n{to_markdown(log)}\n")
    return "".join(parts)


def stress_des(results: Results, logs: dict[str, pd.DataFrame], lang: str = "nl") -> str:
    """The STRESS-DES reporting checklist (Monks et al. 2019) filled in from the model and run."""
    import numpy
    import simpy

    s = next(iter(results.scenarios.values()))
    m = results.manifest()
    scen = list(results.scenarios.values())
    fill = {
        "1.3": {"names": ", ".join(results.names), "base": results.names[0]},
        "2.5.1": {"streams": ", ".join(name(scen, "streams", x, lang) for x in s.streams)},
        "2.5.2": {"n": len(s.stages), "stages": ", ".join(name(scen, "stages", x, lang) for x in s.stages)},
        "2.5.3": {"pools": ", ".join(name(scen, "pools", x, lang) for x in s.pools)},
        "3.3": {"n": sum(len(v) for v in logs.values()), "no_source": sum(int((v.source == "").sum())
                                                                           for v in logs.values()),
                "low": sum(int((v.confidence == "low").sum()) for v in logs.values())},
        "4.2": {"years": s.horizon_years, "start": s.start.isoformat()},
        "4.3": {"n": m["replications"]},
        "5.1": {"software": f"Python {platform.python_version()}, simpy {simpy.__version__}, numpy "
                            f"{numpy.__version__}, pandas {pd.__version__}, indsim {__version__}"},
        "5.2": {"seed": m["seed"]},
        "5.4": {"system": f"{platform.system()} {platform.machine()}"},
    }
    items = ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "2.5.1", "2.5.2", "2.5.3", "2.5.4", "2.5.5", "3.1",
             "3.2", "3.3", "3.4", "4.1", "4.2", "4.3", "5.1", "5.2", "5.3", "5.4", "6.1"]
    lines = [f"# {t('stress_title', lang)}", "", t("stress_intro", lang), "", t("stress_cols", lang), "|---|---|---|"]
    for item in items:
        question, answer = t(f"stress_{item}", lang, **fill.get(item, {})).split("|", 1)
        lines.append(f"| {item} | {question} | {answer} |")
    run = json.dumps({k: m[k] for k in ("version", "seed", "replications", "created")})
    lines += ["", f"{t('run_word', lang)}: {run}", ""]
    return "\n".join(lines)


def validation_md(validation: dict[str, pd.DataFrame], lang: str = "nl") -> str:
    """The verification table (exact vs simulated) and the backtest against published figures."""
    from .units import number

    def n(x: float, d: int = 3) -> str:
        return number(x, lang, d)

    out = [f"# {t('validation_report', lang)}", ""]
    if "verification" in validation:
        v = validation["verification"]
        out += [f"## {t('verification_head', lang)}", "", t("verification_text", lang), "",
                t("verification_cols", lang), "|---|---|---|---|---|"]
        out += [f"| {r.network} | {n(r.utilisation, 2)} | {n(r.exact)} | {n(r.simulated)} "
                f"({n(r.low_99)}–{n(r.high_99)}) | {t('yes' if r.inside else 'no', lang)} |" for r in v.itertuples()]
        out += ["", t("inside_count", lang, inside=int(v.inside.sum()), total=len(v)), ""]
    if "backtest" in validation:
        out += backtest_md(validation["backtest"], lang)
    return "\n".join(out)


def backtest_md(frame: pd.DataFrame, lang: str = "nl") -> list[str]:
    """The backtest table (the columns and numbers of ``backtest.csv``) with its reading in a few lines."""
    from ..experiment.backtest import BACKTEST_COLUMNS, TOLERANCE, held_back

    out = [f"## {t('backtest_head', lang)}", "", t("backtest_reading", lang), "",
           "| " + " | ".join(BACKTEST_COLUMNS) + " |", "|" + "---|" * len(BACKTEST_COLUMNS)]
    for r in frame.itertuples():
        bound = {"lower": "≥ ", "upper": "≤ "}.get(r.bound or "", "")
        mark = "" if r.comparable else f" ({t('not_comparable', lang)}: {r.note})"
        out.append(f"| {r.series} | {r.year} | {bound}{r.published:,.6g}{mark} | {r.model_mean:,.6g} | {r.low:,.6g} "
                   f"| {r.high:,.6g} | {r.error:+.1%} | {t('yes' if r.used_for_fit else 'no', lang)} | {r.source} |")
    good, n_held = held_back(frame)
    out += ["", t("backtest_held", lang, good=good, total=n_held, tolerance=f"{TOLERANCE:.0%}"), ""]
    return out


__all__ = ["MANIFEST", "backtest_md", "chart_tables", "stress_des", "validation_md", "write_report"]
