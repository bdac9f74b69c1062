"""Legal decision terms (beslistermijnen): the deadline of a case from its stream and lodging day.

A term counts in calendar time from the lodging day, under the rule in force on that day (a term
changed from a date applies to cases lodged from that date on). Terms in months follow the
calendar (6 months after 31 August is the last day of February). A temporary extension for a
window of lodging days (the WBV 2022/22 extension: +9 months for applications lodged from
27 September 2022) adds to the term; if it lapses (courts hold it unlawful), a case's deadline is
the ordinary one again, but not before the day it lapsed. Deadlines are worked out once for every
stream and lodging day of the run and then looked up.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..scenario.types import DAYS_PER_YEAR
from .compiled import Compiled

Term = tuple[float, str]  # (value, unit)


def add_months(start: np.datetime64, days: np.ndarray, months: float) -> np.ndarray:
    """Day numbers ``months`` calendar months after the given day numbers."""
    if months != int(months):
        return days + np.rint(months * DAYS_PER_YEAR / 12).astype(days.dtype)
    dates = start + days.astype("timedelta64[D]")
    month = dates.astype("datetime64[M]")
    dom = (dates - month.astype("datetime64[D]")).astype(np.int64)
    target = month + np.timedelta64(int(months), "M")
    length = ((target + np.timedelta64(1, "M")).astype("datetime64[D]")
              - target.astype("datetime64[D]")).astype(np.int64)
    out = target.astype("datetime64[D]") + np.minimum(dom, length - 1).astype("timedelta64[D]")
    return (out - start).astype(np.int64)


class Terms:
    """The legal terms of a batch: each replication's deadlines under its own parameter set, in
    one table by parameter set, stream and lodging day (from the earliest lodging day of any
    set's initial stock)."""

    def __init__(self, sets: Sequence[Compiled]):
        st = sets[0].structure
        self.n_days = st.n_days
        self.start64 = np.datetime64(st.start, "D")
        self._first = min([0, *(int(c.stock.lodged.min()) for c in sets if len(c.stock.keys))])
        self._tables: dict[Term, np.ndarray] = {}
        self._by_stream = np.stack([self._deadlines(c) for c in sets])

    def _deadlines(self, compiled: Compiled) -> np.ndarray:
        """[stream, lodging day] deadlines of one parameter set."""
        st = compiled.structure
        lodged = np.arange(self._first, st.n_days, dtype=np.int64)
        # the rules in force on each lodging day (before the start: the first rules)
        version = np.maximum(np.searchsorted(compiled.change_days, lodged, side="right") - 1, 0)
        by_stream = np.zeros((len(st.streams), len(lodged)), dtype=np.int64)
        for s in range(len(st.streams)):
            for v in np.unique(version):
                sel = version == v
                by_stream[s, sel] = self.ends(compiled.params[v].term[s], lodged[sel])
        for x in compiled.extensions:
            for v in np.unique(version):
                sel = (lodged >= x.lodged_from) & (lodged <= x.lodged_until) & (version == v)
                ordinary = by_stream[x.stream, sel]
                (value, unit), (extra, extra_unit) = compiled.params[v].term[x.stream], x.extra
                extended = (self.ends((value + extra, unit), lodged[sel]) if unit == extra_unit
                            else self._end(x.extra, ordinary))
                if x.lapses is not None:
                    extended = np.minimum(extended, np.maximum(ordinary, x.lapses))
                by_stream[x.stream, sel] = extended
        return by_stream

    def _end(self, term: Term, lodged: np.ndarray) -> np.ndarray:
        value, unit = term
        if unit == "months":
            return add_months(self.start64, lodged, value)
        return lodged + round(value * (7 if unit == "weeks" else 1))

    def ends(self, term: Term, lodged: np.ndarray) -> np.ndarray:
        """The deadline of a term (a procedure's, say) for cases lodged on the given days (any
        lodging day of the run)."""
        table = self._tables.get(term)
        if table is None:
            days = np.arange(self._first, self.n_days, dtype=np.int64)
            table = self._tables[term] = self._end(term, days)
        return table[lodged - self._first]

    @property
    def table(self) -> tuple[np.ndarray, int]:
        """The deadlines by parameter set, stream and lodging day, and the first lodging day
        (for compiled code: :func:`routing.create`). A case's deadline is its stream's term in
        force on its lodging day (the initial stock, lodged before the start, under the first
        rules), with any extension, under the terms of its replication's parameter set."""
        return self._by_stream, self._first
