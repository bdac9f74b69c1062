"""The ``indsim`` command line. Thin: it parses input, calls the layers and prints.

Errors a user can cause print one line each (file, field, reason) and exit with status 2.
"""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from .errors import IndsimError

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Policy-impact scenario simulator for the IND caseload.")

Lang = Annotated[str, typer.Option("--lang", help="Language of labels: nl or en.")]


def _fail(err: IndsimError) -> None:
    for line in err.lines():
        typer.echo(f"error: {line}", err=True)
    raise typer.Exit(err.exit_code)


def _lang(lang: str) -> str:
    if lang not in ("nl", "en"):
        _fail(IndsimError(f"--lang: must be nl or en, got {lang!r}"))
    return lang


MAX_REPLICATIONS, MAX_EXPERIMENTS = 10_000, 100_000  # a day's work on a large cluster; more is a typo
Replications = Annotated[int, typer.Option("--replications", "-n", min=1, max=MAX_REPLICATIONS, help="Replications.")]
Seed = Annotated[int | None, typer.Option("--seed", min=0, help="Seed (default: the first scenario's).")]
Workers = Annotated[int | None, typer.Option("--workers", min=1, help="Local processes (default: all cores).")]
Cluster = Annotated[str | None, typer.Option(
    "--cluster", envvar="INDSIM_DASK_SCHEDULER",
    help="Address of a Dask scheduler to run on (default: local processes).")]
Cache = Annotated[bool, typer.Option("--cache/--no-cache", help="Reuse replications computed before.")]
Band = Annotated[bool, typer.Option("--inflow-band", help="Draw each replication's inflow level from the "
                                                          "scenario's uncertainty.inflow_level band.")]
Out = Annotated[Path, typer.Option("--out", help="Folder for results (written whole or not at all).")]
Posterior = Annotated[Path | None, typer.Option(
    "--parameter-uncertainty", help="Posterior samples (posterior.parquet of indsim calibrate): each "
                                    "replication runs with one posterior sample.")]


def _posterior(path: Path | None):
    from .experiment.posterior import ParameterUncertainty

    return None if path is None else ParameterUncertainty.load(path)


Force = Annotated[bool, typer.Option("--force", help="Replace --out even when it holds files indsim did not "
                                                     "write (they are lost).")]


def _out(out: Path, force: bool) -> None:
    """Refuse a --out that may not be replaced now, not after the run."""
    from .report.outdir import check

    check(out, force)


def _cache(on: bool):
    from .experiment import ResultCache

    if not on:
        return None
    cache = ResultCache()
    cache.clean()
    return cache


def _scenarios(paths: list[Path]):
    from .scenario import load_scenario

    loaded = [load_scenario(p) for p in paths]
    names = [s.name for s in loaded]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise IndsimError(f"scenario names must differ; twice: {', '.join(dupes)}")
    return loaded


def _within(scenarios, years, what: str) -> None:
    """Years every scenario simulates: one outside fails now, in one line, not after the runs
    (a comparison printed a table of dashes, a sensitivity failed after its base run)."""
    first, last = max(s.start.year for s in scenarios), min(s.end.year for s in scenarios)
    if first > last:
        raise IndsimError("the scenarios share no year: " + ", ".join(
            f"{s.name} {s.start.year}-{s.end.year}" for s in scenarios))
    for y in years:
        if not first <= y <= last:
            whose = "the horizon" if len(scenarios) == 1 else "the years the scenarios share"
            raise IndsimError(f"{what}: {y} is outside {whose} ({first}-{last})")


def _experiment(scenarios, replications: int, seed, workers, cluster, cache: bool, inflow_band: bool = False,
                posterior=None):
    """Several scenarios on common random numbers with a progress bar (no per-case tables)."""
    from .experiment import simulate

    with _progress(replications * len(scenarios)) as progress:
        return simulate(scenarios, replications=replications, seed=seed, workers=workers, keep_cases="none",
                        progress=progress, cluster=cluster, cache=_cache(cache), inflow_band=inflow_band,
                        parameter_uncertainty=posterior)


