"""An exploration in words, charts and files: a Dutch (or English) sentence per box, the Sobol
bars, a scatter of the two most influential uncertainties coloured by the outcome, the PRIM
trade-off between coverage and density, and the output folder (written whole or not at all).

Every word comes from the message catalogue (:mod:`.i18n`), every model figure is shown by its
unit (:mod:`.units`). Reads an exploration's tables; never runs the model. The dashboard page
'Verkennen' and the report pack read the folder this writes.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from ..errors import OutputError
from ..model import FIGURES
from .charts import PALETTE, Ticks, new_figure
from .i18n import capital, has, month, t
from .units import change, header, number, percent, show, unit, with_unit

_OPS = {">": "xp_op_gt", ">=": "xp_op_ge", "<": "xp_op_lt", "<=": "xp_op_le"}


def _fmt(x: float, lang: str) -> str:
    """An input's value (a factor, FTE, months): whole numbers plainly, small ones with decimals."""
    if abs(x) >= 100 or float(x).is_integer():
        return number(x, lang)
    return number(x, lang, 2 if abs(x) < 10 else 1)


def figure_unit(figure: str) -> str:
    """The stored unit of a model figure (days, share, euro, cases)."""
    return FIGURES[figure][0] if figure in FIGURES else ""


def figure_value(x: float, figure: str, lang: str = "nl") -> str:
    """A model figure's value in the unit a person reads: '60.000', '26 weken', '90%', '€ 8,9 mln'."""
    key = figure_unit(figure)
    u = unit(key)
    return with_unit(x, key, lang) if (u.scale != 1 or u.percent or u.euro) else show(x, key, lang)


def figure_words(figure: str, category: str, lang: str = "nl") -> str:
    """'een werkvoorraad asiel': how a condition names its figure."""
    key = f"xp_fig_{figure}"
    what = t(key, lang) if has(key) else t(figure, lang) if has(figure) else figure
    return f"{what} {t(category, lang) if has(category) else category}"


def condition_text(cond, lang: str = "nl") -> str:
    """'een werkvoorraad asiel boven 60.000 eind 2028'."""
    if cond.every_year_from:
        when = t("xp_every_year_from", lang, year=cond.year)
    else:
        when = t("when_end" if cond.figure.endswith("_end") else "when_in", lang, year=cond.year)
    return (f"{figure_words(cond.figure, cond.category, lang)} {t(_OPS[cond.op], lang)} "
            f"{figure_value(cond.value, cond.figure, lang)} {when}")


def label(ex, dim: str, lang: str = "nl") -> str:
    """How a sentence names an input: the item's label (a surge's year gets its own words)."""
    sp = ex.space
    if dim in sp.levers:
        return sp.levers[dim].text(lang) or dim
    item = next((d.item for d in sp.dims if d.name == dim), dim)
    it = sp.uncertainties.get(item)
    base = (it.text(lang) if it else None) or dim
    if dim.endswith("_year") and it is not None and it.kind == "surge":
        return t("xp_surge_year", lang)
    return base


def group_label(ex, name: str, lang: str = "nl") -> str:
    """How the Sobol bars name a group of uncertainties (or a single one)."""
    if name in ex.table.columns:
        return label(ex, name, lang)
    return t(f"xp_group_{name}", lang) if has(f"xp_group_{name}") else name


def _kind(ex, dim: str) -> str:
    sp = ex.space
    item = next((d.item for d in sp.dims if d.name == dim), None)
    return sp.uncertainties[item].kind if item else (sp.levers[dim].kind if dim in sp.levers else "")


def _year_text(x: float, lang: str) -> str:
    year = math.floor(x + 1e-9)
    m = min(12, round((x - year) * 12) + 1)
    return month(dt.date(year, m, 1), lang)


