"""Exact queueing results for the engine's semantics, and the comparison with simulation.

The engine serves a fixed capacity per day. Single stage, Poisson(lam) arrivals a day, capacity
c cases a day (1 hour each): the backlog at the end of day n is X_n = max(X_{n-1} + A_n - c, 0)
(arrivals of a day can be served that day). Tandem: stage 1 releases D_n = min(X1_{n-1} + A_n, c1)
cases, counted in stage 2 the same evening and served from the next day:
X2_n = max(X2_{n-1} - c2, 0) + D_n. The stationary distributions of these Markov chains are
solved numerically; the tests and ``scripts/verification_table.py`` compare them with runs.
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy import stats
from scipy.sparse.linalg import spsolve

from ..model import run_replication
from ..scenario import from_data
from ..scenario.types import DAYS_PER_MONTH, DAYS_PER_YEAR

BURN_IN = 365


def stationary(P: sp.csr_matrix) -> np.ndarray:
    """Stationary distribution of a (sub)stochastic row matrix: solve pi (I - P) = 0, sum 1."""
    n = P.shape[0]
    A = (sp.identity(n, format="csr") - P).T.tolil()
    A[0, :] = 1.0
    b = np.zeros(n)
    b[0] = 1.0
    pi = spsolve(A.tocsc(), b)
    return np.clip(pi, 0, None) / np.clip(pi, 0, None).sum()


def poisson_pmf(lam: float, tol: float = 1e-15) -> np.ndarray:
    kmax = int(stats.poisson.isf(tol, lam)) + 1
    return stats.poisson.pmf(np.arange(kmax + 1), lam)


def lindley(lam: float, c: int, nmax: int) -> np.ndarray:
    """Stationary distribution of X' = max(X + A - c, 0), truncated at nmax."""
    a = poisson_pmf(lam)
    rows, cols, vals = [], [], []
    for x in range(nmax + 1):
        for k, p in enumerate(a):
            rows.append(x)
            cols.append(min(max(x + k - c, 0), nmax))
            vals.append(p)
    P = sp.csr_matrix((vals, (rows, cols)), shape=(nmax + 1, nmax + 1))
    return stationary(P)


def tandem(lam: float, c1: int, c2: int, n1: int, n2: int) -> np.ndarray:
    """Stationary joint distribution of (X1, X2) for the engine's tandem semantics."""
    a = poisson_pmf(lam)
    rows, cols, vals = [], [], []
    for x1 in range(n1 + 1):
        for x2 in range(n2 + 1):
            s = x1 * (n2 + 1) + x2
            for k, p in enumerate(a):
                d = min(x1 + k, c1)
                y1 = min(max(x1 + k - c1, 0), n1)
                y2 = min(max(x2 - c2, 0) + d, n2)
                rows.append(s)
                cols.append(y1 * (n2 + 1) + y2)
                vals.append(p)
    P = sp.csr_matrix((vals, (rows, cols)), shape=((n1 + 1) * (n2 + 1),) * 2)
    return stationary(P).reshape(n1 + 1, n2 + 1)


def network(lam: float, capacities: list[int], years: int, seed: int = 3) -> dict:
    """A chain of stages with Poisson arrivals and fixed daily capacity (7-day week, 1 h a case)."""
    stages, pools = {}, {}
    for i, c in enumerate(capacities):
        nxt = f"s{i + 1}" if i + 1 < len(capacities) else "exit"
        pools[f"p{i}"] = {"label": f"pool {i}", "fte": c, "hours_per_fte_year": DAYS_PER_YEAR}
        route = {"to": nxt, "p": 1, **({"outcome": "done"} if nxt == "exit" else {})}
        stages[f"s{i}"] = {"label": f"stage {i}", "pool": f"p{i}", "hours": 1, "routes": [route]}
    return {
        "name": "queue", "title": "queue", "start": "2026-01-01", "horizon_years": years, "seed": seed,
        "calendar": {"workdays": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]},
        "outcomes": {"done": "done"},
        "streams": {"cases": {"label": "cases", "monthly_volume": lam * DAYS_PER_MONTH, "entry": "s0",
                              "legal_term": 6, "groups": {"all": {"share": 1}}}},
        "pools": pools, "stages": stages,
    }


def replication_means(data: dict, reps: int) -> np.ndarray:
    """Per replication: mean end-of-day count per stage after the burn-in ([reps, stages])."""
    s = from_data(data, data["name"])
    out = []
    for r in range(reps):
        e = run_replication(s, replication=r, keep_cases=False, keep_records=True).records
        out.append(e.daily.stock[BURN_IN:, :, 0].mean(axis=0))
    return np.array(out)


def t_interval(values: np.ndarray, level: float = 0.99) -> tuple[float, float]:
    m, se = values.mean(), values.std(ddof=1) / np.sqrt(len(values))
    half = stats.t.ppf(0.5 + level / 2, len(values) - 1) * se
    return m - half, m + half




def single_stage_comparison(rho: float, c: int = 10, years: int = 12, reps: int = 8) -> dict:
    """Exact and simulated mean backlog and P(empty) for one utilisation."""
    lam = rho * c
    pi = lindley(lam, c, nmax=1500)
    s = from_data(network(lam, [c], years), "queue")
    means, empty = [], []
    for r in range(reps):
        e = run_replication(s, replication=r, keep_cases=False, keep_records=True).records
        x = e.daily.stock[BURN_IN:, 0, 0]
        means.append(x.mean())
        empty.append((x == 0).mean())
    return {"rho": rho, "exact_mean": float(np.arange(len(pi)) @ pi), "exact_empty": float(pi[0]),
            "means": np.array(means), "empty": np.array(empty)}


def tandem_comparison(lam: float, c1: int, c2: int, years: int = 10, reps: int = 8) -> dict:
    """Exact and simulated mean count at each stage of a two-stage tandem."""
    pi = tandem(lam, c1, c2, n1=90, n2=70)
    exact = np.array([np.arange(pi.shape[0]) @ pi.sum(axis=1), np.arange(pi.shape[1]) @ pi.sum(axis=0)])
    return {"lam": lam, "c1": c1, "c2": c2, "exact": exact,
            "means": replication_means(network(lam, [c1, c2], years), reps)}