@app.command()
def run(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    out: Out,
    replications: Replications = 1,
    seed: Seed = None,
    workers: Workers = None,
    cases: Annotated[str, typer.Option("--cases", help="Per-case table: first, all or none.")] = "first",
    charts: Annotated[bool, typer.Option("--charts/--no-charts", help="Write charts.")] = True,
    precision: Annotated[str | None, typer.Option(
        "--precision", help="Run until a figure is this precise, e.g. backlog_end.asylum.2030=500 "
                            "or =2% (half-width of its 95% interval); -n is then the pilot.")] = None,
    cluster: Cluster = None,
    cache: Cache = True,
    inflow_band: Band = False,
    parameter_uncertainty: Posterior = None,
    lang: Lang = "nl",
    force: Force = False,
) -> None:
    """Run a scenario and write metrics, per-case table, manifest and charts to --out."""
    from .experiment import Figure, simulate, simulate_to_precision
    from .experiment.figures import check_shown
    from .report.caps import cap_warnings
    from .report.export import write_run
    from .report.i18n import t
    from .report.summary import precision_sentence, print_summary
    from .scenario.overrides import overridden

    note = None
    try:
        lang = _lang(lang)
        if cases not in ("first", "all", "none"):
            raise IndsimError(f"--cases: must be first, all or none, got {cases!r}")
        _out(out, force)
        (s,) = _scenarios([scenario])
        posterior = _posterior(parameter_uncertainty)
        with _progress(replications if precision is None else 2) as progress:
            if precision:
                if posterior is not None:
                    raise IndsimError("--precision and --parameter-uncertainty cannot be combined yet")
                figure, _, width = precision.partition("=")
                relative = width.endswith("%")
                try:
                    half = float(width.rstrip("%")) / (100 if relative else 1)
                    if not 0 < half < float("inf"):
                        raise ValueError
                except ValueError:
                    raise IndsimError(f"--precision: {precision!r}: write FIGURE=HALFWIDTH with a half-width "
                                      "above 0, e.g. backlog_end.asylum.2030=500 or =2%") from None
                watched = Figure.parse(figure)
                check_shown(s, watched, "--precision")
                results, p = simulate_to_precision(s, watched, half, relative, pilot=replications,
                                                   seed=seed, workers=workers, cache=_cache(cache),
                                                   keep_cases=cases, progress=progress, inflow_band=inflow_band)
                note = precision_sentence(p, lang)
            else:
                results = simulate(s, replications=replications, seed=seed, workers=workers, keep_cases=cases,
                                   progress=progress, cluster=cluster, cache=_cache(cache),
                                   inflow_band=inflow_band, parameter_uncertainty=posterior)
        write_run(results, out, lang=lang, charts=charts, force=force)
    except (IndsimError, ValueError) as err:
        _fail(err if isinstance(err, IndsimError) else IndsimError(str(err)))
    print_summary(results, lang, out)
    for line in cap_warnings(s, lang):
        typer.echo(line, err=True)
    for line in overridden(s):  # the command line's message (English), after the reader's words
        typer.echo(f"{t('change_lost', lang)}: {line}", err=True)
    if note:
        typer.echo(note)
    typer.echo(f"\n{t('results_in', lang)}: {out}")


@app.command()
def compare(
    base: Annotated[Path, typer.Argument(help="The base scenario.")],
    others: Annotated[list[Path], typer.Argument(help="Scenarios to compare with the base.")],
    out: Out,
    replications: Replications = 10,
    seed: Seed = None,
    workers: Workers = None,
    cluster: Cluster = None,
    cache: Cache = True,
    inflow_band: Band = False,
    parameter_uncertainty: Posterior = None,
    year: Annotated[list[int] | None, typer.Option("--year", help="Year(s) of the printed table "
                                                                  "(repeat; default: the last).")] = None,
    lang: Lang = "nl",
    force: Force = False,
) -> None:
    """Compare scenarios with a base: main figures, differences with 95% intervals, charts."""
    from .experiment import paired_differences
    from .report.export import write_compare
    from .report.i18n import t
    from .report.summary import print_comparison

    try:
        lang = _lang(lang)
        _out(out, force)
        scenarios = _scenarios([base, *others])
        _within(scenarios, year or [], "--year")
        results = _experiment(scenarios, replications, seed, workers, cluster, cache, inflow_band,
                              _posterior(parameter_uncertainty))
        comparison = paired_differences(results, scenarios[0].name)
        write_compare(results, comparison, out, lang=lang, force=force)
    except (IndsimError, ValueError) as err:
        _fail(err if isinstance(err, IndsimError) else IndsimError(str(err)))
    for y in year or [None]:
        print_comparison(results, comparison, lang, y)
    typer.echo(f"\n{t('results_in', lang)}: {out}")


