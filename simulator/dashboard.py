"""Shared pieces of the Streamlit dashboard (``app.py`` and ``views/``): language, the scenarios
on offer, experiments that run only when asked and are cached, uploads, and the tiles.

The dashboard is one server for several people, so it is bounded: every computation runs in its
own process with a time and memory budget and a replication budget, at most
``INDSIM_DASHBOARD_JOBS`` at once server-wide (others queue; pages that only show results never
wait); results kept in memory are bounded by size, least recently used first; uploads are
bounded like any scenario file (the loader's default limits, whatever ``INDSIM_LIMITS`` says);
and no traceback reaches a page (one line there, the details in the server log).

Model logic stays in the layers below; this module only arranges them for the screen.
"""

from __future__ import annotations

import logging
import os
import threading
from collections import OrderedDict
from collections.abc import Callable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

import altair as alt
import numpy as np
import pandas as pd
import streamlit as st

from .defaultview import (
    BASE,
    SCENARIO_DIR,
    compare_names,
    default_replications,
    default_tasks,
    env_number,
    load_shipped,
    overview_names,
    view_tasks,
)
from .errors import IndsimError
from .experiment import ResultCache, Results, assemble, execute, jobs, paired_differences
from .model import FIGURES
from .report.brief import pool_rows
from .report.caveats import for_year
from .report.chartspec import marker_key, scenario_title
from .report.explain import explanation, latest_explanation
from .report.i18n import t
from .report.interactive import difference, over_time
from .report.sentences import figure_difference
from .report.summary import difference_frame
from .report.units import change, number, show
from .scenario import Scenario, scenario_from_text, scenario_hash
from .scenario.limits import Limits, using
from .scenario.yamlsource import parse_text

log = logging.getLogger("indsim.dashboard")
# Streamlit sizes the charts to the page: without Altair's default theme (a 300-pixel view), as
# st.altair_chart would draw them; set once for the server, so no chart switches it per call.
alt.theme.enable("none")

MAX_UPLOAD_BYTES = Limits().bytes  # 1 MiB: .streamlit/config.toml's server.maxUploadSize = 1 (MB) shows it
MAX_UPLOADS = 20  # scenarios uploaded per session
REPLICATION_CHOICES = (2, 3, 5, 10, 20, 30, 50)
MAX_RUN_REPLICATIONS = 200  # replications of all scenarios in one computation

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


def choice(widget: Callable[..., Any], label: str, options: list, key: str, default: Any = None, **kwargs) -> Any:
    """A one-of-many widget (``st.selectbox`` or ``st.radio``, of the page, a column or a form)
    whose option labels are in the page's language. Streamlit keeps showing the label chosen
    before a language switch (streamlit/streamlit#13788), so each language has a widget of its
    own, and the choice carries across under ``key``."""
    kept = st.session_state.get(key, default)
    index = options.index(kept) if kept in options else (options.index(default) if default in options else 0)
    st.session_state[key] = value = widget(label, options, index=index, key=f"{key}.{lang()}", **kwargs)
    return value


def date_format() -> str:
    """How a date field shows its date: day first in Dutch (31-12-2027), ISO order in English."""
    return "DD-MM-YYYY" if lang() == "nl" else "YYYY-MM-DD"


def tr(key: str, **fmt) -> str:
    """The catalogue's text for ``key`` in the language chosen in the sidebar."""
    return t(key, lang(), **fmt)


def replication_choices() -> list[int]:
    """What the replications control offers: never a value the app would not use."""
    return sorted({*REPLICATION_CHOICES, min(default_replications(), max(REPLICATION_CHOICES))})


def replications() -> int:
    chosen = st.session_state.get("replications", default_replications())
    return chosen if chosen in replication_choices() else min(default_replications(), max(REPLICATION_CHOICES))


def budget() -> jobs.Budget:
    """Time and memory for one computation (``INDSIM_DASHBOARD_SECONDS``, ``INDSIM_DASHBOARD_JOB_MB``)."""
    return jobs.Budget(seconds=env_number("INDSIM_DASHBOARD_SECONDS", 900),
                       memory_mb=env_number("INDSIM_DASHBOARD_JOB_MB", 6000))


