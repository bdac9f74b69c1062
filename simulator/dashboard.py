"""Shared pieces of the Streamlit dashboard (``app.py`` and ``pages/``): language, the scenarios
on offer, experiments that run only when asked and are cached, uploads, and the tiles.

Model logic stays in the layers below; this module only arranges them for the screen.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import streamlit as st

from .errors import IndsimError
from .experiment import ResultCache, Results, assemble, execute, tasks_for
from .report.i18n import number
from .report.sentences import KINDS, figure_difference
from .scenario import Scenario, load_scenario, scenario_from_text, scenario_hash
from .scenario.yamlsource import parse_text

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
BASE = "baseline"
MAX_UPLOAD_BYTES = 200_000

# (figure, category or categories summed, kind, lower is better)
TILES = [
    ("backlog_end", ("asylum",), "count", True),
    ("backlog_end", ("nareis",), "count", True),
    ("lead_time_p50", ("asylum",), "weeks", True),
    ("within_term_share", ("asylum",), "share", False),
    ("penalty_eur", ("asylum", "nareis"), "euro_m", True),
    ("reception_end", ("asylum",), "count", True),
]
TILE_NAMES = {
    ("backlog_end", "asylum"): ("Werkvoorraad asiel", "Asylum backlog"),
    ("backlog_end", "nareis"): ("Werkvoorraad nareis", "Family reunification backlog"),
    ("lead_time_p50", "asylum"): ("Doorlooptijd asiel (mediaan, weken)", "Asylum lead time (median, weeks)"),
    ("within_term_share", "asylum"): ("Binnen de beslistermijn (asiel)", "Within the legal term (asylum)"),
    ("penalty_eur", "asylum"): ("Dwangsommen (mln euro)", "Penalty payments (million euro)"),
    ("reception_end", "asylum"): ("Wachtend in de opvang", "Waiting in reception"),
}


def lang() -> str:
    return st.session_state.get("lang", "nl")


def tr(nl: str, en: str) -> str:
    """The Dutch or English text, by the language chosen in the sidebar."""
    return nl if lang() == "nl" else en


def default_replications() -> int:
    return int(os.environ.get("INDSIM_DASHBOARD_REPLICATIONS", "10"))


def replications() -> int:
    return int(st.session_state.get("replications", default_replications()))


@st.cache_resource
def shipped() -> dict[str, Scenario]:
    """The shipped scenarios that run over the baseline's period (comparable with it)."""
    base = load_scenario(SCENARIO_DIR / f"{BASE}.yaml")
    out = {BASE: base}
    for path in sorted(SCENARIO_DIR.glob("*.yaml")):
        s = load_scenario(path)
        if s.start == base.start and s.name not in out:
            out[s.name] = s
    return out


def scenarios() -> dict[str, Scenario]:
    """Shipped scenarios and those uploaded in this session."""
    return {**shipped(), **st.session_state.get("uploads", {})}


def title(name: str) -> str:
    s = scenarios().get(name)
    return f"{name}: {s.title.text(lang())}" if s else name


def read_upload(filename: str, data: bytes) -> Scenario:
    """Validate an uploaded scenario with the command line's one-line messages.

    Refuses large files and anything but UTF-8 YAML; ``extends`` may name shipped scenario files
    only, so an upload never makes the server read any other path.
    """
    name = Path(filename).name
    if len(data) > MAX_UPLOAD_BYTES:
        raise IndsimError(f"{name}: file is {len(data):,} bytes; the limit is {MAX_UPLOAD_BYTES:,}")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise IndsimError(f"{name}: not a UTF-8 text file") from None
    raw, _ = parse_text(text, name)
    parents = raw.get("extends") or []
    for parent in [parents] if isinstance(parents, str) else parents:
        if not isinstance(parent, str) or Path(parent).name != parent or not (SCENARIO_DIR / parent).is_file():
            raise IndsimError(f"{name}: extends: {parent!r} is not a shipped scenario file "
                              f"(choose from {', '.join(p.name for p in sorted(SCENARIO_DIR.glob('*.yaml')))})")
    s = scenario_from_text(text, name, base_dir=SCENARIO_DIR)
    if s.name in shipped():
        s = s.model_copy(update={"name": f"{s.name}_upload"})
    return s


