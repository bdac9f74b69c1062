"""The result cache as an attacker, a failing disk and a careless user meet it: it never runs code,
never serves a damaged or foreign file, stays within its size cap and never costs a finished run."""

from __future__ import annotations

import dataclasses
import os
import pickle
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from simulator.experiment import ResultCache, execute, tasks_for
from simulator.experiment.cache import TABLES, decode, encode
from simulator.scenario import load_scenario

ROOT = Path(__file__).resolve().parents[2]
SINGLE = ROOT / "tests" / "data" / "drain.yaml"  # one year, 3,650 cases: quick


@pytest.fixture(scope="module")
def single():
    return load_scenario(SINGLE)


@pytest.fixture(scope="module")
def fresh(single):
    """Two replications (the first with its per-case table), computed without a cache."""
    tasks = tasks_for([single], 2, single.seed, keep_cases="first")
    return tasks, execute(tasks, workers=1)


def _same(a, b) -> None:
    for name in TABLES:
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None) == (y is None), name
        if x is not None:
            pd.testing.assert_frame_equal(x, y, check_exact=True)
    assert (a.scenario, a.replication, a.seed, a.inflow_factor) == (b.scenario, b.replication, b.seed, b.inflow_factor)


def _stored(cache: ResultCache) -> list[Path]:
    return sorted(cache.root.glob("*.rep"))