@st.cache_resource
def gate() -> jobs.Gate:
    """At most ``INDSIM_DASHBOARD_JOBS`` (default 1) computations at once in this server."""
    return jobs.Gate(int(env_number("INDSIM_DASHBOARD_JOBS", 1)))


@st.cache_resource
def shipped() -> dict[str, Scenario]:
    """The shipped scenarios comparable with the baseline, loaded once per server."""
    return load_shipped(SCENARIO_DIR)


def scenarios() -> dict[str, Scenario]:
    """Shipped scenarios and those uploaded in this session."""
    return {**shipped(), **st.session_state.get("uploads", {})}


def title(name: str, language: str | None = None) -> str:
    """``name: title`` of a scenario, in ``language`` (default: the page's); a name the dashboard
    does not offer (the what-if's) as it is."""
    s = scenarios().get(name)
    return f"{name}: {s.title.text(language or lang())}" if s else name


def titled() -> Callable[[str], str]:
    """A widget's ``format_func`` for scenario names: :func:`title` in the language of this run.
    Streamlit's test harness calls a widget's ``format_func`` again outside the page's run, where
    the page's language is not known."""
    return partial(title, language=lang())


def read_upload(filename: str, data: bytes) -> Scenario:
    """Validate an uploaded scenario with the command line's one-line messages.

    Refuses large files and anything but UTF-8 YAML; ``extends`` may name shipped scenario files
    only, so an upload never makes the server read any other path.
    """
    name = Path(filename).name
    if len(data) > MAX_UPLOAD_BYTES:
        raise IndsimError(f"{name}: file is {len(data):,} bytes; the limit is {MAX_UPLOAD_BYTES:,} bytes (1 MB)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise IndsimError(f"{name}: not a UTF-8 text file") from None
    with using(Limits()):  # an upload never gets the bounds an operator raised for trusted files
        raw, _ = parse_text(text, name)
        parents = raw.get("extends") or []
        for parent in parents if isinstance(parents, list) else [parents]:  # `extends: 5` is refused below
            if not isinstance(parent, str) or Path(parent).name != parent or not (SCENARIO_DIR / parent).is_file():
                raise IndsimError(f"{name}: extends: {str(parent)[:80]!r} is not a shipped scenario file "
                                  f"(choose from {', '.join(p.name for p in sorted(SCENARIO_DIR.glob('*.yaml')))})")
        s = scenario_from_text(text, name, base_dir=SCENARIO_DIR)
    if s.name in shipped():
        s = s.model_copy(update={"name": f"{s.name}_upload"})
    return s


def add_upload(s: Scenario) -> None:
    """Keep an uploaded scenario for this session (at most :data:`MAX_UPLOADS`, oldest dropped)."""
    uploads = st.session_state.setdefault("uploads", {})
    uploads.pop(s.name, None)
    uploads[s.name] = s
    while len(uploads) > MAX_UPLOADS:
        uploads.pop(next(iter(uploads)))


class ResultStore:
    """Experiments computed by this server, shared by all sessions, at most ``max_bytes`` of
    tables in memory: the least recently used are dropped first (they stay in the disk cache).
    What pages derive from an experiment (sentences, charts, comparisons) is kept with it and
    dropped with it, so a page whose results are in memory shows at once for every visitor."""

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self._items: OrderedDict[tuple, tuple[Results, int]] = OrderedDict()
        self._derived: dict[int, dict] = {}  # id(results) -> {(function, arguments): value}
        self._lock = threading.Lock()

    @staticmethod
    def size(results: Results) -> int:
        frames = [results.metrics, results.yearly, results.levels, results.cases]
        return int(sum(f.memory_usage(deep=True).sum() for f in frames if f is not None))

    def get(self, key: tuple) -> Results | None:
        with self._lock:
            item = self._items.get(key)
            if item is None:
                return None
            self._items.move_to_end(key)
            return item[0]

    def put(self, key: tuple, results: Results) -> None:
        size = self.size(results)
        with self._lock:
            old = self._items.get(key)
            if old is not None:
                self._derived.pop(id(old[0]), None)
            self._items[key] = (results, size)
            self._derived[id(results)] = {}
            self._items.move_to_end(key)
            while len(self._items) > 1 and sum(s for _, s in self._items.values()) > self.max_bytes:
                gone, _ = self._items.popitem(last=False)[1]
                self._derived.pop(id(gone), None)

    def derived(self, results: Results, fn: Callable, *args):
        """``fn(results, *args)``, computed once while ``results`` is in memory."""
        with self._lock:
            memo = self._derived.get(id(results))
        if memo is None:
            return fn(results, *args)
        key = (fn.__module__, fn.__qualname__, args)
        if key not in memo:
            memo[key] = fn(results, *args)
        return memo[key]

    def bytes(self) -> int:
        with self._lock:
            return sum(s for _, s in self._items.values())


@st.cache_resource
def _store() -> ResultStore:
    """The server's results in memory (``INDSIM_DASHBOARD_MEMORY_MB``, default 600 MB)."""
    return ResultStore(int(env_number("INDSIM_DASHBOARD_MEMORY_MB", 600) * 2**20))


def result_cache() -> ResultCache:
    """The disk cache shared with the command line (``INDSIM_CACHE``, default .indsim-cache)."""
    return ResultCache()


def inflow_band() -> bool:
    """Whether each replication draws its inflow level from the scenario's band (the sidebar's
    switch): then the intervals carry the uncertainty of the forecast, not only chance."""
    return bool(st.session_state.get("inflow_band", False))


def _key(chosen: Sequence[Scenario], reps: int, seed: int, band: bool = False) -> tuple:
    return tuple((s.name, scenario_hash(s)) for s in chosen), reps, seed, band


def _view(chosen: Sequence[Scenario]) -> tuple[tuple, list]:
    """The store's key and the cache's tasks for these scenarios at the chosen replications."""
    reps, seed, band = replications(), scenarios()[BASE].seed, inflow_band()
    return _key(chosen, reps, seed, band), view_tasks(list(chosen), reps, seed, band)


def derived(results: Results, fn: Callable, *args):
    """What a page derives from results (a sentence, a chart, a comparison), kept with them in
    the server's memory (:meth:`ResultStore.derived`)."""
    return _store().derived(results, fn, *args)


def _stored(tasks: list) -> list | None:
    """The replications of these tasks from the disk cache, if it holds every one whole."""
    cache = result_cache()
    if not all(cache.has(t) for t in tasks):
        return None
    found = [cache.get(t) for t in tasks]
    return found if all(r is not None for r in found) else None


def results_for(chosen: Sequence[Scenario], run: bool = False) -> Results | None:
    """The experiment for these scenarios: from memory, else from the disk cache when every
    replication is there, else (only when ``run``) computed now, in its own process within the
    budgets, with a progress bar (and a place in the queue while other computations run)."""
    key, tasks = _view(chosen)
    store = _store()
    found = store.get(key)
    if found is not None:
        return found
    done = _stored(tasks)
    if done is None and not run:
        return None
    if done is None:
        done = compute(execute, (tasks,), kwargs={"cache": result_cache()}, what=len(tasks))
    results = assemble(list(chosen), done, key[2], key[1], inflow_band=key[3])
    store.put(key, results)
    return results


def preload(app: Path) -> bool:
    """Before the server answers (:mod:`simulator.serve`): if the disk cache holds the default
    view, visit its pages once, headless, in this process, so that the scenarios, the results and
    what the pages derive from them are in the server's memory for the first visitor. Returns
    whether it did (a cold cache is left to the background computation)."""
    from streamlit.testing.v1 import AppTest

    available = shipped()
    seed, reps = available[BASE].seed, default_replications()
    views = [overview_names(list(available)), compare_names(list(available))]
    if any(_stored(view_tasks([available[n] for n in names], reps, seed)) is None for names in views):
        log.info("the default view is not in the cache; the server computes it when first visited")
        return False
    visit = AppTest.from_file(str(app), default_timeout=600)
    visit.run()
    visit.switch_page("views/vergelijken.py").run()
    log.info("preloaded the default view")
    return not visit.exception


class Warmer:
    """The default view computed once in the background, through the server's queue and within
    the budgets, when the server finds the cache cold; pages showing it wait with its progress."""

    def __init__(self, cache: ResultCache, tasks: list):
        self.cache, self.tasks = cache, tasks
        self.keys = {cache.key(t) for t in tasks}
        self.done, self.total, self.failed = 0, len(tasks), False
        self.finished = threading.Event()

    def covers(self, tasks: list) -> bool:
        return {self.cache.key(t) for t in tasks} <= self.keys

    def _progress(self, done: int, total: int) -> None:
        self.done, self.total = done, total

    def run(self, gate_: jobs.Gate, budget_: jobs.Budget) -> None:
        try:
            with gate_.turn():
                jobs.run(execute, (self.tasks,), budget_, self._progress, {"cache": self.cache})
        except Exception:  # the pages then offer their button; the operator reads why in the log
            self.failed = True
            log.exception("computing the default view in the background failed")
        finally:
            self.finished.set()


@st.cache_resource
def _warmer(root: str) -> Warmer | None:
    """Start computing the default view if the cache in ``root`` lacks it (once per server and
    cache folder); ``INDSIM_DASHBOARD_WARM=0`` turns this off."""
    cache = ResultCache(root)
    tasks = default_tasks(shipped())
    if os.environ.get("INDSIM_DASHBOARD_WARM", "1").strip() == "0" or all(cache.has(t) for t in tasks):
        return None
    warmer = Warmer(cache, tasks)
    threading.Thread(target=warmer.run, args=(gate(), budget()), name="indsim-warm", daemon=True).start()
    log.info("computing the default view in the background: %d replications", len(tasks))
    return warmer


def warm_in_background() -> Warmer | None:
    """The server's background computation of the default view (started on first call)."""
    return _warmer(str(result_cache().root))


def _after_warming(chosen: Sequence[Scenario]) -> Results | None:
    """If the background computation covers these scenarios, wait for it with a progress bar."""
    warmer = warm_in_background()
    if warmer is None or not warmer.covers(_view(chosen)[1]):
        return None
    bar = st.progress(0.0)
    while not warmer.finished.wait(0.5):
        _progress(bar, "ui_dashboard_voorberekenen", warmer.done, warmer.total)
    bar.empty()
    if warmer.failed:
        st.warning(tr("ui_dashboard_voorberekenen_mislukt"))
    return results_for(chosen)


def _progress(bar, key: str, done: int, total: int) -> None:
    """Move ``bar`` to ``done`` of ``total`` replications' worth, its text (``key``) in percent."""
    share = done / max(total, 1)
    bar.progress(share, text=tr(key, percent=show(share, "share", lang()), total=total))


def compute(fn, args: tuple, kwargs: dict | None = None, what: int = 0,
            describe: Callable[..., str] | None = None):
    """Run a heavy function through the server's queue, in its own process within the budgets,
    showing the queue position and then the progress (the replications' share done, or the messages of a
    search). ``what``: the number of replications, checked against the replication budget;
    ``describe`` turns the function's progress messages into a line (default: the share done)."""
    if what > MAX_RUN_REPLICATIONS:
        raise IndsimError(tr("ui_dashboard_te_veel_replicaties", n=what, max=MAX_RUN_REPLICATIONS))
    bar = st.progress(0.0, text=tr("ui_dashboard_rekenen"))

    def waiting(position: int) -> None:
        bar.progress(0.0, text=tr("ui_dashboard_in_de_wachtrij", position=position))

    def progress(*msg) -> None:
        if describe is not None:
            bar.progress(0.5, text=describe(*msg)[:200])
        else:
            _progress(bar, "ui_dashboard_rekenen_done_van", *msg)

    try:
        with gate().turn(waiting):
            return jobs.run(fn, args, budget(), progress, kwargs)
    except jobs.OverBudget as exc:
        key = "ui_dashboard_budget_tijd" if exc.what == "time" else "ui_dashboard_budget_geheugen"
        raise IndsimError(tr(key, limit=number(exc.limit, lang()))) from None
    finally:
        bar.empty()


def show_failure(exc: BaseException) -> None:
    """One line on the page for any error; the traceback of an unexpected one goes to the log."""
    if isinstance(exc, IndsimError):
        for line in exc.lines()[:5]:
            st.error(line)
        return
    log.error("page failed", exc_info=exc)
    st.error(tr("ui_dashboard_er_ging_iets_mis", kind=type(exc).__name__))


def results_or_button(names: Sequence[str], key: str) -> Results | None:
    """Cached results at once; while the server computes the default view, its progress;
    otherwise a button that starts the run (never a silent wait). The message and the button
    go as soon as the run starts, so nothing stale stays above the figures."""
    chosen = [scenarios()[n] for n in names]
    res = results_for(chosen)
    if res is None:
        res = _after_warming(chosen)
    if res is None:
        slot = st.empty()
        with slot.container():
            st.info(tr("ui_dashboard_deze_resultaten_zijn", n=replications() * len(chosen)))
            clicked = st.button(tr("ui_dashboard_bereken"), key=key, type="primary")
        if clicked:
            slot.empty()
            try:
                res = results_for(chosen, run=True)
            except IndsimError as exc:
                show_failure(exc)
    return res


def tiles(results: Results, scenario: str, base: str, year: int) -> None:
    """The main figures in a row of tiles: value, and change to the base with its 95% interval."""
    cols = st.columns(3)
    for i, (figure, cats, lower_better) in enumerate(TILES):
        value, diff, lo, hi = derived(results, figure_difference, scenario, base, figure, cats, year)
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
    st.caption(tr("ui_dashboard_intervallen_band" if results.inflow_band else "ui_dashboard_intervallen_toeval"))
    why(results, [scenario, base], year, base)


def why(results: Results, names: Sequence[str], year: int, base: str | None = None) -> None:
    """Next to the figures: per scenario, the pool that binds in ``year`` with its utilisation
    (the brief's sentence, :func:`simulator.report.brief.pool_rows`), and against ``base`` the
    reason for a move against intuition, when the results show one (:mod:`simulator.report.explain`);
    last, for a year whose backlog has drained below anything IND has had, that its lead times
    follow from the staff assumption (:mod:`simulator.report.caveats`)."""
    lines = [f"{scenario_title(results, n, lang())}: {derived(results, pool_rows, n, year, lang())[1]}"
             for n in names]
    caveats = derived(results, for_year, tuple(names), year, lang())
    st.markdown(f"**{tr('ui_dashboard_waarom')}** "
                + "  \n".join(lines + surprises(results, names, base, year) + caveats))


def surprises(results: Results, names: Sequence[str], base: str | None, year: int, latest: bool = False) -> list[str]:
    """Per scenario other than ``base``, the sentence that explains a move against intuition in
    ``year`` (``latest``: or else in the latest earlier year with one); none when nothing is."""
    if base is None:
        return []
    fn = latest_explanation if latest else explanation
    found = [(n, derived(results, fn, n, base, year, lang())) for n in names if n != base]
    return [f"{scenario_title(results, n, lang())}: {text}" if len(found) > 1 else text for n, text in found if text]


def _spec(results: Results, which: str, base: str | None, language: str) -> dict:
    """The chart as a Vega-Lite specification, made (and checked against the schema) once per
    results: ``st.altair_chart`` would check it again on every visit, 0.15 s a chart."""
    made = difference(results, base, "backlog", "asylum", language) if base else over_time(results, which, language)
    return made.to_dict()


def comparison_table(results: Results, base: str, language: str, year: int | None = None) -> pd.DataFrame:
    """The comparison page's table for ``year`` (default: the last): each scenario's figures and
    their paired differences to ``base``, the binding pool in its last row (kept with the
    results, see :func:`derived`)."""
    return difference_frame(derived(results, paired_differences, base), language, year, results=results)


def chart(results: Results, which: str, base: str | None = None) -> None:
    """An interactive chart of :data:`~simulator.report.chartspec.CHARTS` (or, with ``base``, the
    difference to it in the asylum backlog), with the key of its numbered interventions below."""
    st.vega_lite_chart(derived(results, _spec, which, base, lang()), width="stretch", theme=None)
    key = marker_key(results, lang())
    if key:
        st.caption(key)


def year_choice(results: Results, key: str, default: int | None = None) -> int:
    years = sorted(int(y) for y in results.yearly.year.unique())
    return st.select_slider(tr("ui_dashboard_jaar"), years, value=default if default in years else years[-1], key=key)


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


__all__ = ["BASE", "SCENARIO_DIR", "add_upload", "chart", "comparison_table", "compute", "exploration_root",
           "explorations", "lang", "read_upload", "replications", "results_for", "results_or_button", "scenarios",
           "shipped", "show_failure", "surprises", "tiles", "title", "tr", "warm_in_background", "why",
           "year_choice"]
