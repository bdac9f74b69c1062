"""Fitting a calibration specification by approximate Bayesian computation (pyabc's ABC-SMC).

Each candidate parameter set runs one replication of the scenario, cut off after the last fitted
year, and is scored by the root mean square of its misfits to the fitted observations, each in
units of that observation's stated uncertainty (``sigma`` in ``data/published.yaml``; a bound
counts only when the model is on the wrong side of it). ABC-SMC lowers the acceptance threshold
generation by generation until it reaches ``budget.min_epsilon`` (1: the model lies, on average,
within the published figures' own uncertainty), the budget is spent, or the generations run out.

Same seed, same posterior, with any number of worker processes: candidate i of sampling round k
draws its parameters and its model randomness from ``SeedSequence(seed, spawn_key=(k, i))``, and
a round keeps the first candidates in index order, whichever worker finished first.
"""

from __future__ import annotations

import datetime as dt
import logging
import multiprocessing
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ..model import run_replications
from ..scenario import from_data
from .calibration import Setup, apply_values
from .published import model_values
from .variants import truncated

_JOB: tuple | None = None  # (simulate_one, seed, round) inherited by forked workers
_KEY: tuple[int, int] = (0, 0)  # the candidate being simulated: (round, index)


def _candidate(i: int):
    global _KEY
    simulate_one, seed, rnd = _JOB
    _KEY = (rnd, i)
    state = np.random.SeedSequence(seed, spawn_key=(rnd, i)).generate_state(4)
    np.random.seed(state)
    return i, simulate_one()


def model_replication() -> int:
    """The replication number of the candidate being simulated (a function of seed and key)."""
    seed = _JOB[1] if _JOB else 0
    return int(np.random.SeedSequence(seed, spawn_key=(*_KEY, 1)).generate_state(1)[0] & 0x7FFFFFFF)


def seeded_sampler(seed: int, workers: int = 1):
    """A pyabc sampler whose result depends on the seed only (see the module docstring)."""
    from pyabc.sampler import Sampler

    class SeededSampler(Sampler):
        def __init__(self):
            super().__init__()
            self.rounds = 0
            self.simulations = 0

        def sample_until_n_accepted(self, n, simulate_one, t, *, max_eval=np.inf, all_accepted=False,
                                    ana_vars=None):
            global _JOB
            _JOB = (simulate_one, seed, self.rounds)
            self.rounds += 1
            sample, kept, accepted, start = self._create_empty_sample(), 0, 0, 0
            step = max(1, workers) * 4
            pool = multiprocessing.get_context("fork").Pool(workers) if workers > 1 else None
            try:
                while accepted < n and start < max_eval:
                    batch = range(start, int(min(start + step, max_eval)))
                    out = pool.map(_candidate, batch) if pool else [_candidate(i) for i in batch]
                    self.simulations += len(out)
                    for _, particle in sorted(out, key=lambda x: x[0]):
                        if accepted >= n:
                            break
                        sample.append(particle)
                        kept += 1
                        accepted += bool(particle.accepted)
                    start += len(batch)
            finally:
                if pool:
                    pool.terminate()
            self.nr_evaluations_ = kept
            if sample.n_accepted < n:
                sample.ok = False
            return sample

    return SeededSampler()


@dataclass
class Fitted:
    """What a calibration produced: the weighted posterior sample and how the fit went."""

    setup: Setup
    samples: pd.DataFrame      # one row per particle: a column per parameter, and weight
    generations: pd.DataFrame  # t, epsilon, simulations, accepted, ess, posterior (the generation used)
    predictive: pd.DataFrame   # fitted observations: published vs the posterior's simulations
    simulations: int
    seconds: float
    workers: int
    stopped: str

    @property
    def generation(self) -> pd.Series:
        """The row of :attr:`generations` the posterior comes from."""
        return self.generations[self.generations.posterior].iloc[-1]


def residuals(stats: dict[str, float], setup: Setup) -> np.ndarray:
    """Misfit of each fitted observation in units of its published uncertainty."""
    out = []
    for series, year in setup.fit:
        s = setup.published.series[series]
        obs = s.values[year]
        sigma = (obs.sigma or s.sigma) * abs(obs.value)
        r = (stats[f"{series}/{year}"] - obs.value) / sigma
        if obs.bound == "lower":
            r = min(r, 0.0)
        elif obs.bound == "upper":
            r = max(r, 0.0)
        out.append(r)
    return np.asarray(out)


def distance(setup: Setup) -> Callable[[dict, dict], float]:
    def d(x: dict, _x0: dict) -> float:
        r = residuals(x, setup)
        return float(np.sqrt(np.mean(r * r))) if np.all(np.isfinite(r)) else float("inf")
    return d


def simulator(setup: Setup) -> Callable[[dict], dict]:
    """The model as ABC sees it: parameter values -> the fitted observations, one replication."""
    last = max(y for _, y in setup.fit)
    base = from_data(truncated(setup.scenario.model_dump(mode="json"), last), setup.scenario.name)
    base_data = base.model_dump(mode="json")

    def simulate(theta: dict) -> dict:
        values = {k: float(theta[k]) for k in setup.parameters}
        s = apply_values(base, setup.parameters, values, data=base_data)
        rep = run_replications(s, [model_replication()], setup.spec.seed)[0]
        return {f"{series}/{year}": float(model_values(setup.published.series[series], year, rep.yearly,
                                                        rep.metrics).iloc[0])
                for series, year in setup.fit}

    return simulate


