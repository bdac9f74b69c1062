"""The day's phases are declared once: the engine's processes, its docstring and the README agree."""

from __future__ import annotations

from simulator.model import cycle
from simulator.model.cycle import WHAT, Phase

from ..conftest import ROOT


def test_phases_run_in_declared_order_within_the_day():
    times = [p.time for p in Phase]
    assert times == sorted(times) and len(set(times)) == len(times)
    assert all(0.0 <= t < 1.0 for t in times)
    assert [p for p in Phase if p.workdays_only] == [Phase.WORK]


def test_docstring_and_readme_show_the_declared_cycle():
    readme = (ROOT / "README.md").read_text()
    for p in Phase:
        owner, what = WHAT[p]
        assert f"| t+{p.time:.1f} | {p.name.lower()} | {owner} | {what} |" in readme, p
        assert what in cycle.__doc__
