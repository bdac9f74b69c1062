"""The scenario language: what an analyst writes in a YAML file, as a typed schema.

Cross-references (a route to a stage that does not exist, a pool nobody defined) are checked in
:mod:`simulator.scenario.checks`, so that each problem can name its own field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import model_validator

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
    Real,
    Strict,
    about,
)

EXIT = "exit"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
Owner = Literal["ind", "court", "partner", "none"]


class Calendar(Strict):
    """Which days work happens on. Legal terms and waiting times run on calendar days."""

    workdays: list[Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]] = about(
        "Days of the week on which pools work.", "weekdays", ["mon", "tue", "wed", "thu", "fri"],
        default_factory=lambda: ["mon", "tue", "wed", "thu", "fri"], min_length=1)
    holidays: list[dt.date] = about(
        "Dates on which no work is done (legal terms keep running).", "dates", ['2026-12-25'], default_factory=list)


class Group(Strict):
    """A nationality group (or other case type) within a stream."""

    share: Probability = about("Share of the stream's cases in this group.", "share 0-1", 0.18)
    label: LabelText | None = about(
        "Name shown to readers (nl, en).", "text", {'nl': 'Dublinclaimanten', 'en': 'Dublin claimants'}, default=None)
    entry: str | None = about(
        "First stage for this group, if not the stream's entry.", "stage name", 'dublin_claim', default=None)


class TermExtension(Strict):
    """A temporary extension of the legal term for applications lodged in a window, which may
    lapse on a date (for instance when courts hold it unlawful): from then on a case's term is
    the ordinary one again, but never ends before that date."""

    lodged_from: dt.date = about("First lodging day the extension covers.", "date", "2022-09-27")
    lodged_until: dt.date = about("Last lodging day the extension covers.", "date", "2024-12-31")
    extra: LegalTerm = about("Time added to the ordinary term.", "months (or weeks, days)",
                             {"value": 9, "unit": "months"})
    lapses: dt.date | None = about("Day the extension stops applying (none: it holds).", "date", "2025-02-21",
                                   default=None)
    source: str | None = about("Where the extension comes from.", "text", "[S] WBV 2022/22", default=None)

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

    label: LabelText = about(
        "Name shown to readers (nl, en).", "text", {'nl': 'Eerste asielaanvragen', 'en': 'First asylum applications'})
    category: Literal["asylum", "nareis", "other"] = about(
        "Category its cases are counted in: asylum, nareis (family reunification) or other (renewals).", "category",
        'asylum', default="asylum")
    monthly_volume: NonNegative = about(
        "New cases from outside per month, before seasonality and randomness.", "cases a month", 2000)
    seasonality: MonthlyProfile | None = about(
        "Twelve monthly factors on the volume, January first.", "factor",
        [1, 1, 1, 1, 1, 1, 1, 1.25, 1.25, 1.25, 1.25, 1], default=None)
    variation_cv: NonNegative = about(
        "Month-to-month variation of the volume beyond Poisson noise (coefficient of variation).",
        "coefficient of variation", 0.1, default_factory=lambda: Quantity(value=0.0))
    entry: str = about("The stage a new case starts in.", "stage name", 'registration')
    legal_term: LegalTerm = about("Legal decision term from lodging (calendar time).", "months (or weeks, days)", 6)
    in_reception: bool = about(
        "Whether applicants wait in reception (COA) while their case is open.", "yes/no", True, default=False)
    application: bool = about(
        "False for cases that are not applications to IND (a B-status holder's upgrade appeal, a court case): "
        "they never count in the werkvoorraad, first decisions or notices.", "yes/no", False, default=True)
    eligible_share: Probability = about(
        "Share of would-be applications that the rules still admit (thins outside inflow and follow-on cases).",
        "share 0-1", 0.85, default_factory=lambda: Quantity(value=1.0))
    groups: dict[str, Group] = about(
        "Nationality groups or case types, each with its share (shares sum to 1).", "mapping of groups",
        {'dublin': {'share': 0.18}}, min_length=1)
    term_extensions: list[TermExtension] = about(
        "Extensions of the legal term by lodging date (such as the WBV 2022/22 extension by 9 months).",
        "list of extensions", [{"lodged_from": "2022-09-27", "lodged_until": "2024-12-31",
                                "extra": {"value": 9, "unit": "months"}, "lapses": "2025-02-21"}],
        default_factory=list)


class Hiring(Strict):
    """Recruitment into a pool: new staff become productive after training."""

    target_fte: NonNegative | None = about(
        "Staff the pool hires towards (replacing leavers), through training and the intake cap.", "FTE", 301,
        default=None)
    hires_per_year: NonNegative | None = about(
        "Fixed number of hires a year (instead of a target).", "FTE a year", 50, default=None)
    training_months: NonNegative = about("Time from hiring to productive work.", "months", 9)
    intake_cap_per_year: NonNegative | None = about(
        "At most this many new staff a year (training places, supervisors).", "FTE a year", 80, default=None)


class Discipline(Strict):
    """Order in which a pool takes up waiting work.

    fifo: longest waiting at the stage first; oldest_first: earliest lodged first; priority: by a
    ranked list of stages, streams or groups (unlisted come last), ``then`` within a rank.

    ``head_start`` gives the work of named stages, streams or groups (``by``) a place in the line
    as if it had arrived that much earlier, without taking all of it first as a rank does: a
    planning rule under which such work waits less than the rest, but waits when the line is
    long (IND's published waits for the Dublin and the safe-country interview, DOMAIN 1.2).
    """

    order: Literal["fifo", "oldest_first", "priority"] = about(
        "Order in which waiting work is taken up: fifo, oldest_first or priority.", "choice", 'priority',
        default="fifo")
    by: Literal["stage", "stream", "group"] | None = about(
        "For priority: rank by stage, stream or group.", "choice", 'group', default=None)
    ranking: list[str] = about(
        "For priority: names in order of precedence (unlisted come last).", "list of names",
        ['dublin', 'safe_country'], default_factory=list)
    then: Literal["fifo", "oldest_first"] = about(
        "Order within a rank: fifo or oldest_first.", "choice", 'fifo', default="fifo")
    head_start: dict[str, LegalTerm] = about(
        "Work of these stages, streams or groups (see 'by') takes its place in the line as if it had "
        "arrived this much earlier.", "mapping of names to weeks (or days, months)",
        {'dublin': {'value': 11, 'unit': 'weeks'}}, default_factory=dict)


class Pool(Strict):
    """Capacity that does work: FTE x productive hours, changing through hiring and attrition.

    ``transfer`` lends staff to other pools: FTE of this pool working in another (at most all of
    this pool's FTE). They stay on this pool's books, so its hiring does not replace them.
    """

    label: LabelText = about(
        "Name shown to readers (nl, en).", "text", {'nl': 'IND beslismedewerkers', 'en': 'IND decision officers'})
    owner: Owner = about("Who provides the capacity: ind, court, partner or none.", "choice", 'ind', default="ind")
    fte: NonNegative = about("Productive staff at the start.", "FTE", 301)
    hours_per_fte_year: NonNegative = about(
        "Productive hours per FTE a year (spread over the working days).", "hours per FTE a year", 1300)
    productivity: NonNegative = about(
        "Factor on the hours available (1 = normal; 0.85 = a 15% dip while learning a new process).", "factor", 1.0,
        default_factory=lambda: Quantity(value=1.0))
    attrition_per_year: Probability = about(
        "Share of staff that leaves each year.", "share a year", 0.08, default_factory=lambda: Quantity(value=0.0))
    hiring: Hiring | None = about(
        "Recruitment into the pool (target or hires, training time, intake cap).", "group of fields",
        {'target_fte': 301, 'training_months': 9, 'intake_cap_per_year': 80}, default=None)
    discipline: Discipline = about(
        "Order in which the pool takes up waiting work.", "group of fields", {'order': 'fifo'},
        default_factory=Discipline)
    transfer: dict[str, NonNegative] = about(
        "FTE of this pool's staff working in another pool, by that pool's name (e.g. decision officers helping "
        "with interviews); this pool's hiring does not replace them.", "FTE", {"ind_hearing": 20},
        default_factory=dict)


class Route(Strict):
    """Where a case goes after a stage, with probability ``p``.

    ``outcome`` records a decision (or ruling) with that label; ``spawn`` creates follow-on cases
    in other streams (e.g. a failed Dublin transfer re-entering the national procedure);
    ``regroup`` puts the case itself in another group (e.g. a refused Dublin claim examined in the
    general procedure), drawn among the listed groups in proportion to its stream's shares of
    them as in force that day (a case whose stream has none of them keeps its group).
    """

    to: str = about("The next stage, or 'exit' to leave the chain.", "stage name", 'appeal')
    p: Probability = about("Probability of taking this route (the routes of a stage sum to 1).", "probability 0-1", 0.8)
    outcome: str | None = about(
        "Decision recorded when the route is taken (declared under outcomes).", "outcome name", 'rejected',
        default=None)
    spawn: list[Spawn] = about(
        "Follow-on cases created when the route is taken.", "list",
        [{'stream': 'nareis', 'expected': 0.9, 'after': {'value': 9, 'unit': 'months'}}], default_factory=list)
    regroup: list[str] = about(
        "Groups the case moves into when the route is taken, drawn in proportion to its stream's shares of them.",
        "list of groups", ['high_recognition', 'low_recognition'], default_factory=list)
    source: str | None = about(
        "Where the probability comes from, or \"assumption\".", "text", '[S] IND wins >85% (NHnieuws Jan 2025)',
        default=None)


class Spawn(Strict):
    """New cases created when a route is taken, in ``stream``, ``after`` some time.

    ``group``: ``inherit`` (the parent's group), ``draw`` (by the stream's group shares) or a name.
    ``expected``: mean number of new cases per parent (Poisson; exactly one when not given).
    """

    stream: str = about("Stream the new cases enter.", "stream name", 'permit_expiry')
    after: Random | None = about(
        "Time until the new case is lodged.", "days (or weeks, months, years)", {'value': 5, 'unit': 'years'},
        default=None)
    group: str = about("Group of the new case: inherit, draw, or a group name.", "choice", 'draw', default="inherit")
    expected: NonNegative | None = about(
        "Mean number of new cases per parent (Poisson); exactly one when not given.", "cases per case", 0.9,
        default=None)


class Stage(Strict):
    """A step of the chain: elapsed time (``delay``) first, then work (``hours`` from ``pool``)."""

    label: LabelText = about(
        "Name shown to readers (nl, en).", "text", {'nl': 'Beroep rechtbank', 'en': 'Appeal to the district court'})
    owner: Owner = about("Who does the stage: ind, court, partner or none.", "choice", 'court', default="ind")
    pool: str | None = about("Pool whose hours the stage uses.", "pool name", 'court_district', default=None)
    hours: Random | None = about("Work per case, drawn from a distribution.", "hours per case", 8, default=None)
    delay: Random | None = about(
        "Waiting time before the work (a lawyer's response, a court date).", "days (or weeks, months)",
        {'value': 56, 'unit': 'days'}, default=None)
    completes_decision: bool = about(
        "IND's decision is issued only when the case leaves this stage: a decision taken on the way in "
        "(a grant, before the two-status system's A/B determination) leaves the case open until then.",
        "yes/no", True, default=False)
    served_first: bool = about(
        "Its pool does this stage's work before the rest of its line, whatever the pool's discipline: "
        "a step of a decision already in hand (the A/B status of a grant under the two-status system), "
        "not new work that queues behind the backlog.", "yes/no", True, default=False)
    routes: list[Route] = about(
        "Where cases go next, with probabilities that sum to 1.", "list of routes",
        [{'to': 'exit', 'p': 1, 'outcome': 'upheld'}], min_length=1)
    routes_by_group: dict[str, list[Route]] = about(
        "Routes for particular groups, instead of routes.", "mapping of groups to routes",
        {'high_recognition': [{'to': 'permit_issue', 'p': 1, 'outcome': 'granted'}]}, default_factory=dict)


class Procedure(Strict):
    """A set of stages that together form a procedure with its own limits (e.g. the border
    procedure of the EU Pact): at most ``max_cases`` cases at once (others take ``overflow``), at
    most ``time_limit`` in the procedure (then ``on_time_limit``: one stage, or a stage per stage
    the case is in), and its own legal term.
    """

    label: LabelText = about(
        "Name shown to readers (nl, en).", "text", {'nl': 'Grensprocedure', 'en': 'Border procedure'})
    stages: list[str] = about(
        "The stages that form the procedure.", "list of stage names", ['border_interview', 'border_decision'],
        min_length=1)
    max_cases: Count | None = about(
        "At most this many cases in the procedure at once (places).", "cases", 1000, default=None)
    overflow: str | None = about(
        "Stage for cases that find the procedure full.", "stage name", 'registration', default=None)
    time_limit: Random | None = about(
        "Longest time a case may spend in the procedure.", "days (or weeks, months)", {'value': 12, 'unit': 'weeks'},
        default=None)
    on_time_limit: str | dict[str, str] | None = about(
        "Stage (or a stage per procedure stage) for cases that reach the time limit.", "stage name", 'aa_interview',
        default=None)
    legal_term: LegalTerm | None = about(
        "Legal decision term for cases in the procedure.", "months (or weeks, days)", {'value': 12, 'unit': 'weeks'},
        default=None)


class StockEntry(Strict):
    """Open cases at the start date, in one stage, with their spread over groups and ages."""

    stream: str = about("Stream of the open cases.", "stream name", 'first_asylum')
    stage: str = about("Stage the open cases are in at the start.", "stage name", 'aa_interview')
    count: Count = about("Number of open cases.", "cases", 1130)
    groups: dict[str, Probability] | None = about(
        "Split over the stream's groups (sums to 1).", "shares 0-1",
        {'high_recognition': 0.45, 'low_recognition': 0.55}, default=None)
    age_months: dict[str, Probability] = about(
        "Split over ages since lodging, as bands of months (sums to 1).", "shares 0-1 by age band",
        {'0-6': 0.5, '6-15': 0.5}, min_length=1)
    decided: bool = about(
        "Whether these cases already had their first decision (e.g. cases in appeal).", "yes/no", False, default=False)


class Penalties(Strict):
    """What follows a missed legal term: notice of default, appeal for not deciding in time,
    court order, penalty per day.

    With ``appeal_stage``, each appeal for not deciding in time is a court case of its own in the
    run: it enters that (court) stage, takes its hours, and the court's ruling starts the
    decision order; without it, the court is assumed to rule ``court_days`` after the appeal and
    takes no capacity.
    """

    notice_probability: Probability = about(
        "Probability that an applicant past the term sends a notice of default.", "probability 0-1", 0.5)
    appeal_probability: Probability = about(
        "Probability that a notice is followed by an appeal for not deciding in time.", "probability 0-1", 1.0,
        default_factory=lambda: Quantity(value=1.0))
    notice_delay_days: NonNegative = about("Days after the term before the notice is sent.", "days", 14)
    appeal_after_days: NonNegative = about("Days from the notice to the appeal.", "days", 14)
    court_days: NonNegative = about("Days from the appeal to the ruling.", "days", 56)
    decision_order_days: NonNegative = about("Days the court gives IND to decide before penalties accrue.", "days", 56)
    per_day_eur: NonNegative = about("Penalty per day of delay after the court's order.", "euro a day", 100)
    cap_eur: NonNegative = about("Most a single case can cost in penalties.", "euro", 7500)
    appeal_stage: str | None = about(
        "Court stage an appeal for not deciding in time enters (it then takes court capacity).", "stage name",
        "appeal", default=None)
    ordered_first: bool = about(
        "IND decides a case the court ordered it to decide before all other work of its pool (with appeal_stage), "
        "as it does to avoid penalties.", "yes/no", True, default=True)


class Change(Strict):
    """From ``date`` on, the parameters at the given paths take the given values."""

    date: dt.date = about("Date from which the values hold.", "date", '2027-01-01')
    set: dict[str, Any] = about(
        "Parameter paths and their new values.", "mapping of paths to values",
        {'streams.first_asylum.monthly_volume': 1800}, min_length=1)
    label: LabelText | None = about(
        "Name shown on charts (nl, en).", "text", {'nl': 'Lagere instroom', 'en': 'Lower inflow'}, default=None)
    source: str | None = about(
        "Where the new values come from, or \"assumption\".", "text", '[S] MPP Sep 2025', default=None)


class Step(Strict):
    """From ``date`` on, an intervention works at ``fraction`` of its full effect."""

    date: dt.date = about("Date of the step.", "date", '2026-09-12')
    fraction: Real = about("Share of the full effect from that date.", "share 0-1", 0.5, ge=0, le=1)


class Intervention(Strict):
    """A policy shock or choice: parameter changes from ``start``, abrupt or phased in.

    ``set`` gives values at full effect (numbers are interpolated during a phase-in, from 0 if
    they did not exist, route lists blended, anything else switches at the first step),
    ``scale`` multiplies numbers, ``add`` adds to them. ``phase_in`` ramps linearly in monthly
    steps; ``steps`` gives the fractions
    explicitly (they may also go down, e.g. a productivity dip that recovers).
    """

    label: LabelText = about(
        "Name shown on charts (nl, en).", "text", {'nl': '+60 fte beslissen', 'en': '+60 FTE decisions'})
    start: dt.date = about("Date the intervention takes effect.", "date", '2027-01-01')
    enabled: bool = about("Set to false to switch it off (e.g. a law not in force).", "yes/no", True, default=True)
    phase_in: Random | None = about(
        "Linear phase-in in monthly steps.", "months (or days, years)", {'value': 12, 'unit': 'months'}, default=None)
    steps: list[Step] = about(
        "Explicit fractions of the full effect by date (instead of phase_in).", "list of steps",
        [{'date': '2026-06-12', 'fraction': 1.0}, {'date': '2027-06-12', 'fraction': 0.0}], default_factory=list)
    set: dict[str, Any] = about(
        "Parameter paths and their values at full effect.", "mapping of paths to values",
        {'pools.ind_decision.hiring.target_fte': 361}, default_factory=dict)
    scale: dict[str, Real] = about(
        "Parameter paths and factors to multiply them by.", "mapping of paths to factors",
        {'stages.appeal.hours': 1.1}, default_factory=dict)
    add: dict[str, Real] = about(
        "Parameter paths and amounts to add to them.", "mapping of paths to amounts",
        {'stages.registration.hours': 1.5}, default_factory=dict)
    source: str | None = about(
        "Where the intervention and its numbers come from.", "text", '[S] MvT 36704-3', default=None)
    confidence: Literal["high", "medium", "low"] | None = about(
        "Confidence in the numbers: high, medium or low.", "choice", 'low', default=None)
    note: str | None = about("Free text for readers.", "text", 'effects estimated, see DOMAIN 6A', default=None)


class InflowLevel(Provenance):
    """Uncertainty about the level of inflow: a factor on the outside inflow of the streams the
    forecast covers, drawn once per replication from a triangular distribution (e.g. the official
    low / middle / high forecast)."""

    low: Real = about("Lowest inflow factor (the low forecast).", "factor", 0.75, gt=0)
    mode: Real = about("Most likely inflow factor.", "factor", 1.0, gt=0)
    high: Real = about("Highest inflow factor (the high forecast).", "factor", 1.29, gt=0)
    streams: list[str] | None = about(
        "The streams whose outside inflow the factor scales: those the forecast counts (default: all). "
        "Follow-on cases of these streams follow them.", "list of stream names",
        ['first_asylum', 'repeat', 'nareis'], default=None)

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

    places: NonNegative = about("Regular reception places.", "persons", 65000)
    cost_per_place_day: NonNegative = about("Cost of one occupied regular place per day.", "euro a day", 90)
    emergency_cost_per_place_day: NonNegative | None = about(
        "Cost per day of a person beyond the regular places (emergency reception; default: as a regular place).",
        "euro a day", 150, default=None)


class Uncertainty(Strict):
    """Uncertainty beyond the randomness within a run (used when an experiment asks for it)."""

    inflow_level: InflowLevel | None = about(
        "Band of the inflow level, drawn once per replication with --inflow-band.", "factors",
        {'low': 0.75, 'mode': 1.0, 'high': 1.29}, default=None)


def last_day(start: dt.date, years: int) -> dt.date:
    """The last day of a horizon of ``years`` from ``start`` (the loader needs it before validation)."""
    try:
        last = start.replace(year=start.year + years)
    except ValueError:  # 29 February
        last = start.replace(year=start.year + years, day=28)
    return last - dt.timedelta(days=1)


class Scenario(Strict):
    """One scenario file after ``extends`` has been resolved."""

    name: str = about("Short name (defaults to the file name).", "text", 'baseline')
    title: LabelText = about(
        "Title shown to readers (nl, en).", "text", {'nl': 'Basisscenario 2026-2032', 'en': 'Baseline 2026-2032'})
    description: str = about(
        "What the scenario is, in a few sentences.", "text", 'The asylum chain as it stood at the start of 2026.',
        default="")
    start: dt.date = about("First simulated day.", "date", '2026-01-01')
    horizon_years: int = about("Number of years simulated (at most the limit horizon_years, 50 unless raised).",
                               "years", 7, ge=1, strict=True)
    seed: int = about(
        "Seed of the random numbers (same seed: same arrivals in every scenario).", "integer", 20260101,
        default=20260101, ge=0, strict=True)
    calendar: Calendar = about(
        "Working days and holidays.", "group of fields", {'workdays': ['mon', 'tue', 'wed', 'thu', 'fri']},
        default_factory=Calendar)
    outcomes: dict[str, LabelText] = about(
        "Decision outcomes that routes may record, with their names (nl, en).", "mapping of outcomes",
        {'granted': {'nl': 'ingewilligd', 'en': 'granted'}}, default_factory=dict)
    streams: dict[str, Stream] = about(
        "Flows of new cases.", "mapping of streams", {'first_asylum': '...'}, min_length=1)
    pools: dict[str, Pool] = about(
        "Capacity that does the work.", "mapping of pools", {'ind_decision': '...'}, default_factory=dict)
    stages: dict[str, Stage] = about("Steps of the chain.", "mapping of stages", {'appeal': '...'}, min_length=1)
    procedures: dict[str, Procedure] = about(
        "Procedures with their own limits (places, time limit, legal term).", "mapping of procedures",
        {'border': '...'}, default_factory=dict)
    initial_stock: list[StockEntry] = about(
        "Open cases at the start, per stream and stage.", "list of entries",
        [{'stream': 'first_asylum', 'stage': 'aa_interview', 'count': 1130, 'age_months': {'0-6': 1}}],
        default_factory=list)
    penalties: Penalties | None = about(
        "What follows a missed legal term.", "group of fields", {'notice_probability': 0.5}, default=None)
    reception: Reception | None = about(
        "Reception (COA): places and what happens when they run out.", "group of fields", {"places": 41000},
        default=None)
    dates: dict[str, dt.date | Literal["never"]] = about(
        "Named dates, such as a law's entry into force ('never': not in force); an intervention's start may name "
        "one, so a variant changes it in one line.", "dates", {"asielnoodmaatregelenwet": "2026-06-12"},
        default_factory=dict)
    changes: list[Change] = about(
        "Parameter changes from a date (not named on charts as measures).", "list of changes",
        [{'date': '2027-01-01', 'set': {'streams.nareis.monthly_volume': 900}}], default_factory=list)
    interventions: dict[str, Intervention] = about(
        "Named policy measures from a date, abrupt or phased in.", "mapping of interventions", {'more_staff': '...'},
        default_factory=dict)
    uncertainty: Uncertainty = about(
        "Uncertainty beyond randomness within a run.", "group of fields",
        {'inflow_level': {'low': 0.75, 'mode': 1.0, 'high': 1.29}}, default_factory=Uncertainty)

    @property
    def end(self) -> dt.date:
        """The last simulated day."""
        return last_day(self.start, self.horizon_years)

    @property
    def n_days(self) -> int:
        return (self.end - self.start).days + 1


Route.model_rebuild()