def restriction(ex, row: pd.Series, lang: str = "nl") -> str:
    """One limit of a box in words: 'instroomniveau (× basis) boven 1,21'."""
    name = label(ex, row.dimension, lang)
    if row.restricts == "in":
        return f"{name}: {row.categories}"
    kind = _kind(ex, row.dimension)
    lo, hi = row.lower, row.upper
    if kind in ("date", "start"):
        never = ex.space.never_year()
        if not np.isnan(lo) and lo >= never - 1e-9:
            return t("xp_never", lang, name=name)
        if not np.isnan(lo) and not np.isnan(hi) and hi < never - 1e-9:  # a window: 'van okt 2027 tot okt 2028'
            return t("xp_date_span", lang, name=name, low=_year_text(lo, lang), high=_year_text(hi, lang))
        parts = []
        if not np.isnan(lo):
            parts.append(t("xp_not_before", lang, when=_year_text(lo, lang)))
        if not np.isnan(hi) and hi < never - 1e-9:
            parts.append(t("xp_before", lang, when=_year_text(hi, lang)))
        tail = t("xp_or_never", lang) if np.isnan(hi) or hi >= never - 1e-9 else ""
        return f"{name} " + f" {t('and', lang)} ".join(parts) + tail
    if dim_is_year(ex, row.dimension):  # whole years, limits inclusive: 'uiterlijk 2027', 'vanaf 2028'
        first = math.ceil(lo - 1e-9) if not np.isnan(lo) else None
        last = math.floor(hi + 1e-9) if not np.isnan(hi) else None
        if first is not None and last is not None:
            return (t("xp_year_is", lang, name=name, year=first) if first == last else
                    t("xp_year_span", lang, name=name, low=first, high=last))
        if first is not None:
            return t("xp_year_from", lang, name=name, year=first)
        return t("xp_year_until", lang, name=name, year=last)
    lo_t = _fmt(lo, lang) if not np.isnan(lo) else ""
    hi_t = _fmt(hi, lang) if not np.isnan(hi) else ""
    if lo_t and hi_t:
        return t("xp_between", lang, name=name, low=lo_t, high=hi_t)
    if lo_t:
        return f"{name} {t('above', lang)} {lo_t}"
    return f"{name} {t('below', lang)} {hi_t}"


def dim_is_year(ex, dim: str) -> bool:
    return dim.endswith("_year") and _kind(ex, dim) == "surge"


def _all(items: list[str], lang: str) -> str:
    """Conditions that hold together: 'a én b' (stressed, as in the board's questions)."""
    return f" {t('xp_and_also', lang)} ".join(items)


def box_sentences(ex, boxes: pd.DataFrame, cond, lang: str = "nl") -> list[str]:
    """One sentence per box: coverage (the share of the futures with the condition that lie in
    the box), its conditions, and density (how often the condition holds inside the box)."""
    out = []
    for (method, k), rows in boxes.groupby(["method", "box"], sort=False):
        r0 = rows.iloc[0]
        conds = _all([restriction(ex, r, lang) for _, r in rows.iterrows()], lang)
        out.append(t("xp_box", lang, method=method, box=k, coverage=percent(r0.coverage, lang),
                     condition=condition_text(cond, lang), conditions=conds, density=percent(r0.density, lang),
                     mass=percent(r0.mass, lang)))
    return out


def policy_label(ex, name: str, lang: str = "nl") -> str:
    for p in ex.space.policies:
        if p.name == name:
            lab = p.label
            return getattr(lab, lang) if hasattr(lab, lang) else (lab or name)
    return name


def robustness_sentences(ex, robust: pd.DataFrame, needs: pd.DataFrame, phase: pd.DataFrame, goal,
                         lang: str = "nl") -> list[str]:
    """Which policy meets the goal in most futures, what it needs from others, gradual or abrupt."""
    if robust.empty:
        return []
    best = robust.iloc[0]
    ref = robust[robust.policy == ex.space.policies[0].name].iloc[0]
    out = [t("xp_best" if ref.policy != best.policy else "xp_best_alone", lang,
             best=policy_label(ex, best.policy, lang), goal=condition_text(goal, lang),
             share=percent(best.satisficing, lang), ref=policy_label(ex, ref.policy, lang),
             ref_share=percent(ref.satisficing, lang))]
    if not needs.empty:
        r0 = needs.iloc[0]
        out.append(t("xp_needs", lang, conditions=_all([restriction(ex, r, lang) for _, r in needs.iterrows()], lang),
                     density=percent(r0.density, lang), coverage=percent(r0.coverage, lang)))
    elif 0 < best.satisficing < 1:  # it works in some futures only, and nothing others hold says which
        others = [d.name for d in ex.space.dims if ex.space.uncertainties[d.item].owner == "others"]
        if others:
            names = ", ".join(dict.fromkeys(label(ex, d, lang) for d in others))
            out.append(t("xp_needs_none", lang, others=names))
    key = figure_unit(goal.figure)
    for r in phase.itertuples():
        out.append(t("xp_phase", lang, gradual=policy_label(ex, r.gradual, lang),
                     gradual_share=percent(r.gradual_satisficing, lang), abrupt=policy_label(ex, r.abrupt, lang),
                     abrupt_share=percent(r.abrupt_satisficing, lang), better=percent(r.gradual_better, lang),
                     difference=change(r.difference, key, lang)))
    return out


