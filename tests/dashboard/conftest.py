"""Dashboard tests run the real app with 2 replications per scenario and a private result cache
(set for one test module at a time, so other tests see the usual environment)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")


@pytest.fixture(scope="module")
def dashboard_env(tmp_path_factory) -> dict[str, str]:
    env = {"INDSIM_DASHBOARD_REPLICATIONS": "2", "INDSIM_CACHE": str(tmp_path_factory.mktemp("cache")),
           "MPLBACKEND": "Agg", "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
           "INDSIM_DASHBOARD_WARM": "0"}  # the tests that need the background computation turn it on
    old = {k: os.environ.get(k) for k in env}
    os.environ.update(env)
    yield env
    for k, v in old.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v


@pytest.fixture(scope="session")
def stored_exploration(tmp_path_factory) -> Path:
    """A folder holding one small exploration written by the command line (Sobol design, two
    policies), for the page Verkennen and the report pack."""
    from typer.testing import CliRunner

    from simulator.cli import app

    root = tmp_path_factory.mktemp("explorations")
    data = ROOT / "tests" / "data" / "explore"
    result = CliRunner().invoke(app, [
        "explore", str(data / "small.yaml"), "--out", str(root / "klein"), "--experiments", "20", "--sampler",
        "sobol", "--uncertainties", str(data / "uncertainties.yaml"), "--levers", str(data / "levers.yaml"),
        "--workers", "1", "--no-cache", "--where", "backlog_end.asylum > 600 in 2027",
        "--target", "backlog_end.asylum <= 1500 in 2027"])
    assert result.exit_code == 0, result.output
    return root
