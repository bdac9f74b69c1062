"""Hostile and oversized scenario files are refused with one line that names the limit, before
they can fill memory or hang; an analyst raises a limit for a trusted file with INDSIM_LIMITS.

The timeout on each test catches a hang; how fast the refusals are is measured by
``benchmarks/hostile.py``, not here."""

from __future__ import annotations

import os
import textwrap
from pathlib import Path

import pytest
from typer.testing import CliRunner

from simulator.cli import app
from simulator.errors import IndsimError, ScenarioError
from simulator.scenario import load_scenario, scenario_from_text
from simulator.scenario.limits import Limits, using

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
pytestmark = pytest.mark.timeout(120)

BOMB = (ROOT / "tests" / "data" / "bomb.yaml").read_text()


def refusal(text: str, tmp_path: Path, name: str = "bad.yaml") -> str:
    path = tmp_path / name
    path.write_text(text)
    with pytest.raises(ScenarioError) as err:
        load_scenario(path)
    lines = err.value.lines()
    assert len(lines) == 1 and "\n" not in lines[0], lines
    return lines[0]


def child(tmp_path: Path, body: str) -> str:
    return f"extends: {SCENARIOS / 'baseline.yaml'}\ntitle: Test\n" + textwrap.dedent(body)


def test_a_billion_laughs_bomb_of_a_few_hundred_bytes_is_refused(tmp_path):
    assert len(BOMB.encode()) < 500
    line = refusal(BOMB, tmp_path)
    assert "more than 100,000 values once aliases are expanded" in line and "INDSIM_LIMITS=nodes" in line


def test_a_merge_key_bomb_is_refused_too(tmp_path):
    lines = ["l0: &l0 {a: 1, b: 2}"] + [f"l{k}: &l{k} {{<<: [" + ", ".join([f"*l{k - 1}"] * 9) + "]}"
                                         for k in range(1, 10)]
    assert "once aliases are expanded" in refusal("\n".join(lines), tmp_path)


def test_merge_keys_within_the_limits_still_work(tmp_path):
    text = child(tmp_path, """\
        pools:
          ind_decision: &staff
            fte: {value: 250, source: "assumption"}
          ind_hearing:
            <<: *staff
        """)
    path = tmp_path / "merge.yaml"
    path.write_text(text)
    s = load_scenario(path)
    assert s.pools["ind_hearing"].fte.value == 250 == s.pools["ind_decision"].fte.value


def test_deep_nesting_is_refused_at_its_line_without_a_recursion_error(tmp_path):
    assert "nesting depth" in refusal("a: " + "[" * 5000 + "]" * 5000, tmp_path)  # libyaml's own bound (1,000)
    assert "nested deeper than 20 levels" in refusal("a: " + "[" * 500 + "]" * 500, tmp_path)
    block = "a:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(300))
    line = refusal(block, tmp_path)
    assert "bad.yaml:21:" in line and "nested deeper than 20 levels" in line


def test_the_depth_limit_is_raised_only_as_far_as_the_builder_nests_safely(tmp_path, monkeypatch):
    """depth=2000 let a list nested 400 levels overflow the recursive builder with a traceback."""
    monkeypatch.setenv("INDSIM_LIMITS", "depth=2000")
    with pytest.raises(IndsimError, match=r"INDSIM_LIMITS: depth must be a positive number up to 200, got '2000'"):
        load_scenario(tmp_path / "any.yaml")
    monkeypatch.setenv("INDSIM_LIMITS", "depth=200")
    deepest = child(tmp_path, "description: " + "[" * 199 + "]" * 199 + "\n")
    assert "description" in refusal(deepest, tmp_path)  # the schema's one line, not a RecursionError


def test_an_alias_that_contains_itself_is_refused(tmp_path):
    assert "contains it" in refusal("a: &a [1, *a]\n", tmp_path)


def test_extends_of_a_device_a_folder_or_a_pipe_is_refused_without_reading_it(tmp_path):
    assert "not a regular file" in refusal("extends: /dev/zero\ntitle: x\n", tmp_path)
    assert "is a directory" in refusal(f"extends: {tmp_path}\ntitle: x\n", tmp_path)
    os.mkfifo(tmp_path / "pipe.yaml")
    assert "not a regular file" in refusal("extends: pipe.yaml\ntitle: x\n", tmp_path)


def test_a_diamond_of_extends_cannot_make_the_loader_read_without_end(tmp_path, monkeypatch):
    """Each file of the tree is read once (the diamond below took 2 ** 6 reads), and a tree of
    more distinct files than the limit is still refused."""
    import simulator.scenario.loader as loader

    (tmp_path / "f0.yaml").write_text(child(tmp_path, ""))
    for k in range(1, 7):
        (tmp_path / f"f{k}.yaml").write_text(f"extends: [f{k - 1}.yaml, f{k - 1}.yaml]\n")
    (tmp_path / "top.yaml").write_text("extends: f6.yaml\ntitle: Top\n")
    read = []
    monkeypatch.setattr(loader, "read_file", lambda path, name, real=loader.read_file: read.append(path) or
                        real(path, name))
    load_scenario(tmp_path / "top.yaml")
    assert sorted(p.name for p in read) == sorted([*(f"f{k}.yaml" for k in range(7)), "top.yaml", "baseline.yaml"])
    for k in range(50):
        (tmp_path / f"g{k}.yaml").write_text("title: x\n")
    many = ", ".join(f"g{k}.yaml" for k in range(50))
    assert "extends reads more than 40 files" in refusal(f"extends: [{many}]\n", tmp_path, "wide.yaml")


