"""The report pack for publications: every chart as PNG (300 dpi), SVG and PDF; the table behind
each chart as CSV and all of them in one Excel workbook; a scenario brief (self-contained HTML);
and the assurance documents (assumption log, STRESS-DES checklist, validation report).

Provenance (scenarios with content hashes, version, seed, replications, date) is in every chart's
footer and file metadata, in every table's columns, and in the workbook's first sheet.
"""

from __future__ import annotations

import html
import json
import platform
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from .. import __version__
from ..experiment import Results, bands, monthly_differences, paired_differences
from ..scenario.assumptions import assumption_log, to_markdown
from .charts import compare_charts, run_charts, series
from .export import MANIFEST, _manifest, excel_bytes, figure_bytes, figures_table, provenance, staged
from .i18n import t
from .sentences import difference_sentence, peak_sentence
from .summary import difference_frame

FORMATS = ("png", "svg", "pdf")
# The series each chart draws: (metric, dimension filters, label)
CHART_SERIES = {
    "backlog": [("backlog", {"category": c}, c) for c in ("asylum", "nareis")],
    "lead_time": [("lead_time_p50", {"category": c}, c) for c in ("asylum", "nareis")],
    "within_term": [("within_term_share", {"category": c}, c) for c in ("asylum", "nareis")],
    "penalties": [("penalty_eur", {"category": c}, c) for c in ("asylum", "nareis")],
}


def chart_tables(results: Results) -> dict[str, pd.DataFrame]:
    """The numbers behind each chart: per scenario, series and month the mean and 10-90% band."""
    out = {}
    specs = dict(CHART_SERIES)
    owners = {p: pool.owner for s in results.scenarios.values() for p, pool in s.pools.items()}
    specs["utilisation"] = [("utilisation", {"pool": p}, p) for p in sorted(results.metrics.pool.unique())
                            if p and owners.get(p) == "ind"]
    for name, items in specs.items():
        frames = []
        for metric, dims, label in items:
            frame = series(results, metric, **dims)
            if not frame.empty:
                frames.append(bands(frame).assign(metric=metric, series=label))
        if frames:
            out[name] = pd.concat(frames, ignore_index=True)[["scenario", "metric", "series", "date", "mean",
                                                               "low", "high"]]
    if len(results.names) > 1:
        for cat in ("asylum", "nareis"):
            d = monthly_differences(results, results.names[0], "backlog", category=cat)
            out[f"difference_backlog_{cat}"] = d.assign(metric="backlog", series=cat, base=results.names[0])
    return out


def _stamp(frame: pd.DataFrame, results: Results) -> pd.DataFrame:
    """Provenance columns on a table, so a figure copied from it can be traced to its run."""
    m = results.manifest()
    return frame.assign(indsim_version=m["version"], seed=m["seed"], replications=m["replications"],
                        created=m["created"])


def write_report(results: Results, out: Path, lang: str = "nl", validation: dict[str, pd.DataFrame] | None = None,
                 base: str | None = None, exploration: Path | None = None) -> Path:
    """Write the pack to ``out`` (whole or not at all); ``exploration``: a folder of ``indsim
    explore`` to include (its files under exploration/, its sentences and charts in the brief)."""
    base = base or results.names[0]
    meta = provenance(results)
    figs = figures_table(results)
    tables = {"figures": figs, **chart_tables(results)}
    if len(results.names) > 1:
        tables["comparison"] = paired_differences(results, base)
    charts = compare_charts(results, lang) if len(results.names) > 1 else run_charts(results, lang)
    with staged(Path(out)) as d:
        (d / "charts").mkdir()
        for name, fig in charts.items():
            for fmt in FORMATS:
                (d / "charts" / f"{name}.{fmt}").write_bytes(figure_bytes(fig, fmt, meta))
        (d / "tables").mkdir()
        for name, frame in tables.items():
            _stamp(frame, results).to_csv(d / "tables" / f"{name}.csv", index=False)
        (d / "tables.xlsx").write_bytes(excel_bytes({k: _stamp(v, results) for k, v in tables.items()}, meta))
        logs = {name: assumption_log(s, None if name == base else results.scenarios[base])
                for name, s in results.scenarios.items()}
        (d / "assurance").mkdir()
        (d / "assurance" / "assumptions.md").write_text(_assumptions_md(results, logs, lang))
        pd.concat([log.assign(scenario_name=n) for n, log in logs.items()]).to_csv(
            d / "assurance" / "assumptions.csv", index=False)
        (d / "assurance" / "stress_des.md").write_text(stress_des(results, logs))
        if validation:
            (d / "assurance" / "validation.md").write_text(validation_md(validation))
        brief = brief_html(results, charts, logs, base, lang)
        if exploration is not None:
            from .explore import copy_exploration, exploration_section

            copy_exploration(exploration, d / "exploration")
            brief = brief.replace("</body></html>", exploration_section(exploration, lang) + "</body></html>")
        (d / "brief.html").write_text(brief)
        for fig in charts.values():
            plt.close(fig)
        _manifest(d, {**results.manifest(), "kind": "report", "lang": lang})
    return Path(out)


