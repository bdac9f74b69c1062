"""Many replications: seeds, common random numbers, parallel execution, comparison, sensitivity,
the number of replications for a precision, and the search for the capacity a target needs."""

from .cache import ResultCache
from .compare import Comparison, monthly_differences, paired_differences
from .figures import Figure, Target
from .posterior import ParameterUncertainty
from .precision import Precision, simulate_to_precision
from .requirements import requirements
from .runner import Results, Task, assemble, execute, inflow_factors, run_tasks, simulate, tasks_for
from .sensitivity import sensitivity
from .stats import bands, interval, paired, possible, summarize, uncertainty_split

__all__ = [
    "Comparison", "Figure", "ParameterUncertainty", "Precision", "ResultCache", "Results", "Target", "Task",
    "assemble", "bands", "execute", "inflow_factors", "interval", "monthly_differences", "paired",
    "paired_differences", "possible", "requirements", "run_tasks", "sensitivity", "simulate",
    "simulate_to_precision", "summarize", "tasks_for", "uncertainty_split",
]
