"""Writing results to disk: whole or not at all.

Files go to a staging folder beside the destination, which replaces the destination only when
everything has been written. A destination that exists and is not an earlier indsim output is
never overwritten.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import matplotlib.pyplot as plt
import pandas as pd

from ..errors import OutputError
from ..experiment import Results, summarize

MANIFEST = "manifest.json"


def figures_table(results: Results) -> pd.DataFrame:
    """Main figures per scenario, year and category: mean and 95% interval over replications."""
    return summarize(results.yearly, ["scenario", "category", "figure", "year"])


def save_figure(fig, stem: Path, formats: tuple[str, ...], metadata: dict[str, str]) -> list[Path]:
    """Save one figure in several formats with provenance in the file metadata."""
    out = []
    for fmt in formats:
        path = stem.with_suffix(f".{fmt}")
        meta = {"png": {"Title": metadata.get("Title", ""), "Description": metadata.get("Description", ""),
                        "Software": metadata.get("Software", "")},
                "svg": {"Title": metadata.get("Title", ""), "Description": metadata.get("Description", "")},
                "pdf": {"Title": metadata.get("Title", ""), "Subject": metadata.get("Description", ""),
                        "Creator": metadata.get("Software", "")}}.get(fmt, {})
        fig.savefig(path, format=fmt, dpi=300 if fmt == "png" else None, metadata=meta)
        out.append(path)
    return out


@contextlib.contextmanager
def staged(out: Path) -> Iterator[Path]:
    """A folder to write into; on success it becomes ``out``, on failure it disappears."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise OutputError(f"{out}: exists and is a file, not a folder; choose another --out")
    if out.is_dir() and any(out.iterdir()) and not (out / MANIFEST).exists():
        raise OutputError(f"{out}: folder exists, is not empty and is not an indsim output; "
                          "choose another --out")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".partial", dir=out.parent))
    except OSError as exc:
        raise OutputError(f"{out}: cannot write here: {exc.strerror}") from None
    try:
        yield staging
        old = None
        if out.exists():
            old = out.with_name(f".{out.name}.{os.getpid()}.old")
            os.rename(out, old)
        os.rename(staging, out)
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_run(results: Results, out: Path, lang: str = "nl", charts: bool = True,
              chart_maker: Callable[[Results, str], dict] | None = None,
              formats: tuple[str, ...] = ("png", "svg"),
              extra_tables: dict[str, pd.DataFrame] | None = None) -> Path:
    """Write tables, charts and the manifest of an experiment to the folder ``out``."""
    with staged(Path(out)) as d:
        for name, frame in (extra_tables or {}).items():
            frame.to_csv(d / name, index=False)
        if not results.levels.empty and results.inflow_band:
            results.levels.to_csv(d / "inflow_levels.csv", index=False)
        results.metrics.to_parquet(d / "metrics.parquet", index=False)
        results.metrics.to_csv(d / "metrics.csv", index=False)
        results.yearly.to_parquet(d / "yearly.parquet", index=False)
        figures_table(results).to_csv(d / "figures.csv", index=False)
        if results.cases is not None:
            results.cases.to_parquet(d / "cases.parquet", index=False)
        if charts:
            from .charts import run_charts

            (d / "charts").mkdir()
            meta = {"Title": ", ".join(results.names), "Software": f"indsim {results.manifest()['version']}",
                    "Description": json.dumps({k: results.manifest()[k] for k in ("seed", "replications")}
                                              | {"scenarios": {n: v["hash"] for n, v in
                                                               results.manifest()["scenarios"].items()}})}
            for name, fig in (chart_maker or run_charts)(results, lang).items():
                save_figure(fig, d / "charts" / name, formats, meta)
                plt.close(fig)
        manifest = results.manifest()
        manifest["files"] = {
            str(p.relative_to(d)): {"bytes": p.stat().st_size, "sha256": _sha256(p)}
            for p in sorted(d.rglob("*")) if p.is_file()
        }
        (d / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n")
    return Path(out)


def write_compare(results: Results, table: pd.DataFrame, out: Path, lang: str = "nl") -> Path:
    """A comparison: the run's files plus differences to the base with intervals."""
    from .charts import compare_charts

    def extra(res: Results, lg: str) -> dict:
        return compare_charts(res, lg)

    path = write_run(results, out, lang=lang, chart_maker=extra,
                     extra_tables={"comparison.csv": table})
    return path


def write_sensitivity(table: pd.DataFrame, scenario, out: Path, lang: str = "nl") -> Path:
    """Sensitivity table (CSV) and tornado chart, with a manifest."""
    from .charts import tornado_chart

    with staged(Path(out)) as d:
        table.to_csv(d / "sensitivity.csv", index=False)
        fig = tornado_chart(table, lang)
        save_figure(fig, d / "tornado", ("png", "svg", "pdf"), _meta(scenario, table.attrs))
        plt.close(fig)
        _manifest(d, {"kind": "sensitivity", **table.attrs, "scenario_hash": _hash(scenario)})
    return Path(out)


def write_requirements(table: pd.DataFrame, without, scenario, out: Path, lang: str = "nl") -> Path:
    """Requirements table (CSV), the sentences for management, and a manifest."""
    from .summary import requirement_sentences

    with staged(Path(out)) as d:
        table.to_csv(d / "requirements.csv", index=False)
        (d / "requirements.md").write_text("\n".join(requirement_sentences(table, without, lang)) + "\n")
        _manifest(d, {"kind": "requirements", **table.attrs, "scenario_hash": _hash(scenario),
                      "without": {"probability": without.probability, "mean": without.mean}})
    return Path(out)


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
