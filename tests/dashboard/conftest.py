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
