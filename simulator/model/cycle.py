"""The simulated day: its phases, in order, declared once.

Time is counted in days from the scenario start. Each day runs in fixed phases, in the order of
their moments within the day, so the order never depends on how a scenario file is written. The
engine's simpy process steps through this list every day (one event a day: nothing happens
between two phases but the phases themselves); the table below is made from it too:

{table}

Semantics: a pool serves capacity per working day (FTE x productive hours / working days);
work on a case that does not fit in the day carries over. A case finished today enters its next
stage's queue for tomorrow, so within a day the pools never see each other's output. Work that
joins a queue before the intake phase is visible the same day, later work the next day.
"""

from __future__ import annotations

from enum import IntEnum


class Phase(IntEnum):
    """A phase of the day; its value in tenths of a day is when it runs."""

    CONTROL = 0
    ARRIVALS = 1
    RELEASES = 2
    INTAKE = 3
    WORK = 5
    ROUTING = 6
    APPEALS = 7
    RECORD = 9

    @property
    def time(self) -> float:
        """The phase's moment within the day (0.0 <= time < 1)."""
        return self.value / 10

    @property
    def workdays_only(self) -> bool:
        return self is Phase.WORK


WHAT: dict[Phase, tuple[str, str]] = {
    Phase.CONTROL: ("rules, staffing, procedures",
                    "parameter changes in force from today; hiring, training, attrition; procedure time limits"),
    Phase.ARRIVALS: ("arrival plan, engine", "new applications and follow-on cases due today"),
    Phase.RELEASES: ("engine", "cases whose waiting time (delay) ends today"),
    Phase.INTAKE: ("queues", "work queued since yesterday's work becomes visible to the pools"),
    Phase.WORK: ("staffing, queues", "every pool spends its hours on its queue (working days only)"),
    Phase.ROUTING: ("engine", "cases finished today record their decisions, create follow-on cases, move on"),
    Phase.APPEALS: ("notices", "appeals for not deciding in time lodged today become court cases"),
    Phase.RECORD: ("recorder", "stocks of the day, month-end snapshots"),
}


def table() -> str:
    """The daily cycle as a reStructuredText table (for the docstring and the README)."""
    rows = [(f"t+{p.time:.1f}", p.name.lower(), *WHAT[p]) for p in Phase]
    widths = [max(len(r[i]) for r in [*rows, ("time", "phase", "owner", "what happens")]) for i in range(4)]
    rule = "  ".join("=" * w for w in widths)
    head = "  ".join(h.ljust(w) for h, w in zip(("time", "phase", "owner", "what happens"), widths, strict=True))
    body = ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join([rule, head.rstrip(), rule, *body, rule])


assert set(WHAT) == set(Phase), "every phase says what happens in it"
__doc__ = __doc__.format(table=table())