def _assumptions_md(results: Results, logs: dict[str, pd.DataFrame], lang: str) -> str:
    parts = [f"# {'Aannamelog' if lang == 'nl' else 'Assumption log'}\n",
             f"indsim {__version__}; {', '.join(results.names)}\n"]
    for name, log in logs.items():
        parts.append(f"\n## {name}: {results.scenarios[name].title.text(lang)}\n\n{to_markdown(log)}\n")
    return "".join(parts)


def stress_des(results: Results, logs: dict[str, pd.DataFrame]) -> str:
    """The STRESS-DES reporting checklist (Monks et al. 2019) filled in from the model and run."""
    import numpy
    import simpy

    s = next(iter(results.scenarios.values()))
    m = results.manifest()
    n_params = sum(len(v) for v in logs.values())
    no_source = sum(int((v.source == "").sum()) for v in logs.values())
    low = sum(int((v.confidence == "low").sum()) for v in logs.values())
    rows = [
        ("1.1", "Purpose of the model", "Show how policy shocks (emergency measures law, two-status system, EU Pact, "
         "a chain partner's withdrawal) move IND's backlog, lead times and decisions within the legal term, and what "
         "capacity others must provide to meet targets."),
        ("1.2", "Model outputs", "Monthly: stock per stage and stream, inflow, decisions by outcome, lead-time "
         "percentiles, cases past the legal term, penalty payments, staff utilisation. Yearly main figures "
         "(tables/figures.csv)."),
        ("1.3", "Experimentation aims", f"Scenarios {', '.join(results.names)} compared with '{results.names[0]}' "
         "using common random numbers; differences with 95% intervals over paired replications."),
        ("2.1", "Base model overview diagram", "README.md, section 'Architecture' and 'The model'."),
        ("2.2", "Base model logic", "Daily cycle: dated changes, arrivals, releases after elapsed-time delays, "
         "intake, work by pools in priority order, routing, recording (simulator/model/engine.py)."),
        ("2.3", "Scenario logic", "Dated interventions (abrupt, linear phase-in or steps) change parameters, add or "
         "remove stages and procedures (see assumptions.md)."),
        ("2.4", "Algorithms", "Counter-based random numbers per case and step (SplitMix64), inverse-transform "
         "sampling; routing by uniform draws against cumulative shares."),
        ("2.5.1", "Entities", f"Cases in streams: {', '.join(s.streams)}."),
        ("2.5.2", "Activities", f"{len(s.stages)} stages: {', '.join(s.stages)}."),
        ("2.5.3", "Resources", f"Pools (FTE x productive hours): {', '.join(s.pools)}."),
        ("2.5.4", "Queues", "Per stage, by the pool's discipline (first-in-first-out, priority by track or group, "
         "oldest first)."),
        ("2.5.5", "Entry/exit points", "Streams enter at their entry stage; routes to 'exit' leave with an outcome; "
         "spawned follow-on cases (renewals, family reunification, re-entry) enter other streams."),
        ("3.1", "Data sources", "../shared/DOMAIN.md (IND, Kamerbrieven, CBS, EU regulations); each number in a "
         "scenario file names its source or says 'assumption'."),
        ("3.2", "Pre-processing", "Initial stock per stage derived from the 2023-2025 backtest "
         "(scripts/derive_baseline_stock.py); the backtest's staff, hours, appeal and notice behaviour calibrated "
         "by ABC-SMC to published stocks and notices (indsim calibrate, scenarios/calibration/history.yaml)."),
        ("3.3", "Input parameters", f"{n_params} parameters in the assumption log; {no_source} without a source; "
         f"{low} marked low confidence."),
        ("3.4", "Assumptions", "assurance/assumptions.md and README 'Limits'."),
        ("4.1", "Initialisation", "Starts from the open stock with its age profile at the start date (no warm-up)."),
        ("4.2", "Run length", f"{s.horizon_years} years from {s.start.isoformat()} (terminating)."),
        ("4.3", "Estimation approach", f"{m['replications']} replications; mean and t-interval; 10-90% bands; "
                                       "`indsim run --precision` chooses the number for a requested half-width."),
        ("5.1", "Software", f"Python {platform.python_version()}, simpy {simpy.__version__}, numpy "
                            f"{numpy.__version__}, pandas {pd.__version__}, indsim {__version__}."),
        ("5.2", "Random sampling", f"Seed {m['seed']}; per replication, case and step independent streams; "
                                   "identical results for any number of workers or backend."),
        ("5.3", "Model execution", "Daily time steps in a simpy environment with one process per daily phase; "
                                   "vectorised work per pool."),
        ("5.4", "System specification", f"{platform.system()} {platform.machine()}; benchmarks/README.md."),
        ("6.1", "Computer model sharing", "Open source in this repository; scenario files and manifest.json "
                                          "reproduce every figure."),
    ]
    lines = ["# STRESS-DES checklist", "", "Strengthening the Reporting of Empirical Simulation Studies (DES), "
             "Monks et al. (2019), filled in from the model and this run.", "",
             "| Section | Item | Answer |", "|---|---|---|"]
    lines += [f"| {a} | {b} | {c} |" for a, b, c in rows]
    lines += ["", f"Run: {json.dumps({k: m[k] for k in ('version', 'seed', 'replications', 'created')})}", ""]
    return "\n".join(lines)


