"""The ``indsim`` command line. Thin: it parses input, calls the layers and prints.

Errors a user can cause print one line each (file, field, reason) and exit with status 2.
"""

from __future__ import annotations

import json
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


Replications = Annotated[int, typer.Option("--replications", "-n", min=1, help="Replications.")]
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
) -> None:
    """Run a scenario and write metrics, per-case table, manifest and charts to --out."""
    from .experiment import Figure, simulate, simulate_to_precision
    from .report.export import write_run
    from .report.summary import print_summary

    note = None
    try:
        lang = _lang(lang)
        if cases not in ("first", "all", "none"):
            raise IndsimError(f"--cases: must be first, all or none, got {cases!r}")
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
                except ValueError:
                    raise IndsimError(f"--precision: {precision!r}: write FIGURE=HALFWIDTH, "
                                      "e.g. backlog_end.asylum.2030=500 or =2%") from None
                results, p = simulate_to_precision(s, Figure.parse(figure), half, relative, pilot=replications,
                                                   seed=seed, workers=workers, cache=_cache(cache),
                                                   keep_cases=cases, progress=progress, inflow_band=inflow_band)
                note = p.sentence()
            else:
                results = simulate(s, replications=replications, seed=seed, workers=workers, keep_cases=cases,
                                   progress=progress, cluster=cluster, cache=_cache(cache),
                                   inflow_band=inflow_band, parameter_uncertainty=posterior)
        write_run(results, out, lang=lang, charts=charts)
    except (IndsimError, ValueError) as err:
        _fail(err if isinstance(err, IndsimError) else IndsimError(str(err)))
    print_summary(results, lang)
    if note:
        typer.echo(note)
    typer.echo(f"\n{'Resultaten' if lang == 'nl' else 'Results'}: {out}")


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
) -> None:
    """Compare scenarios with a base: main figures, differences with 95% intervals, charts."""
    from .experiment import paired_differences
    from .report.export import write_compare
    from .report.summary import print_comparison

    try:
        lang = _lang(lang)
        scenarios = _scenarios([base, *others])
        results = _experiment(scenarios, replications, seed, workers, cluster, cache, inflow_band,
                              _posterior(parameter_uncertainty))
        table = paired_differences(results, scenarios[0].name)
        write_compare(results, table, out, lang=lang)
    except (IndsimError, ValueError) as err:
        _fail(err if isinstance(err, IndsimError) else IndsimError(str(err)))
    for y in year or [None]:
        print_comparison(results, table, lang, y)
    typer.echo(f"\n{'Resultaten' if lang == 'nl' else 'Results'}: {out}")


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
    lang: Lang = "nl",
) -> None:
    """Chart pack (PNG 300 dpi, SVG, PDF), tables (CSV, Excel), scenario brief and assurance documents."""
    from .experiment.backtest import backtest
    from .experiment.validation import verification_table
    from .report.pack import write_report

    try:
        lang = _lang(lang)
        loaded = _scenarios(scenarios)
        if exploration is not None:
            from .report.explore import read_exploration

            read_exploration(exploration)  # a bad folder fails before the runs
        results = _experiment(loaded, replications, seed, workers, cluster, cache)
        checks = None
        if validation:
            typer.echo("validation: exact queueing results and the 2023-2025 backtest...", err=True)
            checks = {"verification": verification_table(scale=0.5),
                      "backtest": backtest(replications, workers=workers, cache=_cache(cache))[1]}
        write_report(results, out, lang=lang, validation=checks, exploration=exploration)
    except (IndsimError, ValueError) as err:
        _fail(err if isinstance(err, IndsimError) else IndsimError(str(err)))
    files = sorted(p.relative_to(out) for p in Path(out).rglob("*") if p.is_file())
    typer.echo(f"{len(files)} {'bestanden in' if lang == 'nl' else 'files in'} {out}: "
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
) -> None:
    """How much a figure moves when each parameter goes down and up: table and tornado chart."""
    from .experiment import Figure
    from .experiment import sensitivity as run_sensitivity
    from .experiment.variants import parameter_by_path
    from .report.export import write_sensitivity

    try:
        lang = _lang(lang)
        (s,) = _scenarios([scenario])
        fig = Figure.parse(figure)
        params = [parameter_by_path(p) for p in param] if param else None
        with _progress(2) as progress:
            table = run_sensitivity(s, fig, params, fraction, replications, seed, workers, _cache(cache), progress)
        write_sensitivity(table, s, out, lang=lang)
    except (IndsimError, ValueError) as err:
        _fail(err if isinstance(err, IndsimError) else IndsimError(str(err)))
    from .report.summary import print_sensitivity

    print_sensitivity(table, lang)
    typer.echo(f"\n{'Resultaten' if lang == 'nl' else 'Results'}: {out}")


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
    start: Annotated[str | None, typer.Option("--from", help="Date the extra capacity starts (hiring).")] = None,
    replications: Replications = 10,
    seed: Seed = None,
    workers: Workers = None,
    cache: Cache = True,
    lang: Lang = "nl",
) -> None:
    """What do we need from others? The least extra capacity per pool that meets a target."""
    import datetime as dt

    from .experiment import Target
    from .experiment import requirements as search
    from .experiment.variants import Lever
    from .report.export import write_requirements
    from .report.summary import print_requirements

    try:
        lang = _lang(lang)
        (s,) = _scenarios([scenario])
        goal = Target.parse(target)
        levers = None
        if lever:
            levers = []
            for spec in lever:
                pools = tuple(spec.split("+"))
                unknown = [p for p in pools if p not in s.pools]
                if unknown:
                    raise IndsimError(f"--lever: unknown pool {unknown[0]!r}; known: {', '.join(s.pools)}")
                levers.append(Lever(spec, pools))
        try:
            begin = dt.date.fromisoformat(start) if start else None
        except ValueError:
            raise IndsimError(f"--from: {start!r} is not a date (YYYY-MM-DD)") from None
        table, without = search(s, goal, probability, levers, begin, replications, seed, workers,
                                _cache(cache), progress=lambda m: typer.echo(m, err=True))
        write_requirements(table, without, s, out, lang=lang)
    except (IndsimError, ValueError) as err:
        _fail(err if isinstance(err, IndsimError) else IndsimError(str(err)))
    print_requirements(table, without, lang)
    typer.echo(f"\n{'Resultaten' if lang == 'nl' else 'Results'}: {out}")


