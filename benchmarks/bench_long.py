"""Memory and time of a 20-year horizon with more than 2 million cases.

The baseline scenario is stretched to 20 years; if that simulates fewer than 2 million cases,
all outside inflow is scaled up (``--inflow-factor``, default chosen to pass 2 million) and the
the productivity of every pool with it, so the chain stays as loaded as in the baseline. The full
replication runs, per-case table included, and the script prints cases, seconds and the peak
resident memory of the process (target: under 2 GB).

    uv run python benchmarks/bench_long.py [--years 20] [--inflow-factor 1.8]
"""

from __future__ import annotations

import argparse
import time

from _common import BASELINE, peak_rss_mb

from simulator.model import run_replication
from simulator.scenario import load_scenario


def stretched(years: int, factor: float):
    """The baseline over ``years`` years with every pool's productivity times ``factor``."""
    s = load_scenario(BASELINE)
    pools = {name: p.model_copy(update={"productivity": p.productivity.model_copy(
        update={"value": p.productivity.value * factor})}) for name, p in s.pools.items()}
    return s.model_copy(update={"horizon_years": years, "pools": pools})


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--years", type=int, default=20)
    ap.add_argument("--inflow-factor", type=float, default=1.8)
    args = ap.parse_args()
    scenario = stretched(args.years, args.inflow_factor)
    t = time.perf_counter()
    rep = run_replication(scenario, 0, inflow_factor=args.inflow_factor)
    seconds = time.perf_counter() - t
    n = len(rep.cases)
    print(f"baseline over {args.years} years, inflow and productivity x {args.inflow_factor}")
    print(f"cases simulated: {n:,} ({'over' if n > 2_000_000 else 'UNDER'} 2 million)")
    print(f"wall time      : {seconds:.1f} s ({n / seconds:,.0f} cases/s, tables included)")
    peak = peak_rss_mb()
    print(f"peak memory    : {peak:,.0f} MB ({'under' if peak < 2048 else 'OVER'} the 2 GB target)")


if __name__ == "__main__":
    main()