def fit(setup: Setup, workers: int = 1, verbose: bool = True) -> Fitted:
    """Run ABC-SMC within the specification's budget; the posterior is its last generation with
    a healthy effective sample (:func:`read_history`)."""
    import pyabc

    logging.getLogger("ABC").setLevel(logging.INFO if verbose else logging.WARNING)
    logging.getLogger("ABC").propagate = False  # pyabc prints through its own handler
    for name in ("ABC.History", "ABC.Sampler", "ABC.Epsilon", "ABC.Distance"):
        logging.getLogger(name).setLevel(logging.WARNING)
    budget = setup.spec.budget
    prior = pyabc.Distribution(**{
        name: pyabc.RV(*(("uniform", p.prior.low, p.prior.high - p.prior.low) if p.prior.dist == "uniform" else
                         ("triang", (p.prior.mode - p.prior.low) / (p.prior.high - p.prior.low), p.prior.low,
                          p.prior.high - p.prior.low)))
        for name, p in setup.parameters.items()})
    sampler = seeded_sampler(setup.spec.seed, workers)
    model = simulator(setup)
    model({k: float(p.prior.scipy().median()) for k, p in setup.parameters.items()})  # compile before forking
    np.random.seed(np.random.SeedSequence(setup.spec.seed).generate_state(4))
    kernel = pyabc.LocalTransition() if budget.kernel == "local" else pyabc.MultivariateNormalTransition()
    abc = pyabc.ABCSMC(model, prior, distance(setup), population_size=budget.population,
                       sampler=sampler, transitions=kernel)
    observed = {f"{s}/{y}": setup.published.get(s, y).value for s, y in setup.fit}
    folder = Path(tempfile.mkdtemp(prefix="indsim-abc-"))
    started = time.perf_counter()
    try:
        abc.new(f"sqlite:///{folder / 'history.db'}", observed)
        history = abc.run(minimum_epsilon=budget.min_epsilon, max_nr_populations=budget.generations,
                          max_total_nr_simulations=budget.simulations,
                          max_walltime=None if budget.minutes is None else dt.timedelta(minutes=budget.minutes))
        return read_history(history, setup, sampler.simulations, time.perf_counter() - started, workers)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def read_history(history, setup: Setup, simulations: int, seconds: float, workers: int) -> Fitted:
    """The fit a pyabc history holds: the posterior from its last generation with a healthy
    effective sample (``budget.min_ess``), every generation's threshold and effective sample."""
    budget = setup.spec.budget
    pops = history.get_all_populations()
    pops = pops[pops.t >= 0]
    ess = [effective_size(history.get_distribution(m=0, t=int(t))[1]) for t in pops.t]
    generations = pd.DataFrame({"t": pops.t.astype(int), "epsilon": pops.epsilon.astype(float),
                                "simulations": pops.samples.astype(int),
                                "accepted": pops.particles.astype(int), "ess": ess})
    healthy = generations[generations.ess >= budget.min_ess * generations.accepted]
    used = int(healthy.t.max()) if len(healthy) else int(generations.t.max())
    generations["posterior"] = generations.t == used
    frame, weights = history.get_distribution(m=0, t=used)
    samples = frame.reset_index(drop=True)[list(setup.parameters)].astype(float)
    samples["weight"] = np.asarray(weights, dtype=float) / np.sum(weights)
    w, sumstats = history.get_weighted_sum_stats(t=used)
    predictive = _predictive(setup, np.asarray(w, dtype=float), sumstats)
    last_eps = float(generations.epsilon.iloc[-1])
    stopped = ("reached min_epsilon" if last_eps <= budget.min_epsilon else
               "generations" if len(generations) >= budget.generations else "budget (simulations or minutes)")
    if used != int(generations.t.max()):
        stopped += f"; posterior from generation {used} (the weights of later ones collapsed)"
    return Fitted(setup, samples, generations, predictive, simulations, seconds, workers, stopped)


def effective_size(weights) -> float:
    """Kish's effective sample size of weighted particles (how many equal-weight ones they are worth)."""
    w = np.asarray(weights, float)
    return float(w.sum() ** 2 / np.sum(w * w)) if w.sum() > 0 else 0.0


def weighted_quantiles(values: np.ndarray, weights: np.ndarray, qs) -> np.ndarray:
    """Quantiles of a weighted sample (the weights' cumulative mid-points, interpolated)."""
    keep = np.asarray(weights, float) > 0
    values, weights = np.asarray(values, float)[keep], np.asarray(weights, float)[keep]
    order = np.argsort(values)
    v, w = values[order], weights[order]
    cum = (np.cumsum(w) - 0.5 * w) / w.sum()
    return np.interp(qs, cum, v)


def _predictive(setup: Setup, weights: np.ndarray, sumstats: list[dict]) -> pd.DataFrame:
    rows = []
    for series, year in setup.fit:
        obs = setup.published.get(series, year)
        v = np.array([s[f"{series}/{year}"] for s in sumstats], dtype=float)
        lo, med, hi = weighted_quantiles(v, weights, [0.05, 0.5, 0.95])
        rows.append((series, year, obs.value, float(np.average(v, weights=weights)), med, lo, hi,
                     (float(np.average(v, weights=weights)) - obs.value) / obs.value, obs.source))
    return pd.DataFrame(rows, columns=["series", "year", "published", "model_mean", "model_median", "low", "high",
                                       "error", "source"])