class _Explode:
    """Unpickling this runs a shell command that leaves a marker file."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return os.system, (f"touch {self.marker}",)


def test_a_stored_replication_reads_back_bit_for_bit(fresh):
    _, reps = fresh
    for rep in reps:
        _same(decode(encode(rep, "k" * 32), "k" * 32), rep)


def test_a_planted_pickle_is_never_run(single, fresh, tmp_path):
    tasks, reps = fresh
    cache = ResultCache(tmp_path / "cache")
    cache.root.mkdir()
    marker = tmp_path / "pwned"
    payload = pickle.dumps(_Explode(marker))
    key = cache.key(tasks[0])
    (cache.root / f"{key}.pkl").write_bytes(payload)  # the old format's name
    (cache.root / f"{key}.{'0' * 32}.rep").write_bytes(payload)  # the new format's name, wrong checksum
    got = execute(tasks, workers=1, cache=cache)
    assert not marker.exists()
    _same(got[0], reps[0])
    assert not (cache.root / f"{key}.{'0' * 32}.rep").exists()  # the planted file is gone


def test_a_flipped_bit_or_a_truncated_file_is_recomputed_and_replaced(fresh, tmp_path):
    tasks, reps = fresh
    cache = ResultCache(tmp_path / "cache")
    execute(tasks, workers=1, cache=cache)
    first, second = _stored(cache)
    data = bytearray(first.read_bytes())
    data[len(data) // 2] ^= 0x01
    first.write_bytes(bytes(data))
    second.write_bytes(second.read_bytes()[: 1000])
    assert [cache.get(t) for t in tasks] == [None, None]  # neither is believed
    assert _stored(cache) == []  # and neither stays to fail the next run
    again = execute(tasks, workers=1, cache=cache)
    for a, b in zip(again, reps, strict=True):
        _same(a, b)
    assert len(_stored(cache)) == 2


@pytest.mark.timeout(60)  # a FIFO read without O_NONBLOCK waits forever
@pytest.mark.parametrize("plant", ["link to /dev/zero", "fifo"])
def test_a_link_to_dev_zero_or_a_fifo_under_an_entrys_name_is_refused_not_read(single, tmp_path, caplog, plant):
    (task,) = tasks_for([single], 1, single.seed, keep_cases="none")
    cache = ResultCache(tmp_path / "cache")
    cache.root.mkdir()
    entry = cache.root / f"{cache.key(task)}.{'0' * 32}.rep"
    if plant == "fifo":
        os.mkfifo(entry)
    else:
        entry.symlink_to("/dev/zero")
    assert cache.get(task) is None
    assert "not a regular file" in caplog.text  # refused before reading, not after filling memory
    assert not os.path.lexists(entry)  # removed like any damaged entry


def test_a_file_with_a_valid_checksum_under_another_key_is_refused(fresh, tmp_path):
    tasks, reps = fresh
    cache = ResultCache(tmp_path / "cache")
    execute(tasks[:1], workers=1, cache=cache)
    (only,) = _stored(cache)
    digest = only.name.split(".")[1]
    only.rename(cache.root / f"{cache.key(tasks[1])}.{digest}.rep")  # replication 0 posing as replication 1
    assert cache.get(tasks[1]) is None
    _same(execute(tasks[1:], workers=1, cache=cache)[0], reps[1])


def test_the_cache_keeps_to_its_cap_dropping_the_least_recently_used(fresh, tmp_path):
    tasks, reps = fresh
    probe = ResultCache(tmp_path / "probe")
    probe.put(tasks[1], reps[1])
    one = _stored(probe)[0].stat().st_size  # replication 1 has no per-case table: the smaller file
    cache = ResultCache(tmp_path / "cache", max_bytes=int(one * 1.5))
    cache.put(tasks[1], reps[1])
    os.utime(_stored(cache)[0], (1, 1))  # long unused
    cache.put(tasks[0], reps[0])  # larger than the cap on its own: stored, then evicted in turn
    assert cache.info().bytes <= cache.max_bytes
    small = ResultCache(tmp_path / "small", max_bytes=int(one * 2.5))
    small.put(tasks[1], reps[1])
    other = tasks_for([tasks[0].scenario], 3, tasks[0].seed, keep_cases="none")[2]
    small.put(other, reps[1])
    old = next(p for p in _stored(small) if p.name.startswith(small.key(tasks[1])))
    os.utime(old, (1, 1))
    assert small.get(tasks[1]) is not None  # used now: no longer the oldest
    third = tasks_for([tasks[0].scenario], 4, tasks[0].seed, keep_cases="none")[3]
    small.put(third, reps[1])
    names = {p.name.split(".")[0] for p in _stored(small)}
    assert small.key(tasks[1]) in names and small.key(other) not in names and len(names) == 2


def test_a_cache_that_cannot_be_written_costs_the_run_nothing(fresh, tmp_path, caplog):
    tasks, reps = fresh
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    cache = ResultCache(blocker / "cache")  # mkdir fails: Not a directory
    got = execute(tasks, workers=1, cache=cache)
    for a, b in zip(got, reps, strict=True):
        _same(a, b)
    warnings = [r.getMessage() for r in caplog.records if "cannot be written" in r.getMessage()]
    assert len(warnings) == 1  # once, not per replication


def test_a_full_disk_under_the_cache_gives_a_warning_and_the_run_finishes(tmp_path):
    """A real write failure: the process may write files of at most 2 kB (RLIMIT_FSIZE)."""
    script = textwrap.dedent(f"""
        import resource, signal
        from simulator.experiment import ResultCache, simulate
        from simulator.scenario import load_scenario
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))
        s = load_scenario({str(SINGLE)!r})
        r = simulate(s, replications=2, workers=1, keep_cases="first", cache=ResultCache({str(tmp_path / "c")!r}))
        print("rows", len(r.metrics))
    """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=600, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.startswith("rows ") and "cannot be written (File too large)" in done.stderr
    assert "Traceback" not in done.stderr
    assert not [p for p in (tmp_path / "c").iterdir() if p.name.endswith(".tmp")]


def test_cache_info_and_clear_on_the_command_line(fresh, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from simulator.cli import app

    tasks, reps = fresh
    monkeypatch.setenv("INDSIM_CACHE", str(tmp_path / "cache"))
    cache = ResultCache()
    for t, r in zip(tasks, reps, strict=True):
        cache.put(t, r)
    (cache.root / "old.pkl").write_bytes(b"old format")
    runner = CliRunner()
    info = runner.invoke(app, ["cache", "info"])
    assert info.exit_code == 0 and "replications: 2 files" in info.output and "2,048 MB" in info.output
    assert "1 temporary or old-format files" in info.output
    cleared = runner.invoke(app, ["cache", "clear"])
    assert cleared.exit_code == 0 and "3 files removed" in cleared.output
    assert list(cache.root.iterdir()) == []


def test_a_yearly_only_replication_has_the_same_yearly_table_and_a_key_of_its_own(single, fresh, tmp_path):
    """An exploration's tasks ask for the yearly table only: the same figures, no metrics, and
    never mistaken in the cache for a replication with all its tables (or the other way round)."""
    tasks, full = fresh
    only = dataclasses.replace(tasks[1], yearly_only=True)
    rep = execute([only], workers=1)[0]
    assert rep.metrics is None
    pd.testing.assert_frame_equal(rep.yearly, full[1].yearly)
    cache = ResultCache(tmp_path)
    assert cache.key(only) != cache.key(tasks[1])
    cache.put(only, rep)
    assert cache.get(tasks[1]) is None
    _same(cache.get(only), rep)