@app.command()
def report(
    scenarios: Annotated[list[Path], typer.Argument(help="Scenario files; the first is the base.")],
    out: Out,
    replications: Replications = 10,
    seed: Seed = None,
    workers: Workers = None,
    cluster: Cluster = None,
    cache: Cache = True,
    validation: Annotated[bool, typer.Option(
        "--validation/--no-validation", help="Include the validation report (verification and backtest).")] = True,
    exploration: Annotated[Path | None, typer.Option(
        "--exploration", help="Include a folder written by indsim explore.")] = None,
    year: Annotated[int | None, typer.Option(
        "--year", help="Year of the brief's table against the base and its binding capacity (default: the last).")
    ] = None,
    lang: Lang = "nl",
    force: Force = False,
) -> None:
    """Chart pack (PNG 300 dpi, SVG, PDF), tables (CSV, Excel), scenario brief and assurance documents."""
    from .experiment.backtest import backtest
    from .experiment.validation import verification_table
    from .report.i18n import t
    from .report.pack import write_report

    try:
        lang = _lang(lang)
        _out(out, force)
        loaded = _scenarios(scenarios)
        _within(loaded, [] if year is None else [year], "--year")
        if exploration is not None:
            from .report.explore import read_exploration

            read_exploration(exploration)  # a bad folder fails before the runs
        results = _experiment(loaded, replications, seed, workers, cluster, cache)
        checks = None
        if validation:
            typer.echo(t("validation_progress", lang), err=True)
            checks = {"verification": verification_table(scale=0.5),
                      "backtest": backtest(replications, workers=workers, cache=_cache(cache))[1]}
        write_report(results, out, lang=lang, validation=checks, exploration=exploration, force=force, year=year)
    except (IndsimError, ValueError) as err:
        _fail(err if isinstance(err, IndsimError) else IndsimError(str(err)))
    files = sorted(p.relative_to(out) for p in Path(out).rglob("*") if p.is_file())
    typer.echo(t("files_in", lang, n=len(files), out=out) + ": "
               + ", ".join(str(f) for f in files if f.parent == Path(".")))


@app.command()
def sensitivity(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    out: Out,
    figure: Annotated[str, typer.Option("--figure", help="Figure to watch, e.g. backlog_end.asylum.2028.")],
    fraction: Annotated[float, typer.Option("--fraction", min=0.01, max=0.9,
                                            help="Vary each parameter down and up by this fraction.")] = 0.2,
    param: Annotated[list[str] | None, typer.Option(
        "--param", help="A numeric path to vary (repeat; default: inflow, hours, FTE, appeal and grant rates).")
    ] = None,
    replications: Replications = 5,
    seed: Seed = None,
    workers: Workers = None,
    cache: Cache = True,
    lang: Lang = "nl",
    force: Force = False,
) -> None:
    """How much a figure moves when each parameter goes down and up: table and tornado chart."""
    from .experiment import Figure
    from .experiment import sensitivity as run_sensitivity
    from .experiment.figures import check_shown
    from .experiment.variants import parameter_by_path
    from .report.export import write_sensitivity
    from .report.i18n import t

    try:
        lang = _lang(lang)
        _out(out, force)
        (s,) = _scenarios([scenario])
        fig = Figure.parse(figure)
        check_shown(s, fig, "--figure")
        params = [parameter_by_path(p) for p in param] if param else None
        with _progress(2) as progress:
            result = run_sensitivity(s, fig, params, fraction, replications, seed, workers, _cache(cache), progress)
        write_sensitivity(result, out, lang=lang, force=force)
    except (IndsimError, ValueError) as err:
        _fail(err if isinstance(err, IndsimError) else IndsimError(str(err)))
    from .report.summary import print_sensitivity

    print_sensitivity(result, lang)
    typer.echo(f"\n{t('results_in', lang)}: {out}")


