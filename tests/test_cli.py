"""`indsim run` and friends as a user runs them: files, manifest, atomic output, errors."""

from __future__ import annotations

import hashlib
import json
import os
import textwrap
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from simulator.cli import app
from simulator.errors import OutputError
from simulator.report import outdir
from simulator.scenario import load_scenario, scenario_hash

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


@pytest.fixture()
def short(tmp_path) -> Path:
    """The baseline cut to one year (a quick run)."""
    path = tmp_path / "short.yaml"
    path.write_text(textwrap.dedent(f"""\
        extends: {ROOT / 'scenarios/baseline.yaml'}
        title: {{nl: Kort basisscenario, en: Short baseline}}
        horizon_years: 1
        changes: []
        """))
    return path


def run(*args) -> str:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def test_run_warns_of_a_change_another_intervention_undoes(tmp_path):
    """Shock files combined through ``extends`` can undo each other's changes; the run says so,
    as ``indsim validate`` and the dashboard's upload do (see simulator/scenario/overrides.py)."""
    path = tmp_path / "clash.yaml"
    path.write_text(textwrap.dedent(f"""\
        extends: {ROOT / 'scenarios/baseline.yaml'}
        title: clash
        horizon_years: 1
        changes: []
        interventions:
          a_more: {{label: more, start: 2026-03-01, source: "assumption: test", add: {{pools.ind_decision.fte: 20}}}}
          b_reset: {{label: reset, start: 2026-06-01, source: "assumption: test",
                    set: {{pools.ind_decision: {{label: x, fte: 300}}}}}}
        """))
    text = run("run", path, "--out", tmp_path / "out", "-n", 1, "--workers", 1, "--no-cache", "--no-charts")
    assert "Let op, een wijziging gaat verloren: interventions.b_reset sets pools.ind_decision whole" in text


def test_run_writes_tables_manifest_and_charts(short, tmp_path):
    out = tmp_path / "out"
    text = run("run", short, "--out", out, "-n", 2, "--workers", 1, "--no-cache")
    assert "Werkvoorraad eind jaar asiel" in text and str(out) in text
    assert "figures.csv" in text  # says where the full table is
    for name in ("metrics.parquet", "metrics.csv", "yearly.parquet", "figures.csv", "cases.parquet",
                 "manifest.json", "charts/backlog.png", "charts/backlog.svg"):
        assert (out / name).is_file(), name
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["seed"] == load_scenario(short).seed and manifest["replications"] == 2
    assert manifest["scenarios"]["short"]["hash"] == scenario_hash(load_scenario(short))
    assert manifest["version"] and manifest["created"]
    for name, info in manifest["files"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == info["sha256"], name
    metrics = pd.read_parquet(out / "metrics.parquet")
    assert sorted(metrics.replication.unique()) == [0, 1]
    assert pd.read_csv(out / "metrics.csv").shape[0] == metrics.shape[0]


def test_an_earlier_output_is_replaced_whole_but_never_files_indsim_did_not_write(short, tmp_path):
    out = tmp_path / "out"
    run("run", short, "--out", out, "--no-charts", "--workers", 1, "--no-cache")
    first = (out / "metrics.parquet").read_bytes()
    run("run", short, "--out", out, "--no-charts", "--seed", 5, "--workers", 1, "--no-cache")
    assert (out / "metrics.parquet").read_bytes() != first  # an earlier output: replaced by the new one
    (out / "NOTES.txt").write_text("mine")
    (out / "mine").mkdir()
    (out / "mine" / "draft.md").write_text("mine too")
    refused = runner.invoke(app, ["run", str(short), "--out", str(out), "--no-charts"])
    assert refused.exit_code == 2 and "NOTES.txt" in refused.output and "--force" in refused.output
    assert (out / "NOTES.txt").read_text() == "mine" and (out / "mine" / "draft.md").exists()
    run("run", short, "--out", out, "--no-charts", "--workers", 1, "--no-cache", "--force")
    assert not (out / "NOTES.txt").exists() and (out / "manifest.json").exists()
    foreign = tmp_path / "thesis"
    foreign.mkdir()
    (foreign / "thesis.docx").write_text("precious")
    result = runner.invoke(app, ["run", str(short), "--out", str(foreign), "--no-charts"])
    assert result.exit_code == 2 and "indsim did not write (thesis.docx)" in result.output
    assert (foreign / "thesis.docx").read_text() == "precious" and len(list(foreign.iterdir())) == 1


def test_an_out_folder_with_very_many_files_is_refused_after_a_look_at_a_few(tmp_path, monkeypatch):
    """``--out /`` walked 800,000 files (26 s, 750 MB) to name three of them."""
    out = tmp_path / "crowded"
    out.mkdir()
    for i in range(5000):
        (out / f"f{i:04}.txt").touch()
    (out / "sub").mkdir()
    for i in range(100):
        (out / "sub" / f"g{i}.txt").touch()
    seen, real = [], os.scandir

    class Counted:
        """os.scandir, counting the entries read."""

        def __init__(self, path):
            self.it = real(path)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.it.close()

        def __iter__(self):
            for entry in self.it:
                seen.append(entry.path)
                yield entry

    monkeypatch.setattr(os, "scandir", Counted)
    with pytest.raises(OutputError, match=r"holds files indsim did not write \([^,]+, [^,]+, [^,]+ and more\)"):
        outdir.check(out)
    assert len(seen) <= 10


def test_a_failure_while_writing_leaves_the_previous_output_intact(short, tmp_path, monkeypatch):
    out = tmp_path / "out"
    run("run", short, "--out", out, "--no-charts", "--workers", 1, "--no-cache")
    before = {p.name: p.read_bytes() for p in out.iterdir()}

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(pd.DataFrame, "to_csv", broken)
    result = runner.invoke(app, ["run", str(short), "--out", str(out), "--no-charts", "--workers", "1"])
    assert result.exit_code != 0
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".out")]