def policies_frame(robust: pd.DataFrame, names: dict[str, str], figure: str, lang: str = "nl") -> pd.DataFrame:
    """The policies across all futures as a table for people: words for headings and policies,
    shares as percentages, the goal's figure and the regret in its unit."""
    key = figure_unit(figure)
    word = header(key, lang)

    def head(k: str) -> str:
        return f"{t(k, lang)} ({word})" if word else t(k, lang)

    return pd.DataFrame({
        t("xp_col_policy", lang): [names.get(p, p) for p in robust.policy],
        t("xp_col_satisficing", lang): [percent(v, lang) for v in robust.satisficing],
        head("xp_col_mean"): [show(v, key, lang) for v in robust["mean"]],
        head("xp_col_regret_mean"): [show(v, key, lang) for v in robust.regret_mean],
        head("xp_col_regret_max"): [show(v, key, lang) for v in robust.regret_max],
        t("xp_col_best_in", lang): [percent(v, lang) for v in robust.best_in],
    })


# ---------------------------------------------------------------------- charts
def _fig(title: str, h: float = 3.6) -> tuple[Figure, Axes]:
    fig, ax = new_figure(6.3, h)
    fig.suptitle(title, x=0.01, ha="left", fontsize=11, fontweight="bold")
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def sobol_chart(ex, table: pd.DataFrame, lang: str = "nl", top: int = 12) -> Figure:
    """Horizontal bars: total and first-order index with their 95% intervals."""
    rows = table.head(top).iloc[::-1]
    names = [group_label(ex, u, lang) for u in rows.uncertainty]
    has_total = rows.ST.notna().any()
    fig, ax = _fig(t("xp_chart_sobol", lang), 1.2 + 0.28 * len(rows))
    y = np.arange(len(rows))
    if has_total:
        ax.barh(y + 0.2, rows.ST, 0.4, xerr=rows.ST_conf, color=PALETTE[0], label=t("xp_total", lang))
    ax.barh(y - 0.2 if has_total else y, rows.S1, 0.4, xerr=rows.S1_conf, color=PALETTE[1],
            label=t("xp_first_order", lang))
    ax.set_yticks(y, names, fontsize=7)
    ax.set_xlabel(t("xp_sobol_index", lang))
    ax.xaxis.set_major_formatter(Ticks(lang, 1))
    ax.legend(loc="lower right", frameon=False)
    fig.tight_layout()
    return fig


def outcome_label(cond, year: int, lang: str = "nl") -> str:
    """The axis or legend title of a condition's figure: 'werkvoorraad eind jaar asiel 2028 (weken)'."""
    head = f"{capital(t(cond.figure, lang) if has(cond.figure) else cond.figure)} " \
           f"{t(cond.category, lang) if has(cond.category) else cond.category} {year}"
    u = unit(figure_unit(cond.figure))
    return f"{head} ({u.word(lang)})" if u.scale != 1 or u.percent or u.euro else head


def scatter_chart(ex, xcol: str, ycol: str, values: pd.Series, cond, lang: str = "nl") -> Figure:
    """The two most influential inputs, each experiment coloured by the outcome of the condition."""
    from .units import shown

    fig, ax = _fig(t("xp_chart_scatter", lang))
    key = figure_unit(cond.figure)
    sc = ax.scatter(ex.table[xcol].astype(float), ex.table[ycol].astype(float),
                    c=[shown(v, key) for v in values], s=12, cmap="viridis")
    cb = fig.colorbar(sc, ax=ax, format=Ticks(lang))
    year = cond.year if not cond.every_year_from else ex.scenario.end.year
    cb.set_label(outcome_label(cond, year, lang))
    ax.set_xlabel(label(ex, xcol, lang))
    ax.set_ylabel(label(ex, ycol, lang))
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_formatter(FuncFormatter(lambda v, _: _fmt(v, lang)))
    fig.tight_layout()
    return fig