@app.command()
def requirements(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    out: Out,
    target: Annotated[str, typer.Option("--target", help="e.g. 'backlog_end.asylum <= 20000 in 2028' or "
                                                          "'within_term_share.asylum >= 0.9 from 2028'.")],
    probability: Annotated[float, typer.Option("--probability", min=0.0, max=1.0,
                                               help="Share of replications that must meet it.")] = 0.8,
    lever: Annotated[list[str] | None, typer.Option(
        "--lever", help="Pool(s) to add capacity to, '+'-joined for a group (repeat; default: all).")] = None,
    start: Annotated[str | None, typer.Option(
        "--from", help="Date the extra capacity starts (hiring); default: the first day of the coming month.")] = None,
    replications: Replications = 10,
    seed: Seed = None,
    workers: Workers = None,
    cache: Cache = True,
    lang: Lang = "nl",
    force: Force = False,
) -> None:
    """What do we need from others? The least extra capacity per pool that meets a target."""
    import datetime as dt

    from .experiment import Target
    from .experiment import requirements as search
    from .experiment.figures import check_shown
    from .experiment.variants import Lever
    from .report.export import write_requirements
    from .report.i18n import t
    from .report.needs import progress_line, requirement_sentences

    try:
        lang = _lang(lang)
        _out(out, force)
        (s,) = _scenarios([scenario])
        goal = Target.parse(target)
        check_shown(s, goal, "--target")
        levers = None
        if lever:
            levers = []
            for spec in lever:
                pools = tuple(spec.split("+"))
                unknown = [p for p in pools if p not in s.pools]
                if unknown:
                    raise IndsimError(f"--lever: unknown pool {unknown[0]!r}; known: {', '.join(s.pools)}")
                levers.append(Lever.of(*pools))
        try:
            begin = dt.date.fromisoformat(start) if start else None
        except ValueError:
            raise IndsimError(f"--from: {start!r} is not a date (YYYY-MM-DD)") from None
        if begin is not None and not s.start <= begin <= s.end:
            raise IndsimError(f"--from: {begin} lies outside the scenario's period {s.start} .. {s.end}")
        found = search(s, goal, probability, levers, begin, replications, seed, workers, _cache(cache),
                       progress=lambda lv, e: typer.echo(progress_line(s, lv, e, lang), err=True))
        write_requirements(found, out, lang=lang, force=force)
    except (IndsimError, ValueError) as err:
        _fail(err if isinstance(err, IndsimError) else IndsimError(str(err)))
    typer.echo("\n".join(requirement_sentences(found, lang)).replace("**", ""))  # Markdown bold is for the page
    typer.echo(f"\n{t('results_in', lang)}: {out}")


@app.command()
def calibrate(
    scenario: Annotated[Path, typer.Argument(help="Scenario to calibrate; the specification's own is "
                                                  "scenarios/history_2023_2025.yaml.")],
    out: Out,
    spec: Annotated[Path, typer.Option("--spec", help="Calibration specification: parameters, priors, fitted "
                                                      "series, budget.")] = Path("scenarios/calibration/history.yaml"),
    workers: Annotated[int, typer.Option("--workers", min=1, help="Local processes (results do not depend "
                                                                 "on it).")] = 1,
    population: Annotated[int | None, typer.Option("--population", min=5, help="Override the budget's "
                                                                               "particles per generation.")] = None,
    generations: Annotated[int | None, typer.Option("--generations", min=1, help="Override the budget's "
                                                                                 "generations.")] = None,
    simulations: Annotated[int | None, typer.Option("--simulations", min=10, help="Override the budget's "
                                                                                  "simulations.")] = None,
    lang: Lang = "nl",
    force: Force = False,
) -> None:
    """Fit the specification's parameters to published series by ABC-SMC; write the posterior
    (samples, table, a fragment scenarios can extend), the fit, charts and a manifest to --out."""
    from .experiment.abcsmc import fit
    from .experiment.calibration import load_spec
    from .report.calibration import write_calibration

    try:
        lang = _lang(lang)
        _out(out, force)
        setup = load_spec(spec, scenario)
        changes = {k: v for k, v in (("population", population), ("generations", generations),
                                     ("simulations", simulations)) if v is not None}
        if changes:
            setup.spec = setup.spec.model_copy(update={"budget": setup.spec.budget.model_copy(update=changes)})
        fitted = fit(setup, workers=workers)
        table = write_calibration(fitted, out, lang, force=force)
    except (IndsimError, ValueError) as err:
        _fail(err if isinstance(err, IndsimError) else IndsimError(str(err)))
    cols = ["parameter", "prior", "median", "low", "high", "width_ratio"]
    typer.echo(table[cols].to_string(index=False, float_format=lambda v: f"{v:.4g}"))
    typer.echo(f"\n{fitted.simulations} simulations in {fitted.seconds:.0f} s, stopped: {fitted.stopped}; "
               f"final epsilon {fitted.generations.epsilon.iloc[-1]:.3g}, effective sample size "
               f"{fitted.generations.ess.iloc[-1]:.0f} of {len(fitted.samples)}")
    typer.echo(f"{'Resultaten' if lang == 'nl' else 'Results'}: {out}")