def validation_md(validation: dict[str, pd.DataFrame]) -> str:
    """The verification table (exact vs simulated) and the backtest against published figures."""
    out = ["# Validation report", ""]
    if "verification" in validation:
        v = validation["verification"]
        out += ["## Verification against exact queueing results", "",
                "Stationary mean backlog of discrete-time queues (Poisson daily arrivals, fixed daily capacity), "
                "solved exactly as Markov chains, against the engine (99% interval over replications).", "",
                "| network | utilisation | exact | simulated (99% interval) | inside |", "|---|---|---|---|---|"]
        out += [f"| {r.network} | {r.utilisation:.2f} | {r.exact:.3f} | {r.simulated:.3f} "
                f"({r.low_99:.3f}–{r.high_99:.3f}) | {'yes' if r.inside else 'no'} |" for r in v.itertuples()]
        out += ["", f"{int(v.inside.sum())} of {len(v)} exact values inside the interval.", ""]
    if "backtest" in validation:
        out += backtest_md(validation["backtest"])
    return "\n".join(out)


def backtest_md(frame: pd.DataFrame) -> list[str]:
    """The backtest table (the columns of ``backtest.csv``) with its reading in a few lines."""
    from ..experiment.backtest import BACKTEST_COLUMNS, TOLERANCE

    out = ["## Backtest 2023-2025 against published figures", "",
           "Every published series of data/published.yaml inside the backtest's horizon (`indsim backtest`). "
           "low-high: 5th-95th percentile of the replications. used_for_fit: fitted by the calibration or an "
           "input of the scenario, so not a test.", "",
           "| " + " | ".join(BACKTEST_COLUMNS) + " |", "|" + "---|" * len(BACKTEST_COLUMNS)]
    for r in frame.itertuples():
        bound = {"lower": "≥ ", "upper": "≤ "}.get(r.bound or "", "")
        mark = "" if r.comparable else " (not comparable: " + r.note + ")"
        out.append(f"| {r.series} | {r.year} | {bound}{r.published:,.6g}{mark} | {r.model_mean:,.6g} | {r.low:,.6g} "
                   f"| {r.high:,.6g} | {r.error:+.1%} | {'yes' if r.used_for_fit else 'no'} | {r.source} |")
    held = frame[~frame.used_for_fit & frame.comparable.astype(bool)]
    good = int(held.within.fillna(False).astype(bool).sum())
    out += ["", f"Held back: {good} of {len(held)} observations within {TOLERANCE:.0%} of the published figure "
            "(or on the right side of a published bound).", ""]
    return out


