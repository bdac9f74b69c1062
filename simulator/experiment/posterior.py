"""The posterior of a calibration: its summary table, the scenario fragment for ``extends``, the
samples file, and drawing from it per replication (``--parameter-uncertainty``).

Replication r of every scenario uses posterior sample k(r), chosen by a uniform from its own
``SeedSequence(seed, spawn_key=(r, key))`` child: common random numbers across scenarios hold,
and the draws inside a run are not disturbed. Parameters marked ``carry: false`` (a backtest's
own staffing or inflow) are applied only to the scenario that was calibrated.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .. import __version__
from ..errors import IndsimError
from ..scenario import Scenario, scenario_hash
from .abcsmc import Fitted, weighted_quantiles
from .calibration import Parameter, apply_values, fragment

_POSTERIOR_KEY = 0x9057
META_KEY = b"indsim.posterior"
MAX_BYTES = 50_000_000
MAX_SAMPLES = 100_000
MAX_METADATA = 1_000_000


def fitted_to(fit: list[tuple[str, int]]) -> str:
    """``backlog_asylum 2023, 2024; notices 2023``."""
    years: dict[str, list[int]] = {}
    for s, y in fit:
        years.setdefault(s, []).append(y)
    return "; ".join(f"{s} {', '.join(map(str, ys))}" for s, ys in years.items())


def _correlated(samples: pd.DataFrame, names: list[str], threshold: float = 0.5) -> dict[str, str]:
    w = samples.weight.to_numpy()
    x = samples[names].to_numpy(float)
    mean = np.average(x, axis=0, weights=w)
    cov = np.cov((x - mean).T, aweights=w) if len(x) > 1 else np.zeros((len(names), len(names)))
    sd = np.sqrt(np.clip(np.diag(np.atleast_2d(cov)), 0, None))
    with np.errstate(invalid="ignore", divide="ignore"):
        r = np.atleast_2d(cov) / np.outer(sd, sd)
    out = {}
    for i, a in enumerate(names):
        pairs = [(b, r[i, j]) for j, b in enumerate(names) if j != i and np.isfinite(r[i, j])
                 and abs(r[i, j]) >= threshold]
        out[a] = ", ".join(f"{b} ({c:+.2f})" for b, c in sorted(pairs, key=lambda p: -abs(p[1])))
    return out


def posterior_table(fitted: Fitted) -> pd.DataFrame:
    """Per parameter: prior and its 90% range, posterior median and 90% interval, how much of the
    prior's width is left, parameters it is strongly correlated with, and the fitted series."""
    setup, samples = fitted.setup, fitted.samples
    names = list(setup.parameters)
    corr = _correlated(samples, names)
    rows = []
    for name, p in setup.parameters.items():
        prior = p.prior.scipy()
        p_lo, p_hi = float(prior.ppf(0.05)), float(prior.ppf(0.95))
        lo, med, hi = weighted_quantiles(samples[name].to_numpy(), samples.weight.to_numpy(), [0.05, 0.5, 0.95])
        rows.append({
            "parameter": name, "label": p.label.text("en"), "unit": p.unit,
            "effect": f"{p.kind}: {', '.join(p.targets())}", "prior": p.prior.text(),
            "prior_low": p_lo, "prior_high": p_hi, "median": float(med), "low": float(lo), "high": float(hi),
            "width_ratio": (hi - lo) / (p_hi - p_lo), "correlated_with": corr[name],
            "fitted_to": fitted_to(setup.fit), "carry": p.carry, "why": p.why,
        })
    return pd.DataFrame(rows)


def sources(fitted: Fitted, table: pd.DataFrame) -> dict[str, str]:
    """The source string of each calibrated value: calibrated, from what, with its interval."""
    out = {}
    for r in table.itertuples():
        out[r.parameter] = (f"calibrated (ABC-SMC, {fitted.setup.file}) to {r.fitted_to}: posterior median "
                            f"{r.median:.4g}, 90% interval {r.low:.4g}-{r.high:.4g} (prior {r.prior})")
    return out


def posterior_fragment(fitted: Fitted, table: pd.DataFrame) -> dict:
    """The scenario fragment with every parameter at its posterior median, each value sourced."""
    s = fitted.setup.scenario
    medians = dict(zip(table.parameter, table["median"], strict=True))
    return fragment(s.model_dump(mode="json"), s.start, fitted.setup.parameters, medians,
                    sources(fitted, table))


