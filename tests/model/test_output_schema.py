"""The schema of the output tables is pinned: a change to it must be deliberate (update here)."""

from __future__ import annotations

from simulator.model import FIGURES, METRIC_COLUMNS, METRICS, YEARLY_COLUMNS

METRIC_SCHEMA = {
    "scenario": "str", "replication": "int64", "date": "datetime64[s]", "metric": "str", "category": "str",
    "stream": "str", "stage": "str", "pool": "str", "outcome": "str", "age_band": "str", "value": "float64",
}
CASE_SCHEMA = {
    "scenario": "str", "replication": "int32", "case_id": "int64", "stream": "category", "group": "category",
    "parent_id": "int64", "lodged": "datetime64[s]", "deadline": "datetime64[s]",
    "first_decision": "datetime64[s]", "first_outcome": "category", "within_term": "boolean",
    "exit": "datetime64[s]", "final_outcome": "category", "stage_at_end": "category", "decisions": "int32",
    "decided_before_start": "bool", "nontimely_appeal": "bool", "notice": "bool", "penalty_eur": "float64",
}
YEARLY_SCHEMA = {"scenario": "str", "replication": "int64", "year": "int64", "figure": "str", "category": "str",
                 "value": "float64"}
METRIC_NAMES = {
    "stock", "backlog", "past_term", "reception", "inflow", "court_inflow", "decisions", "first_decisions",
    "lead_time_mean", "lead_time_p50", "lead_time_p90", "within_term_share", "exits", "notices",
    "nontimely_appeals", "penalty_eur", "fte", "trainees", "hours_available", "hours_used", "utilisation", "queue",
    "reception_places", "reception_short", "reception_cost_eur",
}
FIGURE_NAMES = {"backlog_end", "past_term_end", "reception_end", "inflow", "first_decisions", "lead_time_p50",
                "lead_time_p90", "within_term_share", "court_inflow", "notices", "penalty_eur", "reception_places_end",
                "reception_short_end", "reception_cost_eur", "utilisation", "fte_end", "queue_end"}


def _dtypes(frame) -> dict[str, str]:
    return {c: ("str" if str(t) in ("object", "str", "string") else str(t)) for c, t in frame.dtypes.items()}


def test_metrics_table_schema(baseline_run):
    assert list(baseline_run.metrics.columns) == METRIC_COLUMNS
    assert _dtypes(baseline_run.metrics) == METRIC_SCHEMA
    assert set(baseline_run.metrics.metric.unique()) == METRIC_NAMES == set(METRICS)


def test_cases_table_schema(baseline_run):
    assert _dtypes(baseline_run.cases) == CASE_SCHEMA


def test_yearly_table_schema(baseline_run):
    assert list(baseline_run.yearly.columns) == YEARLY_COLUMNS
    assert _dtypes(baseline_run.yearly) == YEARLY_SCHEMA
    assert set(baseline_run.yearly.figure.unique()) == FIGURE_NAMES == set(FIGURES)
