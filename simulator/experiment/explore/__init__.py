"""Exploratory modelling over deep uncertainty: sample futures and policies, run the model on
each, find the conditions under which a goal fails (scenario discovery), what matters most
(global sensitivity) and which policies hold up across futures (robustness).

``space`` and ``defaults``: what is varied; ``design``: the samples; ``run``: the experiments
through the project's runner, streamed to a journal; ``analysis``: PRIM, CART, Sobol, regret.
"""

from .analysis import discover, needs_from_others, phase_pairs, robustness, sensitivity
from .defaults import build_space
from .run import Exploration, explore

__all__ = ["Exploration", "build_space", "discover", "explore", "needs_from_others", "phase_pairs", "robustness",
           "sensitivity"]
