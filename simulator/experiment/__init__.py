"""Many replications: seeds, common random numbers, parallel execution, comparison."""

from .runner import Results, Task, execute, run_task, simulate, tasks_for
from .stats import bands, interval, summarize

__all__ = ["Results", "Task", "bands", "execute", "interval", "run_task", "simulate", "summarize",
           "tasks_for"]
