"""Shared fixtures: one baseline run per test worker (a run takes a few seconds)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
os.environ.setdefault("MPLBACKEND", "Agg")


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def baseline():
    from simulator.scenario import load_scenario

    return load_scenario(ROOT / "scenarios" / "baseline.yaml")


@pytest.fixture(scope="session")
def baseline_run(baseline):
    """Replication 0 of the baseline, with the engine's raw arrays."""
    from simulator.model import run_replication

    return run_replication(baseline, keep_records=True)
