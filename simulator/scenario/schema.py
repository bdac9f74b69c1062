"""The scenario language: what an analyst writes in a YAML file, as a typed schema.

Cross-references (a route to a stage that does not exist, a pool nobody defined) are checked in
:mod:`simulator.scenario.checks`, so that each problem can name its own field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import Field, model_validator

from .types import (
    Count,
    LabelText,
    LegalTerm,
    MonthlyProfile,
    NonNegative,
    Probability,
    Provenance,
    Quantity,
    Random,
    Strict,
)

EXIT = "exit"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Owner = Literal["ind", "court", "partner", "none"]


class Calendar(Strict):
    """Which days work happens on. Legal terms and waiting times run on calendar days."""

    workdays: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = Field(
        default_factory=lambda: ["mon", "tue", "wed", "thu", "fri"], min_length=1
    )
    holidays: list[dt.date] = Field(default_factory=list)


class Group(Strict):
    """A nationality group (or other case type) within a stream."""

    share: Probability
    label: LabelText | None = None
    entry: str | None = None


class TermExtension(Strict):
    """A temporary extension of the legal term for applications lodged in a window, which may
    lapse on a date (for instance when courts hold it unlawful): from then on a case's term is
    the ordinary one again, but never ends before that date."""

    lodged_from: dt.date = Field(description="first lodging day the extension covers")
    lodged_until: dt.date = Field(description="last lodging day the extension covers")
    extra: LegalTerm = Field(description="time added to the ordinary term, e.g. {value: 9, unit: months}")
    lapses: dt.date | None = Field(default=None, description="day the extension stops applying (none: it holds)")
    source: str | None = None

    @model_validator(mode="after")
    def _window(self) -> TermExtension:
        if self.lodged_until < self.lodged_from:
            raise ValueError(f"lodged_until {self.lodged_until} is before lodged_from {self.lodged_from}")
        return self


class Stream(Strict):
    """A flow of new cases, with monthly volume, seasonality and random variation.

    ``eligible_share`` thins both outside inflow and follow-on cases: the share of would-be
    applications that the rules still admit (e.g. family reunification limited to the core family).
    """

    label: LabelText
    category: Literal["asylum", "nareis", "other"] = "asylum"
    monthly_volume: NonNegative
    seasonality: MonthlyProfile | None = None
    variation_cv: NonNegative = Field(default_factory=lambda: Quantity(value=0.0))
    entry: str
    legal_term: LegalTerm
    in_reception: bool = False
    application: bool = Field(
        default=True,
        description="false for cases that are not applications to IND (a B-status holder's upgrade appeal, "
                    "a court case): they never count in the werkvoorraad, first decisions or notices")
    eligible_share: Probability = Field(default_factory=lambda: Quantity(value=1.0))
    groups: dict[str, Group] = Field(min_length=1)
    term_extensions: list[TermExtension] = Field(
        default_factory=list,
        description="extensions of the legal term by lodging date (such as the WBV 2022/22 extension by 9 months)")


class Hiring(Strict):
    """Recruitment into a pool: new staff become productive after training."""

    target_fte: NonNegative | None = None
    hires_per_year: NonNegative | None = None
    training_months: NonNegative
    intake_cap_per_year: NonNegative | None = None


class Discipline(Strict):
    """Order in which a pool takes up waiting work.

    fifo: longest waiting at the stage first; oldest_first: earliest lodged first; priority: by a
    ranked list of stages, streams or groups (unlisted come last), ``then`` within a rank.
    """

    order: Literal["fifo", "oldest_first", "priority"] = "fifo"
    by: Literal["stage", "stream", "group"] | None = None
    ranking: list[str] = Field(default_factory=list)
    then: Literal["fifo", "oldest_first"] = "fifo"


class Pool(Strict):
    """Capacity that does work: FTE x productive hours, changing through hiring and attrition.

    ``transfer`` lends staff to other pools: FTE of this pool working in another (at most all of
    this pool's FTE). They stay on this pool's books, so its hiring does not replace them.
    """

    label: LabelText
    owner: Owner = "ind"
    fte: NonNegative
    hours_per_fte_year: NonNegative
    productivity: NonNegative = Field(default_factory=lambda: Quantity(value=1.0))
    attrition_per_year: Probability = Field(default_factory=lambda: Quantity(value=0.0))
    hiring: Hiring | None = None
    discipline: Discipline = Field(default_factory=Discipline)
    transfer: dict[str, NonNegative] = Field(
        default_factory=dict,
        description="FTE of this pool's staff working in another pool, by that pool's name "
                    "(e.g. decision officers helping with interviews); this pool's hiring does not replace them")


class Route(Strict):
    """Where a case goes after a stage, with probability ``p``.

    ``outcome`` records a decision (or ruling) with that label; ``spawn`` creates follow-on cases
    in other streams (e.g. a failed Dublin transfer re-entering the national procedure).
    """

    to: str
    p: Probability
    outcome: str | None = None
    spawn: list[Spawn] = Field(default_factory=list)
    source: str | None = None


class Spawn(Strict):
    """New cases created when a route is taken, in ``stream``, ``after`` some time.

    ``group``: ``inherit`` (the parent's group), ``draw`` (by the stream's group shares) or a name.
    ``expected``: mean number of new cases per parent (Poisson; exactly one when not given).
    """

    stream: str
    after: Random | None = None
    group: str = "inherit"
    expected: NonNegative | None = None


class Stage(Strict):
    """A step of the chain: elapsed time (``delay``) first, then work (``hours`` from ``pool``)."""

    label: LabelText
    owner: Owner = "ind"
    pool: str | None = None
    hours: Random | None = None
    delay: Random | None = None
    routes: list[Route] = Field(min_length=1)
    routes_by_group: dict[str, list[Route]] = Field(default_factory=dict)


class Procedure(Strict):
    """A set of stages that together form a procedure with its own limits (e.g. the border
    procedure of the EU Pact): at most ``max_cases`` cases at once (others take ``overflow``), at
    most ``time_limit`` in the procedure (then ``on_time_limit``: one stage, or a stage per stage
    the case is in), and its own legal term.
    """

    label: LabelText
    stages: list[str] = Field(min_length=1)
    max_cases: Count | None = None
    overflow: str | None = None
    time_limit: Random | None = None
    on_time_limit: str | dict[str, str] | None = None
    legal_term: LegalTerm | None = None


class StockEntry(Strict):
    """Open cases at the start date, in one stage, with their spread over groups and ages."""

    stream: str
    stage: str
    count: Count
    groups: dict[str, Probability] | None = None
    age_months: dict[str, Probability] = Field(min_length=1)
    decided: bool = False


class Penalties(Strict):
    """What follows a missed legal term: notice of default, appeal for not deciding in time,
    court order, penalty per day.

    With ``appeal_stage``, each appeal for not deciding in time is a court case of its own in the
    run: it enters that (court) stage, takes its hours, and the court's ruling starts the
    decision order; without it, the court is assumed to rule ``court_days`` after the appeal and
    takes no capacity.
    """

    notice_probability: Probability
    appeal_probability: Probability = Field(default_factory=lambda: Quantity(value=1.0))
    notice_delay_days: NonNegative
    appeal_after_days: NonNegative
    court_days: NonNegative
    decision_order_days: NonNegative
    per_day_eur: NonNegative
    cap_eur: NonNegative
    appeal_stage: str | None = Field(
        default=None,
        description="court stage an appeal for not deciding in time enters (it then takes court capacity)")
    ordered_first: bool = Field(
        default=True,
        description="IND decides a case the court ordered it to decide before all other work of its pool "
                    "(with appeal_stage), as it does to avoid penalties")


class Change(Strict):
    """From ``date`` on, the parameters at the given paths take the given values."""

    date: dt.date
    set: dict[str, Any] = Field(min_length=1)
    label: LabelText | None = None
    source: str | None = None


class Step(Strict):
    """From ``date`` on, an intervention works at ``fraction`` of its full effect."""

    date: dt.date
    fraction: float = Field(ge=0, le=1)


class Intervention(Strict):
    """A policy shock or choice: parameter changes from ``start``, abrupt or phased in.

    ``set`` gives values at full effect (numbers are interpolated during a phase-in, from 0 if
    they did not exist, route lists blended, anything else switches at the first step),
    ``scale`` multiplies numbers, ``add`` adds to them. ``phase_in`` ramps linearly in monthly
    steps; ``steps`` gives the fractions
    explicitly (they may also go down, e.g. a productivity dip that recovers).
    """

    label: LabelText
    start: dt.date
    enabled: bool = True
    phase_in: Random | None = None
    steps: list[Step] = Field(default_factory=list)
    set: dict[str, Any] = Field(default_factory=dict)
    scale: dict[str, float] = Field(default_factory=dict)
    add: dict[str, float] = Field(default_factory=dict)
    source: str | None = None
    confidence: Literal["high", "medium", "low"] | None = None
    note: str | None = None


class InflowLevel(Provenance):
    """Uncertainty about the level of inflow: a factor on all outside inflow, drawn once per
    replication from a triangular distribution (e.g. the official low / middle / high forecast)."""

    low: float = Field(gt=0)
    mode: float = Field(gt=0)
    high: float = Field(gt=0)

    @model_validator(mode="after")
    def _order(self) -> InflowLevel:
        if not self.low <= self.mode <= self.high:
            raise ValueError(f"need low <= mode <= high, got {self.low:g}, {self.mode:g}, {self.high:g}")
        return self


class Reception(Strict):
    """Reception capacity (COA's regular places) and what an occupied place costs. People in
    reception are the applicants of reception streams still in the chain (in procedure,
    appealing, or waiting for housing with a permit); those beyond the regular places are in
    (more expensive) emergency reception: the places short."""

    places: NonNegative = Field(description="regular reception places (persons)")
    cost_per_place_day: NonNegative = Field(description="cost of one occupied regular place per day (euro)")
    emergency_cost_per_place_day: NonNegative | None = Field(
        default=None, description="cost per day of a person beyond the regular places (emergency reception; "
                                  "default: as a regular place)")


class Uncertainty(Strict):
    """Uncertainty beyond the randomness within a run (used when an experiment asks for it)."""

    inflow_level: InflowLevel | None = None


class Scenario(Strict):
    """One scenario file after ``extends`` has been resolved."""

    name: str
    title: LabelText
    description: str = ""
    start: dt.date
    horizon_years: int = Field(ge=1, strict=True)  # at most limits.horizon_years (raisable)
    seed: int = Field(default=20260101, ge=0, strict=True)
    calendar: Calendar = Field(default_factory=Calendar)
    outcomes: dict[str, LabelText] = Field(default_factory=dict)
    streams: dict[str, Stream] = Field(min_length=1)
    pools: dict[str, Pool] = Field(default_factory=dict)
    stages: dict[str, Stage] = Field(min_length=1)
    procedures: dict[str, Procedure] = Field(default_factory=dict)
    initial_stock: list[StockEntry] = Field(default_factory=list)
    penalties: Penalties | None = None
    reception: Reception | None = None
    changes: list[Change] = Field(default_factory=list)
    dates: dict[str, dt.date | Literal["never"]] = Field(
        default_factory=dict,
        description="named dates, such as a law's entry into force ('never': not in force); an intervention's "
                    "start may name one, so a variant changes it in one line")
    interventions: dict[str, Intervention] = Field(default_factory=dict)
    uncertainty: Uncertainty = Field(default_factory=Uncertainty)

    @property
    def end(self) -> dt.date:
        """The last simulated day."""
        try:
            last = self.start.replace(year=self.start.year + self.horizon_years)
        except ValueError:  # 29 February
            last = self.start.replace(year=self.start.year + self.horizon_years, day=28)
        return last - dt.timedelta(days=1)

    @property
    def n_days(self) -> int:
        return (self.end - self.start).days + 1


Route.model_rebuild()
