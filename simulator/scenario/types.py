"""Value types of the scenario language: sourced numbers, distributions, durations, labels.

Every number an analyst writes may be a plain number (``fte: 420``) or carry its provenance
(``fte: {value: 420, source: "IND jaarcijfers 2025", unit: FTE, confidence: medium}``); the model
only ever sees ``.value``, the assumption log sees the rest.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictFloat, model_validator


def about(description: str, unit: str, example: Any, **field: Any) -> Any:
    """A schema field with its description, unit and an example: what ``indsim schema`` gives
    editors as hover help and ``indsim schema --markdown`` prints as the parameter reference."""
    extra = {"unit": unit}
    return Field(description=f"{description} Unit: {unit}.", examples=[example], json_schema_extra=extra, **field)


# The calendar constants of the whole package (model time is in days; a year is a Julian year).
DAYS_PER_YEAR = 365.25
DAYS_PER_MONTH = DAYS_PER_YEAR / 12
DAYS_PER_UNIT = {"days": 1.0, "weeks": 7.0, "months": DAYS_PER_MONTH, "years": DAYS_PER_YEAR}
Confidence = Literal["high", "medium", "low"]


class Strict(BaseModel):
    """Base for every scenario model: unknown keys are errors, values are not coerced silently
    (numbers are ``Real``: ``true``, ``"3"`` or ``.inf`` is refused, not read as 1, 3 or without end)."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class Label(Strict):
    """A text shown to users, Dutch first."""

    nl: str = about("Dutch text.", "text", "Eerste asielaanvragen")
    en: str | None = about("English text (the Dutch is shown when missing).", "text", "First asylum applications",
                           default=None)

    def text(self, lang: str = "nl") -> str:
        return self.en if lang == "en" and self.en else self.nl


def _label(v: Any) -> Any:
    return {"nl": v} if isinstance(v, str) else v


LabelText = Annotated[Label, BeforeValidator(_label, json_schema_input_type=str | Label)]


LARGEST = 1e15  # no number of a scenario is larger in size (a year's inflow is about 1e5)


def _bounded(x: float) -> float:
    if abs(x) > LARGEST:
        raise ValueError(f"must be at most {LARGEST:.0e} in size, got {x:g}")
    return x


# A number of a scenario file: finite, within LARGEST, and a number (``true`` or ``"3"`` is refused)
Real = Annotated[StrictFloat, Field(allow_inf_nan=False), AfterValidator(_bounded)]


class Provenance(Strict):
    """Where a number comes from: the fields the assumption log prints."""

    source: str | None = about("Where the number comes from ([S] published, [D] derived, [E] estimate), or "
                               "'assumption'.", "text", "[S] 24,070 first applications in 2025 (upday 3 Feb 2026)",
                               default=None)
    unit: str | None = about("The number's unit, for readers (durations: days, weeks, months, years or hours).",
                             "text", "applications/month", default=None)
    confidence: Confidence | None = about("Confidence in the number: high, medium or low.", "choice", "medium",
                                          default=None)
    range: tuple[Real, Real] | None = about("Plausible low and high values (for sensitivity analysis).",
                                              "as the value", [1600, 3000], default=None)
    note: str | None = about("Free text for readers.", "text", "calibrated by scripts/calibrate.py", default=None)


class Quantity(Provenance):
    """A scalar parameter with its provenance."""

    value: Real = about("The number itself.", "as the field says", 2000)

    @model_validator(mode="after")
    def _range(self) -> Quantity:
        if self.range is not None and self.range[0] > self.range[1]:
            raise ValueError(f"range low {self.range[0]} is above high {self.range[1]}")
        return self


def _wrap_number(v: Any) -> Any:
    if isinstance(v, bool):
        raise ValueError("must be a number, got a true/false value")
    if isinstance(v, int | float):
        return {"value": v}
    if isinstance(v, str | list):
        raise ValueError(f"must be a number (or {{value: ..., source: ...}}), got {v!r}")
    return v


def _at_least(low: float, strict: bool = False):
    def check(q: Quantity) -> Quantity:
        if (q.value <= low) if strict else (q.value < low):
            sign = ">" if strict else "≥"
            raise ValueError(f"must be {sign} {low:g}, got {q.value:g}")
        return q

    return check


def _probability(q: Quantity) -> Quantity:
    if not 0.0 <= q.value <= 1.0:
        raise ValueError(f"must be a probability between 0 and 1, got {q.value:g}")
    return q


def _integer(q: Quantity) -> Quantity:
    if q.value != int(q.value):
        raise ValueError(f"must be a whole number, got {q.value:g}")
    return q


_QIN = BeforeValidator(_wrap_number, json_schema_input_type=float | Quantity)
Number = Annotated[Quantity, _QIN]
NonNegative = Annotated[Quantity, _QIN, AfterValidator(_at_least(0.0))]
Positive = Annotated[Quantity, _QIN, AfterValidator(_at_least(0.0, strict=True))]
Probability = Annotated[Quantity, _QIN, AfterValidator(_probability)]
Count = Annotated[Quantity, _QIN, AfterValidator(_at_least(0.0)), AfterValidator(_integer)]


