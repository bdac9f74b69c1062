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
from .model import FIGURES
from .report.i18n import t
from .report.sentences import figure_difference
from .report.units import change, show
from .scenario import Scenario, load_scenario, scenario_from_text, scenario_hash
from .scenario.yamlsource import parse_text

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
BASE = "baseline"
MAX_UPLOAD_BYTES = 200_000

# (figure, category or categories summed, lower is better)
TILES = [
    ("backlog_end", ("asylum",), True),
    ("backlog_end", ("nareis",), True),
    ("lead_time_p50", ("asylum",), True),
    ("within_term_share", ("asylum",), False),
    ("penalty_eur", ("asylum", "nareis"), True),
    ("reception_end", ("asylum",), True),
]


def lang() -> str:
    return st.session_state.get("lang", "nl")


def tr(key: str, **fmt) -> str:
    """The catalogue's text for ``key`` in the language chosen in the sidebar."""
    return t(key, lang(), **fmt)


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
    bar = st.progress(0.0, text=tr("ui_dashboard_rekenen"))

    def progress(done: int, total: int) -> None:
        bar.progress(done / total, text=tr("ui_dashboard_rekenen_done_van", done=done, total=total))

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
        st.info(tr("ui_dashboard_deze_resultaten_zijn", n=n))
        if st.button(tr("ui_dashboard_bereken"), key=key, type="primary"):
            res = results_for(chosen, run=True)
    return res


def tiles(results: Results, scenario: str, base: str, year: int) -> None:
    """The main figures in a row of tiles: value, and change to the base with its 95% interval."""
    cols = st.columns(3)
    for i, (figure, cats, lower_better) in enumerate(TILES):
        value, diff, lo, hi = figure_difference(results, scenario, base, figure, cats, year)
        unit = FIGURES[figure][0]
        delta = None
        if not np.isnan(diff):
            # ASCII sign first: Streamlit reads the arrow from it
            delta = change(diff, unit, lang(), lo, hi, word=unit == "share").replace("\u2212", "-")
        key = f"tile_{figure}_{cats[0]}"
        when = tr("ui_dashboard_eind") + f" {year}" if figure.endswith("_end") else str(year)
        cols[i % 3].metric(f"{tr(key)}, {when}", show(value, unit, lang()), delta,
                           delta_color="inverse" if lower_better else "normal",
                           help=tr("ui_dashboard_verandering_tov_het"))


def year_choice(results: Results, key: str, default: int | None = None) -> int:
    years = sorted(int(y) for y in results.yearly.year.unique())
    return st.select_slider(tr("ui_dashboard_jaar"), years, value=default if default in years else years[-1], key=key)


__all__ = ["BASE", "SCENARIO_DIR", "lang", "read_upload", "replications", "results_for",
           "results_or_button", "scenarios", "shipped", "tiles", "title", "tr", "year_choice"]