@app.command()
def calibrate(
    scenario: Annotated[Path, typer.Argument(help="Scenario to calibrate (default: the specification's own).")],
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
) -> None:
    """Fit the specification's parameters to published series by ABC-SMC; write the posterior
    (samples, table, a fragment scenarios can extend), the fit, charts and a manifest to --out."""
    from .experiment.abcsmc import fit
    from .experiment.calibration import load_spec
    from .report.calibration import write_calibration

    try:
        lang = _lang(lang)
        setup = load_spec(spec, scenario)
        changes = {k: v for k, v in (("population", population), ("generations", generations),
                                     ("simulations", simulations)) if v is not None}
        if changes:
            setup.spec = setup.spec.model_copy(update={"budget": setup.spec.budget.model_copy(update=changes)})
        fitted = fit(setup, workers=workers)
        table = write_calibration(fitted, out, lang)
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
) -> None:
    """Every published series in the scenario's horizon against the model: backtest.csv and a chart
    per series (published points, model mean and 90% band)."""
    from .experiment.backtest import backtest as run_backtest
    from .experiment.published import load_published
    from .report.calibration import write_backtest
    from .report.pack import backtest_md

    try:
        lang = _lang(lang)
        _scenarios([scenario])  # one-line errors before anything runs
        posterior = _posterior(parameter_uncertainty)
        published = load_published()
        with _progress(replications) as progress:
            results, frame = run_backtest(replications, scenario, published, seed=seed, workers=workers,
                                          cache=_cache(cache), progress=progress, parameter_uncertainty=posterior)
        write_backtest(results, frame, published, out, lang)
    except (IndsimError, ValueError) as err:
        _fail(err if isinstance(err, IndsimError) else IndsimError(str(err)))
    typer.echo("\n".join(backtest_md(frame)[4:]))
    typer.echo(f"{'Resultaten' if lang == 'nl' else 'Results'}: {out}")


@app.command()
def explore(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    out: Out,
    experiments: Annotated[int, typer.Option("--experiments", min=1, help="Experiments (futures x policies).")],
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
) -> None:
    """Explore futures and policies: experiments.parquet, boxes (PRIM, CART), Sobol indices, robustness."""
    from .experiment import Target
    from .experiment.explore import build_space
    from .experiment.explore import explore as run_exploration
    from .experiment.variants import variant
    from .report.explore import write_exploration

    try:
        lang = _lang(lang)
        (s,) = _scenarios([scenario])
        cond = Target.parse(where) if where else None
        goal = Target.parse(target) if target else None
        if until is not None:
            if not s.start.year <= until <= s.end.year:
                raise IndsimError(f"--until: {until} is outside the horizon {s.start.year}-{s.end.year}")
            s = variant(s, s.name, lambda d: None, until)
        space = build_space(s, scenario, uncertainties, levers)
        journal = out.parent / f".{out.name}.journal.jsonl"
        with _progress(experiments, "experiments") as progress:
            ex = run_exploration(space, experiments, sampler, seed, replications, workers, cluster, _cache(cache),
                                 journal, progress, journal_only=interim)
        found = write_exploration(ex, out, cond, goal, lang)
        if not interim:
            journal.unlink(missing_ok=True)
    except (IndsimError, ValueError) as err:
        _fail(err if isinstance(err, IndsimError) else IndsimError(str(err)))
    typer.echo(f"{len(ex.table)} experiments ({ex.design.futures} futures x {len(space.policies)} policies, "
               f"{ex.ran} run now)")
    for line in found["sentences"]:
        typer.echo(f"- {line}")
    typer.echo(f"\n{'Resultaten' if lang == 'nl' else 'Results'}: {out}")


@app.command()
def validate(files: Annotated[list[Path], typer.Argument(help="Scenario YAML files.")]) -> None:
    """Check scenario files; one line per problem, exit status 2 if any file is invalid."""
    from .errors import ScenarioError
    from .scenario import load_scenario

    bad = False
    for f in files:
        try:
            s = load_scenario(f)
        except ScenarioError as err:
            bad = True
            for line in err.lines():
                typer.echo(f"error: {line}", err=True)
            continue
        typer.echo(f"ok: {f} ({s.name}: {len(s.streams)} streams, {len(s.stages)} stages, "
                   f"{len(s.pools)} pools, {s.start} .. {s.end})")
    if bad:
        raise typer.Exit(2)


@app.command()
def schema(out: Annotated[Path | None, typer.Option("--out", help="Write to this file.")] = None) -> None:
    """Print the JSON Schema of scenario files (for editor completion and checks)."""
    from .scenario.jsonschema import scenario_schema

    text = json.dumps(scenario_schema(), indent=2, ensure_ascii=False)
    if out is None:
        typer.echo(text)
    else:
        out.write_text(text + "\n")


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


def main() -> None:
    """Entry point of the ``indsim`` console script."""
    app()


if __name__ == "__main__":
    main()
