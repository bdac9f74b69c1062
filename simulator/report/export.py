"""Writing results to disk: whole or not at all (the folder handling is in :mod:`.outdir`)."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from ..experiment import Results, summarize
from .i18n import has, t
from .outdir import MANIFEST, staged

VALUE_COLUMNS = ("value", "mean", "low", "high", "base", "difference", "effect_low", "effect_low_ci", "effect_high",
                 "effect_high_ci", "swing", "figure_mean", "figure_low", "figure_high")


def for_people(frame: pd.DataFrame) -> pd.DataFrame:
    """A table as a person reads it: lead times in weeks instead of days (the ``unit`` column says
    which); shares stay 0-1 and money in euro, so that the numbers still add up in a spreadsheet."""
    if "unit" not in frame.columns:
        return frame
    days = frame.unit == "days"
    out = frame.copy()
    for col in VALUE_COLUMNS:
        if col in out.columns:
            out[col] = out[col].where(~days, out[col] / 7)
    out["unit"] = out.unit.where(~days, "weeks")
    return out


def figures_table(results: Results, people: bool = True) -> pd.DataFrame:
    """Main figures per scenario, year and category: mean and 95% interval over replications,
    with their unit (lead times in weeks for people, in days for code: ``people=False``)."""
    table = summarize(results.yearly, ["scenario", "category", "figure", "year"])
    return for_people(table) if people else table


def provenance(results: Results) -> dict[str, str]:
    """What goes into every exported file's metadata: scenarios with content hashes, version,
    seed, replications and date, so a published figure can be traced to its run."""
    m = results.manifest()
    return {"Title": ", ".join(results.names), "Software": f"indsim {m['version']}",
            "Description": json.dumps({k: m[k] for k in ("seed", "replications", "created")}
                                      | {"scenarios": {n: v["hash"] for n, v in m["scenarios"].items()}})}


def _file_metadata(fmt: str, metadata: dict[str, str]) -> dict[str, str]:
    """The metadata keys each format knows (PNG text chunks, SVG Dublin Core, PDF info)."""
    title, desc, soft = (metadata.get(k, "") for k in ("Title", "Description", "Software"))
    return {"png": {"Title": title, "Description": desc, "Software": soft},
            "svg": {"Title": title, "Description": desc, "Creator": soft},
            "pdf": {"Title": title, "Subject": desc, "Creator": soft}}.get(fmt, {})


def figure_bytes(fig, fmt: str, metadata: dict[str, str]) -> bytes:
    """One figure as PNG (300 dpi), SVG or PDF in memory, with provenance metadata."""
    buf = io.BytesIO()
    fig.savefig(buf, format=fmt, dpi=300 if fmt == "png" else None, metadata=_file_metadata(fmt, metadata))
    return buf.getvalue()


def save_figure(fig, stem: Path, formats: tuple[str, ...], metadata: dict[str, str]) -> list[Path]:
    """Save one figure in several formats with provenance in the file metadata."""
    out = []
    for fmt in formats:
        path = stem.with_suffix(f".{fmt}")
        path.write_bytes(figure_bytes(fig, fmt, metadata))
        out.append(path)
    return out


def excel_bytes(tables: dict[str, pd.DataFrame], metadata: dict[str, str] | None = None,
                sheet: str = "provenance", lang: str | None = None) -> bytes:
    """Several tables as sheets of one Excel workbook (sheet names cut to Excel's 31 characters),
    with a first sheet holding the provenance: with ``lang`` its headings and keys in words for a
    reader, else the keys of the files' metadata (Title, Software, Description)."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        if metadata:
            rows = [(t(f"col_{k.lower()}", lang) if lang and has(f"col_{k.lower()}") else k, v)
                    for k, v in sorted(metadata.items())]
            columns = [t("col_key", lang), t("value", lang)] if lang else ["key", "value"]
            pd.DataFrame(rows, columns=columns).to_excel(writer, sheet_name=sheet, index=False)
        for name, frame in tables.items():
            frame.to_excel(writer, sheet_name=name[:31], index=False)
    return buf.getvalue()


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_run(results: Results, out: Path, lang: str = "nl", charts: bool = True,
              chart_maker: Callable[[Results, str], dict] | None = None,
              formats: tuple[str, ...] = ("png", "svg"),
              extra_tables: dict[str, pd.DataFrame] | None = None, force: bool = False) -> Path:
    """Write tables, charts and the manifest of an experiment to the folder ``out``."""
    with staged(Path(out), force) as d:
        for name, frame in (extra_tables or {}).items():
            frame.to_csv(d / name, index=False)
        if not results.levels.empty and results.inflow_band:
            from .summary import uncertainty_table

            results.levels.to_csv(d / "inflow_levels.csv", index=False)
            uncertainty_table(results).to_csv(d / "uncertainty.csv", index=False)
        results.metrics.to_parquet(d / "metrics.parquet", index=False)
        results.metrics.to_csv(d / "metrics.csv", index=False)
        results.yearly.to_parquet(d / "yearly.parquet", index=False)
        figures_table(results).to_csv(d / "figures.csv", index=False)
        if results.cases is not None:
            results.cases.to_parquet(d / "cases.parquet", index=False)
        if charts:
            from .charts import run_charts

            (d / "charts").mkdir()
            meta = provenance(results)
            for name, fig in (chart_maker or run_charts)(results, lang).items():
                save_figure(fig, d / "charts" / name, formats, meta)
        manifest = results.manifest()
        manifest["files"] = {
            str(p.relative_to(d)): {"bytes": p.stat().st_size, "sha256": _sha256(p)}
            for p in sorted(d.rglob("*")) if p.is_file()
        }
        (d / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return Path(out)


def write_compare(results: Results, comparison, out: Path, lang: str = "nl", force: bool = False) -> Path:
    """A comparison: the run's files plus differences to the base with intervals (lead times in weeks)."""
    from .charts import compare_charts

    table = for_people(comparison.table).assign(base_scenario=comparison.base)
    return write_run(results, out, lang=lang, chart_maker=compare_charts, extra_tables={"comparison.csv": table},
                     force=force)


def write_sensitivity(result, out: Path, lang: str = "nl", force: bool = False) -> Path:
    """Sensitivity table (CSV, with the parameters in words) and tornado chart, with a manifest."""
    from .charts import tornado_chart
    from .parameters import parameter_words

    info = {"figure": str(result.figure), "fraction": result.fraction, "replications": result.replications,
            "seed": result.seed, "scenario": result.scenario.name}
    with staged(Path(out), force) as d:
        table = result.table.assign(label=[parameter_words(result.scenario, p, lang) for p in result.parameters])
        for_people(_with_unit(table, result.figure)).to_csv(d / "sensitivity.csv", index=False)
        fig = tornado_chart(result, lang)
        save_figure(fig, d / "tornado", ("png", "svg", "pdf"), _meta(result.scenario, info))
        skipped = [{"parameter": n, "side": side, "reason": why} for n, side, why in result.skipped]
        _manifest(d, {"kind": "sensitivity", **info, "scenario_hash": _hash(result.scenario),
                      **({"skipped": skipped} if skipped else {})})
    return Path(out)


def write_requirements(req, out: Path, lang: str = "nl", force: bool = False) -> Path:
    """Requirements table (CSV), the sentences for management, and a manifest."""
    from .needs import requirement_sentences

    with staged(Path(out), force) as d:
        for_people(_with_unit(req.table(), req.target)).to_csv(d / "requirements.csv", index=False)
        (d / "requirements.md").write_text("\n\n".join(requirement_sentences(req, lang)) + "\n")
        _manifest(d, {"kind": "requirements", "target": str(req.target), "probability": req.probability,
                      "replications": req.replications, "seed": req.seed, "scenario": req.scenario.name,
                      "start": req.start.isoformat(), "scenario_hash": _hash(req.scenario),
                      "without": {"probability": req.without.probability, "mean": req.without.mean}})
    return Path(out)


def _with_unit(table: pd.DataFrame, figure) -> pd.DataFrame:
    """A table about one figure (a sensitivity's, a requirement's target) with that figure, its
    category, year and unit on every row, as every table the tool writes has its unit."""
    from ..model import FIGURES

    return table.assign(figure=figure.figure, category=figure.category, year=figure.year,
                        unit=FIGURES[figure.figure][0])


def _hash(scenario) -> str:
    from ..scenario import scenario_hash

    return scenario_hash(scenario)


def _meta(scenario, attrs: dict) -> dict[str, str]:
    from .. import __version__

    return {"Title": scenario.name, "Software": f"indsim {__version__}",
            "Description": json.dumps({**{k: str(v) for k, v in attrs.items()}, "hash": _hash(scenario)})}


def _manifest(d: Path, info: dict) -> None:
    import datetime as dt

    from .. import __version__

    manifest = {"package": "indsim", "version": __version__,
                "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), **info}
    manifest["files"] = {str(p.relative_to(d)): {"bytes": p.stat().st_size, "sha256": _sha256(p)}
                         for p in sorted(d.rglob("*")) if p.is_file()}
    (d / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False, default=str) + "\n")
