"""Published figures as data, and the model's value for each of them.

``data/published.yaml`` holds every series of ``../shared/DOMAIN.md`` that the model can produce,
with its unit, source and how it maps to the model's tables. This module reads that file (safely,
with one-line errors naming file, line and field) and computes, per replication, the model's
value for any published observation. The calibration fits some of these observations and the
backtest shows all of them, so both read the mapping from here and nowhere else.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import Field, ValidationError, model_validator

from ..errors import Problem, ScenarioError
from ..model import FIGURES, METRICS
from ..scenario.types import LabelText, Strict
from ..scenario.yamlsource import Origins, dotted, parse_text, read_file

PUBLISHED = Path(__file__).resolve().parents[2] / "data" / "published.yaml"
# Monthly metrics that are stocks (read at a month end); the others are flows (summed).
STOCKS = frozenset({"stock", "backlog", "past_term", "reception", "fte", "trainees", "queue"})
FLOWS = frozenset({"inflow", "court_inflow", "decisions", "first_decisions", "exits", "notices",
                   "nontimely_appeals", "penalty_eur", "hours_available", "hours_used"})
_DIMS = ("stream", "stage", "pool", "outcome", "age_band")

Names = list[str] | None


def _listed(v):
    return [v] if isinstance(v, str) else v


class Term(Strict):
    """One model quantity: a yearly figure or a monthly metric with dimension filters."""

    figure: str | None = None
    metric: str | None = None
    category: Names = None
    stream: Names = None
    stage: Names = None
    pool: Names = None
    outcome: Names = None
    age_band: Names = None

    @model_validator(mode="before")
    @classmethod
    def _lists(cls, v):
        return {k: _listed(x) if k not in ("figure", "metric") else x for k, x in v.items()} \
            if isinstance(v, dict) else v

    @model_validator(mode="after")
    def _one(self) -> Term:
        if (self.figure is None) == (self.metric is None):
            raise ValueError("give either figure (a yearly figure) or metric (a monthly metric)")
        if self.figure is not None:
            if self.figure not in FIGURES:
                raise ValueError(f"unknown figure {self.figure!r}; known: {', '.join(FIGURES)}")
            if any(getattr(self, d) for d in _DIMS):
                raise ValueError("a yearly figure takes only category")
        elif self.metric not in STOCKS | FLOWS:
            known = sorted(m for m in METRICS if m in STOCKS | FLOWS)
            raise ValueError(f"metric {self.metric!r} cannot be summed or read at a date; known: {', '.join(known)}")
        return self


class Share(Strict):
    """A ratio of two sums of terms (e.g. grants among grants and rejections)."""

    of: Term | list[Term]
    in_: Term | list[Term] = Field(alias="in")


class ShareTerm(Strict):
    share: Share


class Observation(Strict):
    """One published figure for one year."""

    value: float
    source: str = Field(min_length=1)
    month: int | None = Field(default=None, ge=1, le=12)
    through_month: int | None = Field(default=None, ge=1, le=12)
    bound: Literal["lower", "upper"] | None = None
    comparable: bool = True
    reason: str | None = None
    sigma: float | None = Field(default=None, gt=0, le=1)
    role: Literal["observed", "input"] | None = None  # this year's, where it differs from the series'

    @model_validator(mode="after")
    def _check(self) -> Observation:
        if self.month is not None and self.through_month is not None:
            raise ValueError("give month or through_month, not both")
        if not self.comparable and not self.reason:
            raise ValueError("an observation that is not comparable needs a reason")
        return self


class Series(Strict):
    label: LabelText
    unit: LabelText
    model: Term | list[Term] | ShareTerm
    sigma: float = Field(gt=0, le=1)
    role: Literal["observed", "input"] = "observed"
    note: str | None = None
    values: dict[int, Observation] = Field(min_length=1)

    @model_validator(mode="after")
    def _months(self) -> Series:
        for term in self.terms():
            for year, obs in self.values.items():
                if term.figure and (obs.month or obs.through_month):
                    raise ValueError(f"{year}: a month needs a monthly metric, not the yearly figure {term.figure}")
                if term.metric in STOCKS and obs.through_month:
                    raise ValueError(f"{year}: through_month sums a flow; {term.metric} is a stock (use month)")
        return self

    def role_of(self, year: int) -> str:
        """``observed`` or ``input`` for one year: a series observed in general can hold a year
        that a number of the scenario was derived from (so that year tests nothing)."""
        own = self.values[year].role
        return self.role if own is None else own

    def terms(self) -> list[Term]:
        m = self.model
        if isinstance(m, ShareTerm):
            return [*_as_list(m.share.of), *_as_list(m.share.in_)]
        return _as_list(m)


def _as_list(t: Term | list[Term]) -> list[Term]:
    return t if isinstance(t, list) else [t]


class PublishedFile(Strict):
    series: dict[str, Series] = Field(min_length=1)


@dataclass(frozen=True)
class Published:
    """The published series, with the file they came from."""

    series: dict[str, Series]
    file: str

    def observations(self, start: dt.date, end: dt.date) -> list[tuple[str, int]]:
        """(series, year) pairs whose observation falls inside a run from ``start`` to ``end``."""
        return [(name, year) for name, s in self.series.items() for year, obs in s.values.items()
                if start <= observed_on(year, obs) <= end and year >= start.year]

    def get(self, series: str, year: int) -> Observation:
        return self.series[series].values[year]


def observed_on(year: int, obs: Observation) -> dt.date:
    """The last day an observation covers (a stock's date, a flow's last day)."""
    month = obs.month or obs.through_month or 12
    return (dt.date(year + (month == 12), month % 12 + 1, 1) - dt.timedelta(days=1))


def validation_problems(exc: ValidationError, origins: Origins, name: str) -> list[Problem]:
    """Pydantic's errors as one-line problems with the line each field was written on."""
    out = []
    for err in exc.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        line = next((origins[loc[:n]][1] for n in range(len(loc), -1, -1) if loc[:n] in origins), None)
        msg = "unknown field" if err["type"] == "extra_forbidden" else err["msg"].removeprefix("Value error, ")
        out.append(Problem(name, dotted(loc), msg, line))
    return out


