"""The loader against hostile input, fuzzed: Hypothesis mutates the shipped scenario files.

Each example takes one shipped file, changes its data (random keys, other types, extreme numbers,
deletions, deep nesting, shared values that YAML writes as aliases, alias bombs) and sometimes its
text (cut short, a character replaced), then loads it the way the command line and the dashboard
do. Every input must either load or raise the package's own :class:`ScenarioError`, whose lines
are single lines of readable length; anything else (a ``RecursionError``, a ``KeyError``, a hang
past the deadline) fails the test and Hypothesis shrinks it to a small example.

CI runs a fixed budget of examples (``INDSIM_FUZZ_EXAMPLES``, default 120, derandomized so a run
is repeatable). A longer run, e.g. 20,000 examples in about an hour on two cores:

    INDSIM_FUZZ_EXAMPLES=20000 INDSIM_FUZZ_SEED=random uv run pytest tests/scenario/test_fuzz.py -p no:randomly -q
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from simulator.errors import ScenarioError
from simulator.scenario import scenario_from_text
from simulator.scenario.yamlsource import parse_text

ROOT = Path(__file__).resolve().parents[2]
SCENARIOS = ROOT / "scenarios"
SHIPPED = sorted(SCENARIOS.glob("*.yaml")) + sorted((SCENARIOS / "verification").glob("*.yaml"))
EXAMPLES = int(os.environ.get("INDSIM_FUZZ_EXAMPLES", "120"))
RANDOM = os.environ.get("INDSIM_FUZZ_SEED") == "random"
MAX_LINE = 600  # characters: one clear line, not a dump of the input
KEYS = ["streams", "stages", "pools", "routes", "p", "to", "value", "monthly_volume", "extends", "start",
        "horizon_years", "phase_in", "set", "scale", "interventions", "initial_stock", "count", "spawn",
        "expected", "dist", "mean", "cv", "<<", "groups", "share", "legal_term", "fte", "zzz", "", "ä€"]

_RAW = {p: parse_text(p.read_text(), p.name)[0] for p in SHIPPED}

numbers = st.one_of(
    st.integers(-10, 10), st.integers(), st.integers(min_value=10**5, max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([0, 1, -1, 0.5, 1e9, 1e308, -1e-308]),
)
scalars = st.one_of(
    st.none(), st.booleans(), numbers, st.text(max_size=20), st.sampled_from(KEYS),
    st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31)),
    st.sampled_from(["baseline.yaml", "../baseline.yaml", "/dev/zero", "/etc/passwd", ".", "x" * 300,
                     "verification/single_stage.yaml", "2026-13-45", "!!python/object:os.system"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=8), inner, max_size=4)),
    max_leaves=12)


def _paths(root: Any) -> list[tuple]:
    """Every place in the data (the root included) that holds a value; a value shared in several
    places (or containing itself) is entered once."""
    out, seen, todo = [], set(), [((), root)]
    while todo:
        path, node = todo.pop()
        out.append(path)
        if not isinstance(node, dict | list) or id(node) in seen:
            continue
        seen.add(id(node))
        items = node.items() if isinstance(node, dict) else enumerate(node)
        todo += [((*path, k), v) for k, v in items]
    return out


def _get(node: Any, path: tuple) -> Any:
    for part in path:
        node = node[part]
    return node


def _set(root: Any, path: tuple, value: Any) -> Any:
    if not path:
        return value
    _get(root, path[:-1])[path[-1]] = value
    return root


def _bomb(levels: int, width: int) -> list:
    """Lists that repeat the list below them: YAML writes the repeats as aliases (&id / *id)."""
    node: list = ["lol"] * width
    for _ in range(levels):
        node = [node] * width
    return node


def _nest(value: Any, depth: int) -> Any:
    for i in range(depth):
        value = [value] if i % 2 else {"k": value}
    return value


@st.composite
def mutated(draw) -> tuple[str, str]:
    """(file name, YAML text): a shipped file with a few random changes."""
    import copy

    path = draw(st.sampled_from(SHIPPED))
    data: Any = copy.deepcopy(_RAW[path])
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["value", "delete", "key", "number", "nest", "share", "scale", "date"]))
        places = [p for p in _paths(data) if p]  # not the root: that only tests "not a mapping"
        if kind in ("number", "scale", "date"):  # aim at the numbers (or dates) themselves: deeper checks
            want = dt.date if kind == "date" else int | float
            places = [p for p in places if isinstance(_get(data, p), want)] or places
        if not places:
            break
        where = places[draw(st.integers(0, len(places) - 1))]
        here = _get(data, where)
        if kind == "date":
            data = _set(data, where, draw(st.dates(min_value=dt.date(1, 1, 1), max_value=dt.date(9999, 12, 31))))
        elif kind == "value":
            data = _set(data, where, draw(values))
        elif kind == "delete" and where:
            parent = _get(data, where[:-1])
            del parent[where[-1]]
        elif kind == "key" and isinstance(here, dict):
            here[draw(st.sampled_from(KEYS) | st.text(max_size=10))] = draw(values)
        elif kind == "number":
            data = _set(data, where, draw(numbers))
        elif kind == "nest":
            data = _set(data, where, _nest(here, draw(st.integers(1, 60))))
        elif kind == "share" and where:
            other = places[draw(st.integers(0, len(places) - 1))]
            if other and other[: len(where)] != where and where[: len(other)] != other:
                data = _set(data, other, here)  # the same object twice: an anchor and an alias
        elif kind == "scale" and isinstance(here, int | float) and not isinstance(here, bool):
            data = _set(data, where, here * draw(st.sampled_from([-1, 1e3, 1e6, 1e12])))
    if draw(st.integers(0, 7)) == 0:  # last: walking the data after it would expand the bomb
        places = _paths(data)
        where = places[draw(st.integers(0, len(places) - 1))]
        data = _set(data, where, _bomb(draw(st.integers(1, 9)), draw(st.integers(2, 10))))
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    edit = draw(st.sampled_from(["none", "none", "cut", "char"]))
    if edit == "cut" and text:
        text = text[: draw(st.integers(0, len(text) - 1))]
    elif edit == "char" and text:
        i = draw(st.integers(0, len(text) - 1))
        text = text[:i] + draw(st.sampled_from(["&a ", "*a", "[", "{", ":", "\t", "!!python/name:os.system ", "\0",
                                                "<<: ", "- ", "\n  "])) + text[i + 1:]
    return path.name, text


@settings(max_examples=EXAMPLES, deadline=dt.timedelta(seconds=10), derandomize=not RANDOM, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated())
def test_a_mutated_scenario_loads_or_gives_one_line_per_problem_in_time(case):
    name, text = case
    try:
        scenario_from_text(text, name, base_dir=SCENARIOS)
        event("loads")
    except ScenarioError as err:
        lines = err.lines()
        event("refused: " + lines[0].split(": ")[-1][:30] if lines else "refused")
        assert lines, "a ScenarioError without a line"
        for line in lines:
            assert line and "\n" not in line and len(line) <= MAX_LINE, line[:2000]
