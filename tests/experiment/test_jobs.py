"""Computations for the shared dashboard run in their own process within budgets: over time or
memory they are killed with their workers, failures come back as one line, the page going away
stops them, and at most N run at once."""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import pytest

from simulator.errors import IndsimError
from simulator.experiment import jobs
from simulator.lifeline import die_with_parent

pytestmark = pytest.mark.timeout(300)


def _alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def sleeper(seconds: float, progress) -> None:
    """Report this process and a pool worker, then wait (both must be killed)."""
    with ProcessPoolExecutor(1, initializer=die_with_parent) as pool:
        worker = pool.submit(os.getpid).result()
        progress(os.getpid(), worker)
        time.sleep(seconds)


def glutton(mb: int, progress) -> int:
    block = bytearray(mb * 2**20)
    for i in range(0, len(block), 4096):
        block[i] = 1  # resident, not just reserved
    progress(os.getpid(), 0)
    time.sleep(60)
    return len(block)


def failing(kind: str, progress) -> None:
    if kind == "user":
        raise IndsimError("scenario x: something the user can fix")
    raise KeyError("an internal slip")


def pool_workers(progress) -> tuple[str, list[int], int]:
    """The job's default start method, the parent of each of the runner's pool workers, and
    the job's own process id."""
    import multiprocessing as mp
    from concurrent.futures import ProcessPoolExecutor

    from simulator.experiment.runner import _pool_context

    with ProcessPoolExecutor(2, mp_context=_pool_context()) as pool:
        parents = [f.result() for f in [pool.submit(os.getppid) for _ in range(4)]]
        return mp.get_start_method(), parents, os.getpid()


def answer(x: int, progress, y: int = 0) -> int:
    progress(1, 2)
    return x + y


def test_a_job_returns_its_result_and_reports_progress():
    seen = []
    assert jobs.run(answer, (40,), jobs.Budget(60, 2000), lambda *a: seen.append(a), kwargs={"y": 2}) == 42
    assert seen == [(1, 2)]


def niceness(progress) -> int:
    return os.nice(0)


def test_a_jobs_workers_are_forked_from_it_so_its_budget_covers_them():
    # in a job the default start method is the fork server's: the job would start a fork server
    # of its own (a fresh interpreter, without the warm kernels), 2.3 s before its workers began;
    # the runner forks its workers from the job itself instead
    method, parents, job = jobs.run(pool_workers, (), jobs.Budget(60, 2000))
    assert method == "forkserver"
    assert set(parents) == {job}


def test_a_job_runs_at_a_lower_cpu_priority_than_the_server():
    """Readers of a busy server come first: the computation's process yields the CPU to them."""
    assert jobs.run(niceness, (), jobs.Budget(seconds=60)) == min(19, os.nice(0) + jobs.NICENESS)


def test_a_job_over_its_time_budget_is_killed_with_its_workers():
    from multiprocessing import forkserver

    jobs._context()
    forkserver.ensure_running()  # as the server does at its start (jobs.prestart)
    pids = []
    started = time.monotonic()
    with pytest.raises(jobs.OverBudget) as err:  # 45 s: on a host loaded by other work, the job's start (importing
        # this module, starting its pool worker) took more than 15 s before it could report
        jobs.run(sleeper, (600,), jobs.Budget(seconds=45, memory_mb=4000), lambda a, b: pids.extend([a, b]))
    assert err.value.what == "time" and time.monotonic() - started < 120
    assert len(pids) == 2
    deadline = time.monotonic() + 20
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_alive(p) for p in pids)


def test_a_job_over_its_memory_budget_is_killed():
    with pytest.raises(jobs.OverBudget) as err:
        jobs.run(glutton, (400,), jobs.Budget(seconds=120, memory_mb=300))
    assert err.value.what == "memory" and "300 MB" in str(err.value)


def test_failures_come_back_as_one_line_and_internal_ones_go_to_the_log(caplog):
    with pytest.raises(IndsimError, match="something the user can fix"):
        jobs.run(failing, ("user",), jobs.Budget(60, 2000))
    with pytest.raises(jobs.JobFailed) as err:
        jobs.run(failing, ("bug",), jobs.Budget(60, 2000))
    assert "KeyError" not in str(err.value) and "server log" in str(err.value)
    assert any("KeyError: 'an internal slip'" in r.getMessage() for r in caplog.records)


def test_a_job_stops_when_its_page_goes_away():
    pids = []

    def gone(a, b):
        pids.extend([a, b])
        raise RuntimeError("the session ended")

    with pytest.raises(RuntimeError):
        jobs.run(sleeper, (600,), jobs.Budget(600, 4000), gone)
    deadline = time.monotonic() + 20
    while any(_alive(p) for p in pids) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert pids and not any(_alive(p) for p in pids)


def test_the_gate_lets_one_job_run_and_queues_the_next_in_order():
    gate = jobs.Gate(1)
    order, positions = [], []
    first_in = threading.Event()
    release = threading.Event()

    def first():
        with gate.turn():
            order.append("first")
            first_in.set()
            release.wait(10)

    def second():
        with gate.turn(lambda p: positions.append(p), poll=0.05):
            order.append("second")

    a = threading.Thread(target=first)
    a.start()
    first_in.wait(10)
    b = threading.Thread(target=second)
    b.start()
    time.sleep(0.5)
    assert order == ["first"] and positions and set(positions) == {1} and gate.waiting() == 1
    release.set()
    a.join(10)
    b.join(10)
    assert order == ["first", "second"] and gate.waiting() == 0
