"""The experimental design: futures sampled over the uncertainties, crossed with candidate policies.

``lhs``: a Latin hypercube of the futures (SALib), the workhorse of scenario discovery.
``sobol``: Saltelli's cross-sampling of a scrambled Sobol sequence (SALib), N x (G + 2) futures
for G groups, from which first-order and total Sobol indices follow (:mod:`.sensitivity`);
scenario discovery uses only each block's two base points, which are independent
(:func:`.analysis.independent`), so discover on a Latin hypercube and measure on a Sobol design.

Every policy meets the same futures (and every experiment uses the same seed: common random
numbers), so policies are compared future by future (regret, satisficing).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from ...errors import IndsimError
from .space import Space

SAMPLERS = ("lhs", "sobol")


@dataclass
class Design:
    """The unit-cube points of the futures and how many base samples a Sobol design has."""

    sampler: str
    units: np.ndarray  # futures x dimensions, in [0, 1)
    base: int  # Saltelli's N (sobol) or the number of futures (lhs)
    groups: list[str]

    @property
    def futures(self) -> int:
        return len(self.units)


def problem(space: Space) -> dict:
    """The SALib problem over the unit cube, grouped as the space says."""
    dims = space.dims
    groups = space.groups()
    prob = {"num_vars": len(dims), "names": [d.name for d in dims], "bounds": [[0.0, 1.0]] * len(dims)}
    if len(set(groups)) < len(groups):
        prob["groups"] = groups
    return prob


def make_design(space: Space, experiments: int, sampler: str, seed: int) -> Design:
    """Futures for about ``experiments`` experiments (futures x policies), reproducibly from ``seed``."""
    if sampler not in SAMPLERS:
        raise IndsimError(f"--sampler: must be lhs or sobol, got {sampler!r}")
    dims = space.dims
    if not dims:
        raise IndsimError("the exploration has no uncertainties")
    per_policy = max(1, experiments // max(1, len(space.policies)))
    prob = problem(space)
    groups = space.groups()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # SALib's note that N is best a power of 2
        if sampler == "lhs":
            from SALib.sample import latin

            units = latin.sample(prob, per_policy, seed=seed % 2**32)
            base = len(units)
        else:
            from SALib.sample import sobol

            k = len(set(groups))
            base = max(2, per_policy // (k + 2))
            units = sobol.sample(prob, base, calc_second_order=False, scramble=True, seed=seed % 2**32)
    return Design(sampler, np.clip(np.asarray(units, float), 0.0, 1.0 - 1e-12), base, groups)