@app.command()
def backtest(
    out: Out,
    scenario: Annotated[Path, typer.Argument(help="Backtest scenario.")] = Path("scenarios/history_2023_2025.yaml"),
    replications: Replications = 10,
    seed: Seed = None,
    workers: Workers = None,
    cache: Cache = True,
    parameter_uncertainty: Posterior = None,
    lang: Lang = "nl",
    force: Force = False,
) -> None:
    """Every published series in the scenario's horizon against the model: backtest.csv and a chart
    per series (published points, model mean and 90% band)."""
    from .experiment.backtest import backtest as run_backtest
    from .experiment.published import load_published
    from .report.calibration import write_backtest
    from .report.pack import backtest_md

    try:
        lang = _lang(lang)
        _out(out, force)
        _scenarios([scenario])  # one-line errors before anything runs
        posterior = _posterior(parameter_uncertainty)
        published = load_published()
        with _progress(replications) as progress:
            results, frame = run_backtest(replications, scenario, published, seed=seed, workers=workers,
                                          cache=_cache(cache), progress=progress, parameter_uncertainty=posterior)
        write_backtest(results, frame, published, out, lang, force=force)
    except (IndsimError, ValueError) as err:
        _fail(err if isinstance(err, IndsimError) else IndsimError(str(err)))
    typer.echo("\n".join(backtest_md(frame)[4:]))
    typer.echo(f"{'Resultaten' if lang == 'nl' else 'Results'}: {out}")


@app.command()
def explore(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    out: Out,
    experiments: Annotated[int, typer.Option("--experiments", min=1, max=MAX_EXPERIMENTS,
                                                   help="Experiments (futures x policies).")],
    sampler: Annotated[str, typer.Option("--sampler", help="lhs (Latin hypercube) or sobol (Saltelli, "
                                                           "gives Sobol indices).")] = "lhs",
    uncertainties: Annotated[Path | None, typer.Option(
        "--uncertainties", help="Uncertainty file (default: every ranged number plus the structural ones).")] = None,
    levers: Annotated[Path | None, typer.Option("--levers", help="Lever file with candidate policies "
                                                                  "(default: IND's staff, caps, queue, phase-in).")
                      ] = None,
    where: Annotated[str | None, typer.Option(
        "--where", help="Condition to explain, e.g. 'backlog_end.asylum > 60000 in 2028' (PRIM, CART).")] = None,
    target: Annotated[str | None, typer.Option(
        "--target", help="Goal for robustness, e.g. 'backlog_end.asylum <= 40000 in 2028'.")] = None,
    until: Annotated[int | None, typer.Option("--until", help="Last simulated year (default: the horizon).")] = None,
    interim: Annotated[bool, typer.Option("--interim", help="Run nothing: analyse the experiments an unfinished "
                                                            "exploration with these arguments has finished.")] = False,
    replications: Replications = 1,
    seed: Seed = None,
    workers: Workers = None,
    cluster: Cluster = None,
    cache: Cache = True,
    lang: Lang = "nl",
    force: Force = False,
) -> None:
    """Explore futures and policies: experiments.parquet, boxes (PRIM, CART), Sobol indices, robustness."""
    from .experiment import Target
    from .experiment.explore import build_space
    from .experiment.explore import explore as run_exploration
    from .experiment.figures import check_shown
    from .experiment.variants import variant
    from .report.explore import write_exploration
    from .report.i18n import t
    from .report.units import number

    try:
        lang = _lang(lang)
        _out(out, force)
        (s,) = _scenarios([scenario])
        cond = Target.parse(where) if where else None
        goal = Target.parse(target) if target else None
        if until is not None:
            _within([s], [until], "--until")
            s = variant(s, s.name, lambda d: None, until)
        for given, what in ((cond, "--where"), (goal, "--target")):
            if given is not None:
                check_shown(s, given, what)
        space = build_space(s, scenario, uncertainties, levers)
        journal = out.parent / f".{out.name}.journal.jsonl"
        with _progress(experiments, "experiments") as progress:
            ex = run_exploration(space, experiments, sampler, seed, replications, workers, cluster, _cache(cache),
                                 journal, progress, journal_only=interim)
        found = write_exploration(ex, out, cond, goal, lang, force)
        if not interim:
            journal.unlink(missing_ok=True)
    except (IndsimError, ValueError) as err:
        _fail(err if isinstance(err, IndsimError) else IndsimError(str(err)))
    typer.echo(t("xp_cli_done", lang, n=number(len(ex.table), lang), futures=number(ex.design.futures, lang),
                 policies=len(space.policies), ran=number(ex.ran, lang)))
    for line in found["sentences"]:
        typer.echo(f"- {line}")
    typer.echo(f"\n{t('results_in', lang)}: {out}")