def tradeoff_chart(boxes: pd.DataFrame, lang: str = "nl") -> Figure:
    """Coverage against density of the boxes found (PRIM and CART)."""
    fig, ax = _fig(t("xp_chart_tradeoff", lang))
    for i, (method, rows) in enumerate(boxes.groupby("method", sort=False)):
        b = rows.drop_duplicates("box")
        ax.scatter(b.coverage, b.density, color=PALETTE[i], s=40, label=method)
        for r in b.itertuples():
            n = rows[rows.box == r.box].shape[0]
            ax.annotate(t("xp_box_limits", lang, method=method, box=r.box, n=n), (r.coverage, r.density),
                        fontsize=7, xytext=(4, 4 - 12 * i), textcoords="offset points")  # PRIM above, CART below
    ax.set_xlim(0, 1.05)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel(t("xp_coverage", lang))
    ax.set_ylabel(t("xp_density", lang))
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_formatter(Ticks(lang, as_percent=True))
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------- the folder
def write_exploration(ex, out: Path, where=None, goal=None, lang: str = "nl", force: bool = False) -> dict:
    """experiments.parquet, boxes, sensitivity, robustness, sentences, charts and the manifest
    to ``out`` (whole or not at all; ``force``: replace a folder holding other files). Returns
    the tables and sentences it wrote."""
    from ..experiment.explore import analysis as A
    from .export import _manifest, save_figure, staged

    found: dict = {}
    cond = where
    if cond is not None:
        found["boxes"] = A.discover(ex, cond)
    look = cond or goal
    if look is not None:
        found["sensitivity"] = A.sensitivity(ex, look)
    if goal is not None:
        found["robustness"] = A.robustness(ex, goal)
        best = found["robustness"].policy.iloc[0]
        found["needs"] = A.needs_from_others(ex, goal, best)
        found["phase"] = A.phase_pairs(ex, goal)
    words = {}
    for lg in ("nl", "en"):
        words[lg] = box_sentences(ex, found["boxes"], cond, lg) if cond is not None else []
        if goal is not None:
            words[lg] += robustness_sentences(ex, found["robustness"], found["needs"], found["phase"], goal, lg)
    found["sentences"] = words[lang]
    meta = {"Title": t("xp_title_meta", lang, scenario=ex.scenario.name), "Software": "indsim"}
    with staged(out, force) as d:
        ex.table.to_parquet(d / "experiments.parquet", index=False)
        charts = d / "charts"
        charts.mkdir()
        for name in ("boxes", "sensitivity", "robustness", "needs", "phase"):
            if name in found:
                found[name].to_csv(d / f"{name}.csv", index=False)
        if "boxes" in found:
            found["boxes"].to_parquet(d / "boxes.parquet", index=False)
            if not found["boxes"].empty:
                save_figure(tradeoff_chart(found["boxes"], lang), charts / "tradeoff", ("png", "svg"), meta)
        if "sensitivity" in found:
            save_figure(sobol_chart(ex, found["sensitivity"], lang), charts / "sensitivity", ("png", "svg"), meta)
            top = A.top_uncertainties(found["sensitivity"], ex, 2)
            if len(top) == 2:
                save_figure(scatter_chart(ex, top[0], top[1], A.outcome(ex, look), look, lang), charts / "scatter",
                            ("png", "svg"), meta)
                found["top"] = top
        (d / "sentences.md").write_text("\n\n".join(found["sentences"]) + "\n", encoding="utf-8")
        (d / "sentences.json").write_text(json.dumps(words, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
        info = ex.info()
        groups = list(found["sensitivity"].uncertainty) if "sensitivity" in found else []
        info.update(where=str(where) if where else None, target=str(goal) if goal else None, lang=lang,
                    top=found.get("top", []),
                    labels={lg: {**{g: group_label(ex, g, lg) for g in groups},
                                 **{c: label(ex, c, lg) for c in ex.inputs + ex.levers}} for lg in ("nl", "en")},
                    policy_labels={lg: {p.name: policy_label(ex, p.name, lg) for p in ex.space.policies}
                                   for lg in ("nl", "en")})
        _manifest(d, info)
    return found


MAX_READ_BYTES = 200_000_000  # all files of one exploration together (100,000 experiments take ~60 MB)
_TABLES = ("boxes", "sensitivity", "robustness", "needs", "phase")


def is_exploration(folder: Path) -> bool:
    try:
        return read_manifest(folder).get("kind") == "exploration"
    except Exception:  # an unreadable folder is simply not offered
        return False


def read_manifest(folder: Path) -> dict:
    """The manifest of an exploration folder (for the dashboard and the report pack)."""
    path = Path(folder) / "manifest.json"
    if path.stat().st_size > 10_000_000:
        raise OutputError(f"{path}: manifest too large")
    manifest = json.loads(path.read_text(encoding="utf-8"))
    if not isinstance(manifest, dict):
        raise OutputError(f"{path}: not an indsim manifest")
    return manifest


def listed_files(folder: Path, manifest: dict) -> list[Path]:
    """The files the manifest lists, each a regular file inside ``folder`` of the size the
    manifest says, together within :data:`MAX_READ_BYTES`; one line naming the first that is not."""
    folder = Path(folder)
    files = manifest.get("files")
    if not isinstance(files, dict) or not {"experiments.parquet", "sentences.json"} <= set(files):
        raise OutputError(f"{folder / 'manifest.json'}: files: does not list experiments.parquet and "
                          "sentences.json (not an exploration written by indsim explore)")
    out, total = [], 0
    for name, entry in files.items():
        path = folder / str(name)
        if ".." in Path(str(name)).parts or Path(str(name)).is_absolute() or not path.is_file() \
                or path.is_symlink():
            raise OutputError(f"{path}: files: not a file inside the exploration's folder")
        size = entry.get("bytes") if isinstance(entry, dict) else None
        if path.stat().st_size != size:
            raise OutputError(f"{path}: size differs from the manifest (changed after it was written?)")
        total += size
        if total > MAX_READ_BYTES:
            raise OutputError(f"{folder}: files: more than {MAX_READ_BYTES:,} bytes together")
        out.append(path)
    return out


def read_exploration(folder: Path) -> dict:
    """A stored exploration: manifest, experiments, sentences and the tables that exist; files are
    bounded and checked against the manifest's sizes, with a one-line error when one is not."""
    folder = Path(folder)
    try:
        manifest = read_manifest(folder)
        listed = {p.name for p in listed_files(folder, manifest) if p.parent == folder}
        out: dict = {"manifest": manifest}
        out["experiments"] = pd.read_parquet(folder / "experiments.parquet")
        out["sentences"] = json.loads((folder / "sentences.json").read_text(encoding="utf-8"))
        if not isinstance(out["sentences"], dict):
            raise OutputError(f"{folder / 'sentences.json'}: not a mapping of languages to sentences")
        for name in _TABLES:
            if f"{name}.csv" in listed:
                out[name] = pd.read_csv(folder / f"{name}.csv")
    except OutputError:
        raise
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise OutputError(f"{folder}: not a readable exploration ({type(exc).__name__})") from None
    return out


def copy_exploration(folder: Path, dest: Path) -> None:
    """The exploration's files (those its manifest lists, checked as :func:`read_exploration`
    does) and the manifest, copied to ``dest``."""
    import shutil

    folder = Path(folder)
    read_exploration(folder)
    for path in [*listed_files(folder, read_manifest(folder)), folder / "manifest.json"]:
        target = dest / path.relative_to(folder)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, target)


def exploration_blocks(folder: Path, lang: str = "nl") -> list:
    """The brief's section on an exploration: what it found, with its charts."""
    from .brief import Block

    ex = read_exploration(folder)
    m = ex["manifest"]
    out = [Block("heading", t("xp_brief_heading", lang)),
           Block("text", t("xp_brief_what", lang, n=number(m["experiments"], lang),
                           futures=number(m["futures"], lang), policies=len(m["policies"]),
                           scenario=m["scenario"], seed=m["seed"])),
           Block("list", items=list(ex["sentences"].get(lang, [])))]
    for name in ("sensitivity", "scatter", "tradeoff"):
        svg = Path(folder) / "charts" / f"{name}.svg"
        if svg.exists():
            out.append(Block("chart", svg=svg.read_bytes()))
    return out
