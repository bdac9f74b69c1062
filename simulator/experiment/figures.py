"""Naming a main figure and a target in plain text, as analysts type them on the command line.

A figure: ``backlog_end.asylum.2030`` (figure, category, year; see ``simulator.model.FIGURES``).
A target: ``backlog_end.asylum <= 20000 in 2028`` (that year) or
``within_term_share.asylum >= 0.9 from 2028`` (every year from then to the horizon).
"""

from __future__ import annotations

import operator
import re
from dataclasses import dataclass

import pandas as pd

from ..errors import IndsimError
from ..model import FIGURES

_CATEGORIES = ("asylum", "nareis", "other")
_OPS = {"<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt}


def of_year(yearly: pd.DataFrame, scenario: str, year: int, category: str = "asylum") -> pd.DataFrame:
    """The figures of one category of ``scenario`` in ``year`` from a yearly table: a row per
    replication, a column per figure."""
    sel = yearly[(yearly.scenario == scenario) & (yearly.year == year) & (yearly.category == category)]
    return sel.pivot_table(index="replication", columns="figure", values="value", aggfunc="sum")


def late_decisions(figures: pd.DataFrame) -> pd.Series:
    """First decisions on cases already past their term, per row of a table with the columns
    ``first_decisions`` and ``within_term_share`` (one row per replication of a year)."""
    return figures.first_decisions * (1 - figures.within_term_share)


def _known(figure: str, category: str, text: str) -> None:
    if figure not in FIGURES:
        raise IndsimError(f"{text!r}: unknown figure {figure!r}; known: {', '.join(FIGURES)}")
    if category not in _CATEGORIES:
        raise IndsimError(f"{text!r}: unknown category {category!r}; known: {', '.join(_CATEGORIES)}")


def check_shown(s, figure: Figure | Target, what: str) -> None:
    """Refuse, before any run, a figure or target scenario ``s`` cannot show: a year outside its
    horizon, or a category none of its streams has (a target on such a category ran a whole
    requirements search and then said its year was outside the horizon)."""
    if not s.start.year <= figure.year <= s.end.year:
        raise IndsimError(f"{what}: {figure.year} is outside the horizon ({s.start.year}-{s.end.year})")
    categories = sorted({stream.category for stream in s.streams.values()})
    if figure.category not in categories:
        raise IndsimError(f"{what}: {s.name} has no {figure.category} streams (its categories: "
                          f"{', '.join(categories)})")


@dataclass(frozen=True)
class Figure:
    figure: str
    category: str
    year: int

    @classmethod
    def parse(cls, text: str) -> Figure:
        parts = text.strip().split(".")
        if len(parts) != 3 or not parts[2].isdigit():
            raise IndsimError(f"{text!r}: a figure is written figure.category.year, "
                              "e.g. backlog_end.asylum.2030")
        _known(parts[0], parts[1], text)
        return cls(parts[0], parts[1], int(parts[2]))

    def __str__(self) -> str:
        return f"{self.figure}.{self.category}.{self.year}"

    def values(self, yearly: pd.DataFrame) -> pd.DataFrame:
        """Per scenario and replication: the figure's value."""
        sel = yearly[(yearly.figure == self.figure) & (yearly.category == self.category)
                     & (yearly.year == self.year)]
        if sel.empty:
            raise IndsimError(f"{self}: no such figure in the results "
                              f"(is {self.year} inside the horizon?)")
        return sel[["scenario", "replication", "value"]].reset_index(drop=True)


_TARGET = re.compile(
    r"^\s*(\w+)\.(\w+)\s*(<=|>=|<|>)\s*([0-9.eE+-]+)\s+(in|from|by)\s+(\d{4})(?:-12-31)?\s*$")


@dataclass(frozen=True)
class Target:
    figure: str
    category: str
    op: str
    value: float
    year: int
    every_year_from: bool

    @classmethod
    def parse(cls, text: str) -> Target:
        m = _TARGET.match(text)
        if not m:
            raise IndsimError(f"{text!r}: a target is written like 'backlog_end.asylum <= 20000 in 2028' or "
                              "'within_term_share.asylum >= 0.9 from 2028'")
        figure, category, op, value, when, year = m.groups()
        _known(figure, category, text)
        return cls(figure, category, op, float(value), int(year), when == "from")

    def __str__(self) -> str:
        when = "from" if self.every_year_from else "in"
        return f"{self.figure}.{self.category} {self.op} {self.value:g} {when} {self.year}"

    def met(self, yearly: pd.DataFrame) -> pd.Series:
        """Per (scenario, replication): whether the target is met."""
        sel = yearly[(yearly.figure == self.figure) & (yearly.category == self.category)]
        sel = sel[sel.year >= self.year] if self.every_year_from else sel[sel.year == self.year]
        if sel.empty:
            raise IndsimError(f"{self}: the year {self.year} is outside the scenario's horizon")
        ok = _OPS[self.op](sel.value, self.value)
        return ok.groupby([sel.scenario, sel.replication]).all()

    def last_year(self, horizon_end_year: int) -> int:
        """The last year the target looks at (runs can stop there)."""
        return horizon_end_year if self.every_year_from else self.year
