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


@app.command()
def run(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    out: Annotated[Path, typer.Option("--out", help="Folder for results (written whole or not at all).")],
    replications: Annotated[int, typer.Option("--replications", "-n", min=1, help="Replications.")] = 1,
    seed: Annotated[int | None, typer.Option("--seed", min=0, help="Seed (default: the scenario's).")] = None,
    workers: Annotated[int | None, typer.Option("--workers", min=1,
                                                help="Local processes (default: all cores).")] = None,
    cases: Annotated[str, typer.Option("--cases", help="Per-case table: first, all or none.")] = "first",
    charts: Annotated[bool, typer.Option("--charts/--no-charts", help="Write charts.")] = True,
    lang: Lang = "nl",
) -> None:
    """Run a scenario and write metrics, per-case table, manifest and charts to --out."""
    from .experiment import simulate
    from .report.export import write_run
    from .report.summary import print_summary
    from .scenario import load_scenario

    try:
        lang = _lang(lang)
        if cases not in ("first", "all", "none"):
            raise IndsimError(f"--cases: must be first, all or none, got {cases!r}")
        s = load_scenario(scenario)
        with _progress(replications) as progress:
            results = simulate(s, replications=replications, seed=seed, workers=workers,
                               keep_cases=cases, progress=progress)
        write_run(results, out, lang=lang, charts=charts)
    except IndsimError as err:
        _fail(err)
    print_summary(results, lang)
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

    def __init__(self, total: int):
        self.total = total
        self.bar = None

    def __enter__(self):
        if self.total < 2 or not sys.stderr.isatty():
            return None
        from rich.progress import BarColumn, Progress, TextColumn, TimeRemainingColumn

        self.bar = Progress(TextColumn("replications"), BarColumn(),
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
