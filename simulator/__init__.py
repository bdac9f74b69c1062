"""indsim: policy-impact scenario simulator for the caseload of the Dutch IND.

Notebook API::

    from simulator import load_scenario, simulate
    results = simulate(load_scenario("scenarios/baseline.yaml"), replications=10)
    results.metrics      # tidy monthly table
    results.yearly       # main figures per year and replication
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("indsim")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0+unknown"

from .experiment import Results, simulate, summarize
from .scenario import load_scenario

__all__ = ["Results", "__version__", "load_scenario", "simulate", "summarize"]
