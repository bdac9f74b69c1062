"""`indsim calibrate`, `indsim backtest` and `--parameter-uncertainty` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
from typer.testing import CliRunner

from simulator.cli import app
from simulator.experiment.backtest import BACKTEST_COLUMNS
from tests.experiment.test_calibration import _published, _spec

ROOT = Path(__file__).resolve().parent.parent
runner = CliRunner()


def run(*args) -> str:
    result = runner.invoke(app, [str(a) for a in args])
    assert result.exit_code == 0, result.output
    return result.output


def test_backtest_writes_the_table_with_exactly_its_columns_and_a_chart_per_series(tmp_path):
    out = tmp_path / "bt"
    printed = run("backtest", "--out", out, "-n", 2, "--workers", 1, "--no-cache")
    table = pd.read_csv(out / "backtest.csv")
    assert list(table.columns) == BACKTEST_COLUMNS
    assert "backlog_asylum" in printed
    for series in table.series.unique():
        assert (out / "charts" / f"{series}.png").stat().st_size > 5000
        assert (out / "charts" / f"{series}.svg").exists()
    assert json.loads((out / "manifest.json").read_text())["kind"] == "backtest"
    row = table[(table.series == "backlog_asylum") & (table.year == 2025)].iloc[0]
    assert row.published == 51000 and not row.used_for_fit and row.low <= row.model_mean <= row.high


def test_calibrate_then_run_and_compare_with_parameter_uncertainty(tmp_path):
    published = _published(tmp_path, ROOT / "tests/data/recovery.yaml")
    spec = _spec(tmp_path, ROOT, published, {"population": 5, "generations": 1, "simulations": 20})
    cal = tmp_path / "cal"
    printed = run("calibrate", ROOT / "tests/data/recovery.yaml", "--spec", spec, "--out", cal)
    assert "staff_1" in printed and "simulations" in printed
    posterior = cal / "posterior.parquet"
    out = tmp_path / "run"
    run("run", ROOT / "tests/data/recovery.yaml", "--out", out, "-n", 3, "--workers", 1, "--no-cache",
        "--parameter-uncertainty", posterior, "--no-charts")
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["parameter_uncertainty"]["samples"] == 5
    comp = tmp_path / "cmp"
    run("compare", ROOT / "tests/data/recovery.yaml", ROOT / "scenarios/verification/tandem_ind_scale.yaml",
        "--out", comp, "-n", 2, "--workers", 1, "--no-cache", "--parameter-uncertainty", posterior)
    assert json.loads((comp / "manifest.json").read_text())["parameter_uncertainty"]["parameters"] == \
        ["staff_1", "staff_2"]


def test_a_file_that_is_not_a_posterior_gives_one_line_and_exit_2(tmp_path):
    bad = tmp_path / "x.parquet"
    pd.DataFrame({"a": [1.0]}).to_parquet(bad)
    result = runner.invoke(app, ["run", str(ROOT / "tests/data/recovery.yaml"), "--out", str(tmp_path / "o"),
                                 "--parameter-uncertainty", str(bad)])
    assert result.exit_code == 2
    assert result.output.strip().count("\n") == 0 and "not a posterior" in result.output
    assert not (tmp_path / "o").exists()