def samples_metadata(fitted: Fitted) -> dict:
    """What a samples file must carry to be applied to scenarios on its own."""
    setup = fitted.setup
    return {"kind": "indsim posterior", "version": __version__, "spec": setup.file,
            "scenario": setup.scenario.name, "scenario_hash": scenario_hash(setup.scenario),
            "fit": [list(k) for k in setup.fit],
            "parameters": {n: p.model_dump(mode="json") for n, p in setup.parameters.items()}}


@dataclass
class ParameterUncertainty:
    """Posterior samples with their weights, and how each parameter moves a scenario."""

    samples: pd.DataFrame
    parameters: dict[str, Parameter]
    scenario: str
    file: str
    meta: dict = field(default_factory=dict)
    _cache: dict = field(default_factory=dict, repr=False)

    @classmethod
    def load(cls, path: str | Path) -> ParameterUncertainty:
        """Read a posterior samples file (``posterior.parquet`` of ``indsim calibrate``), bounded."""
        import pyarrow.parquet as pq

        path = Path(path)
        name = str(path)
        try:
            size = path.stat().st_size
        except OSError as exc:
            raise IndsimError(f"{name}: cannot read the posterior: {exc.strerror or exc}") from None
        if size > MAX_BYTES:
            raise IndsimError(f"{name}: posterior file too large ({size:,} bytes)")
        try:
            meta_raw = (pq.read_schema(path).metadata or {}).get(META_KEY)
            if meta_raw is None:
                raise IndsimError(f"{name}: not a posterior of indsim calibrate (no {META_KEY.decode()} metadata)")
            if len(meta_raw) > MAX_METADATA:
                raise IndsimError(f"{name}: posterior metadata too large")
            meta = json.loads(meta_raw)
            if pq.read_metadata(path).num_rows > MAX_SAMPLES:
                raise IndsimError(f"{name}: more than {MAX_SAMPLES:,} posterior samples")
            frame = pq.read_table(path).to_pandas()
        except IndsimError:
            raise
        except Exception as exc:  # pyarrow raises many types for a damaged file
            raise IndsimError(f"{name}: not a readable posterior file ({type(exc).__name__})") from None
        try:
            params = {k: Parameter.model_validate(v) for k, v in meta["parameters"].items()}
            scenario = str(meta["scenario"])
        except Exception as exc:
            raise IndsimError(f"{name}: posterior metadata: {str(exc).splitlines()[0]}") from None
        missing = [c for c in [*params, "weight"] if c not in frame.columns]
        if missing:
            raise IndsimError(f"{name}: column {missing[0]!r} missing")
        values = frame[[*params, "weight"]].astype(float)
        if values.empty or not np.isfinite(values.to_numpy()).all() or (values.weight < 0).any() \
                or values.weight.sum() <= 0:
            raise IndsimError(f"{name}: samples must be finite with non-negative weights that sum above 0")
        return cls(values.reset_index(drop=True), params, scenario, name, meta)

    def index(self, seed: int, replication: int) -> int:
        """The posterior sample replication ``replication`` uses (same in every scenario)."""
        state = np.random.SeedSequence(seed, spawn_key=(replication, _POSTERIOR_KEY)).generate_state(1, np.uint64)[0]
        u = (float(state >> np.uint64(11)) + 0.5) / 2**53
        cum = np.cumsum(self.samples.weight.to_numpy())
        return int(min(np.searchsorted(cum / cum[-1], u, side="right"), len(cum) - 1))

    def applies(self, scenario: Scenario) -> dict[str, Parameter]:
        """All parameters for the calibrated scenario; only the carried ones for any other."""
        if scenario.name == self.scenario:
            return self.parameters
        return {k: p for k, p in self.parameters.items() if p.carry}

    def variant(self, scenario: Scenario, seed: int, replication: int) -> tuple[Scenario, int]:
        """The scenario with replication ``replication``'s posterior sample, and that sample's row."""
        k = self.index(seed, replication)
        key = (id(scenario), k)
        if key not in self._cache:
            params = self.applies(scenario)
            if not params:
                self._cache[key] = scenario
            else:
                row = self.samples.iloc[k]
                src = {n: f"posterior sample {k} of {self.file}" for n in params}
                self._cache[key] = apply_values(scenario, params, {n: float(row[n]) for n in params}, src)
        return self._cache[key], k

    def describe(self) -> dict:
        return {"file": self.file, "scenario": self.scenario, "samples": len(self.samples),
                "parameters": list(self.parameters), "carried": [k for k, p in self.parameters.items() if p.carry]}