def brief_html(results: Results, charts: dict, logs: dict[str, pd.DataFrame], base: str, lang: str) -> str:
    """One self-contained HTML document: main figures, sentences, charts (inline SVG), assumptions
    with sources, method and provenance."""
    nl = lang == "nl"
    m = results.manifest()
    last = max(int(y) for y in results.yearly.year.unique())
    e = html.escape
    parts = [f"<!doctype html><html lang='{lang}'><head><meta charset='utf-8'>",
             f"<title>{e('Scenariobrief' if nl else 'Scenario brief')}: {e(', '.join(results.names))}</title>",
             "<style>body{font-family:DejaVu Sans,Arial,sans-serif;max-width:60em;margin:2em auto;color:#222}"
             "table{border-collapse:collapse;font-size:0.85em}td,th{border:1px solid #ccc;padding:3px 6px;"
             "text-align:right}td:first-child,th:first-child{text-align:left}.src{font-size:0.8em;color:#555}"
             "svg{max-width:100%;height:auto}</style></head><body>",
             f"<h1>{e('Scenariobrief' if nl else 'Scenario brief')}</h1>"]
    for name, s in results.scenarios.items():
        parts.append(f"<p><b>{e(name)}</b>: {e(s.title.text(lang))}</p>")
    parts.append(f"<h2>{e('Hoofdcijfers' if nl else 'Main figures')}</h2>")
    sentences = []
    for name in results.names:
        sentences.append(peak_sentence(results, name, base if name != base else None, "asylum", lang))
        if name != base:
            sentences.append(difference_sentence(results, name, base, "within_term_share", "asylum", last, lang,
                                                 "share"))
    parts.append("<ul>" + "".join(f"<li>{e(x)}</li>" for x in sentences if x) + "</ul>")
    if len(results.names) > 1:
        frame = difference_frame(paired_differences(results, base), lang, last)
        parts.append(frame.to_html(index=False, border=0))
    else:
        fig = figures_table(results)
        parts.append(fig[fig.year == last].to_html(index=False, border=0, float_format=lambda x: f"{x:,.0f}"))
    parts.append(f"<h2>{e('Grafieken' if nl else 'Charts')}</h2>")
    for fig in charts.values():
        svg = figure_bytes(fig, "svg", provenance(results)).decode()
        parts.append(svg[svg.index("<svg"):])
    parts.append(f"<h2>{e('Aannames en bronnen' if nl else 'Assumptions and sources')}</h2>")
    for name, log in logs.items():
        if name == base:
            parts.append(f"<p>{e(name)}: {len(log)} " + e("parameters met bron (zie assurance/assumptions.md)." if nl
                                                          else "parameters with sources (see "
                                                               "assurance/assumptions.md).") + "</p>")
            continue
        parts.append(f"<h3>{e(name)}</h3>" + log[["parameter", "baseline", "scenario", "from", "source",
                                                  "confidence"]].to_html(index=False, border=0))
    parts.append(f"<h2>{e('Methode' if nl else 'Method')}</h2><p>" + e(
        "Discrete-eventsimulatie (simpy) van de asielketen per werkdag: instroom per stroom en nationaliteitsgroep, "
        "stappen met doorlooptijd en werk door capaciteitspools (fte × productieve uren), routering naar "
        "besluiten, beroep en vervolgzaken. Elke replicatie trekt andere toevallige aankomsten en werktijden; "
        "scenario's delen dezelfde trekkingen (common random numbers), zodat verschillen geen ruis zijn. "
        "Gemiddelden met 95%-interval over replicaties; banden in grafieken tonen 10–90% van de replicaties. "
        "Het model is geverifieerd tegen exacte wachtrijresultaten en gevalideerd op 2023–2025 "
        "(assurance/validation.md)." if nl else
        "Discrete-event simulation (simpy) of the asylum chain per working day: inflow per stream and nationality "
        "group, stages with elapsed time and work by capacity pools (FTE × productive hours), routing to "
        "decisions, appeals and follow-on cases. Each replication draws different random arrivals and work "
        "times; scenarios share the same draws (common random numbers), so differences are not noise. Means with "
        "95% intervals over replications; chart bands show 10–90% of replications. The model is verified against "
        "exact queueing results and validated on 2023–2025 (assurance/validation.md).") + "</p>")
    parts.append("<p class='src'>" + e(t("source_line", lang, version=m["version"], scenario=", ".join(results.names),
                                         replications=m["replications"], seed=m["seed"], created=m["created"][:10]))
                 + "<br>" + e(json.dumps({n: v["hash"] for n, v in m["scenarios"].items()})) + "</p></body></html>")
    return "\n".join(parts)


__all__ = ["MANIFEST", "backtest_md", "chart_tables", "stress_des", "validation_md", "write_report"]