@app.command()
def validate(files: Annotated[list[Path], typer.Argument(help="Scenario YAML files.")]) -> None:
    """Check scenario files; one line per problem, exit status 2 if any file is invalid. A change
    that a later intervention replaces whole is a warning (see simulator/scenario/overrides.py)."""
    from .scenario import load_scenario
    from .scenario.limits import current
    from .scenario.overrides import overridden

    try:
        current()  # a wrong INDSIM_LIMITS is said once, not once for every file
    except IndsimError as err:
        _fail(err)
    bad = False
    for f in files:
        try:
            s = load_scenario(f)
        except IndsimError as err:
            bad = True
            for line in err.lines():
                typer.echo(f"error: {line}", err=True)
            continue
        typer.echo(f"ok: {f} ({s.name}: {len(s.streams)} streams, {len(s.stages)} stages, "
                   f"{len(s.pools)} pools, {s.start} .. {s.end})")
        for line in overridden(s):
            typer.echo(f"warning: {f}: {line}", err=True)
    if bad:
        raise typer.Exit(2)


@app.command()
def schema(
    out: Annotated[Path | None, typer.Option("--out", help="Write to this file.")] = None,
    markdown: Annotated[bool, typer.Option(
        "--markdown", help="The parameter reference instead: every path analysts can set, with meaning, unit "
                           "and value.")] = False,
    scenario: Annotated[Path, typer.Option("--scenario", help="Whose values --markdown shows.")] = Path(
        "scenarios/baseline.yaml"),
) -> None:
    """Print the JSON Schema of scenario files (editor completion and hover help), or with
    --markdown the parameter reference (docs/scenario-reference.md is its copy for the baseline)."""
    from .scenario import load_scenario
    from .scenario.jsonschema import scenario_schema
    from .scenario.reference import markdown as reference

    try:
        text = reference(load_scenario(scenario)) if markdown else json.dumps(scenario_schema(), indent=2,
                                                                              ensure_ascii=False)
    except IndsimError as err:
        _fail(err)
    if out is None:
        typer.echo(text, nl=not markdown)
        return
    if out.is_dir():
        _fail(IndsimError(f"--out {out}: is a folder; give a file name such as scenario.schema.json"))
    if not out.absolute().parent.is_dir():
        _fail(IndsimError(f"--out {out}: the folder {out.absolute().parent} does not exist"))
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    try:
        tmp.write_text(text if markdown else text + "\n")
        os.replace(tmp, out)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        _fail(IndsimError(f"--out {out}: cannot write ({exc.strerror or exc})"))


@app.command()
def assumptions(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    base: Annotated[Path, typer.Option("--base", help="Compare with this scenario.")] = Path(
        "scenarios/baseline.yaml"),
    fmt: Annotated[str, typer.Option("--format", help="markdown or csv.")] = "markdown",
    everything: Annotated[bool, typer.Option("--all", help="All parameters, not only differences.")] = False,
) -> None:
    """Print the parameters that differ from the base scenario, with value, unit, source, confidence."""
    from .scenario import load_scenario
    from .scenario.assumptions import assumption_log, to_markdown

    try:
        if fmt not in ("markdown", "csv"):
            raise IndsimError(f"--format: must be markdown or csv, got {fmt!r}")
        s = load_scenario(scenario)
        table = assumption_log(s, None if everything else load_scenario(base))
    except IndsimError as err:
        _fail(err)
    if fmt == "csv":
        typer.echo(table.to_csv(index=False), nl=False)
    else:
        typer.echo(to_markdown(table))


