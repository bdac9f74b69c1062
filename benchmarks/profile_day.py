"""Where the time goes: the share of a batch's wall time spent in each phase of the simulated day
(the phases of ``simulator/model/cycle.py``), in building the engine, in handing replications out
and in each table.

Each phase handler is timed from outside (a subclass of the engine wraps them), so the engine
itself carries no timing code; simpy's own scheduling is what is left of ``run``.

    uv run python benchmarks/profile_day.py [--scenario scenarios/baseline.yaml] [--batch 10] [--runs 3]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections import defaultdict
from pathlib import Path

from _common import BASELINE

from simulator.model import compile_scenario, run_replications
from simulator.model.cycle import Phase
from simulator.model.engine import Engine, members
from simulator.model.results import cases_table, daily, metrics, yearly
from simulator.scenario import load_scenario


class TimedEngine(Engine):
    """The engine with a stopwatch around every phase handler."""

    def __init__(self, batch, clock: dict[str, float]):
        t = time.process_time()
        super().__init__(batch)
        self.clock = clock
        clock["set-up (arrival plan, stores)"] += time.process_time() - t

    def _phases(self):
        clock = self.clock

        def timed(phase: Phase, handler):
            def run(day: int) -> None:
                t = time.process_time()
                handler(day)
                clock[f"phase {phase.name.lower()}"] += time.process_time() - t
            return run

        return [(phase, timed(phase, handler)) for phase, handler in super()._phases()]


def one_batch(compiled, seed: int, n: int, first: int) -> tuple[dict[str, float], int]:
    """Seconds per part of one batch of ``n`` replications (engine and all four tables)."""
    clock: dict[str, float] = defaultdict(float)
    t0 = time.process_time()
    engine = TimedEngine(members(compiled, seed, list(range(first, first + n))), clock)
    t = time.process_time()
    engine.run()
    run_s = time.process_time() - t
    cases = engine.cases.n
    for i in range(n):
        t = time.process_time()
        run = engine.take(i)
        clock["hand-out (take)"] += time.process_time() - t
        for name, table in (("metrics", metrics), ("yearly", yearly), ("cases", cases_table), ("daily", daily)):
            t = time.process_time()
            table(run)
            clock[f"table {name}"] += time.process_time() - t
    engine.give_back()
    clock["initial stock, simpy (rest of run)"] = run_s - sum(v for k, v in clock.items() if k.startswith("phase"))
    clock["total"] = time.process_time() - t0
    return clock, cases


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--scenario", type=Path, default=BASELINE)
    ap.add_argument("--batch", type=int, default=10, help="replications side by side")
    ap.add_argument("--runs", type=int, default=3, help="timed batches (median of each part)")
    args = ap.parse_args()
    scenario = load_scenario(args.scenario)
    compiled = compile_scenario(scenario)
    run_replications(scenario, [99], compiled=compiled)  # warm-up: imports and first-use caches
    clocks, cases = [], 0
    for r in range(args.runs):
        clock, cases = one_batch(compiled, scenario.seed, args.batch, r * args.batch)
        clocks.append(clock)
    parts = sorted({k for c in clocks for k in c} - {"total"},
                   key=lambda k: (not k.startswith("set"), not k.startswith("phase"), k))
    phase_order = [f"phase {p.name.lower()}" for p in Phase]
    parts.sort(key=lambda k: phase_order.index(k) + 1 if k in phase_order else (0 if k.startswith("set") else 99))
    total = statistics.median(c["total"] for c in clocks)
    print(f"scenario: {args.scenario.name}, batch of {args.batch}, {cases:,} cases a batch, "
          f"{args.runs} runs, medians")
    print(f"{'part':34s} {'seconds':>8s} {'share':>7s}")
    for k in parts:
        sec = statistics.median(c.get(k, 0.0) for c in clocks)
        print(f"{k:34s} {sec:8.3f} {sec / total:7.1%}")
    print(f"{'total':34s} {total:8.3f} {1:7.1%}  ({total / args.batch:.3f} s per replication, "
          f"{cases / total:,.0f} cases/s)")


if __name__ == "__main__":
    main()