class Profile(Provenance):
    """Twelve monthly multipliers (January first), e.g. seasonality of applications."""

    value: list[Annotated[Real, Field(ge=0)]] = about("Twelve monthly factors, January first.", "factor",
                                                       [1, 1, 1, 1, 1, 1, 1, 1.25, 1.25, 1.25, 1.25, 1])

    @model_validator(mode="after")
    def _twelve(self) -> Profile:
        if len(self.value) != 12:
            raise ValueError(f"needs 12 monthly values (January..December), got {len(self.value)}")
        if sum(self.value) <= 0:
            raise ValueError("monthly values must not all be zero")
        return self


def _wrap_list(v: Any) -> Any:
    return {"value": v} if isinstance(v, list) else v


MonthlyProfile = Annotated[
    Profile, BeforeValidator(_wrap_list, json_schema_input_type=list[float] | Profile)
]

DistName = Literal["fixed", "exponential", "lognormal", "gamma", "uniform", "triangular"]


class Dist(Provenance):
    """A random amount (hours of work, days of waiting) given by its distribution.

    ``mean`` (with ``cv`` for lognormal and gamma) or ``low``/``high`` (with ``mode`` for
    triangular). ``unit`` converts durations: days, weeks, months, years.
    """

    dist: DistName = about("Distribution: fixed, exponential, lognormal, gamma, uniform or triangular.", "choice",
                           "gamma", default="fixed")
    mean: Real | None = about("Mean (fixed, exponential, lognormal, gamma).", "the stated unit (hours or days)",
                               5, default=None, ge=0)
    cv: Real | None = about("Coefficient of variation (lognormal, gamma).", "ratio", 0.5, default=None, gt=0)
    low: Real | None = about("Lowest value (uniform, triangular).", "the stated unit", 30, default=None, ge=0)
    mode: Real | None = about("Most likely value (triangular).", "the stated unit", 98, default=None, ge=0)
    high: Real | None = about("Highest value (uniform, triangular).", "the stated unit", 365, default=None, ge=0)

    @model_validator(mode="after")
    def _params(self) -> Dist:
        need = {
            "fixed": ("mean",),
            "exponential": ("mean",),
            "lognormal": ("mean", "cv"),
            "gamma": ("mean", "cv"),
            "uniform": ("low", "high"),
            "triangular": ("low", "mode", "high"),
        }[self.dist]
        missing = [k for k in need if getattr(self, k) is None]
        if missing:
            raise ValueError(f"a {self.dist} distribution needs {', '.join(missing)}")
        extra = [
            k
            for k in ("mean", "cv", "low", "mode", "high")
            if k not in need and getattr(self, k) is not None
        ]
        if extra:
            raise ValueError(f"a {self.dist} distribution does not take {', '.join(extra)}")
        if self.low is not None and self.high is not None and self.low > self.high:
            raise ValueError(f"low {self.low:g} is above high {self.high:g}")
        if self.mode is not None and not (self.low <= self.mode <= self.high):
            raise ValueError(f"mode {self.mode:g} must lie between low and high")
        if self.unit is not None and self.unit not in DAYS_PER_UNIT and self.unit != "hours":
            raise ValueError(f"unit must be hours, days, weeks, months or years, got {self.unit!r}")
        return self

    @property
    def expected(self) -> float:
        """The mean in the stated unit."""
        if self.mean is not None:
            return self.mean
        if self.dist == "uniform":
            return (self.low + self.high) / 2
        return (self.low + self.mode + self.high) / 3

    @property
    def scale(self) -> float:
        """Factor from the stated unit to model units (days for durations, hours for work)."""
        return DAYS_PER_UNIT.get(self.unit or "days", 1.0)


def _wrap_dist(v: Any) -> Any:
    if isinstance(v, bool):
        raise ValueError("must be a number or a distribution, got a true/false value")
    if isinstance(v, int | float) and v < 0:
        raise ValueError(f"must be ≥ 0, got {v:g}")
    if isinstance(v, str | list):
        raise ValueError(f"must be a number or a distribution {{dist: ..., mean: ...}}, got {v!r}")
    if isinstance(v, int | float):
        return {"dist": "fixed", "mean": v}
    if isinstance(v, dict) and "value" in v:
        v = dict(v)
        v.setdefault("dist", "fixed")
        v["mean"] = v.pop("value")
    return v


Random = Annotated[Dist, BeforeValidator(_wrap_dist, json_schema_input_type=float | Dist | Quantity)]


class Term(Provenance):
    """A legal time limit: a number of calendar months, weeks or days."""

    value: Real = about("Length of the term.", "months, weeks or days (see unit)", 6, ge=0)
    unit: Literal["months", "weeks", "days"] = about("Unit of the term: months, weeks or days.", "choice", "months",
                                                     default="months")

    @model_validator(mode="after")
    def _within_a_century(self) -> Term:
        longest = {"months": 1200, "weeks": 5218, "days": 36525}[self.unit]  # 100 years
        if self.value > longest:
            raise ValueError(f"a term of {self.value:g} {self.unit} is longer than 100 years")
        return self


def _wrap_term(v: Any) -> Any:
    if isinstance(v, bool):
        raise ValueError("must be a number of months or {value, unit}, got a true/false value")
    return {"value": v} if isinstance(v, int | float) else v


LegalTerm = Annotated[Term, BeforeValidator(_wrap_term, json_schema_input_type=float | Term)]