cache_app = typer.Typer(no_args_is_help=True, help="The result cache (.indsim-cache, or the folder in INDSIM_CACHE).")
app.add_typer(cache_app, name="cache")


@cache_app.command("info")
def cache_info() -> None:
    """Where the cache is, how many replications it holds, its size and its cap."""
    import datetime as dt

    from .experiment import ResultCache

    info = ResultCache().info()
    when = [dt.datetime.fromtimestamp(t).strftime("%Y-%m-%d %H:%M") for t in (info.oldest, info.newest) if t]
    typer.echo(f"cache: {info.root}")
    typer.echo(f"replications: {info.files:,} files, {info.bytes / 2**20:,.1f} MB of at most "
               f"{info.max_bytes / 2**20:,.0f} MB (INDSIM_CACHE_MAX_MB); least recently used go first")
    if when:
        typer.echo(f"last used: {when[0]} .. {when[-1]}")
    if info.other:
        typer.echo(f"other: {info.other} temporary or old-format files (removed by 'indsim cache clear')")


@cache_app.command("clear")
def cache_clear() -> None:
    """Remove every stored replication (they are computed again when next needed)."""
    from .experiment import ResultCache

    cache = ResultCache()
    try:
        removed = cache.clear()
    except OSError as exc:
        _fail(IndsimError(f"cache {cache.root}: cannot remove files: {exc.strerror or exc}"))
    typer.echo(f"cache {cache.root}: {removed:,} files removed")


@cache_app.command("warm")
def cache_warm(
    replications: Annotated[int | None, typer.Option(
        "--replications", "-n", min=1, max=MAX_REPLICATIONS,
        help="Per scenario (default: the dashboard's, INDSIM_DASHBOARD_REPLICATIONS or 10).")] = None,
    workers: Workers = None,
) -> None:
    """Compute what the dashboard shows first (the overview's and the comparison's default
    scenarios) into the cache, so that its first screen has figures at once (make dashboard)."""
    import time

    from .defaultview import default_replications, warm

    reps = replications or default_replications()
    started = time.perf_counter()
    with _progress(2) as progress:  # a bar on a terminal; it learns the total from the first report
        names, before, computed = warm(_cache(True), reps, workers, progress)
    typer.echo(f"cache warm: {', '.join(names)} with {reps} replications each; {before} were there, "
               f"{computed} computed in {time.perf_counter() - started:.0f} s")


class _progress:
    """A progress bar with time left, shown for multi-replication runs on a terminal."""

    def __init__(self, total: int, what: str = "replications"):
        self.total = total
        self.what = what
        self.bar = None

    def __enter__(self):
        if self.total < 2 or not sys.stderr.isatty():
            return None
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(TextColumn(self.what), BarColumn(),
                            TextColumn("{task.completed}/{task.total}"), TimeRemainingColumn(),
                            transient=True)
        self.bar.start()
        task = self.bar.add_task("run", total=self.total)
        return lambda done, total: self.bar.update(task, completed=done, total=total)

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.stop()
        return False


def warnings_handler() -> logging.Handler:
    """What the console prints of the log: warnings (e.g. a cache that cannot be written) as one
    line each. Its own level keeps out what a library's logger passes on below it (pyabc's
    progress came twice, the second time as a "warning")."""
    handler = logging.StreamHandler()
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("warning: %(message)s"))
    return handler


def _wide_help_off_a_terminal() -> None:
    """Help piped to a file or a pager at 120 columns, not rich's 80: at 80 the option tables cut
    examples such as 'within_term_share.asylum >= 0.9 from 2028' after a few letters.
    ``TERMINAL_WIDTH`` still decides when it is set."""
    import typer.rich_utils

    if typer.rich_utils.MAX_WIDTH is None and not sys.stdout.isatty():
        typer.rich_utils.MAX_WIDTH = 120


def main() -> None:
    """Entry point of the ``indsim`` console script."""
    from .lifeline import stop_on_sigterm

    logging.basicConfig(level=logging.WARNING, handlers=[warnings_handler()])
    _wide_help_off_a_terminal()
    stop_on_sigterm()
    app()


if __name__ == "__main__":
    main()