@st.cache_resource
def _store() -> dict:
    """Experiments computed by this server, shared by all sessions."""
    return {}


def result_cache() -> ResultCache:
    """The disk cache shared with the command line (``INDSIM_CACHE``, default .indsim-cache)."""
    return ResultCache()


def _key(chosen: Sequence[Scenario], reps: int, seed: int) -> tuple:
    return tuple((s.name, scenario_hash(s)) for s in chosen), reps, seed


def results_for(chosen: Sequence[Scenario], run: bool = False) -> Results | None:
    """The experiment for these scenarios: from memory, else from the disk cache when every
    replication is there, else (only when ``run``) computed now with a progress bar."""
    reps, seed = replications(), scenarios()[BASE].seed
    key = _key(chosen, reps, seed)
    store = _store()
    if key in store:
        return store[key]
    cache = result_cache()
    tasks = tasks_for(chosen, reps, seed, keep_cases="none")
    if not run and not all(cache.has(t) for t in tasks):
        return None
    bar = st.progress(0.0, text=tr("Rekenen…", "Computing…"))

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=tr(f"Rekenen: {done} van {total} replicaties klaar",
                                           f"Computing: {done} of {total} replications done"))

    reps_done = execute(tasks, progress=progress, cache=cache)
    bar.empty()
    store[key] = assemble(list(chosen), reps_done, seed, reps)
    return store[key]


def results_or_button(names: Sequence[str], key: str) -> Results | None:
    """Cached results at once; otherwise a button that starts the run (never a silent wait)."""
    chosen = [scenarios()[n] for n in names]
    res = results_for(chosen)
    if res is None:
        n = replications() * len(chosen)
        st.info(tr(f"Deze resultaten zijn nog niet berekend ({n} replicaties).",
                   f"These results have not been computed yet ({n} replications)."))
        if st.button(tr("Bereken", "Compute"), key=key, type="primary"):
            res = results_for(chosen, run=True)
    return res


def tiles(results: Results, scenario: str, base: str, year: int) -> None:
    """The main figures in a row of tiles: value, and change to the base with its 95% interval."""
    cols = st.columns(3)
    for i, (figure, cats, kind, lower_better) in enumerate(TILES):
        value, diff, lo, hi = figure_difference(results, scenario, base, figure, cats, year)
        fmt = KINDS[kind][0]
        nl, en = TILE_NAMES[(figure, cats[0])]
        delta = None
        if not np.isnan(diff):
            sign = "+" if diff >= 0 else "-"  # ASCII: Streamlit reads the arrow from it
            delta = f"{sign}{fmt(abs(diff), lang())}"
            if not np.isnan(lo):
                delta += f" ({fmt(lo, lang())} … {fmt(hi, lang())})"
        shown = fmt(value, lang()) + ("%" if kind == "share" else "")
        cols[i % 3].metric(f"{tr(nl, en)}, {tr('eind', 'end')} {year}" if figure.endswith("_end") else
                           f"{tr(nl, en)}, {year}", shown, delta,
                           delta_color="inverse" if lower_better else "normal",
                           help=tr("Verandering t.o.v. het basisscenario, met 95%-interval over gepaarde replicaties",
                                   "Change against the baseline, with 95% interval over paired replications"))


def year_choice(results: Results, key: str, default: int | None = None) -> int:
    years = sorted(int(y) for y in results.yearly.year.unique())
    return st.select_slider(tr("Jaar", "Year"), years, value=default if default in years else years[-1], key=key)


__all__ = ["BASE", "SCENARIO_DIR", "lang", "number", "read_upload", "replications", "results_for",
           "results_or_button", "scenarios", "shipped", "tiles", "title", "tr", "year_choice"]


def exploration_root() -> Path:
    """Where the page 'Verkennen' looks for stored explorations (``INDSIM_EXPLORATIONS``, else results/)."""
    return Path(os.environ.get("INDSIM_EXPLORATIONS", SCENARIO_DIR.parent / "results"))


def explorations() -> dict[str, Path]:
    """Folders written by ``indsim explore`` directly under :func:`exploration_root`, by name."""
    from .report.explore import is_exploration

    root = exploration_root()
    if not root.is_dir():
        return {}
    return {p.name: p for p in sorted(root.iterdir()) if p.is_dir() and is_exploration(p)}