def load_published(path: str | Path = PUBLISHED) -> Published:
    """Read and check the published series (one line per problem: file, line, field, reason)."""
    path = Path(path)
    name = str(path)
    data, origins = parse_text(read_file(path, name), name)
    try:
        parsed = PublishedFile.model_validate(data)
    except ValidationError as exc:
        raise ScenarioError(validation_problems(exc, origins, name)) from None
    return Published(parsed.series, name)


# ------------------------------------------------------------------ the model's values
def _select(metrics: pd.DataFrame, term: Term) -> pd.DataFrame:
    """Rows of one metric matching the term; for a dimension the term does not name, the total
    row ("" in that column) where the table has one, else all rows (summed later)."""
    sel = metrics[metrics.metric == term.metric]
    if term.category:
        sel = sel[sel.category.isin(term.category)]
    for d in _DIMS:
        if getattr(term, d):
            sel = sel[sel[d].isin(getattr(term, d))]
    for d in _DIMS:
        if not getattr(term, d) and (sel[d] == "").any():
            sel = sel[sel[d] == ""]
    return sel


def _term_values(term: Term, year: int, obs: Observation, yearly: pd.DataFrame,
                 metrics: pd.DataFrame) -> pd.Series:
    keys = ["scenario", "replication"]
    if term.figure:
        sel = yearly[(yearly.figure == term.figure) & (yearly.year == year)]
        if term.category:
            sel = sel[sel.category.isin(term.category)]
        return sel.groupby(keys).value.sum()
    sel = _select(metrics, term)
    dates = sel.date.dt
    if term.metric in STOCKS:
        sel = sel[(dates.year == year) & (dates.month == (obs.month or 12))]
    elif obs.month:
        sel = sel[(dates.year == year) & (dates.month == obs.month)]
    else:
        sel = sel[(dates.year == year) & (dates.month <= (obs.through_month or 12))]
    return sel.groupby(keys).value.sum()


def model_values(series: Series, year: int, yearly: pd.DataFrame, metrics: pd.DataFrame,
                 runs: pd.MultiIndex | None = None) -> pd.Series:
    """The model's value of one published observation, per (scenario, replication)."""
    obs = series.values[year]
    runs = runs if runs is not None else pd.MultiIndex.from_frame(
        yearly[["scenario", "replication"]].drop_duplicates())

    def total(terms: list[Term]) -> pd.Series:
        out = pd.Series(0.0, index=runs)
        for t in terms:
            out = out.add(_term_values(t, year, obs, yearly, metrics).reindex(runs, fill_value=0.0))
        return out

    if isinstance(series.model, ShareTerm):
        den = total(_as_list(series.model.share.in_))
        return total(_as_list(series.model.share.of)) / den.where(den > 0)
    return total(_as_list(series.model))