def test_a_long_chain_of_extends_is_refused(tmp_path):
    (tmp_path / "f0.yaml").write_text("title: x\n")
    for k in range(1, 12):
        (tmp_path / f"f{k}.yaml").write_text(f"extends: f{k - 1}.yaml\n")
    assert "extends goes deeper than 8 parents" in refusal("extends: f11.yaml\n", tmp_path, "top.yaml")


@pytest.mark.parametrize(("body", "words"), [
    ("streams: {first_asylum: {monthly_volume: 1000000000}}\n",
     "1,000,000,000 cases a month is more than 100,000 (limit monthly_volume=100,000"),
    ("streams: {first_asylum: {monthly_volume: 100000}}\n",
     "cases in one replication, more than 2,000,000 (limit cases=2,000,000"),
    ("horizon_years: 1000\n", "1000 years is longer than 50 (limit horizon_years=50"),
    ("initial_stock: [{stream: first_asylum, stage: registration, count: 1.0e+12, age_months: {'0-6': 1}}]\n",
     "(limit cases="),
    ("interventions: {slow: {label: x, start: 2027-01-01, phase_in: {value: 1000000, unit: months},"
     " scale: {streams.first_asylum.monthly_volume: 2}}}\n", "dated steps of changes and phase-ins, more than 1,200"),
    ("interventions: {slow: {label: x, start: 2027-01-01, phase_in: {value: 5000, unit: months},"
     " scale: {streams.first_asylum.monthly_volume: 2}}}\n", "(limit steps=1,200"),
    ("interventions: {more: {label: x, start: 2027-01-01, scale: {streams.first_asylum.monthly_volume: 1.0e+6}}}\n",
     "(limit monthly_volume=100,000"),
])
def test_oversized_numbers_are_refused_naming_the_limit(tmp_path, body, words):
    line = refusal(child(tmp_path, body), tmp_path)
    assert words in line and "INDSIM_LIMITS=" in line


def test_a_phase_in_that_would_end_after_the_calendar_is_refused(tmp_path):
    body = ("start: 8960-01-01\nchanges: []\n"  # within the calendar, and the intervention within the horizon
            "interventions: {late: {label: x, start: 8965-01-01, phase_in: {value: 1000, unit: months},"
            " scale: {streams.first_asylum.monthly_volume: 2}}}\n")
    assert "phase-in would end after the year 9000" in refusal(child(tmp_path, body), tmp_path)


def test_a_timeline_with_too_many_versions_to_validate_is_refused(tmp_path):
    body = "interventions:\n" + "".join(
        f"  i{k}: {{label: x, start: 2026-01-{k + 2:02d}, phase_in: {{value: 48, unit: months}},"
        f" scale: {{streams.first_asylum.monthly_volume: 1.01}}}}\n" for k in range(3))
    line = refusal(child(tmp_path, body), tmp_path)
    assert "dates within its horizon, more than 120 (limit versions=120" in line


def test_too_many_streams_are_refused_before_the_schema_validates_them(tmp_path):
    streams = "".join(f"  s{i}: {{}}\n" for i in range(101))
    assert "entries, more than 100 (limit streams=100" in refusal(child(tmp_path, "streams:\n" + streams),
                                                                      tmp_path)


def test_an_analyst_raises_a_limit_for_a_trusted_file(tmp_path, monkeypatch):
    path = tmp_path / "long.yaml"
    path.write_text(child(tmp_path, "horizon_years: 60\n"))
    with pytest.raises(ScenarioError, match="limit horizon_years=50"):
        load_scenario(path)
    monkeypatch.setenv("INDSIM_LIMITS", "horizon_years=60, cases=5e6")
    assert load_scenario(path).horizon_years == 60
    with using(Limits()), pytest.raises(ScenarioError, match="limit horizon_years=50"):
        load_scenario(path)  # the dashboard's uploads: always the defaults


@pytest.mark.parametrize("spec", ["horizon_years", "depth=-1", "speed=3", "cases=lots", "bytes=1e20",
                                  "bytes=0.5", "horizon_years=1e-9", "depth=nan", "cases=inf"])
def test_a_wrong_indsim_limits_gives_one_line(monkeypatch, spec):
    monkeypatch.setenv("INDSIM_LIMITS", spec)
    with pytest.raises(IndsimError, match="INDSIM_LIMITS"):
        Limits.from_env()


def test_validate_says_a_wrong_indsim_limits_once_not_once_per_file(tmp_path, monkeypatch):
    monkeypatch.setenv("INDSIM_LIMITS", "depth=-1")
    paths = [tmp_path / f"{name}.yaml" for name in "abc"]
    for path in paths:
        path.write_text(child(tmp_path, ""))
    result = CliRunner().invoke(app, ["validate", *map(str, paths)])
    assert result.exit_code == 2
    assert result.output.count("INDSIM_LIMITS: depth must be a positive number") == 1


def test_a_raised_size_limit_reads_a_small_file_as_it_is(tmp_path, monkeypatch):
    """The read asked for a buffer of the limit: 1e20 bytes overflowed with a traceback."""
    path = tmp_path / "ok.yaml"
    path.write_text(child(tmp_path, ""))
    monkeypatch.setenv("INDSIM_LIMITS", "bytes=1e15")
    assert load_scenario(path).title.text() == "Test"


def test_every_shipped_scenario_is_well_inside_the_limits():
    tight = Limits(depth=12, nodes=20_000, extends_depth=4, files=30, cases=1_000_000, steps=200, versions=40)
    with using(tight):
        for path in [*SCENARIOS.glob("*.yaml"), *(SCENARIOS / "verification").glob("*.yaml")]:
            load_scenario(path)


def test_a_huge_text_value_gives_a_short_line():
    with pytest.raises(ScenarioError) as err:
        scenario_from_text("title: x\nhorizon_years: '" + "9" * 100_000 + "'\n", "big.yaml")
    assert all(len(line) < 600 for line in err.value.lines())
