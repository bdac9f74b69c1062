"""An exploration in words, charts and files: a Dutch (or English) sentence per box, the Sobol
bars, a scatter of the two most influential uncertainties coloured by the outcome, the PRIM
trade-off between coverage and density, and the output folder (written whole or not at all).

Reads an exploration's tables; never runs the model. The dashboard page 'Verkennen' reads the
folder this writes.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from ..errors import OutputError
from .charts import PALETTE, STYLE
from .i18n import month
from .units import number, percent

_FIGURE_WORDS = {  # figure -> (nl, en, is a year-end stock)
    "backlog_end": ("een werkvoorraad", "a backlog", True),
    "past_term_end": ("zaken over de termijn", "cases past their term", True),
    "reception_end": ("mensen in de opvang", "people in reception", True),
    "reception_short_end": ("mensen in de noodopvang", "people in emergency reception", True),
    "lead_time_p50": ("een mediane doorlooptijd (dagen)", "a median lead time (days)", False),
    "lead_time_p90": ("een doorlooptijd (90e percentiel, dagen)", "a lead time (90th percentile, days)", False),
    "within_term_share": ("een aandeel binnen de termijn", "a share within the term", False),
    "penalty_eur": ("dwangsommen (euro)", "penalties (euro)", False),
    "reception_cost_eur": ("opvangkosten (euro)", "reception costs (euro)", False),
    "first_decisions": ("eerste besluiten", "first decisions", False),
}
_CATEGORY = {"asylum": ("asiel", "asylum"), "nareis": ("nareis", "family reunification"),
             "other": ("overig", "other")}
_OPS = {">": ("boven", "above"), ">=": ("van ten minste", "of at least"), "<": ("onder", "below"),
        "<=": ("van ten hoogste", "of at most")}


def _fmt(x: float, lang: str) -> str:
    if abs(x) >= 100 or float(x).is_integer():
        return number(x, lang)
    return number(x, lang, 2 if abs(x) < 10 else 1)


def condition_text(cond, lang: str = "nl") -> str:
    """'een werkvoorraad asiel boven 60.000 eind 2028'."""
    i = 0 if lang == "nl" else 1
    words = _FIGURE_WORDS.get(cond.figure, (cond.figure, cond.figure, False))
    what = f"{words[i]} {_CATEGORY.get(cond.category, (cond.category,) * 2)[i]}"
    value = percent(cond.value, lang) if cond.figure == "within_term_share" else _fmt(cond.value, lang)
    if cond.every_year_from:
        when = f"vanaf {cond.year} elk jaar" if lang == "nl" else f"every year from {cond.year}"
    elif words[2]:
        when = f"eind {cond.year}" if lang == "nl" else f"at the end of {cond.year}"
    else:
        when = f"in {cond.year}"
    return f"{what} {_OPS[cond.op][i]} {value} {when}"


def label(ex, dim: str, lang: str = "nl") -> str:
    """How a sentence names an input: the item's label (a surge's year gets its own words)."""
    sp = ex.space
    if dim in sp.levers:
        return sp.levers[dim].text(lang) or dim
    item = next((d.item for d in sp.dims if d.name == dim), dim)
    it = sp.uncertainties.get(item)
    base = (it.text(lang) if it else None) or dim
    if dim.endswith("_year") and it is not None and it.kind == "surge":
        return "jaar van de piek" if lang == "nl" else "year of the surge"
    return base


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
    nl = lang == "nl"
    name = label(ex, row.dimension, lang)
    if row.restricts == "in":
        return f"{name}: {row.categories}"
    kind = _kind(ex, row.dimension)
    lo, hi = row.lower, row.upper
    if kind in ("date", "start"):
        never = ex.space.never_year()
        if not np.isnan(lo) and lo >= never - 1e-9:
            return f"{name}: nooit" if nl else f"{name}: never"
        parts = []
        if not np.isnan(lo):
            parts.append(f"niet vóór {_year_text(lo, lang)}" if nl else f"not before {_year_text(lo, lang)}")
        if not np.isnan(hi) and hi < never - 1e-9:
            parts.append(f"vóór {_year_text(hi, lang)}" if nl else f"before {_year_text(hi, lang)}")
        tail = (" of nooit" if nl else " or never") if np.isnan(hi) or hi >= never - 1e-9 else ""
        return f"{name} " + (" en " if nl else " and ").join(parts) + tail
    if dim_is_year(ex, row.dimension):
        lo_t = str(math.ceil(lo - 1e-9)) if not np.isnan(lo) else ""
        hi_t = str(math.floor(hi + 1e-9)) if not np.isnan(hi) else ""
    else:
        lo_t = _fmt(lo, lang) if not np.isnan(lo) else ""
        hi_t = _fmt(hi, lang) if not np.isnan(hi) else ""
    if lo_t and hi_t:
        return f"{name} tussen {lo_t} en {hi_t}" if nl else f"{name} between {lo_t} and {hi_t}"
    if lo_t:
        return f"{name} boven {lo_t}" if nl else f"{name} above {lo_t}"
    return f"{name} onder {hi_t}" if nl else f"{name} below {hi_t}"


def dim_is_year(ex, dim: str) -> bool:
    return dim.endswith("_year") and _kind(ex, dim) == "surge"


def box_sentences(ex, boxes: pd.DataFrame, cond, lang: str = "nl") -> list[str]:
    """One sentence per box: coverage (the share of the futures with the condition that lie in
    the box), its conditions, and density (how often the condition holds inside the box)."""
    out = []
    for (method, k), rows in boxes.groupby(["method", "box"], sort=False):
        r0 = rows.iloc[0]
        conds = (" én " if lang == "nl" else " and ").join(restriction(ex, r, lang) for _, r in rows.iterrows())
        if lang == "nl":
            out.append(f"{method} {k}: In {percent(r0.coverage, lang)} van de toekomsten met "
                       f"{condition_text(cond, lang)} geldt: {conds}. Binnen deze voorwaarden gebeurt het in "
                       f"{percent(r0.density, lang)} van de toekomsten ({percent(r0.mass, lang)} van alle "
                       f"toekomsten valt erin).")
        else:
            out.append(f"{method} {k}: In {percent(r0.coverage, lang)} of the futures with "
                       f"{condition_text(cond, lang)}: {conds}. Under these conditions it happens in "
                       f"{percent(r0.density, lang)} of the futures ({percent(r0.mass, lang)} of all futures "
                       f"fall in the box).")
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
    nl = lang == "nl"
    if robust.empty:
        return []
    best = robust.iloc[0]
    ref = robust[robust.policy == ex.space.policies[0].name].iloc[0]
    goal_t = condition_text(goal, lang)
    out = [f"Met '{policy_label(ex, best.policy, lang)}' wordt het doel ({goal_t}) in "
           f"{percent(best.satisficing, lang)} van de toekomsten gehaald; "
           f"'{policy_label(ex, ref.policy, lang)}' haalt het in {percent(ref.satisficing, lang)}."
           if nl else
           f"With '{policy_label(ex, best.policy, lang)}' the goal ({goal_t}) is met in "
           f"{percent(best.satisficing, lang)} of the futures; '{policy_label(ex, ref.policy, lang)}' meets it in "
           f"{percent(ref.satisficing, lang)}."]
    if not needs.empty:
        r0 = needs.iloc[0]
        conds = (" én " if nl else " and ").join(restriction(ex, r, lang) for _, r in needs.iterrows())
        out.append(f"Wat dat van anderen vraagt: als {conds}, dan wordt het doel met die maatregelen in "
                   f"{percent(r0.density, lang)} van die toekomsten gehaald ({percent(r0.coverage, lang)} van alle "
                   f"toekomsten waarin het lukt)." if nl else
                   f"What it needs from others: if {conds}, the goal is met with these measures in "
                   f"{percent(r0.density, lang)} of those futures ({percent(r0.coverage, lang)} of all futures in "
                   f"which it works).")
    for r in phase.itertuples():
        out.append(f"Geleidelijk of abrupt: '{policy_label(ex, r.gradual, lang)}' haalt het doel in "
                   f"{percent(r.gradual_satisficing, lang)} van de toekomsten, '{policy_label(ex, r.abrupt, lang)}' in "
                   f"{percent(r.abrupt_satisficing, lang)}; in {percent(r.gradual_better, lang)} van de toekomsten "
                   f"is geleidelijk beter (gemiddeld {_fmt(r.difference, lang)})." if nl else
                   f"Gradual or abrupt: '{policy_label(ex, r.gradual, lang)}' meets the goal in "
                   f"{percent(r.gradual_satisficing, lang)} of the futures, '{policy_label(ex, r.abrupt, lang)}' in "
                   f"{percent(r.abrupt_satisficing, lang)}; gradual is better in {percent(r.gradual_better, lang)} "
                   f"of the futures (by {_fmt(r.difference, lang)} on average).")
    return out


# ---------------------------------------------------------------------- charts
def _fig(title: str, h: float = 3.6) -> tuple[Figure, plt.Axes]:
    with plt.rc_context(STYLE):
        fig = plt.figure(figsize=(6.3, h), dpi=100)
        ax = fig.add_subplot()
    fig.suptitle(title, x=0.01, ha="left", fontsize=11, fontweight="bold")
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def sobol_chart(ex, table: pd.DataFrame, lang: str = "nl", top: int = 12) -> Figure:
    """Horizontal bars: total and first-order index with their 95% intervals."""
    t = table.head(top).iloc[::-1]
    names = [label(ex, u, lang) if u in ex.table.columns else u for u in t.uncertainty]
    has_total = t.ST.notna().any()
    fig, ax = _fig("Wat bepaalt de uitkomst het meest?" if lang == "nl" else "What matters most?",
                   1.2 + 0.28 * len(t))
    y = np.arange(len(t))
    if has_total:
        ax.barh(y + 0.2, t.ST, 0.4, xerr=t.ST_conf, color=PALETTE[0], label="totaal (ST)" if lang == "nl" else
                "total (ST)")
    ax.barh(y - 0.2 if has_total else y, t.S1, 0.4, xerr=t.S1_conf, color=PALETTE[1],
            label="eerste orde (S1)" if lang == "nl" else "first order (S1)")
    ax.set_yticks(y, names, fontsize=7)
    ax.set_xlabel("Sobol-index" if lang == "nl" else "Sobol index")
    ax.legend(loc="lower right", frameon=False)
    fig.tight_layout()
    return fig


def scatter_chart(ex, xcol: str, ycol: str, values: pd.Series, cond, lang: str = "nl") -> Figure:
    """The two most influential inputs, each experiment coloured by the outcome of the condition."""
    fig, ax = _fig("Twee belangrijkste onzekerheden" if lang == "nl" else "The two most influential uncertainties")
    sc = ax.scatter(ex.table[xcol].astype(float), ex.table[ycol].astype(float), c=values, s=12, cmap="viridis")
    cb = fig.colorbar(sc, ax=ax)
    words = _FIGURE_WORDS.get(cond.figure, (cond.figure, cond.figure, False))[0 if lang == "nl" else 1]
    cb.set_label(f"{words} {_CATEGORY.get(cond.category, ('', ''))[0 if lang == 'nl' else 1]} {cond.year}")
    ax.set_xlabel(label(ex, xcol, lang))
    ax.set_ylabel(label(ex, ycol, lang))
    fig.tight_layout()
    return fig


def tradeoff_chart(boxes: pd.DataFrame, lang: str = "nl") -> Figure:
    """Coverage against density of the boxes found (PRIM and CART)."""
    fig, ax = _fig("Afweging dekking en dichtheid" if lang == "nl" else "Trade-off of coverage and density")
    for i, (method, rows) in enumerate(boxes.groupby("method", sort=False)):
        b = rows.drop_duplicates("box")
        ax.scatter(b.coverage, b.density, color=PALETTE[i], s=40, label=method)
        for r in b.itertuples():
            ax.annotate(f"{method} {r.box} ({rows[rows.box == r.box].shape[0]})", (r.coverage, r.density),
                        fontsize=7, xytext=(4, 4), textcoords="offset points")
    ax.set_xlim(0, 1.05)
    ax.set_ylim(0, 1.05)
    ax.set_xlabel("dekking (coverage)" if lang == "nl" else "coverage")
    ax.set_ylabel("dichtheid (density)" if lang == "nl" else "density")
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig


# ---------------------------------------------------------------------- the folder
def write_exploration(ex, out: Path, where=None, goal=None, lang: str = "nl") -> dict:
    """experiments.parquet, boxes, sensitivity, robustness, sentences, charts and the manifest
    to ``out`` (whole or not at all). Returns the tables and sentences it wrote."""
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
    meta = {"Title": f"exploration {ex.scenario.name}", "Software": "indsim"}
    with staged(out) as d:
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
        plt.close("all")
        info = ex.info()
        info.update(where=str(where) if where else None, target=str(goal) if goal else None, lang=lang,
                    top=found.get("top", []),
                    labels={lg: {c: label(ex, c, lg) for c in ex.inputs + ex.levers} for lg in ("nl", "en")},
                    policy_labels={lg: {p.name: policy_label(ex, p.name, lg) for p in ex.space.policies}
                                   for lg in ("nl", "en")})
        _manifest(d, info)
    return found


MAX_READ_BYTES = 200_000_000


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
    return json.loads(path.read_text(encoding="utf-8"))


def read_exploration(folder: Path) -> dict:
    """A stored exploration: manifest, experiments, sentences and the tables that exist; files are
    bounded and checked against the manifest's sizes, with a one-line error when one is not."""
    folder = Path(folder)
    try:
        manifest = read_manifest(folder)
        out: dict = {"manifest": manifest}
        for name, entry in manifest.get("files", {}).items():
            path = folder / name
            if path.stat().st_size != entry["bytes"] or entry["bytes"] > MAX_READ_BYTES:
                raise OutputError(f"{path}: size differs from the manifest (changed after it was written?)")
        out["experiments"] = pd.read_parquet(folder / "experiments.parquet")
        out["sentences"] = json.loads((folder / "sentences.json").read_text(encoding="utf-8"))
        for name in ("boxes", "sensitivity", "robustness", "needs", "phase"):
            if (folder / f"{name}.csv").exists():
                out[name] = pd.read_csv(folder / f"{name}.csv")
    except OutputError:
        raise
    except (OSError, ValueError, KeyError) as exc:
        raise OutputError(f"{folder}: not a readable exploration ({type(exc).__name__})") from None
    return out


