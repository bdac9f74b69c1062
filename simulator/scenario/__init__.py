"""The scenario language analysts write: schema, YAML loading with ``extends``, validation."""

from .loader import from_data, load_scenario, scenario_from_text, scenario_hash, versions
from .schema import Scenario

__all__ = ["Scenario", "from_data", "load_scenario", "scenario_from_text", "scenario_hash", "versions"]
