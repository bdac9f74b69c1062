"""Heavy computations for a shared server: each in its own process, within a budget, a few at once.

The dashboard serves several people from one process. A computation run inside it would hold
its memory for good and could not be stopped; so every experiment the dashboard starts runs
through :func:`run`: in a child process (forked from a clean fork server that has the simulator
loaded), watched every fraction of a second, and killed together with its worker processes when
it passes its time or memory budget, when it dies, or when the page that asked for it goes away.
The child reports progress and hands back its result over a pipe (between our own processes;
nothing from outside is ever unpickled). :class:`Gate` lets at most N such computations run at
once in the server; the others wait their turn, and sessions that only read results never wait.
A computation runs at a lower CPU priority (:data:`NICENESS`) than the server, so that on a small
machine the sessions that only read keep their normal speed while it runs.
"""

from __future__ import annotations

import contextlib
import logging
import multiprocessing as mp
import os
import signal
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from multiprocessing import forkserver
from pathlib import Path
from typing import Any

from ..errors import IndsimError
from ..lifeline import die_with_parent

log = logging.getLogger(__name__)
NICENESS = 10  # added to a computation's niceness: the server's readers come first on a busy CPU
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


@dataclass(frozen=True)
class Budget:
    """What one computation may take: wall-clock seconds and resident memory of its processes."""

    seconds: float = 900.0
    memory_mb: float = 6000.0


class OverBudget(IndsimError):
    """A computation was stopped because it passed its budget (``what``: "time" or "memory")."""

    def __init__(self, what: str, limit: float):
        self.what, self.limit = what, limit
        unit = "s" if what == "time" else "MB"
        super().__init__(f"the computation was stopped: it passed its {what} budget of {limit:,.0f} {unit}")


class JobFailed(IndsimError):
    """The computation's process failed in a way the user did not cause (details in the log)."""


def tree(pid: int) -> list[int]:
    """``pid`` and all its descendants (Linux ``/proc``; just ``pid`` elsewhere)."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            ppid = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            parents.setdefault(ppid, []).append(int(stat.parent.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += parents.get(p, [])
    return out


def resident_mb(pids: list[int]) -> float:
    """Resident memory of these processes together, in MB."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError, IndexError, ValueError):
            total += int(Path(f"/proc/{pid}/statm").read_text().split()[1]) * _PAGE
    return total / 2**20


def _kill(pids: list[int]) -> None:
    for pid in pids:
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


def _child(fn: Callable, args: tuple, kwargs: dict, conn) -> None:
    """In the job process: run ``fn(*args, **kwargs, progress=...)`` and send back what became of it."""
    die_with_parent()
    with contextlib.suppress(OSError, AttributeError):  # AttributeError: no os.nice (Windows)
        os.nice(NICENESS)
    try:
        result = fn(*args, **kwargs, progress=lambda *a: conn.send(("progress", a)))
        conn.send(("done", result))
    except IndsimError as exc:
        conn.send(("error", exc.lines()[0] if exc.lines() else str(exc)))
    except BaseException as exc:  # reported to the operator's log by the server, never to the page
        conn.send(("crash", "".join(traceback.format_exception(exc))))
    finally:
        conn.close()


def _context():
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(["simulator.experiment", "simulator.experiment.preload"])
    return ctx


def prestart() -> None:
    """Start the fork server now, in the background, so that the first computation does not wait
    for it (about 2 s: a fresh interpreter that imports the simulator). For a server, at its start."""
    _context()
    threading.Thread(target=forkserver.ensure_running, name="indsim-forkserver", daemon=True).start()


def run(fn: Callable, args: tuple, budget: Budget, progress: Callable[..., None] | None = None,
        kwargs: dict | None = None, poll: float = 0.2) -> Any:
    """``fn(*args, **kwargs, progress=...)`` in a child process within ``budget``; its result, or
    one of the package's errors. ``fn`` must be importable (module level). ``progress`` receives
    what the child passes to its ``progress`` and may raise (the page went away) to stop the job."""
    ctx = _context()
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(fn, args, kwargs or {}, send), name="indsim-job")
    proc.start()
    send.close()
    started, outcome = time.monotonic(), None
    try:
        while outcome is None:
            if receive.poll(poll):
                try:
                    kind, payload = receive.recv()
                except EOFError:
                    break
                if kind == "progress":
                    if progress:
                        progress(*payload)
                    continue
                outcome = kind, payload
            elif not proc.is_alive():
                break
            if time.monotonic() - started > budget.seconds:
                raise OverBudget("time", budget.seconds)
            if resident_mb(tree(proc.pid)) > budget.memory_mb:
                raise OverBudget("memory", budget.memory_mb)
    finally:
        _kill(tree(proc.pid) if proc.pid else [])
        proc.join(10)
        receive.close()
    if outcome is None:
        log.error("computation process ended without a result (exit code %s)", proc.exitcode)
        raise JobFailed(f"the computation stopped unexpectedly (exit code {proc.exitcode})")
    kind, payload = outcome
    if kind == "error":
        raise IndsimError(payload)
    if kind == "crash":
        log.error("computation failed:\n%s", payload)
        raise JobFailed("the computation failed; the details are in the server log")
    return payload


class Gate:
    """At most ``n`` computations at once; the others wait in arrival order."""

    def __init__(self, n: int):
        self.n = max(1, n)
        self._lock = threading.Condition()
        self._running = 0
        self._queue: list[object] = []

    def waiting(self) -> int:
        return len(self._queue)

    @contextlib.contextmanager
    def turn(self, on_wait: Callable[[int], None] | None = None, poll: float = 0.5) -> Iterator[None]:
        """Hold one of the ``n`` places while in the block; ``on_wait(position)`` is called while
        waiting (it may raise to give up the place in the queue)."""
        me = object()
        with self._lock:
            self._queue.append(me)
        try:
            while True:
                with self._lock:
                    position = self._queue.index(me)
                    if position == 0 and self._running < self.n:
                        self._queue.pop(0)
                        self._running += 1
                        self._lock.notify_all()
                        break
                    self._lock.wait(poll)
                if on_wait:
                    on_wait(position + 1)
        except BaseException:
            with self._lock:
                if me in self._queue:
                    self._queue.remove(me)
                self._lock.notify_all()
            raise
        try:
            yield
        finally:
            with self._lock:
                self._running -= 1
                self._lock.notify_all()