def copy_exploration(folder: Path, dest: Path) -> None:
    """The exploration's files (checked as :func:`read_exploration` does) copied to ``dest``."""
    import shutil

    folder = Path(folder)
    read_exploration(folder)
    shutil.copytree(folder, dest)


def exploration_blocks(folder: Path, lang: str = "nl") -> list:
    """The brief's section on an exploration: what it found, with its charts."""
    from .brief import Block

    ex = read_exploration(folder)
    m = ex["manifest"]
    nl = lang == "nl"
    out = [Block("heading", "Verkenning van toekomsten" if nl else "Exploration of futures"),
           Block("text", f"{m['experiments']} experimenten ({m['futures']} toekomsten × {len(m['policies'])} "
                         f"beleidskeuzes) van scenario {m['scenario']}, seed {m['seed']}; zie exploration/."
                 if nl else f"{m['experiments']} experiments ({m['futures']} futures × {len(m['policies'])} "
                            f"policies) of scenario {m['scenario']}, seed {m['seed']}; see exploration/."),
           Block("list", items=list(ex["sentences"].get(lang, [])))]
    for name in ("sensitivity", "scatter", "tradeoff"):
        svg = Path(folder) / "charts" / f"{name}.svg"
        if svg.exists():
            out.append(Block("chart", svg=svg.read_bytes()))
    return out