def test_same_seed_reproduces_and_english_labels(short, tmp_path):
    run("run", short, "--out", tmp_path / "a", "--no-charts", "--workers", 1, "--no-cache")
    text = run("run", short, "--out", tmp_path / "b", "--no-charts", "--lang", "en", "--workers", 1, "--no-cache")
    assert "Backlog at year end asylum" in text and "Results:" in text
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "a/metrics.parquet"),
                                  pd.read_parquet(tmp_path / "b/metrics.parquet"))


def test_cache_returns_the_same_numbers(short, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    run("run", short, "--out", tmp_path / "a", "--no-charts", "-n", 2, "--workers", 1)
    assert list((tmp_path / ".indsim-cache").glob("*.rep"))
    run("run", short, "--out", tmp_path / "b", "--no-charts", "-n", 2, "--workers", 1)
    pd.testing.assert_frame_equal(pd.read_parquet(tmp_path / "a/metrics.parquet"),
                                  pd.read_parquet(tmp_path / "b/metrics.parquet"))


def test_bad_options_give_one_line(short, tmp_path):
    for args, words in ((["--lang", "fr"], "--lang"), (["--cases", "some"], "--cases"),
                        (["--precision", "nonsense.asylum.2026=5"], "unknown figure"),
                        (["--precision", "backlog_end.asylum.2026=-5"], "above 0"),  # it ran to the cap
                        (["-n", "100000000"], "less than or equal to 10000")):  # it ran out of memory
        result = runner.invoke(app, ["run", str(short), "--out", str(tmp_path / "x"), *args])
        text = " ".join(result.output.replace("│", " ").split())  # typer's box wraps at the terminal's width
        assert result.exit_code == 2 and words in text and "Traceback" not in text
        assert not (tmp_path / "x").exists()


def test_a_year_outside_the_horizon_fails_before_any_run(short, tmp_path):
    """A comparison printed a table of dashes (and numpy's warning) and a sensitivity failed only
    after its base run; the years are checked first."""
    other = tmp_path / "other.yaml"
    other.write_text(short.read_text())  # named after its file
    history, drain = ROOT / "scenarios/history_2023_2025.yaml", ROOT / "tests/data/drain.yaml"
    for args, words in ((["compare", short, history], "share no year"),
                        (["compare", short, other, "--year", 2030], "--year: 2030 is outside"),
                        (["sensitivity", short, "--figure", "backlog_end.asylum.2030"], "--figure: 2030 is outside"),
                        (["run", short, "--precision", "backlog_end.asylum.2030=5"], "--precision: 2030"),
                        (["requirements", short, "--target", "backlog_end.asylum <= 0 in 2030"], "--target: 2030"),
                        (["explore", short, "--experiments", 4, "--target", "backlog_end.asylum <= 0 from 2030"],
                         "--target: 2030"),
                        (["explore", short, "--experiments", 4, "--where", "backlog_end.asylum <= 0 in 2030"],
                         "--where: 2030"),
                        # a category without streams ran the whole search, then blamed the horizon
                        (["requirements", drain, "--target", "backlog_end.nareis <= 0 in 2026"],
                         "--target: drain has no nareis streams (its categories: asylum)"),
                        (["sensitivity", drain, "--figure", "backlog_end.other.2026"],
                         "--figure: drain has no other streams")):
        result = runner.invoke(app, [*map(str, args), "--out", str(tmp_path / "x")])
        assert result.exit_code == 2 and words in result.output and "Traceback" not in result.output, result.output
        assert not (tmp_path / "x").exists()


def test_an_exploration_of_more_experiments_than_a_cluster_runs_in_a_day_is_refused(short, tmp_path):
    """--experiments 400000000 used 6.7 GB and ended in a MemoryError traceback after 83 s."""
    result = runner.invoke(app, ["explore", str(short), "--experiments", "400000000", "--out", str(tmp_path / "x")])
    words = " ".join(result.output.replace("│", " ").split())  # typer's box wraps at the terminal's width
    assert result.exit_code == 2 and "less than or equal to 100000" in words and "Traceback" not in words
    assert not (tmp_path / "x").exists()


def test_assumptions_lists_the_differences_with_sources():
    text = run("assumptions", ROOT / "scenarios/asielnoodmaatregelenwet.yaml", "--base",
               ROOT / "scenarios/baseline.yaml")
    assert "| parameter | baseline | scenario |" in text
    assert "permit_3y" in text and "MvT 36704-3" in text
    csv = run("assumptions", ROOT / "scenarios/ketenpartner.yaml", "--base", ROOT / "scenarios/baseline.yaml",
              "--format", "csv")
    assert csv.startswith("parameter,baseline,scenario,unit,from,intervention,source,confidence")


def test_a_librarys_progress_is_printed_once_and_not_as_a_warning(capsys):
    """pyabc logs its progress at INFO through a handler of its own; passed on to the console's
    handler it came a second time, as "warning: t: 0, eps: ..."."""
    import logging

    from simulator.cli import warnings_handler

    library = logging.getLogger("indsim_test_library")
    library.setLevel(logging.INFO)
    ours = warnings_handler()
    logging.getLogger().addHandler(ours)
    try:
        library.info("t: 0, eps: 3.8")
        library.warning("a cache that cannot be written")
    finally:
        logging.getLogger().removeHandler(ours)
    err = capsys.readouterr().err
    assert "t: 0" not in err and "warning: a cache that cannot be written" in err, err


def test_indsim_requirements_finds_the_known_answer_and_writes_its_table_with_units(tmp_path):
    """tests/data/drain.yaml needs exactly 5 extra FTE to clear its stock in 2026. The console gets
    plain text (it printed the page's Markdown '**'), the table its figure and unit."""
    result = runner.invoke(app, ["requirements", str(ROOT / "tests/data/drain.yaml"), "--target",
                                 "backlog_end.asylum <= 0 in 2026", "-n", "2", "--workers", "1", "--no-cache",
                                 "--out", str(tmp_path / "r")])
    assert result.exit_code == 0, result.output
    assert "5 fte extra vanaf 1 jan 2026" in result.output
    assert "Wat hebben wij van anderen nodig?" in result.output and "**" not in result.output
    table = pd.read_csv(tmp_path / "r" / "requirements.csv")
    assert table.extra_fte.tolist() == [5] and (table.unit == "cases").all() and (table.year == 2026).all()
    assert "**Wat hebben wij van anderen nodig?**" in (tmp_path / "r" / "requirements.md").read_text()
