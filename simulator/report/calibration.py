"""Files and charts of a calibration (``indsim calibrate``) and of the backtest (``indsim backtest``).

Reads results; never runs the model. Charts follow the house style of :mod:`.charts`.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import yaml
from matplotlib.figure import Figure

from .. import __version__
from ..experiment import Results
from ..experiment.abcsmc import Fitted
from ..experiment.backtest import BACKTEST_COLUMNS
from ..experiment.posterior import META_KEY, posterior_fragment, posterior_table, samples_metadata
from ..experiment.published import Published
from ..scenario import scenario_hash
from .charts import PALETTE, Ticks, _axes, _footer_lines, _layout, _legend
from .export import _manifest, provenance, save_figure
from .outdir import staged
from .units import number

FORMATS = ("png", "svg")


def posterior_chart(name: str, fitted: Fitted, row: pd.Series, lang: str = "nl") -> Figure:
    """Prior density against the weighted posterior histogram of one parameter."""
    p = fitted.setup.parameters[name]
    title = f"{p.label.text(lang)}: {'prior en posterior' if lang == 'nl' else 'prior and posterior'}"
    fig, ax = _axes(title, "dichtheid" if lang == "nl" else "density", lang, dates=False)
    x = np.linspace(p.prior.low, p.prior.high, 200)
    ax.plot(x, p.prior.scipy().pdf(x), color=PALETTE[1], lw=1.8, label="prior")
    ax.hist(fitted.samples[name], bins=20, range=(p.prior.low, p.prior.high), weights=fitted.samples.weight,
            density=True, color=PALETTE[0], alpha=0.45, label="posterior")
    for v, style in ((row["low"], ":"), (row["median"], "-"), (row["high"], ":")):
        ax.axvline(v, color=PALETTE[0], lw=1.0, ls=style)
    ax.set_xlabel(f"{name} ({p.unit})" if p.unit else name)
    ax.xaxis.set_major_formatter(Ticks(lang))
    rows = _legend(fig, ax, ncols=2)
    interval = "90%-interval" if lang == "nl" else "90% interval"
    key = (f"mediaan {number(row['median'], lang, 3)}, {interval} {number(row['low'], lang, 3)}–"
           f"{number(row['high'], lang, 3)}; " if lang == "nl" else
           f"median {number(row['median'], lang, 3)}, {interval} {number(row['low'], lang, 3)}–"
           f"{number(row['high'], lang, 3)}; ") + f"{'gefit op' if lang == 'nl' else 'fitted to'} {row['fitted_to']}"
    import textwrap

    runs = "simulaties" if lang == "nl" else "simulations"
    footer = [*textwrap.wrap(key, 125),
              f"indsim {__version__}; {fitted.setup.file}; seed {fitted.setup.spec.seed}; {fitted.simulations} {runs}"]
    _layout(fig, ax, rows, footer)
    return fig


def _fragment_yaml(fitted: Fitted, table: pd.DataFrame, fragment: dict) -> str:
    s, g = fitted.setup, fitted.generation
    head = [f"# Posterior medians of {s.file} (indsim {__version__}), fitted to {table.fitted_to.iloc[0]}.",
            f"# Scenario {s.scenario.name} ({scenario_hash(s.scenario)}), seed {s.spec.seed}, "
            f"{fitted.simulations} simulations; posterior: generation {int(g.t)}, epsilon {g.epsilon:.3g}, "
            f"effective sample {g.ess:.0f} of {int(g.accepted)}.",
            "# Use: extends: [history_2023_2025.yaml, calibration/<this file>] (parents merge left to right).",
            "# Factors (scale) are interventions from the day before the start, so they hold on top of dated",
            "# changes; set values and route shares replace the scenario's own and its later changes still apply."]
    return "\n".join(head) + "\n" + yaml.safe_dump(fragment, sort_keys=False, allow_unicode=True, width=110)


def write_calibration(fitted: Fitted, out: Path, lang: str = "nl", force: bool = False) -> pd.DataFrame:
    """Write the posterior (samples, table, fragment), the fit, the generations, charts and a
    manifest to ``out`` (whole or not at all); returns the posterior table."""
    table = posterior_table(fitted)
    frag = posterior_fragment(fitted, table)
    with staged(Path(out), force) as d:
        arrow = pa.Table.from_pandas(fitted.samples, preserve_index=False)
        meta = {**(arrow.schema.metadata or {}), META_KEY: json.dumps(samples_metadata(fitted)).encode()}
        pq.write_table(arrow.replace_schema_metadata(meta), d / "posterior.parquet")
        table.to_csv(d / "posterior.csv", index=False)
        (d / "posterior.yaml").write_text(_fragment_yaml(fitted, table, frag))
        fitted.predictive.to_csv(d / "fit.csv", index=False)
        fitted.generations.to_csv(d / "generations.csv", index=False)
        (d / "charts").mkdir()
        metadata = {"Title": fitted.setup.file, "Software": f"indsim {__version__}",
                    "Description": json.dumps({"seed": fitted.setup.spec.seed, "spec": fitted.setup.file})}
        for _, row in table.iterrows():
            fig = posterior_chart(row.parameter, fitted, row, lang)
            save_figure(fig, d / "charts" / f"posterior_{row.parameter}", FORMATS, metadata)
        _manifest(d, {"kind": "calibration", "spec": fitted.setup.file, "scenario": fitted.setup.scenario.name,
                      "scenario_hash": scenario_hash(fitted.setup.scenario), "seed": fitted.setup.spec.seed,
                      "budget": fitted.setup.spec.budget.model_dump(), "workers": fitted.workers,
                      "simulations": fitted.simulations, "seconds": round(fitted.seconds, 1),
                      "stopped": fitted.stopped, "epsilon": fitted.generations.epsilon.tolist(),
                      "effective_sample_size": fitted.generations.ess.round(1).tolist(),
                      "posterior_generation": int(fitted.generation.t),
                      "fit": [list(k) for k in fitted.setup.fit]})
    return table


# ------------------------------------------------------------------ backtest
def backtest_chart(series: str, rows: pd.DataFrame, published: Published, results: Results,
                   lang: str = "nl") -> Figure:
    """Model mean and 90% band against the published points of one series, per year."""
    s = published.series[series]
    fig, ax = _axes(s.label.text(lang), s.unit.text(lang), lang, dates=False)
    x = rows.year.to_numpy()
    ax.errorbar(x - 0.06, rows.model_mean, yerr=[rows.model_mean - rows.low, rows.high - rows.model_mean],
                fmt="o", color=PALETTE[0], capsize=3, lw=1.5,
                label="model (gemiddelde, 90%-band)" if lang == "nl" else "model (mean, 90% band)")
    for fit, filled in ((True, True), (False, False)):
        sel = rows[rows.used_for_fit == fit]
        if sel.empty:
            continue
        marks = {"lower": "^", "upper": "v"}
        for bound, grp in sel.groupby(sel.bound.fillna(""), sort=False):
            what = ("gepubliceerd, gefit" if fit else "gepubliceerd, achtergehouden") if lang == "nl" else \
                ("published, fitted" if fit else "published, held back")
            if bound:
                nl_bound = "ondergrens" if bound == "lower" else "bovengrens"
                what += f" ({nl_bound})" if lang == "nl" else f" ({bound} bound)"
            ax.plot(grp.year + 0.06, grp.published, marks.get(bound, "s"), ms=7, color=PALETTE[5],
                    mfc=PALETTE[5] if filled else "white", mew=1.5, ls="none", label=what)
    ax.set_xticks(sorted(set(x)))
    ax.set_xlim(min(x) - 0.5, max(x) + 0.5)
    share = s.unit.text("en") == "share"
    ax.yaxis.set_major_formatter(Ticks(lang, 2 if share else 0))
    ax.set_ylim(bottom=0)
    legend_rows = _legend(fig, ax, ncols=2)
    _layout(fig, ax, legend_rows, _footer_lines(results, lang, "; ".join(dict.fromkeys(rows.source))))
    return fig


def write_backtest(results: Results, frame: pd.DataFrame, published: Published, out: Path,
                   lang: str = "nl", info: dict | None = None, force: bool = False) -> Path:
    """``backtest.csv`` (exactly :data:`BACKTEST_COLUMNS`), a chart per series and a manifest."""
    with staged(Path(out), force) as d:
        frame[BACKTEST_COLUMNS].to_csv(d / "backtest.csv", index=False)
        (d / "charts").mkdir()
        meta = provenance(results)
        for series, rows in frame.groupby("series", sort=False):
            fig = backtest_chart(series, rows, published, results, lang)
            save_figure(fig, d / "charts" / series, FORMATS, meta)
        _manifest(d, {**results.manifest(), "kind": "backtest", "published": published.file, **(info or {})})
    return Path(out)
